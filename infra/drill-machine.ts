// PLACEHOLDER (H3, infra) until H3b's drill machine merges: infra/drill-machine.ts is H3b's file; take theirs at
// integration. The same exports and signatures the infra uses: the definition (a pure function of the drill function's
// ARN, the machine's timeout and the Map's concurrency) and the timeout arithmetic.
import type { AslDefinition } from "./restore-machine";

/** The margin beyond restore + keep + delete: picks, measures, cleanup waits and the report. */
export const DRILL_MACHINE_MARGIN_MINUTES = 30;

/** What the drill machine's TimeoutSeconds is made of (minutes), as H3b's drill-machine.ts declares it. */
export interface DrillMachineTimes {
  restoreTimeoutMinutes: readonly number[];
  keepMinutes: number;
  deleteTimeoutMinutes: readonly number[];
  maxSamples?: number;
  maxConcurrency?: number;
}

/** Waves of restores (maxSamples / maxConcurrency) to the longest restore timeout + keep + longest delete timeout + margin, in seconds. */
export function drillMachineTimeoutSeconds(times: DrillMachineTimes): number {
  if (times.restoreTimeoutMinutes.length === 0 || times.deleteTimeoutMinutes.length === 0) throw new Error("expected the restore and delete timeouts of at least one kind");
  const waves = times.maxSamples === undefined || times.maxConcurrency === undefined ? 1 : Math.max(1, Math.ceil(times.maxSamples / times.maxConcurrency));
  return (waves * Math.max(...times.restoreTimeoutMinutes) + times.keepMinutes + Math.max(...times.deleteTimeoutMinutes) + DRILL_MACHINE_MARGIN_MINUTES) * 60;
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
