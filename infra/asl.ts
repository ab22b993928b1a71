// The States Language (Amazon States Language, JSONPath) that this program's state machines are built from: the JSON
// of the subset they use, and the retry and catch conventions every Task of theirs follows. The restore machine
// (infra/restore-machine.ts) and the drill machine (infra/drill-machine.ts) are pure functions returning an
// AslDefinition; tests/helpers/state-machine-run.ts interprets exactly this subset.

export interface AslRetrier {
  ErrorEquals: string[];
  IntervalSeconds: number;
  MaxAttempts: number;
  BackoffRate: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: "FULL" | "NONE";
}
export interface AslCatcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string;
}
/** A Choice rule: one comparison of the value at Variable (a rule whose path is missing fails the execution, except IsPresent). */
export type AslChoiceRule = { Variable: string; Next: string } & (
  | { StringEquals: string }
  | { BooleanEquals: boolean }
  | { NumericGreaterThanEquals: number }
  | { IsPresent: boolean }
);

/** Where a state goes next: a named state, or the end of its scope (the machine, or one iteration of a Map). */
export type AslFlow = { Next: string; End?: never } | { End: true; Next?: never };

export type AslTask = {
  Type: "Task";
  Comment?: string;
  Resource: string;
  /** The attempt fails with States.Timeout after this many seconds (retried like any error a Retry names). */
  TimeoutSeconds?: number;
  Parameters: Record<string, unknown>;
  ResultSelector?: Record<string, string>;
  ResultPath?: string;
  OutputPath?: string;
  Retry: AslRetrier[];
  Catch: AslCatcher[];
} & AslFlow;

export type AslPass = { Type: "Pass"; Comment?: string; Parameters: Record<string, unknown>; ResultPath?: string } & AslFlow;

/** An inline Map: runs `ItemProcessor` once per element of the array at ItemsPath, at most MaxConcurrency at once. */
export type AslMap = {
  Type: "Map";
  Comment?: string;
  ItemsPath: string;
  /** Each iteration's input; `$$.Map.Item.Value` / `$$.Map.Item.Index` name the element and its index. */
  ItemSelector?: Record<string, unknown>;
  ItemProcessor: AslScope & { ProcessorConfig: { Mode: "INLINE" } };
  /** At most this many iterations at once (0 would mean unbounded: never used here). */
  MaxConcurrency: number;
  /** Where the array of the iterations' outputs goes in the Map's input. */
  ResultPath?: string;
  Catch: AslCatcher[];
} & AslFlow;

export type AslState =
  | AslTask
  | AslPass
  | AslMap
  | ({ Type: "Wait"; Comment?: string; SecondsPath: string } & AslFlow)
  | { Type: "Choice"; Comment?: string; Choices: AslChoiceRule[]; Default: string }
  | { Type: "Succeed"; Comment?: string }
  | { Type: "Fail"; Comment?: string; Error: string; Cause: string };

/** A set of states and where they start: the machine, or a Map's ItemProcessor. */
export interface AslScope {
  StartAt: string;
  States: Record<string, AslState>;
}

export interface AslDefinition extends AslScope {
  Comment: string;
  TimeoutSeconds: number;
}

/** Errors of the Lambda service itself (the Step Functions guide's retry advice for lambda:invoke). */
export const LAMBDA_SERVICE_ERRORS = [
  "Lambda.ClientExecutionTimeoutException",
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
];
/** AWS throttling errors a step may throw (a function rethrows what AWS threw; its name is the error). */
export const THROTTLING_ERRORS = ["ThrottlingException", "Throttling", "RequestLimitExceeded", "TooManyRequestsException"];

/** Retries of every Task: the Lambda service's own errors quickly, throttling with a longer, jittered backoff. */
export const TASK_RETRY: AslRetrier[] = [
  { ErrorEquals: LAMBDA_SERVICE_ERRORS, IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: "FULL" },
  { ErrorEquals: THROTTLING_ERRORS, IntervalSeconds: 5, MaxAttempts: 8, BackoffRate: 2, MaxDelaySeconds: 120, JitterStrategy: "FULL" },
];

/** Where a caught error travels: next to the state (or the request), as `{ Error, Cause }`. */
export const ERROR_PATH = "$.error";

/**
 * Catches every error a Task (or Map) can catch into `next`, the error at ERROR_PATH. States.ALL does not take
 * States.Runtime (a path that is not there) nor States.DataLimitExceeded: those fail the execution whatever the Catch.
 */
export function catchAll(next: string): AslCatcher[] {
  return [{ ErrorEquals: ["States.ALL"], ResultPath: ERROR_PATH, Next: next }];
}

/** The optimized Lambda integration's resource in the function's partition (`arn:<partition>:states:::lambda:invoke`). */
export function lambdaInvokeResource(functionArn: string): string {
  const match = /^arn:([a-z-]+):/.exec(functionArn);
  if (match === null) throw new Error(`expected an ARN, got ${JSON.stringify(functionArn)}`);
  return `arn:${match[1]}:states:::lambda:invoke`;
}

/**
 * Step Functions fails a Standard execution whose history passes this many events; an inline Map's iterations write
 * into their execution's history.
 */
export const MAX_HISTORY_EVENTS = 25_000;

/**
 * The history events a state writes each time it runs (Standard workflow, JSONPath, the optimized Lambda integration):
 * a Task entered, scheduled, started, succeeded, exited; a Map entered, started, succeeded, exited (and 2 per iteration,
 * MAP_ITERATION_EVENTS); Fail only its entry. A failed Task attempt adds TASK_FAILED_ATTEMPT_EVENTS.
 */
export const HISTORY_EVENTS: Record<AslState["Type"], number> = { Task: 5, Pass: 2, Wait: 2, Choice: 2, Map: 4, Succeed: 2, Fail: 1 };
export const MAP_ITERATION_EVENTS = 2;
/** TaskFailed, and the retry's TaskScheduled and TaskStarted. */
export const TASK_FAILED_ATTEMPT_EVENTS = 3;
/** ExecutionStarted and the execution's end. */
export const EXECUTION_EVENTS = 2;
