// `npm run recovery-points -- --stack prod --source <id> [...]`: every recovery point of a source in both regions (or
// one), newest first, read with the operator's AWS credentials. Exits 0; 1 when a region could not be read (the other
// region's points are still printed); 2 on bad usage or unreadable stack outputs, before any AWS call.
import { restoreKinds } from "../../handlers/kinds/registry";
import { regionClients, type ClientsOf } from "../lib/clients";
import type { PointsKind } from "./common-args";
import { failureLines, formatPoints, pointsJson } from "./points-format";
import { listRecoveryPoints } from "./points-list";
import { parsePointsArgs, type PointsArgs } from "./recovery-points-args";
import { readOutputs, REGION_ROLES, type StackOutputs } from "../lib/stack-outputs";
import { stackTag } from "./stack-tag";

export interface PointsDeps {
  kinds: readonly PointsKind[];
  clientsOf: ClientsOf;
  outputs: (stack: string, outputsFile: string | undefined) => StackOutputs;
  stackTag: (stack: string) => string;
  out: (text: string) => void;
  err: (text: string) => void;
}

export async function main(argv: readonly string[], deps: PointsDeps): Promise<number> {
  let args: PointsArgs;
  let outputs: StackOutputs;
  let tag: string;
  try {
    args = parsePointsArgs(argv, deps.kinds);
    outputs = deps.outputs(args.stack, args.outputsFile);
    tag = deps.stackTag(args.stack);
  } catch (error) {
    deps.err(error instanceof Error ? error.message : String(error));
    return 2;
  }
  const roles = args.region === undefined ? REGION_ROLES : [args.region];
  const regions = roles.map((role) => ({ role, region: outputs.regions[role] }));
  const listing = await listRecoveryPoints(regions, args.kinds, deps.clientsOf, tag, args.source);
  if (args.json) deps.out(pointsJson(listing, tag, args.source));
  else deps.out(formatPoints(listing, `Recovery points of ${args.source} (stack ${tag}; ${regions.map((r) => `${r.role} ${r.region}`).join(", ")}), newest first:`));
  for (const line of failureLines(listing)) deps.err(line);
  return listing.failures.length > 0 ? 1 : 0;
}

if (require.main === module) {
  void main(process.argv.slice(2), {
    kinds: restoreKinds(),
    clientsOf: regionClients(),
    outputs: (stack, file) => readOutputs(stack, file),
    stackTag: (stack) => stackTag(stack),
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
  }).then((code) => {
    process.exitCode = code;
  });
}
