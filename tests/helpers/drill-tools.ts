// `npm run drill` against the fake Step Functions: the stack's outputs with a drill machine, and scripted drill
// executions: the history events the drill state machine (infra/drill-machine.ts) writes. Between its top-level states
// the machine carries `{"state": DrillState}`; inside the Map each iteration starts from `{"sample"}` and carries
// `{"sample", "state"}`; Measure's output is the restore's DrillResult and the Report's the bare DrillReport. Events of
// the Map's iterations interleave as they would with two restores at once.
import type { DrillCleanup, DrillReport, DrillResult } from "../../handlers/drill/contract";
import type { RestoreState } from "../../handlers/restore/contract";
import type { StackOutputs } from "../../tools/lib/stack-outputs";
import { ACCOUNT_ID } from "./aws-fake";
import type { ExecutionScript, ScriptedEvent } from "./aws-fake-sfn";
import { sampleState } from "./restore-history";
import { DR, OUTPUTS } from "./restore-tools";

export const DRILL_MACHINE = `arn:aws:states:${DR}:${ACCOUNT_ID}:stateMachine:drill-prod`;
export const DRILL_OUTPUTS: StackOutputs = { ...OUTPUTS, drill: { stateMachineArn: DRILL_MACHINE, region: DR } };
/** The id `npm run drill` gives a drill started at 03:00:00Z with random part 3f9a. */
export const DRILL_ID = "drill-20261202T030000Z-3f9a";
export const DRILL_ARN = `arn:aws:states:${DR}:${ACCOUNT_ID}:execution:drill-prod:${DRILL_ID}`;
export const STARTED_AT = "2026-12-02T03:00:00.000Z";
export const MANIFEST = `s3://vault-dr/runs/drill/2026/12/02/${DRILL_ID}.json`;
export const DRILL_FAIL_CAUSE = "A restore failed or missed a target, or cleanup did not finish; the Report step's output and the manifest under runs/drill/ say which.";

const TARGETS = { rtoSeconds: 4 * 3600, rpoSeconds: 9 * 3600 };

/** A sample as pick returns it (the fields a line reads, and the request the restore is started with). */
function sample(n: number, plan: string, kind: "ec2" | "rds", source: string, pointId: string, taken: string) {
  const restoreId = `${DRILL_ID}-r${n}`;
  return { drillId: DRILL_ID, restoreId, plan, kind, source, pointId, taken, request: { source, kind, point: pointId }, targets: TARGETS };
}

export const SAMPLES = [
  sample(1, "gold", "ec2", "i-0123456789abcdef0", "snap-0aaa", "2026-12-01T21:00:00.000Z"),
  sample(2, "gold", "rds", "orders-db", "bdr-orders-db-20261202t0000z", "2026-12-02T00:00:00.000Z"),
];
const UNSAMPLED = [{ plan: "silver", kind: "ec2", reason: "no completed point in us-west-2 taken by the drill's start" }];

const drill = (request: Record<string, string>) => ({ drillId: DRILL_ID, startedAt: STARTED_AT, region: DR, request, seed: request.seed ?? DRILL_ID, samples: SAMPLES, unsampled: UNSAMPLED, keepSeconds: 600 });

/** A restore of the drill: the restore's state with the sample's restore id and the drill's id. */
function restore(n: number, overrides: Partial<RestoreState>): RestoreState {
  const s = SAMPLES[n - 1];
  const base = sampleState({ restoreId: s.restoreId, drillId: DRILL_ID, startedAt: "2026-12-02T03:00:30.000Z", name: `drill-${s.source}-${n}` });
  const db = s.kind === "rds" ? { kind: "rds" as const, source: s.source, point: { ...base.point, kind: "rds" as const, source: s.source, id: s.pointId, snapshotIds: [s.pointId], taken: s.taken }, mode: undefined, zone: undefined, phase: "db-instance", created: [{ type: "db-instance", id: `drill-${s.source}-2`, state: "creating" }] } : {};
  const state = { ...base, point: { ...base.point, taken: s.taken }, ...db, ...overrides };
  if (state.mode === undefined) delete state.mode;
  if (state.zone === undefined) delete state.zone;
  return state;
}

