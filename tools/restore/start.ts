// Starts a restore: StartExecution on the region's restore state machine, named by the restore id, with the request
// as input. Rerunning with the same id and request returns the same execution (Step Functions' own idempotency).
import { StartExecutionCommand, type SFNClient } from "@aws-sdk/client-sfn";
import type { RestoreRequest } from "../../handlers/restore/contract";
import { errorName } from "../../handlers/lib/errors";

export interface StartedRestore {
  executionArn: string;
  startDate: Date;
}

export async function startRestore(sfn: SFNClient, stateMachineArn: string, restoreId: string, request: RestoreRequest): Promise<StartedRestore> {
  try {
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: restoreId, input: JSON.stringify(request) }));
    if (started.executionArn === undefined) throw new Error("StartExecution returned no execution ARN");
    return { executionArn: started.executionArn, startDate: started.startDate ?? new Date() };
  } catch (error) {
    if (errorName(error) === "ExecutionAlreadyExists") {
      throw Object.assign(new Error(`restore id ${restoreId} was already used with another request (or has ended): choose another --restore-id, or follow that execution with --follow`), { name: "RestoreIdTakenError" });
    }
    throw error;
  }
}
