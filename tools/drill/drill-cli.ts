// `npm run drill -- --stack prod [--plan gold] [--seed s]`: starts one drill now on the stack's drill state machine
// (in its drill region) with the operator's AWS credentials, then follows it to its report (or, with --detach, prints
// how to follow it). `npm run drill -- --follow <executionArn>` follows a running or finished one. Exits 0 when the
// drill passed (or was started, with --detach), 1 when it failed or could not be started or followed, 2 on bad usage
// or unreadable stack outputs (before any AWS call).
import type { DrillReport } from "../../handlers/drill/contract";
import { followOrExplain, runInProcess, startThenFollow, type CommandDeps, type ExecutionCommand } from "../lib/command";
import { drillMachineOf } from "../lib/stack-outputs";
import { startExecution } from "../lib/start-execution";
import { parseDrillArgs, type DrillArgs } from "./drill-args";
import { newDrillId } from "./drill-id";
import { DRILL_VIEW } from "./drill-progress";

/** `random`: the random part of a new drill id (default 4 random hex characters). */
export type DrillDeps = CommandDeps;

const DRILL_COMMAND: ExecutionCommand<DrillReport> = { command: "npm run drill", noun: "drill", view: DRILL_VIEW, goesOn: "The drill itself goes on (and deletes what it restored)" };

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function main(argv: readonly string[], deps: DrillDeps): Promise<number> {
  let args: DrillArgs;
  try {
    args = parseDrillArgs(argv);
  } catch (error) {
    deps.err(message(error));
    return 2;
  }
  if (args.action === "follow") return followOrExplain(deps, args.executionArn, DRILL_COMMAND);

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
  const taken = () => Object.assign(new Error(`drill id ${drillId} was already used (or has ended): run the command again for a new one`), { name: "DrillIdTakenError" });
  return startThenFollow(deps, DRILL_COMMAND, () => startExecution(deps.clientsOf(machine.region).sfn, machine.stateMachineArn, drillId, args.request, taken), args.detach);
}

if (require.main === module) runInProcess(main, {}, 10_000);