export function result(n: number, overrides: Partial<DrillResult> = {}): DrillResult {
  const s = SAMPLES[n - 1];
  return {
    restoreId: s.restoreId, plan: s.plan, kind: s.kind, source: s.source, pointId: s.pointId, taken: s.taken,
    outcome: "passed", missed: [], rtoSeconds: 95 * n, rpoSeconds: Date.parse(STARTED_AT) / 1000 - Date.parse(s.taken) / 1000, targets: TARGETS,
    created: [], ...overrides,
  };
}

export function cleanup(status: DrillCleanup["status"], overrides: Partial<DrillCleanup> = {}): DrillCleanup {
  return {
    status, waitSeconds: 30, deadline: "2026-12-02T05:00:00.000Z",
    deleted: status === "pending" ? [] : [{ restoreId: SAMPLES[0].restoreId, type: "volume", id: "vol-01" }, { restoreId: SAMPLES[1].restoreId, type: "db-instance", id: "drill-orders-db-2" }],
    remaining: status === "pending" ? [{ restoreId: SAMPLES[1].restoreId, type: "db-instance", id: "drill-orders-db-2", state: "deleting" }] : [],
    refused: [], failures: [], ...overrides,
  };
}

export function drillReport(overrides: Partial<DrillReport> = {}): DrillReport {
  const report: DrillReport = {
    drillId: DRILL_ID, status: "passed", region: DR, startedAt: STARTED_AT, finishedAt: "2026-12-02T03:20:00.000Z",
    results: [result(1), result(2)], unsampled: UNSAMPLED.map((u) => ({ ...u, kind: "ec2" as const })), cleanup: cleanup("done"), manifest: MANIFEST, summary: "Drill passed", ...overrides,
  };
  return report;
}

const json = (value: unknown) => JSON.stringify(value);
const entered = (type: string, name: string, input: unknown): ScriptedEvent => ({ type, stateEnteredEventDetails: { name, input: json(input) } });
const exited = (type: string, name: string, output: unknown): ScriptedEvent => ({ type, stateExitedEventDetails: { name, output: json(output) } });
const iteration = (type: string, index: number): ScriptedEvent => ({ type, [`${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`]: { name: "Restores", index } });
const lambdaCause = (name: string, message: string) => json({ errorType: name, errorMessage: message, trace: [] });

/** One restore of the Map, from its item to its result: Start, `polls` RestoreWait/Poll rounds, Validate, Measure. */
function restoreSteps(n: number, polls: number, validated: RestoreState, measured: DrillResult): ScriptedEvent[][] {
  const item = { sample: SAMPLES[n - 1] };
  const pending = restore(n, { status: "pending" });
  const steps: ScriptedEvent[][] = [[iteration("MapIterationStarted", n - 1), entered("TaskStateEntered", "Start", item), exited("TaskStateExited", "Start", { ...item, state: pending })]];
  for (let p = 1; p <= polls; p++) {
    const after = p === polls ? restore(n, { status: "available", endpoint: n === 1 ? "vol-01,vol-02" : "drill-orders-db-2.abc.us-west-2.rds.amazonaws.com:5432" }) : pending;
    steps.push([entered("WaitStateEntered", "RestoreWait", { ...item, state: pending }), entered("TaskStateEntered", "Poll", { ...item, state: pending }), exited("TaskStateExited", "Poll", { ...item, state: after })]);
  }
  steps.push([
    entered("TaskStateEntered", "Validate", { ...item, state: restore(n, { status: "available" }) }),
    exited("TaskStateExited", "Validate", { ...item, state: validated }),
    entered("TaskStateEntered", "Measure", { step: "measure", ...item, state: validated }),
    exited("TaskStateExited", "Measure", measured),
    iteration("MapIterationSucceeded", n - 1),
  ]);
  return steps;
}

