// The DR drill's contract (issue 18): the JSON each step of the drill function takes and returns. The drill state
// machine (infra/drill-machine.ts) passes exactly these between its states, so each step can be invoked on its own
// (a test, or a person with `aws lambda invoke`) and a whole execution can be driven step by step.
//
// A drill restores a sample of this stack's recovery points in one region (the DR region by default), measures each
// restore's RTO and RPO against the plan's targets, deletes what it restored, and reports. The restores are the restore
// flow's own steps (handlers/restore/steps.ts) with the drill's id on the state, so every resource they create also
// carries backup-dr:drill-id, and the drill's cleanup deletes only resources carrying this drill's id and this stack.
//
//   pick     { "step": "pick", "drillId": "<execution name>", "startedAt": "<ISO>", "request": DrillRequest }
//            -> DrillState { drill }. Lists this stack's completed points in the region, picks `samplePerPlan`
//               sources per plan and kind (seeded: the same seed picks the same sample), each at its newest completed
//               point taken at or before the drill's start. Creates nothing.
//   start    { "step": "start", "sample": DrillSample, "startedAt": "<ISO>" } -> DrillRestore. The restore's start
//               step (startRestore) with the sample's request and the drill's id; `startedAt` is when the Map item's
//               Start state was entered (the same on a retry), where the restore's RTO begins.
//   poll     { "step": "poll", "sample", "state": RestoreState } -> DrillRestore (the restore's poll step).
//   validate { "step": "validate", "sample", "state": RestoreState } -> DrillRestore (the restore's validate step,
//               which sets state.validatedAt).
//   measure  { "step": "measure", "sample", "state"?: RestoreState, "error"?: { "Error", "Cause" } } -> DrillResult.
//               RTO = state.validatedAt - state.startedAt; RPO = drill start - point taken; the outcome against the
//               sample's targets. Reads nothing from AWS but what the restore created (for the record).
//   cleanup  { "step": "cleanup", "state": DrillState } -> DrillState with `cleanup`. Deletes, per sample, what its
//               restore created that carries this drill's id and this stack (DB instances and clusters without a final
//               snapshot); never waits: "pending" while deletions are in progress (the machine waits and calls again),
//               "done", or "incomplete" past the cleanup deadline (what remains is listed and alarmed). Reads only
//               state.drill and state.cleanup (results and error pass through unread, for the report).
//   report   { "step": "report", "drillId", "startedAt", "request"?: DrillRequest (after a failed pick: the execution's
//               input, scoping the plans reported), "state"?: DrillState, "error"?: { "Error", "Cause" } }
//            -> DrillReport. Writes the manifest runs/drill/<yyyy>/<mm>/<dd>/<drillId>.json to the region's vault,
//               publishes the metrics (handlers/lib/metrics.ts drillPlan), sends the summary to the region's topic.
//   watch    { "step": "watch" } -> DrillWatch. Run daily by its own schedule: whether the newest drill manifest is
//               older than the drill schedule's last slot plus the machine's timeout; publishes DrillOverdue (0 or 1).
import type { ResourceKind } from "../catalog";
import type { CreatedResource, MachineRestoreMode, RestoreRequest, RestoreState } from "../restore/contract";

/** The vault folder of drill manifests: runs/drill/ (the drill function writes there; its role may write only there). */
export const DRILL_MANIFEST_FOLDER = "drill";

/** A drill's id is its execution name; each restore's id is `<drillId>-r<n>`, also at most 80 characters. */
export const MAX_DRILL_ID = 72;

/** What starts a drill (the execution's input): the scheduler sends `{}`, `npm run drill` may name a plan and a seed. */
export interface DrillRequest {
  /** Only this plan's sources (default: every plan of the stack). */
  plan?: string;
  /** The sampling seed (default: the drill id): the same seed over the same points picks the same sample. */
  seed?: string;
}

/** A plan's targets, in seconds (config backup-dr:drill `plans.<name>` in minutes; RPO default: interval + copy lag). */
export interface DrillTargets {
  rtoSeconds: number;
  rpoSeconds: number;
}

