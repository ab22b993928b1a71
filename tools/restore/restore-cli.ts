// `npm run restore -- --stack prod --source <id> --region dr --point latest [...]`: starts a restore on that region's
// state machine with the operator's AWS credentials, then follows it to the end (or, with --detach, prints how to
// follow it). `npm run restore -- --follow <executionArn>` follows a running or finished one. Exits 0 when the restore
// succeeded (or was started, with --detach), 1 when it failed or could not be started or followed, 2 on bad usage or
// unreadable stack outputs (before any AWS call).
import { restoreKinds } from "../../handlers/kinds/registry";
import type { RestoreReport } from "../../handlers/restore/contract";
import { followOrExplain, runInProcess, startThenFollow, type CommandDeps, type ExecutionCommand } from "../lib/command";
import type { PointsKind } from "./common-args";
import { RESTORE_VIEW } from "./progress-format";
import { parseRestoreArgs, RESTORE_USAGE, type RestoreArgs } from "./restore-args";
import { newRestoreId } from "./restore-id";
import { startRestore } from "./start";
import { stateMachineOf } from "../lib/stack-outputs";

/** `random`: the random part of a new restore id (default 8 random hex characters). */
export interface RestoreDeps extends CommandDeps {
  kinds: readonly PointsKind[];
}

const RESTORE_COMMAND: ExecutionCommand<RestoreReport> = { command: "npm run restore", noun: "restore", view: RESTORE_VIEW, goesOn: "The restore itself goes on" };

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function main(argv: readonly string[], deps: RestoreDeps): Promise<number> {
  let args: RestoreArgs;
  try {
    args = parseRestoreArgs(argv, deps.kinds);
  } catch (error) {
    deps.err(message(error));
    return 2;
  }
  if (args.action === "follow") return followOrExplain(deps, args.executionArn, RESTORE_COMMAND);

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
  return startThenFollow(deps, RESTORE_COMMAND, () => startRestore(deps.clientsOf(region).sfn, machineArn, restoreId, args.request), args.detach);
}

if (require.main === module) runInProcess(main, { kinds: restoreKinds() }, 5_000);