/** Two restore threads' steps, interleaved one step each, as two iterations running at once write them. */
function interleave(a: ScriptedEvent[][], b: ScriptedEvent[][]): ScriptedEvent[][] {
  const out: ScriptedEvent[][] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...(i < a.length ? [a[i]] : []), ...(i < b.length ? [b[i]] : []));
  return out;
}

const ok = (n: number) => ({ ok: true, checks: [{ check: `r${n} available`, ok: true }] });

/** Pick, two restores at once, Keep, Cleanup pending then done, Report passed, Succeed. */
export function passedDrill(request: Record<string, string> = {}): ExecutionScript {
  const picked = { state: { drill: drill(request) } };
  const withResults = { state: { ...picked.state, results: [result(1), result(2)] } };
  const report = drillReport();
  const steps: ScriptedEvent[][] = [
    [{ type: "ExecutionStarted", executionStartedEventDetails: { input: json(request) } }, entered("TaskStateEntered", "Pick", request)],
    [exited("TaskStateExited", "Pick", picked), entered("MapStateEntered", "Restores", picked), { type: "MapStateStarted", mapStateStartedEventDetails: { length: 2 } }],
    ...interleave(
      restoreSteps(1, 1, restore(1, { status: "available", validation: ok(1), validatedAt: "2026-12-02T03:02:05.000Z" }), result(1)),
      restoreSteps(2, 2, restore(2, { status: "available", validation: ok(2), validatedAt: "2026-12-02T03:03:40.000Z" }), result(2)),
    ),
    [{ type: "MapStateSucceeded" }, exited("MapStateExited", "Restores", withResults), entered("WaitStateEntered", "Keep", withResults)],
    [entered("TaskStateEntered", "Cleanup", withResults), exited("TaskStateExited", "Cleanup", { state: { ...withResults.state, cleanup: cleanup("pending") } })],
    [entered("WaitStateEntered", "CleanupWait", { state: { ...withResults.state, cleanup: cleanup("pending") } }), entered("TaskStateEntered", "Cleanup", { state: { ...withResults.state, cleanup: cleanup("pending") } })],
    [exited("TaskStateExited", "Cleanup", { state: { ...withResults.state, cleanup: cleanup("done") } }), entered("PassStateEntered", "Drilled", {}), entered("TaskStateEntered", "Report", {}), exited("TaskStateExited", "Report", report)],
    [entered("SucceedStateEntered", "Passed", report), { type: "ExecutionSucceeded", executionSucceededEventDetails: { output: json(report) } }],
  ];
  return { steps, end: { status: "SUCCEEDED", output: json(report) }, stepSeconds: 15 };
}

export const POLL_ERROR = { name: "RestoreFailedError", message: "DB instance drill-orders-db-2 is incompatible-restore" };

/**
 * r1 validates after its target (missed RTO); r2's Poll fails (caught: StepFailed -> Measure: failed); cleanup ends
 * incomplete with r2's DB instance remaining; Report failed, DrillFailed.
 */
