// `npm run drill -- --stack <stack> [--plan <plan>] [--seed <seed>] [--follow | --detach] [--outputs <file.json>]`, or
// `--follow <executionArn>`. Every problem of the command line is reported at once, before the stack's outputs are read
// or any AWS call is made. Whether the plan is drilled is the drill function's to say (it reads the stack's config).
import { RESOURCE_KINDS } from "../../handlers/catalog";
import type { DrillRequest } from "../../handlers/drill/contract";
import { isPlanName, PLAN_NAME_RULE } from "../../handlers/plan";
import { followProblems } from "../lib/command";
import { parseFlags, usageError } from "../lib/flags";
import { stackProblems } from "../lib/stack-args";

export const DRILL_USAGE = [
  "usage: npm run drill -- --stack <stack> [--plan <plan>] [--seed <seed>] [--follow | --detach] [--outputs <file.json>]",
  "       npm run drill -- --follow <executionArn>",
  `Starts one drill now in the stack's drill region: per plan and kind (${RESOURCE_KINDS.join(", ")}), its sample of sources`,
  "restored, validated, measured against the plan's RTO and RPO targets, then deleted; followed to its report unless --detach.",
].join("\n");

export interface StartDrillArgs {
  action: "start";
  stack: string;
  request: DrillRequest;
  detach: boolean;
  outputsFile?: string;
}

export interface FollowDrillArgs {
  action: "follow";
  executionArn: string;
}

export type DrillArgs = StartDrillArgs | FollowDrillArgs;

/** `--follow` alone follows the drill it starts (the default); `--follow <executionArn>` follows one already started. */
const SPEC = { "--stack": "value", "--plan": "value", "--seed": "value", "--follow": "optional", "--detach": "switch", "--outputs": "value" } as const;

/** The arguments; throws a UsageError listing every problem. */
export function parseDrillArgs(argv: readonly string[]): DrillArgs {
  const flags = parseFlags(argv, SPEC);
  const problems = [...flags.problems];
  const value = (flag: keyof typeof SPEC) => flags.values.get(flag);
  const follow = value("--follow");
  if (follow !== undefined) {
    problems.push(...followProblems(flags, follow));
    if (problems.length > 0) throw usageError(problems, DRILL_USAGE);
    return { action: "follow", executionArn: follow };
  }

  const stack = value("--stack");
  problems.push(...stackProblems(stack));
  const plan = value("--plan");
  if (plan !== undefined && !isPlanName(plan)) problems.push(`--plan: ${JSON.stringify(plan)} is not a plan name (${PLAN_NAME_RULE})`);
  const detach = flags.switches.has("--detach");
  if (detach && flags.switches.has("--follow")) problems.push("--follow and --detach: give one (a drill is followed unless --detach)");
  if (problems.length > 0 || stack === undefined) throw usageError(problems, DRILL_USAGE);
  const seed = value("--seed");
  const outputsFile = value("--outputs");
  return {
    action: "start",
    stack,
    request: { ...(plan === undefined ? {} : { plan }), ...(seed === undefined ? {} : { seed }) },
    detach,
    ...(outputsFile === undefined ? {} : { outputsFile }),
  };
}