/** The drill function's drill options (config backup-dr:drill, as the function reads it from BACKUP_DR_DRILL). */
export interface DrillOptions {
  /** Sources per plan and kind, picked at random among those with a completed point in the region. */
  samplePerPlan: number;
  /** Seconds restored resources live after validation before cleanup deletes them. */
  keepSeconds: number;
  /** How machines are restored: "instance" proves boot and status checks (needs the region's restore network). */
  machineMode: MachineRestoreMode;
  /** A smaller instance type for drill restores of machines (default: the recorded one). */
  instanceType?: string;
  /** A smaller DB instance class for drill restores of databases and clusters' writers (default: the recorded one). */
  instanceClass?: string;
  /** Per plan of the stack: its targets. A plan not listed here is not drilled. */
  targets: Record<string, DrillTargets>;
  /**
   * Per plan of `targets`: the kinds it backs up (its `resources`); pick samples only these. Absent: every kind of the
   * registry for every plan (an older setting).
   */
  kinds?: Record<string, ResourceKind[]>;
  /**
   * The most restores one drill starts (Step Functions' history limit, infra/drill-machine.ts drillMaxSamples): pick
   * lists the samples past it as unsampled, saying why. Absent: no cap.
   */
  maxSamples?: number;
  /** The drill schedule (an EventBridge Scheduler expression) and its time zone: the watch step's period. */
  schedule: string;
  timezone: string;
  /** Seconds a drill may take (the machine's TimeoutSeconds): the watch step's grace after a slot. */
  machineTimeoutSeconds: number;
}

/** One restore of the drill: a source of a plan and kind at its newest completed point. */
export interface DrillSample {
  drillId: string;
  /** `<drillId>-r<n>`, n from 1 in sample order: the restore's id and tag. */
  restoreId: string;
  plan: string;
  kind: ResourceKind;
  source: string;
  /** The point's id (an explicit point: a rerun restores this one, not a newer one). */
  pointId: string;
  /** When the point's data was taken (ISO). */
  taken: string;
  /**
   * The restore's RPO: `drillStartedAt` minus `taken`, in seconds, as pick computed it (the same arithmetic as measure's,
   * handlers/drill/measure.ts secondsBetween); the machine's fallback result (infra/drill-machine.ts, when measure
   * itself fails) copies it from here, since the States Language has no date arithmetic.
   */
  rpoSeconds: number;
  /** The drill's start (ISO, Drill.startedAt): the measure step's RPO is measured from it. */
  drillStartedAt: string;
  /** The restore request the start step is given (point = pointId, the drill's mode, classes and name). */
  request: RestoreRequest;
  targets: DrillTargets;
}

/** A plan and kind of the stack's plans that the drill could not sample, and why (e.g. no completed point here). */
export interface DrillUnsampled {
  plan: string;
  kind: ResourceKind;
  reason: string;
  /** Sources of the plan and kind with points in the region, none of them restorable by the drill's start (0: none at all). */
  sources?: number;
}

/** The drill: who was picked, and the times everything is measured against. */
export interface Drill {
  drillId: string;
  /** The execution's start (ISO): RPO is measured from it. */
  startedAt: string;
  region: string;
  request: DrillRequest;
  seed: string;
  samples: DrillSample[];
  unsampled: DrillUnsampled[];
  /** The machine waits this long after the restores before cleanup (DrillOptions.keepSeconds). */
  keepSeconds: number;
}

/** One restore in flight, inside the machine's Map. */
export interface DrillRestore {
  sample: DrillSample;
  state: RestoreState;
}

export type DrillOutcome = "passed" | "missed-target" | "failed";

