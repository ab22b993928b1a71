// `npm run drill -- --stack prod [--plan gold] [--seed s]`: starts one drill now on the stack's drill state machine
// (in its drill region) with the operator's AWS credentials, then follows it to its report (or, with --detach, prints
// how to follow it). `npm run drill -- --follow <executionArn>` follows a running or finished one. Exits 0 when the
// drill passed (or was started, with --detach), 1 when it failed or could not be started or followed, 2 on bad usage
// or unreadable stack outputs (before any AWS call).
import { describeError } from "../../handlers/lib/errors";
import { regionClients, type ClientsOf } from "../lib/clients";
import { consoleUrl, parseExecutionArn } from "../lib/execution-arn";
import { followExecution } from "../lib/follow";
import { drillMachineOf, readOutputs, type StackOutputs } from "../lib/stack-outputs";
import { startExecution } from "../lib/start-execution";
import { parseDrillArgs, type DrillArgs } from "./drill-args";
import { newDrillId } from "./drill-id";
import { DRILL_VIEW } from "./drill-progress";

export interface DrillDeps {
  clientsOf: ClientsOf;
  outputs: (stack: string, outputsFile: string | undefined) => StackOutputs;
  out: (text: string) => void;
  err: (text: string) => void;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** Between two reads of a followed execution. */
  intervalMs: number;
  /** The random part of a new drill id (default 4 random hex characters). */
  random?: () => string;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function main(argv: readonly string[], deps: DrillDeps): Promise<number> {
  let args: DrillArgs;
  try {
    args = parseDrillArgs(argv);
  } catch (error) {
    deps.err(message(error));
    return 2;
  }
  if (args.action === "follow") return follow(deps, args.executionArn);

  let machine: { stateMachineArn: string; region: string };
  try {
    machine = drillMachineOf(deps.outputs(args.stack, args.outputsFile));
  } catch (error) {
    deps.err(message(error));
    return 2;
  }
  const drillId = newDrillId(deps.now(), deps.random);
  deps.out(`Drilling stack ${args.stack} in ${machine.region}; drill id ${drillId}`);
  deps.out(`Request: ${JSON.stringify(args.request)}`);
  let executionArn: string;
  try {
    const taken = () => Object.assign(new Error(`drill id ${drillId} was already used (or has ended): run the command again for a new one`), { name: "DrillIdTakenError" });
    executionArn = (await startExecution(deps.clientsOf(machine.region).sfn, machine.stateMachineArn, drillId, args.request, taken)).executionArn;
  } catch (error) {
    const { name, message: text } = describeError(error);
    deps.err(`could not start the drill: ${name}: ${text}`);
    return 1;
  }
  deps.out(`Execution: ${executionArn}`);
  if (args.detach) {
    deps.out(`Follow it: npm run drill -- --follow ${executionArn}`);
    deps.out(`Console:   ${consoleUrl(executionArn)}`);
    return 0;
  }
  return follow(deps, executionArn);
}

/** Follows an execution in its own region (the ARN's). */
async function follow(deps: DrillDeps, executionArn: string): Promise<number> {
  try {
    const region = parseExecutionArn(executionArn)?.region ?? "";
    return await followExecution({ sfn: deps.clientsOf(region).sfn, out: deps.out, sleep: deps.sleep, intervalMs: deps.intervalMs }, executionArn, DRILL_VIEW);
  } catch (error) {
    const { name, message: text } = describeError(error);
    deps.err(`could not follow ${executionArn}: ${name}: ${text}`);
    deps.err(`The drill itself goes on (and deletes what it restored): follow again with npm run drill -- --follow ${executionArn}`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), {
    clientsOf: regionClients(),
    outputs: (stack, file) => readOutputs(stack, file),
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    intervalMs: 10_000,
  }).then((code) => {
    process.exitCode = code;
  });
}
