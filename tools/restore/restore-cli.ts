// `npm run restore -- --stack prod --source <id> --region dr --point latest [...]`: starts a restore on that region's
// state machine with the operator's AWS credentials, then follows it to the end (or, with --detach, prints how to
// follow it). `npm run restore -- --follow <executionArn>` follows a running or finished one. Exits 0 when the restore
// succeeded (or was started, with --detach), 1 when it failed or could not be started or followed, 2 on bad usage or
// unreadable stack outputs (before any AWS call).
import { restoreKinds } from "../../handlers/kinds/registry";
import { describeError } from "../../handlers/lib/errors";
import { regionClients, type ClientsOf } from "../lib/clients";
import type { PointsKind } from "./common-args";
import { consoleUrl, parseExecutionArn } from "../lib/execution-arn";
import { followExecution } from "../lib/follow";
import { RESTORE_VIEW } from "./progress-format";
import { parseRestoreArgs, RESTORE_USAGE, type RestoreArgs } from "./restore-args";
import { newRestoreId } from "./restore-id";
import { startRestore } from "./start";
import { readOutputs, stateMachineOf, type StackOutputs } from "../lib/stack-outputs";

export interface RestoreDeps {
  kinds: readonly PointsKind[];
  clientsOf: ClientsOf;
  outputs: (stack: string, outputsFile: string | undefined) => StackOutputs;
  out: (text: string) => void;
  err: (text: string) => void;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** Between two reads of a followed execution. */
  intervalMs: number;
  /** The random part of a new restore id (default 8 random hex characters). */
  random?: () => string;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function main(argv: readonly string[], deps: RestoreDeps): Promise<number> {
  let args: RestoreArgs;
  try {
    args = parseRestoreArgs(argv, deps.kinds);
  } catch (error) {
    deps.err(message(error));
    return 2;
  }
  if (args.action === "follow") return follow(deps, args.executionArn, parseExecutionArn(args.executionArn)?.region ?? "");

  let region: string;
  let machineArn: string;
  try {
    const outputs = deps.outputs(args.stack, args.outputsFile);
    region = outputs.regions[args.region];
    machineArn = stateMachineOf(outputs, args.region);
    const zone = args.request.zone;
    if (zone !== undefined && !zone.startsWith(region)) throw new Error(`--zone: ${zone} is not a zone of the ${args.region} region ${region}\n${RESTORE_USAGE}`);
  } catch (error) {
    deps.err(message(error));
    return 2;
  }
  const restoreId = args.restoreId ?? newRestoreId(args.request.source, deps.now(), deps.random);
  deps.out(`Restoring ${args.request.source} from ${args.request.point} in ${args.region} (${region}); restore id ${restoreId}`);
  deps.out(`Request: ${JSON.stringify(args.request)}`);
  let executionArn: string;
  try {
    executionArn = (await startRestore(deps.clientsOf(region).sfn, machineArn, restoreId, args.request)).executionArn;
  } catch (error) {
    const { name, message: text } = describeError(error);
    deps.err(`could not start the restore: ${name}: ${text}`);
    return 1;
  }
  deps.out(`Execution: ${executionArn}`);
  if (args.detach) {
    deps.out(`Follow it: npm run restore -- --follow ${executionArn}`);
    deps.out(`Console:   ${consoleUrl(executionArn)}`);
    return 0;
  }
  return follow(deps, executionArn, region);
}

async function follow(deps: RestoreDeps, executionArn: string, region: string): Promise<number> {
  try {
    return await followExecution({ sfn: deps.clientsOf(region).sfn, out: deps.out, sleep: deps.sleep, intervalMs: deps.intervalMs }, executionArn, RESTORE_VIEW);
  } catch (error) {
    const { name, message: text } = describeError(error);
    deps.err(`could not follow ${executionArn}: ${name}: ${text}`);
    deps.err(`The restore itself goes on: follow again with npm run restore -- --follow ${executionArn}`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), {
    kinds: restoreKinds(),
    clientsOf: regionClients(),
    outputs: (stack, file) => readOutputs(stack, file),
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    intervalMs: 5_000,
  }).then((code) => {
    process.exitCode = code;
  });
}