export function failedDrill(): ExecutionScript {
  const picked = { state: { drill: drill({}) } };
  const slow = result(1, { outcome: "missed-target", missed: ["rto"], rtoSeconds: 5 * 3600 });
  const failed = result(2, { outcome: "failed", missed: ["rto"], rtoSeconds: undefined, failure: POLL_ERROR });
  delete failed.rtoSeconds;
  const remaining = [{ restoreId: SAMPLES[1].restoreId, type: "db-instance", id: "drill-orders-db-2", state: "deleting" }];
  const incomplete = cleanup("incomplete", { deleted: [{ restoreId: SAMPLES[0].restoreId, type: "volume", id: "vol-01" }], remaining });
  const withResults = { state: { ...picked.state, results: [slow, failed] } };
  const report = drillReport({ status: "failed", results: [slow, failed], cleanup: incomplete, finishedAt: "2026-12-02T08:10:00.000Z" });
  const item2 = { sample: SAMPLES[1] };
  const pending2 = restore(2, { status: "pending" });
  const r2: ScriptedEvent[][] = [
    [iteration("MapIterationStarted", 1), entered("TaskStateEntered", "Start", item2), exited("TaskStateExited", "Start", { ...item2, state: pending2 })],
    [entered("WaitStateEntered", "RestoreWait", { ...item2, state: pending2 }), entered("TaskStateEntered", "Poll", { ...item2, state: pending2 }), { type: "TaskScheduled" }, { type: "TaskFailed", taskFailedEventDetails: { error: POLL_ERROR.name, cause: lambdaCause(POLL_ERROR.name, POLL_ERROR.message) } }],
    [entered("PassStateEntered", "StepFailed", { ...item2, state: pending2 }), entered("TaskStateEntered", "Measure", { step: "measure", ...item2, state: pending2, error: {} }), exited("TaskStateExited", "Measure", failed), iteration("MapIterationSucceeded", 1)],
  ];
  const steps: ScriptedEvent[][] = [
    [{ type: "ExecutionStarted", executionStartedEventDetails: { input: "{}" } }, entered("TaskStateEntered", "Pick", {})],
    [exited("TaskStateExited", "Pick", picked), entered("MapStateEntered", "Restores", picked), { type: "MapStateStarted", mapStateStartedEventDetails: { length: 2 } }],
    ...interleave(restoreSteps(1, 1, restore(1, { status: "available", validation: ok(1), validatedAt: "2026-12-02T08:00:30.000Z" }), slow), r2),
    [{ type: "MapStateSucceeded" }, entered("WaitStateEntered", "Keep", withResults), entered("TaskStateEntered", "Cleanup", withResults), exited("TaskStateExited", "Cleanup", { state: { ...withResults.state, cleanup: incomplete } })],
    [entered("TaskStateEntered", "Report", {}), exited("TaskStateExited", "Report", report), entered("FailStateEntered", "DrillFailed", report), { type: "ExecutionFailed", executionFailedEventDetails: { error: "DrillFailed", cause: DRILL_FAIL_CAUSE } }],
  ];
  return { steps, end: { status: "FAILED", error: "DrillFailed", cause: DRILL_FAIL_CAUSE }, stepSeconds: 15 };
}

export const UNKNOWN_PLAN = { name: "UnknownPlanError", message: 'Unknown plan "bronze"; this function knows: gold, silver' };

/** Pick refuses the plan (the function's named error), PickFailed -> Report (nothing to delete), DrillFailed. */
export function unknownPlanDrill(): ExecutionScript {
  const cause = lambdaCause(UNKNOWN_PLAN.name, UNKNOWN_PLAN.message);
  const report = drillReport({ status: "failed", results: [], unsampled: [], failure: UNKNOWN_PLAN, finishedAt: "2026-12-02T03:00:30.000Z" });
  delete report.cleanup;
  const steps: ScriptedEvent[][] = [
    [{ type: "ExecutionStarted", executionStartedEventDetails: { input: json({ plan: "bronze" }) } }, entered("TaskStateEntered", "Pick", { plan: "bronze" }), { type: "TaskScheduled" }, { type: "TaskFailed", taskFailedEventDetails: { error: UNKNOWN_PLAN.name, cause } }],
    [entered("PassStateEntered", "PickFailed", {}), entered("TaskStateEntered", "Report", {}), exited("TaskStateExited", "Report", report), entered("FailStateEntered", "DrillFailed", report), { type: "ExecutionFailed", executionFailedEventDetails: { error: "DrillFailed", cause: DRILL_FAIL_CAUSE } }],
  ];
  return { steps, end: { status: "FAILED", error: "DrillFailed", cause: DRILL_FAIL_CAUSE } };
}
