// The restore state machine's definition (Amazon States Language), built from code: a pure function of the restore
// function's ARN. Its Task states invoke that function with the step events of handlers/restore/contract.ts; the
// execution data between them is `{ "state": RestoreState }` (plus `error` after a caught failure), so every step
// can also be invoked on its own. Waiting happens only here (the Wait state), never in the function.
//
//   Start -> Wait -> Poll -> Progress: available -> Validate -> Finished -> Report -> Reported: succeeded -> Succeeded
//                      ^        |     failed    -> Finished                                   else      -> RestoreFailed
//                      +--------+     else      -> Wait
//   a Task's failure (after its retries): Start -> StartFailed, Poll/Validate -> StepFailed; both -> Report
//   the Report's own failure -> ReportFailed
//
// The three Pass states shape the report event (contract: `state`, `request` and `error` are each present only when
// known): JSONPath cannot leave out a field whose path is missing, so each way into Report has its own Pass.
import { RESTORE_STEPS } from "../handlers/restore/contract";
import { ERROR_PATH, TASK_RETRY, catchAll, lambdaInvokeResource, type AslDefinition, type AslState } from "./asl";

// The types moved to infra/asl.ts (shared with the drill machine); importers of this module keep working.
export type { AslDefinition, AslState } from "./asl";

/** The machine gives up (States.Timeout) this long after the longest kind's own deadline: polls, validation and the report. */
export const RESTORE_MACHINE_MARGIN_MINUTES = 30;

/** The state names (the contract's steps, capitalised, and the states around them). */
export const STATE = {
  start: "Start",
  wait: "Wait",
  poll: "Poll",
  progress: "Progress",
  validate: "Validate",
  finished: "Finished",
  startFailed: "StartFailed",
  stepFailed: "StepFailed",
  report: "Report",
  reported: "Reported",
  succeeded: "Succeeded",
  restoreFailed: "RestoreFailed",
  reportFailed: "ReportFailed",
} as const;

/** The machine's timeout: the longest kind's restore timeout plus the margin. */
export function restoreMachineTimeoutSeconds(kindTimeoutMinutes: readonly number[]): number {
  if (kindTimeoutMinutes.length === 0) throw new Error("expected the restore timeout of at least one kind");
  return (Math.max(...kindTimeoutMinutes) + RESTORE_MACHINE_MARGIN_MINUTES) * 60;
}

/**
 * The restore state machine of one region, invoking `functionArn` through the optimized Lambda integration
 * (`arn:<partition>:states:::lambda:invoke`, the function's return value taken from `Payload`).
 */
export function restoreMachineDefinition(functionArn: string, timeoutSeconds: number): AslDefinition {
  const invoke = lambdaInvokeResource(functionArn);
  const run = { "restoreId.$": "$$.Execution.Name", "startedAt.$": "$$.Execution.StartTime" };
  const task = (step: (typeof RESTORE_STEPS)[number], payload: Record<string, unknown>, next: string, onError: string, comment: string): AslState => ({
    Type: "Task",
    Comment: comment,
    Resource: invoke,
    Parameters: { FunctionName: functionArn, Payload: { step, ...payload } },
    ResultSelector: { "state.$": "$.Payload" },
    Retry: TASK_RETRY,
    Catch: catchAll(onError),
    Next: next,
  });
  const report = (fields: Record<string, unknown>, comment: string): AslState => ({
    Type: "Pass",
    Comment: comment,
    Parameters: { step: "report", ...run, ...fields },
    Next: STATE.report,
  });

  return {
    Comment: "backup-dr restore: start, poll until available or failed, validate, report (handlers/restore/contract.ts)",
    StartAt: STATE.start,
    TimeoutSeconds: timeoutSeconds,
    States: {
      [STATE.start]: task("start", { ...run, "request.$": "$" }, STATE.wait, STATE.startFailed, "Chooses the point, checks every option, sends the first create calls."),
      [STATE.wait]: { Type: "Wait", Comment: "The kind's poll interval, from the state.", SecondsPath: "$.state.waitSeconds", Next: STATE.poll },
      [STATE.poll]: task("poll", { "state.$": "$.state" }, STATE.progress, STATE.stepFailed, "Reads progress; starts the next phase; failed after the kind's deadline."),
      [STATE.progress]: {
        Type: "Choice",
        Choices: [
          { Variable: "$.state.status", StringEquals: "available", Next: STATE.validate },
          { Variable: "$.state.status", StringEquals: "failed", Next: STATE.finished },
        ],
        Default: STATE.wait,
      },
      [STATE.validate]: task("validate", { "state.$": "$.state" }, STATE.finished, STATE.stepFailed, "Checks the restored resources."),
      [STATE.finished]: report({ "state.$": "$.state" }, "The report event of a restore that ran to its end (available or failed)."),
      [STATE.startFailed]: report({ "request.$": "$$.Execution.Input", "error.$": ERROR_PATH }, "The report event after Start failed: the request and the error."),
      [STATE.stepFailed]: report({ "state.$": "$.state", "error.$": ERROR_PATH }, "The report event after Poll or Validate failed: the last state and the error."),
      [STATE.report]: {
        Type: "Task",
        Comment: "Finds what the restore created, writes the manifest; deletes nothing.",
        Resource: invoke,
        Parameters: { FunctionName: functionArn, "Payload.$": "$" },
        OutputPath: "$.Payload",
        Retry: TASK_RETRY,
        Catch: catchAll(STATE.reportFailed),
        Next: STATE.reported,
      },
      [STATE.reported]: {
        Type: "Choice",
        Choices: [{ Variable: "$.status", StringEquals: "succeeded", Next: STATE.succeeded }],
        Default: STATE.restoreFailed,
      },
      [STATE.succeeded]: { Type: "Succeed", Comment: "The output is the report (RestoreReport)." },
      [STATE.restoreFailed]: { Type: "Fail", Error: "RestoreFailed", Cause: "The restore failed; the Report step's output and the manifest under runs/restore/ name the failure and what was created." },
      [STATE.reportFailed]: { Type: "Fail", Error: "RestoreReportFailed", Cause: "The report step failed; find what the restore created by its backup-dr:restore-id tag (the execution name)." },
    },
  };
}
