// The run state machine's definition (Amazon States Language), built from code: a pure function of the function's ARN.
// It drives one run of the backup or the cleanup function across as many invocations as the run needs, following the
// continuation contract of handlers/lib/cursor.ts: the first turn sends the execution's input (the schedule's
// `{plan, scheduledTime}` or `{scheduledTime}`, or a person's) wrapped with the execution's start time
// (handlers/lib/run-envelope.ts: a manual run's time, the same on every retry), each later turn `{cursor}` of the
// previous answer.
//
//   Pin ({input, executionStartTime}) -> Invoke -> Answered: done true  -> Finished (Succeed: the output is the last answer, the run's result)
//                       done false -> TurnsLeft: cursor.invocation >= RUN_MAX_TURNS -> TooManyTurns (Fail)
//                                                else -> NextTurn ({cursor}) -> Invoke
//                       no done, or not true/false -> NotAnAnswer (Fail)
//   Invoke's failure after its retries (every error is retried with the same event but the handlers' final ones:
//   RunFailedError means the run finished with failures, already notified and in its manifest; a refused event or
//   setting stays refused) -> RunFailed (Fail)
//
// A retry re-sends the same event (Parameters are evaluated once per entry into the state): the contract makes a
// repeated cursor safe (backup skips what this run already backed up, cleanup decides again from what is left).
import { EXECUTION_EVENTS, HISTORY_EVENTS, MAX_HISTORY_EVENTS, TASK_RETRY, catchAll, lambdaInvokeResource, type AslDefinition, type AslRetrier, type AslState } from "./asl";
import { MAX_INVOCATIONS } from "../handlers/lib/cursor-input";
import { RUN_ENVELOPE } from "../handlers/lib/run-envelope";

/** The functions whose runs the machine drives (their manifests go under runs/<purpose>/). */
export type RunPurpose = "backup" | "cleanup";

/** The backup and cleanup functions' timeout: Lambda's most (15 minutes); a run longer than that takes more turns. */
export const RUN_FUNCTION_TIMEOUT_SECONDS = 900;

/** The state names. */
export const RUN_STATE = {
  pin: "Pin",
  invoke: "Invoke",
  answered: "Answered",
  turnsLeft: "TurnsLeft",
  nextTurn: "NextTurn",
  finished: "Finished",
  runFailed: "RunFailed",
  notAnAnswer: "NotAnAnswer",
  tooManyTurns: "TooManyTurns",
} as const;

/**
 * What Step Functions names an invocation that was killed or never answered: `Sandbox.Timedout` (the function ran past
 * its timeout; the optimized integration's error), `Lambda.Unknown` (the Step Functions guide: unhandled errors of the
 * Lambda runtime, out-of-memory and timeouts), `States.Timeout` (the Task's own TimeoutSeconds passed without an answer).
 * The Lambda service's own errors (LAMBDA_SERVICE_ERRORS, Lambda.ClientExecutionTimeoutException among them) and
 * throttling are TASK_RETRY's.
 */
export const KILLED_TURN_ERRORS = ["Sandbox.Timedout", "Lambda.Unknown", "States.Timeout"];

/** A killed turn is sent again with the same cursor, three times (after 30 s, 60 s, 120 s): one hang must not end the run. */
export const KILLED_TURN_RETRY: AslRetrier = { ErrorEquals: KILLED_TURN_ERRORS, IntervalSeconds: 30, MaxAttempts: 3, BackoffRate: 2 };

/**
 * The handlers' final errors (handlers/lib/errors.ts): the run finished with failures (RunFailedError: notified, in
 * its manifest) or the function refused the event or its settings before any AWS call. A retry cannot change them.
 */
export const RUN_FINAL_ERRORS = ["RunFailedError", "MalformedEventError", "UnknownPlanError", "MissingSettingError", "InvalidSettingError", "InvalidScheduleError"];

/** The handlers' final errors are never retried (MaxAttempts 0: straight to the Catch). */
export const FINAL_ERROR_RETRY: AslRetrier = { ErrorEquals: RUN_FINAL_ERRORS, IntervalSeconds: 1, MaxAttempts: 0, BackoffRate: 1 };

