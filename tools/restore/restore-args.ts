// `npm run restore -- --stack <stack> --source <id> --region primary|dr --point latest|<ISO instant>|<snapshot id or
// ARN> [options]`, or `--follow <executionArn>`. Every problem of the command line is reported at once, before the
// stack's outputs are read or any AWS call is made.
import { RESOURCE_KINDS, type ResourceKind } from "../../handlers/catalog";
import { MACHINE_RESTORE_MODES, type MachineRestoreMode, type RestoreRequest } from "../../handlers/restore/contract";
import { RESTORE_ID_RULE } from "../../handlers/restore/event";
import { isRestoreName, NAME_RULE } from "../../handlers/restore/naming";
import { kindOf, regionRoleOf, sourceKinds, type PointsKind } from "./common-args";
import { stackProblems } from "../lib/stack-args";
import { followProblems } from "../lib/command";
import { DATABASE_FLAGS, databaseFacts, MACHINE_FLAGS, machineFacts } from "./facts-args";
import { parseFlags, usageError, type FlagSpec } from "../lib/flags";
import { RESTORE_ID } from "./restore-id";
import type { RegionRole } from "../lib/stack-outputs";

export const RESTORE_USAGE = [
  "usage: npm run restore -- --stack <stack> --source <id> --region primary|dr --point latest|<ISO instant>|<snapshot id or ARN>",
  `         [--kind ${RESOURCE_KINDS.join("|")}] [--mode volumes|instance] [--name <name>] [--zone <az>] [--instance-type <type>] [--keep-image]`,
  "         [--instance-class <db class>] [--restore-id <id>] [--detach] [--outputs <file.json>]",
  "         [--machine-architecture A] [--machine-root-device D] [--machine-virtualization V] [--machine-boot-mode M]",
  "         [--database-engine E] [--database-engine-version V] [--database-port P] [--database-multi-az true|false] [--database-storage-type T]",
  "       npm run restore -- --follow <executionArn>",
].join("\n");

export interface StartArgs {
  action: "start";
  stack: string;
  region: RegionRole;
  request: RestoreRequest;
  /** The execution name to use (a rerun of the same restore); default a new one. */
  restoreId?: string;
  detach: boolean;
  outputsFile?: string;
}

export interface FollowArgs {
  action: "follow";
  executionArn: string;
}

export type RestoreArgs = StartArgs | FollowArgs;

const FLAGS = {
  "--stack": "value", "--source": "value", "--region": "value", "--point": "value", "--kind": "value", "--mode": "value",
  "--name": "value", "--zone": "value", "--instance-type": "value", "--instance-class": "value", "--keep-image": "switch",
  "--restore-id": "value", "--detach": "switch", "--outputs": "value", "--follow": "value",
} as const;
const SPEC: FlagSpec = { ...FLAGS, ...Object.fromEntries([...MACHINE_FLAGS, ...DATABASE_FLAGS].map((flag) => [flag, "value"])) };

const INSTANT = /^\d{4}-\d{2}-\d{2}T/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
const INSTANCE_CLASS = /^db\.[a-z0-9-]+\.[a-z0-9-]+$/;
const ZONE = /^[a-z]{2}(-[a-z0-9]+)+[a-z]$/;

