// The DR drill's state machine definition (Amazon States Language), built from code: a pure function of the drill
// function's ARN. Every Task invokes that function with a step event of handlers/drill/contract.ts, so each step can
// also be invoked on its own. Between the top-level states the data is `{ "state": DrillState }` (plus `error` after a
// caught failure of Cleanup or Pick), inside the Map `{ "sample", "state"? }` (a DrillRestore) plus `error`.
//
//   Pick -> Restores (Map over state.drill.samples, at most maxConcurrency at once; one iteration per sample:
//             Start -> RestoreWait -> Poll -> Progress: available -> Validate -> Restored -> Measure (its result)
//                          ^                  |         failed    -> Restored
//                          +------------------+         else      -> RestoreWait
//             Start's failure -> StartFailed, Poll's and Validate's -> StepFailed; both -> Measure;
//             Measure's own failure -> MeasureFailed: a failed result built from the sample alone)
//        -> Keep (wait keepSeconds) -> Cleanup -> Cleaned: pending -> CleanupWait -> Cleanup
//                                                          else    -> Drilled -> Report
//   the Map's failure -> Keep with state.error (deletion always runs: cleanup deletes per sample, not per result);
//   Cleanup's failure (any error, after CLEANUP_RETRY's tries) -> CleanupFailed -> Report; Pick's failure -> PickFailed -> Report (pick creates nothing);
//   Report -> Reported: passed -> Passed, else -> DrillFailed; the Report's own failure -> ReportFailed.
//
// JSONPath cannot leave out a field whose path is missing, so each way into Measure and into Report has its own Pass
// building the event with exactly the fields known there. A path that is missing at run time is States.Runtime, which
// no Catch takes and which would end the execution before cleanup: every path below is one the contract guarantees.
// Two more ways to end before cleanup are sized here: the machine's TimeoutSeconds (drillMachineTimeoutSeconds: every
// wave of restores, the keep, the slowest deletion) and Step Functions' history limit (drillMaxSamples).
import { DRILL_STEPS } from "../handlers/drill/contract";
import {
  ERROR_PATH,
  EXECUTION_EVENTS,
  HISTORY_EVENTS,
  MAP_ITERATION_EVENTS,
  MAX_HISTORY_EVENTS,
  TASK_RETRY,
  catchAll,
  type AslRetrier,
  lambdaInvokeResource,
  type AslDefinition,
  type AslFlow,
  type AslState,
} from "./asl";

/** The machine gives up (States.Timeout) this long after restores, keep and cleanup: pick, retries, measure, report. */
export const DRILL_MACHINE_MARGIN_MINUTES = 30;
/**
 * Cleanup's retry of any error after TASK_RETRY's (a timed-out or crashed call, a malformed answer): cleanup is
 * idempotent, and one failed call must not end deletion for good (30 s, 60 s, ... 8 min: about 15 minutes).
 */
export const CLEANUP_RETRY: AslRetrier = { ErrorEquals: ["States.ALL"], IntervalSeconds: 30, MaxAttempts: 5, BackoffRate: 2 };
/** An inline Map runs at most 40 iterations at once (Step Functions' limit). */
export const MAX_INLINE_MAP_CONCURRENCY = 40;

/** The state names. Names are unique across the whole definition, the Map's iteration included. */
export const DRILL_STATE = {
  pick: "Pick",
  restores: "Restores",
  start: "Start",
  restoreWait: "RestoreWait",
  poll: "Poll",
  progress: "Progress",
  validate: "Validate",
  restored: "Restored",
  startFailed: "StartFailed",
  stepFailed: "StepFailed",
  measure: "Measure",
  measureFailed: "MeasureFailed",
  keep: "Keep",
  cleanup: "Cleanup",
  cleaned: "Cleaned",
  cleanupWait: "CleanupWait",
  drilled: "Drilled",
  cleanupFailed: "CleanupFailed",
  pickFailed: "PickFailed",
  report: "Report",
  reported: "Reported",
  passed: "Passed",
  drillFailed: "DrillFailed",
  reportFailed: "ReportFailed",
} as const;

/** What the drill machine's TimeoutSeconds is made of (minutes, as the kinds and config give them). */
export interface DrillMachineTimes {
  /** Each restore kind's RestoreKind.timeoutMinutes (its restore is reported failed after it). */
  restoreTimeoutMinutes: readonly number[];
  /** How long restored resources are kept before cleanup (config backup-dr:drill keepMinutes). */
  keepMinutes: number;
  /** Each kind's DrillKind.deleteTimeoutMinutes (cleanup reports "incomplete" after it). */
  deleteTimeoutMinutes: readonly number[];
  /**
   * The most restores one drill can start, and how many run at once: restores then run in
   * ceil(maxSamples / maxConcurrency) waves, each as long as the longest restore. Both or neither (one wave).
   */
  maxSamples?: number;
  maxConcurrency?: number;
}

