// PLACEHOLDER (H3, infra) until H3b's drill machine merges: infra/drill-machine.ts is H3b's file; take theirs at
// integration. The same exports and signatures the infra uses: the definition (a pure function of the drill function's
// ARN, the machine's timeout and the Map's concurrency) and the timeout arithmetic.
import type { AslDefinition } from "./restore-machine";

/** The margin beyond restore + keep + delete: picks, measures, cleanup waits and the report. */
export const DRILL_MACHINE_MARGIN_MINUTES = 30;

/** Longest restore kind timeout + keep + longest delete timeout + margin, in seconds. */
export function drillMachineTimeoutSeconds(restoreTimeoutMinutes: readonly number[], keepMinutes: number, deleteTimeoutMinutes: readonly number[]): number {
  if (restoreTimeoutMinutes.length === 0 || deleteTimeoutMinutes.length === 0) throw new Error("expected the restore and delete timeouts of at least one kind");
  return (Math.max(...restoreTimeoutMinutes) + keepMinutes + Math.max(...deleteTimeoutMinutes) + DRILL_MACHINE_MARGIN_MINUTES) * 60;
}

export function drillMachineDefinition(functionArn: string, timeoutSeconds: number, maxConcurrency: number): AslDefinition {
  return {
    Comment: `backup-dr drill (placeholder, Map MaxConcurrency ${maxConcurrency})`,
    StartAt: "Pick",
    TimeoutSeconds: timeoutSeconds,
    States: {
      Pick: {
        Type: "Task",
        Resource: `arn:${functionArn.split(":")[1] ?? "aws"}:states:::lambda:invoke`,
        Parameters: { FunctionName: functionArn, Payload: { step: "pick", "drillId.$": "$$.Execution.Name", "startedAt.$": "$$.Execution.StartTime", "request.$": "$" } },
        OutputPath: "$.Payload",
        Retry: [],
        Catch: [{ ErrorEquals: ["States.ALL"], Next: "Failed" }],
        Next: "Done",
      },
      Done: { Type: "Succeed" },
      Failed: { Type: "Fail", Error: "DrillFailed", Cause: "placeholder" },
    },
  };
}