/**
 * Any other failure of a turn is sent again with the same cursor, three times (after 30 s, 60 s, 120 s): the function
 * killed for memory (`Runtime.OutOfMemory`), crashed (`Runtime.ExitError`), or an AWS error escaping it (an S3 error
 * writing its part, by the SDK's name: `InternalError`, `SlowDown`, `TimeoutError`, ...). The contract makes a
 * repeated cursor safe; a run left half done would have no manifest and no summary.
 */
export const FAILED_TURN_RETRY: AslRetrier = { ErrorEquals: ["States.ALL"], IntervalSeconds: 30, MaxAttempts: 3, BackoffRate: 2 };

/**
 * Every turn's retries, in order (the first retrier naming the error applies): never the handlers' final errors, then
 * the Lambda service's errors and throttling (TASK_RETRY), a killed turn, and any other failure (States.ALL, last).
 */
export const RUN_TURN_RETRY: AslRetrier[] = [FINAL_ERROR_RETRY, ...TASK_RETRY, KILLED_TURN_RETRY, FAILED_TURN_RETRY];

/** The Task gives up waiting for an answer this long after the function's own timeout (States.Timeout, retried). */
export const TURN_TIMEOUT_MARGIN_SECONDS = 60;

/** The machine gives up (States.Timeout) this long after the run's deadline, the last turn and its retries. */
export const RUN_MACHINE_MARGIN_MINUTES = 30;

/**
 * The machine's TimeoutSeconds: the run's deadline (an invocation starts nothing new past it and finishes the run), then
 * one more turn with every retry of a killed or failed turn, and the margin. The deadline counts from the slot, which is at or
 * before the execution's start.
 */
export function runMachineTimeoutSeconds(deadlineMinutes: number, functionTimeoutSeconds: number): number {
  if (!Number.isInteger(deadlineMinutes) || deadlineMinutes < 1) throw new Error(`deadlineMinutes must be a positive whole number, got ${deadlineMinutes}`);
  if (!Number.isInteger(functionTimeoutSeconds) || functionTimeoutSeconds < 1) throw new Error(`functionTimeoutSeconds must be a positive whole number, got ${functionTimeoutSeconds}`);
  // A turn's attempts that may each last the function's whole time: killed ones, and those failing otherwise late.
  const lastTurn = (1 + KILLED_TURN_RETRY.MaxAttempts + FAILED_TURN_RETRY.MaxAttempts) * (functionTimeoutSeconds + TURN_TIMEOUT_MARGIN_SECONDS);
  return deadlineMinutes * 60 + lastTurn + RUN_MACHINE_MARGIN_MINUTES * 60;
}

/** The share of MAX_HISTORY_EVENTS the turns may use: the rest is left for failed attempts (3 events each). */
export const RUN_HISTORY_SHARE = 0.9;

const events = (...types: Array<AslState["Type"]>) => types.reduce((n, t) => n + HISTORY_EVENTS[t], 0);

/**
 * The history events of a run of `turns` invocations, retries not counted: the Pin, then every turn but the last goes
 * round the loop.
 */
export function runHistoryEvents(turns: number): number {
  if (!Number.isInteger(turns) || turns < 1) throw new Error(`turns must be a positive whole number, got ${turns}`);
  const loop = events("Task", "Choice", "Choice", "Pass");
  return EXECUTION_EVENTS + events("Pass") + (turns - 1) * loop + events("Task", "Choice", "Succeed");
}

/**
 * The most invocations one execution makes before it fails (TooManyTurns) instead of going round again: as many as
 * fit in RUN_HISTORY_SHARE of Step Functions' 25,000 history events (past them it fails the execution anyway, without
 * saying why). The handler's deadline bounds a real run far below it: an invocation works until its own time nears
 * its end (up to 15 minutes), so a 1,440-minute deadline takes about a hundred turns. Only a function answering
 * `done: false` without working meets this guard. Never more than a cursor may count (MAX_INVOCATIONS, the handlers'
 * cursor check), so the machine stops with a reason before the function would refuse the cursor.
 */
export const RUN_MAX_TURNS = Math.min(MAX_INVOCATIONS, Math.floor((MAX_HISTORY_EVENTS * RUN_HISTORY_SHARE - runHistoryEvents(1)) / events("Task", "Choice", "Choice", "Pass")) + 1);

export interface RunMachineOptions {
  purpose: RunPurpose;
  /** The machine's TimeoutSeconds (runMachineTimeoutSeconds). */
  timeoutSeconds: number;
  /** The function's own timeout: each turn's Task waits this plus TURN_TIMEOUT_MARGIN_SECONDS for an answer. */
  functionTimeoutSeconds: number;
}