function wholeMinutes(name: string, values: readonly number[]): number {
  if (values.length === 0) throw new Error(`expected ${name} of at least one kind`);
  for (const v of values) if (!Number.isInteger(v) || v < 0) throw new Error(`${name} must be whole minutes, got ${v}`);
  return Math.max(...values);
}

/**
 * The drill machine's TimeoutSeconds: every wave of restores to its kind's deadline, the keep, cleanup's longest deadline
 * (the slowest kind's deletion plus, for a restore that did not validate, the longest restore time: handlers/drill/cleanup.ts)
 * and the margin. The machine must not time out before cleanup has run: a timed-out execution deletes nothing.
 */
export function drillMachineTimeoutSeconds(times: DrillMachineTimes): number {
  const restore = wholeMinutes("restoreTimeoutMinutes", times.restoreTimeoutMinutes);
  const deletion = wholeMinutes("deleteTimeoutMinutes", times.deleteTimeoutMinutes);
  if (!Number.isInteger(times.keepMinutes) || times.keepMinutes < 0) throw new Error(`keepMinutes must be whole minutes, got ${times.keepMinutes}`);
  const { maxSamples, maxConcurrency } = times;
  if ((maxSamples === undefined) !== (maxConcurrency === undefined)) throw new Error("give both maxSamples and maxConcurrency, or neither");
  let waves = 1;
  if (maxSamples !== undefined && maxConcurrency !== undefined) {
    if (!Number.isInteger(maxSamples) || maxSamples < 0) throw new Error(`maxSamples must be a whole number, got ${maxSamples}`);
    checkConcurrency(maxConcurrency);
    waves = Math.max(1, Math.ceil(maxSamples / maxConcurrency));
  }
  // Cleanup's deadline gives a sample that did not validate one more restore time (its creation may still be running).
  return (waves * restore + times.keepMinutes + restore + deletion + DRILL_MACHINE_MARGIN_MINUTES) * 60;
}

/** How the kinds pace a drill: each restore kind's poll interval and deadline, each drill facet's for deletion. */
export interface DrillPace {
  restore: ReadonlyArray<{ pollSeconds: number; timeoutMinutes: number }>;
  deletion: ReadonlyArray<{ deletePollSeconds: number; deleteTimeoutMinutes: number }>;
}

/** The share of MAX_HISTORY_EVENTS a drill plans for: the rest is left for retried attempts. */
export const DRILL_HISTORY_SHARE = 0.9;

const events = (...types: Array<AslState["Type"]>) => types.reduce((n, t) => n + HISTORY_EVENTS[t], 0);

/**
 * The most history events a drill of `samples` restores can write: every restore polled to its kind's deadline (a Wait,
 * a Poll and a Choice per poll), cleanup called until its longest deadline; retries not counted (DRILL_HISTORY_SHARE leaves room).
 */
export function drillHistoryEvents(pace: DrillPace, samples: number): number {
  if (pace.restore.length === 0 || pace.deletion.length === 0) throw new Error("expected the pace of at least one restore kind and one drill facet");
  const polls = Math.max(...pace.restore.map((k) => Math.ceil((k.timeoutMinutes * 60) / k.pollSeconds) + 1));
  // Cleanup's longest deadline: the slowest deletion plus, for a restore that did not validate, the longest restore time.
  const cleanupMinutes = Math.max(...pace.deletion.map((k) => k.deleteTimeoutMinutes)) + Math.max(...pace.restore.map((k) => k.timeoutMinutes));
  const cleanupCalls = Math.ceil((cleanupMinutes * 60) / Math.min(...pace.deletion.map((k) => k.deletePollSeconds))) + 1;
  // Per sample: the iteration, Start, the polls, Validate, the Pass building the measure event, Measure.
  const perSample = MAP_ITERATION_EVENTS + events("Task", "Task", "Pass", "Task") + polls * events("Wait", "Task", "Choice");
  // Once: Pick, the Map, Keep, the cleanup calls (each a Task, a Choice and a Wait), the report's Pass, Report, its Choice, the end.
  const once = EXECUTION_EVENTS + events("Task", "Map", "Wait", "Pass", "Task", "Choice", "Succeed") + cleanupCalls * events("Task", "Choice", "Wait");
  return once + samples * perSample;
}