/** One restore's measured result (the Map's output, one per sample). */
export interface DrillResult {
  restoreId: string;
  plan: string;
  kind: ResourceKind;
  source: string;
  pointId: string;
  taken: string;
  /** passed: validated within both targets; missed-target: validated, a target missed; failed: not validated. */
  outcome: DrillOutcome;
  /** Which targets were missed ("rto" also when it never validated). */
  missed: Array<"rto" | "rpo">;
  /** Start of the restore until validated; absent when it never validated. */
  rtoSeconds?: number;
  /** Drill start minus the point's taken time. */
  rpoSeconds: number;
  targets: DrillTargets;
  restoreStartedAt?: string;
  validatedAt?: string;
  /** Why it did not validate; the message cut to MAX_FAILURE_MESSAGE characters. */
  failure?: { name: string; message: string };
  /**
   * The machine's fallback result (MeasureFailed, when measure itself failed) carries the caught error whole instead
   * of `failure`; the report turns it into `failure` (and adds "rpo" to `missed` when rpoSeconds is over its target).
   */
  error?: { Error: string; Cause?: string };
  checks?: Array<{ check: string; ok: boolean; detail?: string }>;
  /** What the restore created, as its state last listed it. */
  created: CreatedResource[];
}

/** A failure message's most characters in a result or report (the Map's output must stay within 256 KiB). */
export const MAX_FAILURE_MESSAGE = 1000;

/** One resource cleanup deleted or found still there. */
export interface DrillCleanupEntry extends CreatedResource {
  restoreId: string;
}

/** Cleanup's progress: the machine calls it again while pending. */
export interface DrillCleanup {
  status: "pending" | "done" | "incomplete";
  /** Seconds the machine waits before the next cleanup call. */
  waitSeconds: number;
  /** After it, cleanup stops retrying and reports "incomplete" with what remains. */
  deadline: string;
  /** Gone (or its deletion finished): never also in `remaining`. */
  deleted: DrillCleanupEntry[];
  /** Still there, being deleted or not deletable yet (e.g. a DB still being created). */
  remaining: DrillCleanupEntry[];
  /** Resources a restore id found that cleanup refused to delete (tags not this drill's and this stack's). */
  refused: Array<DrillCleanupEntry & { reason: string }>;
  failures: Array<{ restoreId: string; name: string; message: string }>;
}

/** What travels between the drill machine's top-level states. */
export interface DrillState {
  drill: Drill;
  /** The Map's output: one per sample, in sample order (absent when the Map itself failed). */
  results?: DrillResult[];
  cleanup?: DrillCleanup;
  /** A caught failure of the Map (as a Catch records it). */
  error?: { Error: string; Cause: string };
}

/** What the report step returns (and the execution's output). */
export interface DrillReport {
  drillId: string;
  status: "passed" | "failed";
  region: string;
  startedAt: string;
  finishedAt: string;
  results: DrillResult[];
  unsampled: DrillUnsampled[];
  cleanup?: DrillCleanup;
  failure?: { name: string; message: string };
  /** s3:// URI of the manifest. */
  manifest: string;
  /** The summary sent to the region's topic (what a person reads). */
  summary: string;
}

/** What the watch step returns. */
export interface DrillWatch {
  overdue: boolean;
  /** The slot a drill should have run at (ISO), when the schedule had one before now less the grace. */
  expectedSince?: string;
  /** The newest drill manifest's key, when there is one. */
  newest?: string;
}

export type DrillStepEvent =
  | { step: "pick"; drillId: string; startedAt: string; request: DrillRequest }
  | { step: "start"; sample: DrillSample; startedAt: string }
  | { step: "poll"; sample: DrillSample; state: RestoreState }
  | { step: "validate"; sample: DrillSample; state: RestoreState }
  | { step: "measure"; sample: DrillSample; state?: RestoreState; error?: { Error: string; Cause: string } }
  | { step: "cleanup"; state: DrillState }
  | { step: "report"; drillId: string; startedAt: string; request?: DrillRequest; state?: DrillState; error?: { Error: string; Cause: string } }
  | { step: "watch" };

export const DRILL_STEPS = ["pick", "start", "poll", "validate", "measure", "cleanup", "report", "watch"] as const;