/**
 * The run state machine of the backup or the cleanup function, invoking `functionArn` through the optimized Lambda
 * integration (the function's answer taken from `Payload`).
 */
export function runMachineDefinition(functionArn: string, options: RunMachineOptions): AslDefinition {
  const { purpose, timeoutSeconds, functionTimeoutSeconds } = options;
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1) throw new Error(`timeoutSeconds must be a positive whole number, got ${timeoutSeconds}`);
  const S = RUN_STATE;
  const manifests = `runs/${purpose}/ of the primary vault`;
  return {
    Comment: `backup-dr ${purpose} run: invoke the ${purpose} function until it answers done, each turn with the cursor of the previous answer (handlers/lib/cursor.ts)`,
    StartAt: S.pin,
    TimeoutSeconds: timeoutSeconds,
    States: {
      [S.pin]: {
        Type: "Pass",
        Comment: "The first turn's event: the execution's input and its start, a manual run's time (handlers/lib/run-envelope.ts), the same on every retry.",
        Parameters: { [`${RUN_ENVELOPE.input}.$`]: "$", [`${RUN_ENVELOPE.startTime}.$`]: "$$.Execution.StartTime" },
        Next: S.invoke,
      },
      [S.invoke]: {
        Type: "Task",
        Comment: "One turn of the run: the Pin's envelope first, then {cursor}; the output is the function's answer.",
        Resource: lambdaInvokeResource(functionArn),
        TimeoutSeconds: functionTimeoutSeconds + TURN_TIMEOUT_MARGIN_SECONDS,
        Parameters: { FunctionName: functionArn, "Payload.$": "$" },
        OutputPath: "$.Payload",
        Retry: RUN_TURN_RETRY,
        Catch: catchAll(S.runFailed),
        Next: S.answered,
      },
      [S.answered]: {
        Type: "Choice",
        Comment: "done: true ends the run (its one manifest and notification are written); done: false goes on.",
        Choices: [
          { Variable: "$.done", IsPresent: false, Next: S.notAnAnswer },
          { Variable: "$.done", BooleanEquals: true, Next: S.finished },
          { Variable: "$.done", BooleanEquals: false, Next: S.turnsLeft },
        ],
        Default: S.notAnAnswer,
      },
      [S.turnsLeft]: {
        Type: "Choice",
        Comment: `At most ${RUN_MAX_TURNS} invocations (the history limit); a run's deadline ends it long before.`,
        Choices: [
          { Variable: "$.cursor.invocation", IsPresent: false, Next: S.notAnAnswer },
          { Variable: "$.cursor.invocation", NumericGreaterThanEquals: RUN_MAX_TURNS, Next: S.tooManyTurns },
        ],
        Default: S.nextTurn,
      },
      [S.nextTurn]: { Type: "Pass", Comment: "The next turn's event: the cursor alone (it names the run).", Parameters: { "cursor.$": "$.cursor" }, Next: S.invoke },
      [S.finished]: { Type: "Succeed", Comment: "The output is the run's result (the last answer, done: true)." },
      [S.runFailed]: {
        Type: "Fail",
        Error: `${capitalised(purpose)}RunFailed`,
        Cause: `The ${purpose} function failed: RunFailedError (the run finished with failures, notified, its manifest under ${manifests}), a refused event or setting, or a turn that failed after its retries (the run did not finish: no manifest, no summary; its parts are under ${manifests}); the failed Invoke event of the execution names the error.`,
      },
      [S.notAnAnswer]: {
        Type: "Fail",
        Error: `${capitalised(purpose)}RunNotContinued`,
        Cause: "The function answered without done: true, or done: false with a cursor (handlers/lib/cursor.ts); the Invoke output in the execution shows the answer.",
      },
      [S.tooManyTurns]: {
        Type: "Fail",
        Error: `${capitalised(purpose)}RunTooManyTurns`,
        Cause: `The run went past ${RUN_MAX_TURNS} invocations without finishing (Step Functions keeps at most ${MAX_HISTORY_EVENTS} history events); the parts written so far are beside its manifest under ${manifests}.`,
      },
    },
  };
}

function capitalised(word: string): string {
  return `${word.charAt(0).toUpperCase()}${word.slice(1)}`;
}