/**
 * The most restores one drill may sample so that its history stays within DRILL_HISTORY_SHARE of MAX_HISTORY_EVENTS
 * even when every restore runs to its deadline: past the limit Step Functions fails the execution, before cleanup.
 */
export function drillMaxSamples(pace: DrillPace): number {
  const budget = Math.floor(MAX_HISTORY_EVENTS * DRILL_HISTORY_SHARE);
  const once = drillHistoryEvents(pace, 0);
  return Math.max(0, Math.floor((budget - once) / (drillHistoryEvents(pace, 1) - once)));
}

function checkConcurrency(maxConcurrency: number): void {
  if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1 || maxConcurrency > MAX_INLINE_MAP_CONCURRENCY) {
    throw new Error(`maxConcurrency must be a whole number from 1 to ${MAX_INLINE_MAP_CONCURRENCY}, got ${maxConcurrency}`);
  }
}

type DrillStep = (typeof DRILL_STEPS)[number];

/**
 * The drill state machine of the drill region, invoking `functionArn` through the optimized Lambda integration (the
 * function's return value taken from `Payload`). At most `maxConcurrency` restores run at once.
 */
export function drillMachineDefinition(functionArn: string, timeoutSeconds: number, maxConcurrency: number): AslDefinition {
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1) throw new Error(`timeoutSeconds must be a positive whole number, got ${timeoutSeconds}`);
  checkConcurrency(maxConcurrency);
  const S = DRILL_STATE;
  const invoke = lambdaInvokeResource(functionArn);
  const run = { "drillId.$": "$$.Execution.Name", "startedAt.$": "$$.Execution.StartTime" };
  /** A Task sending `payload` (a template; "$" for the event a Pass built) and keeping what the function returns. */
  const task = (payload: { step: DrillStep; [field: string]: unknown } | "$", output: { OutputPath: string } | { ResultSelector: Record<string, string> }, flow: AslFlow, onError: string, comment: string, retry: AslRetrier[] = TASK_RETRY): AslState => ({
    Type: "Task",
    Comment: comment,
    Resource: invoke,
    Parameters: payload === "$" ? { FunctionName: functionArn, "Payload.$": "$" } : { FunctionName: functionArn, Payload: payload },
    ...output,
    Retry: retry,
    Catch: catchAll(onError),
    ...flow,
  });
  const pass = (step: DrillStep, fields: Record<string, unknown>, next: string, comment: string): AslState => ({ Type: "Pass", Comment: comment, Parameters: { step, ...fields }, Next: next });
  const fromPayload = { OutputPath: "$.Payload" };
  const asState = { ResultSelector: { "state.$": "$.Payload" } };

  const iteration: Record<string, AslState> = {
    [S.start]: task({ step: "start", "sample.$": "$.sample", "startedAt.$": "$$.State.EnteredTime" }, fromPayload, { Next: S.restoreWait }, S.startFailed, "Starts the sample's restore (tagged with the drill id); its RTO starts when this state was entered."),
    [S.restoreWait]: { Type: "Wait", Comment: "The kind's poll interval, from the restore's state.", SecondsPath: "$.state.waitSeconds", Next: S.poll },
    [S.poll]: task({ step: "poll", "sample.$": "$.sample", "state.$": "$.state" }, fromPayload, { Next: S.progress }, S.stepFailed, "Reads the restore's progress; failed after the kind's deadline."),
    [S.progress]: {
      Type: "Choice",
      Choices: [
        { Variable: "$.state.status", StringEquals: "available", Next: S.validate },
        { Variable: "$.state.status", StringEquals: "failed", Next: S.restored },
      ],
      Default: S.restoreWait,
    },
    [S.validate]: task({ step: "validate", "sample.$": "$.sample", "state.$": "$.state" }, fromPayload, { Next: S.restored }, S.stepFailed, "Checks the restored resources; sets state.validatedAt."),
    [S.restored]: pass("measure", { "sample.$": "$.sample", "state.$": "$.state" }, S.measure, "The measure event of a restore that ran to its end (validated or failed)."),
    [S.startFailed]: pass("measure", { "sample.$": "$.sample", "error.$": ERROR_PATH }, S.measure, "The measure event after Start failed: the sample and the error, no state."),
    [S.stepFailed]: pass("measure", { "sample.$": "$.sample", "state.$": "$.state", "error.$": ERROR_PATH }, S.measure, "The measure event after Poll or Validate failed: the last state and the error."),
    [S.measure]: task("$", fromPayload, { End: true }, S.measureFailed, "The restore's DrillResult: RTO, RPO and the outcome against the sample's targets."),
    [S.measureFailed]: {
      Type: "Pass",
      Comment: "Measure itself failed: a failed result from the sample alone, so one restore cannot fail the Map.",
      Parameters: {
        "restoreId.$": "$.sample.restoreId",
        "plan.$": "$.sample.plan",
        "kind.$": "$.sample.kind",
        "source.$": "$.sample.source",
        "pointId.$": "$.sample.pointId",
        "taken.$": "$.sample.taken",
        "rpoSeconds.$": "$.sample.rpoSeconds",
        "targets.$": "$.sample.targets",
        outcome: "failed",
        missed: ["rto"],
        // The caught error whole (its Cause may be absent: a path to it would be States.Runtime); the report turns it
        // into the result's failure, cut to MAX_FAILURE_MESSAGE, and adds "rpo" to missed when the RPO missed its target.
        "error.$": ERROR_PATH,
        created: [],
      },
      End: true,
    },
  };

  return {
    Comment: "backup-dr DR drill: pick a sample, restore, validate and measure each, keep, delete what the drill restored, report (handlers/drill/contract.ts)",
    StartAt: S.pick,
    TimeoutSeconds: timeoutSeconds,
    States: {
      [S.pick]: task({ step: "pick", ...run, "request.$": "$" }, asState, { Next: S.restores }, S.pickFailed, "Picks the sample from this stack's completed points in the region; creates nothing."),
      [S.restores]: {
        Type: "Map",
        Comment: "One restore per sample, at most MaxConcurrency at once; every iteration ends with a result.",
        ItemsPath: "$.state.drill.samples",
        ItemSelector: { "sample.$": "$$.Map.Item.Value" },
        MaxConcurrency: maxConcurrency,
        ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: S.start, States: iteration },
        ResultPath: "$.state.results",
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.state.error", Next: S.keep }],
        Next: S.keep,
      },
      [S.keep]: { Type: "Wait", Comment: "Restored resources live this long before cleanup (also after a failure).", SecondsPath: "$.state.drill.keepSeconds", Next: S.cleanup },
      [S.cleanup]: task({ step: "cleanup", "state.$": "$.state" }, asState, { Next: S.cleaned }, S.cleanupFailed, "Deletes what each sample's restore created carrying this drill's id and this stack; never waits; any error retried (idempotent).", [...TASK_RETRY, CLEANUP_RETRY]),
      [S.cleaned]: { Type: "Choice", Choices: [{ Variable: "$.state.cleanup.status", StringEquals: "pending", Next: S.cleanupWait }], Default: S.drilled },
      [S.cleanupWait]: { Type: "Wait", Comment: "Deletions in progress: the kind's delete poll interval, from cleanup.", SecondsPath: "$.state.cleanup.waitSeconds", Next: S.cleanup },
      [S.drilled]: pass("report", { ...run, "state.$": "$.state" }, S.report, "The report event of a drill that ran to its end (cleanup done or incomplete)."),
      [S.cleanupFailed]: pass("report", { ...run, "state.$": "$.state", "error.$": ERROR_PATH }, S.report, "The report event after Cleanup failed: the drill's state and the error."),
      [S.pickFailed]: pass("report", { ...run, "request.$": "$$.Execution.Input", "error.$": ERROR_PATH }, S.report, "The report event after Pick failed: the request (the execution's input: the report scopes its plans by it) and the error (nothing was created)."),
      [S.report]: task("$", fromPayload, { Next: S.reported }, S.reportFailed, "Writes the drill manifest, publishes the metrics, sends the summary; deletes nothing."),
      [S.reported]: { Type: "Choice", Choices: [{ Variable: "$.status", StringEquals: "passed", Next: S.passed }], Default: S.drillFailed },
      [S.passed]: { Type: "Succeed", Comment: "The output is the report (DrillReport)." },
      [S.drillFailed]: { Type: "Fail", Error: "DrillFailed", Cause: "A restore failed or missed a target, or cleanup did not finish or refused something; the Report step's output and the manifest under runs/drill/ say which." },
      [S.reportFailed]: { Type: "Fail", Error: "DrillReportFailed", Cause: "The report step failed; find what the drill restored by its backup-dr:drill-id tag (the execution name)." },
    },
  };
}
