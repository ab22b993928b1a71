// Starts a restore: an execution of the region's restore state machine, named by the restore id, with the request as
// input (tools/lib/start-execution.ts: a rerun with the same id and request is the same execution).
import type { SFNClient } from "@aws-sdk/client-sfn";
import type { RestoreRequest } from "../../handlers/restore/contract";
import { startExecution, type StartedExecution } from "../lib/start-execution";

export function startRestore(sfn: SFNClient, stateMachineArn: string, restoreId: string, request: RestoreRequest): Promise<StartedExecution> {
  return startExecution(sfn, stateMachineArn, restoreId, request, () =>
    Object.assign(new Error(`restore id ${restoreId} was already used with another request (or has ended): choose another --restore-id, or follow that execution with --follow`), { name: "RestoreIdTakenError" }),
  );
}