/** The arguments; throws a UsageError listing every problem. */
export function parseRestoreArgs(argv: readonly string[], kinds: readonly PointsKind[]): RestoreArgs {
  const flags = parseFlags(argv, SPEC);
  const problems = [...flags.problems];
  const value = (flag: keyof typeof FLAGS) => flags.values.get(flag);
  const follow = value("--follow");
  if (follow !== undefined) {
    problems.push(...followProblems(flags, follow));
    if (problems.length > 0) throw usageError(problems, RESTORE_USAGE);
    return { action: "follow", executionArn: follow };
  }

  const stack = value("--stack");
  const source = value("--source");
  const pointText = value("--point");
  problems.push(...stackProblems(stack));
  const region = regionRoleOf(value("--region"), problems);
  if (value("--region") === undefined) problems.push("--region: required (primary or dr: the region to restore into)");
  const kind = kindOf(value("--kind"), problems);
  const matching = sourceKinds(source, kind, kinds, problems);
  const point = pointOf(pointText, matching, problems);

  // What the source can be: decides which options apply (none known: every option is let through to the function).
  const names = new Set<ResourceKind>(matching.map((k) => k.name));
  const machineOnly = names.size > 0 && [...names].every((n) => n === "ec2");
  const databaseOnly = names.size > 0 && !names.has("ec2");
  const mode = modeOf(value("--mode"), problems);
  if (mode !== undefined && databaseOnly) problems.push("--mode: only for an EC2 source");
  const onlyFor = (flag: string, ok: boolean, what: string) => {
    if ((flags.values.has(flag) || flags.switches.has(flag)) && !ok) problems.push(`${flag}: only ${what}`);
  };
  onlyFor("--instance-type", mode === "instance", "with --mode instance");
  onlyFor("--keep-image", mode === "instance", "with --mode instance");
  for (const flag of MACHINE_FLAGS) onlyFor(flag, mode === "instance", "with --mode instance");
  onlyFor("--zone", mode !== "instance" && !databaseOnly, "for an EC2 source restored as volumes");
  onlyFor("--instance-class", !machineOnly, "for an RDS or Aurora source");
  for (const flag of DATABASE_FLAGS) onlyFor(flag, !machineOnly, "for an RDS or Aurora source");

  const checked = (flag: keyof typeof FLAGS, pattern: RegExp, what: string) => {
    const text = value(flag);
    if (text !== undefined && !pattern.test(text)) problems.push(`${flag}: expected ${what}, got ${JSON.stringify(text)}`);
    return text;
  };
  const instanceType = checked("--instance-type", INSTANCE_TYPE, "an EC2 instance type such as m7g.large");
  const instanceClass = checked("--instance-class", INSTANCE_CLASS, "a DB instance class such as db.r6g.large");
  const zone = checked("--zone", ZONE, "an availability zone such as us-west-2a");
  // The restore function's one naming rule (every kind accepts it) and its execution-name rule.
  const name = value("--name");
  if (name !== undefined && !isRestoreName(name)) problems.push(`--name: expected ${NAME_RULE}, got ${JSON.stringify(name)}`);
  const restoreId = checked("--restore-id", RESTORE_ID, RESTORE_ID_RULE);
  const machine = machineFacts(flags.values, problems);
  const database = databaseFacts(flags.values, problems);

  if (problems.length > 0 || stack === undefined || source === undefined || region === undefined || point === undefined) {
    throw usageError(problems, RESTORE_USAGE);
  }
  const request: RestoreRequest = {
    source,
    point,
    ...(kind === undefined ? {} : { kind }),
    ...(mode === undefined ? {} : { mode }),
    ...(name === undefined ? {} : { name }),
    ...(zone === undefined ? {} : { zone }),
    ...(instanceType === undefined ? {} : { instanceType }),
    ...(instanceClass === undefined ? {} : { instanceClass }),
    ...(flags.switches.has("--keep-image") ? { keepImage: true } : {}),
    ...(machine === undefined ? {} : { machine }),
    ...(database === undefined ? {} : { database }),
  };
  const outputsFile = value("--outputs");
  return {
    action: "start",
    stack,
    region,
    request,
    detach: flags.switches.has("--detach"),
    ...(restoreId === undefined ? {} : { restoreId }),
    ...(outputsFile === undefined ? {} : { outputsFile }),
  };
}

function modeOf(text: string | undefined, problems: string[]): MachineRestoreMode | undefined {
  if (text === undefined) return undefined;
  const mode = MACHINE_RESTORE_MODES.find((m) => m === text);
  if (mode === undefined) problems.push(`--mode: expected ${MACHINE_RESTORE_MODES.join(" or ")}, got ${JSON.stringify(text)}`);
  return mode;
}

/** "latest", an instant (sent as UTC ISO), or an id or ARN one of the source's kinds may own. */
function pointOf(text: string | undefined, kinds: readonly PointsKind[], problems: string[]): string | undefined {
  if (text === undefined) {
    problems.push("--point: required (latest, an ISO instant such as 2026-12-01T06:00:00Z, or a snapshot id or ARN)");
    return undefined;
  }
  if (text === "latest") return text;
  if (INSTANT.test(text)) {
    const at = new Date(text);
    if (!/(Z|[+-]\d\d:?\d\d)$/.test(text) || Number.isNaN(at.getTime())) {
      problems.push(`--point: expected an ISO-8601 instant with Z or an offset, got ${JSON.stringify(text)}`);
      return undefined;
    }
    return at.toISOString();
  }
  if (kinds.length > 0 && !kinds.some((k) => k.mayBePoint(text))) {
    problems.push(`--point: ${JSON.stringify(text)} is not latest, an ISO instant, or a recovery point id or ARN of ${kinds.map((k) => k.name).join(" or ")}`);
    return undefined;
  }
  return text;
}
