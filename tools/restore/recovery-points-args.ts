// `npm run recovery-points -- --stack <stack> --source <id> [--region primary|dr] [--kind <kind>] [--json]
// [--outputs file.json]`.
import { RESOURCE_KINDS, type ResourceKind } from "../../handlers/catalog";
import { kindOf, regionRoleOf, sourceKinds, type PointsKind } from "./common-args";
import { stackProblems } from "../lib/stack-args";
import { parseFlags, usageError } from "../lib/flags";
import type { RegionRole } from "../lib/stack-outputs";

export const POINTS_USAGE = `usage: npm run recovery-points -- --stack <stack> --source <id> [--region primary|dr] [--kind ${RESOURCE_KINDS.join("|")}] [--json] [--outputs <file.json>]`;

export interface PointsArgs {
  stack: string;
  source: string;
  /** Only this region (default both). */
  region?: RegionRole;
  kind?: ResourceKind;
  /** The kinds whose sources `source` may name. */
  kinds: PointsKind[];
  json: boolean;
  outputsFile?: string;
}

const SPEC = { "--stack": "value", "--source": "value", "--region": "value", "--kind": "value", "--json": "switch", "--outputs": "value" } as const;

/** The arguments; throws a UsageError listing every problem. */
export function parsePointsArgs(argv: readonly string[], kinds: readonly PointsKind[]): PointsArgs {
  const flags = parseFlags(argv, SPEC);
  const problems = [...flags.problems];
  const stack = flags.values.get("--stack");
  const source = flags.values.get("--source");
  problems.push(...stackProblems(stack));
  const region = regionRoleOf(flags.values.get("--region"), problems);
  const kind = kindOf(flags.values.get("--kind"), problems);
  const matching = sourceKinds(source, kind, kinds, problems);
  if (problems.length > 0 || stack === undefined || source === undefined) throw usageError(problems, POINTS_USAGE);
  const outputsFile = flags.values.get("--outputs");
  return {
    stack,
    source,
    kinds: matching,
    json: flags.switches.has("--json"),
    ...(region === undefined ? {} : { region }),
    ...(kind === undefined ? {} : { kind }),
    ...(outputsFile === undefined ? {} : { outputsFile }),
  };
}
