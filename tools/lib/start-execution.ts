// Starts an execution: StartExecution named by the command's id with its request as input. Rerunning with the same
// name and input returns the same execution (Step Functions' own idempotency), so the SDK's retry after a lost answer
// starts nothing twice; the same name with another input, or after it ended, is the command's `taken` error.
import { StartExecutionCommand, type SFNClient } from "@aws-sdk/client-sfn";
import { errorName } from "../../handlers/lib/errors";

export interface StartedExecution {
  executionArn: string;
  startDate: Date;
}

export async function startExecution(sfn: SFNClient, stateMachineArn: string, name: string, input: unknown, taken: () => Error): Promise<StartedExecution> {
  try {
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    if (started.executionArn === undefined) throw new Error("StartExecution returned no execution ARN");
    return { executionArn: started.executionArn, startDate: started.startDate ?? new Date() };
  } catch (error) {
    if (errorName(error) === "ExecutionAlreadyExists") throw taken();
    throw error;
  }
}
