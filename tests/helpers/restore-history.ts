// Scripted restore executions for the fake Step Functions: the history events the restore state machine
// (infra/restore-machine.ts) writes, one step of events per DescribeExecution. Between states the machine carries
// `{"state": RestoreState}`; the Report task's output is the bare RestoreReport.
import type { RestoreReport, RestoreRequest, RestoreState } from "../../handlers/restore/contract";
import type { ExecutionScript, ScriptedEvent } from "./aws-fake-sfn";

const entered = (type: string, name: string, input: unknown): ScriptedEvent => ({ type, stateEnteredEventDetails: { name, input: JSON.stringify(input) } });
const exited = (type: string, name: string, output: unknown): ScriptedEvent => ({ type, stateExitedEventDetails: { name, output: JSON.stringify(output) } });

/** A restore state as the start step returns it (volumes of an instance by default). */
export function sampleState(overrides: Partial<RestoreState> = {}): RestoreState {
  return {
    restoreId: "3f9a1c2e-i-0123456789abcdef0-20261202T030000Z",
    startedAt: "2026-12-02T03:00:00.000Z",
    region: "us-west-2",
    kind: "ec2",
    source: "i-0123456789abcdef0",
    point: { kind: "ec2", region: "us-west-2", source: "i-0123456789abcdef0", id: "snap-0aaa", snapshotIds: ["snap-0aaa", "snap-0bbb"], tier: "daily", taken: "2026-12-01T06:00:00.000Z", origin: "copy", completed: true },
    name: "restored-i-0123456789abcdef0-3f9a1c2e",
    mode: "volumes",
    zone: "us-west-2a",
    phase: "volumes",
    status: "pending",
    waitSeconds: 30,
    deadline: "2026-12-02T04:00:00.000Z",
    created: [{ type: "volume", id: "vol-01", state: "creating" }, { type: "volume", id: "vol-02", state: "creating" }],
    ...overrides,
  };
}

export function sampleReport(overrides: Partial<RestoreReport> = {}): RestoreReport {
  return {
    restoreId: "3f9a1c2e-i-0123456789abcdef0-20261202T030000Z",
    status: "succeeded",
    region: "us-west-2",
    kind: "ec2",
    source: "i-0123456789abcdef0",
    pointId: "snap-0aaa",
    created: [{ type: "volume", id: "vol-01", state: "available" }, { type: "volume", id: "vol-02", state: "available" }],
    endpoint: "vol-01,vol-02",
    secondsToAvailable: 95,
    manifest: "s3://vault-dr/runs/restore/2026/12/02/3f9a1c2e-i-0123456789abcdef0-20261202T030000Z.json",
    ...overrides,
  };
}

/** Start, then `polls` Wait/Poll rounds (the last one available), Validate, Report, Succeed. */
export function succeedingScript(request: RestoreRequest, polls: number, report: RestoreReport = sampleReport()): ExecutionScript {
  const pending = sampleState();
  const available = sampleState({ status: "available", phase: "volumes", endpoint: "vol-01,vol-02", availableAt: "2026-12-02T03:01:35.000Z" });
  const validated = { ...available, validation: { ok: true, checks: [{ check: "vol-01 available", ok: true }, { check: "vol-02 available", ok: true }] } };
  const wrap = (state: RestoreState) => ({ state });
  const steps: ScriptedEvent[][] = [[{ type: "ExecutionStarted", executionStartedEventDetails: { input: JSON.stringify(request) } }, entered("TaskStateEntered", "Start", request)], [exited("TaskStateExited", "Start", wrap(pending))]];
  for (let n = 1; n <= polls; n++) {
    const after = wrap(n === polls ? available : pending);
    steps.push([entered("WaitStateEntered", "Wait", wrap(pending)), exited("WaitStateExited", "Wait", wrap(pending)), entered("TaskStateEntered", "Poll", wrap(pending))]);
    steps.push([exited("TaskStateExited", "Poll", after), entered("ChoiceStateEntered", "Progress", after), exited("ChoiceStateExited", "Progress", after)]);
  }
  const event = { step: "report", restoreId: validated.restoreId, startedAt: validated.startedAt, state: validated };
  steps.push([entered("TaskStateEntered", "Validate", wrap(available)), exited("TaskStateExited", "Validate", wrap(validated))]);
  steps.push([entered("PassStateEntered", "Finished", wrap(validated)), exited("PassStateExited", "Finished", event), entered("TaskStateEntered", "Report", event), exited("TaskStateExited", "Report", report)]);
  steps.push([entered("ChoiceStateEntered", "Reported", report), exited("ChoiceStateExited", "Reported", report), entered("SucceedStateEntered", "Succeeded", report)]);
  steps.push([{ type: "ExecutionSucceeded", executionSucceededEventDetails: { output: JSON.stringify(report) } }]);
  return { steps, end: { status: "SUCCEEDED", output: JSON.stringify(report) }, stepSeconds: 15 };
}

/** The Fail state's fixed cause (infra/restore-machine.ts). */
export const FAIL_CAUSE = "The restore failed; the Report step's output and the manifest under runs/restore/ name the failure and what was created.";

/** Start fails with `error` (a named error of the restore function), the Catch goes to Report, then Fail. */
export function failingScript(request: RestoreRequest, error: { name: string; message: string }): ExecutionScript {
  const cause = JSON.stringify({ errorType: error.name, errorMessage: error.message, trace: [] });
  const report = sampleReport({ status: "failed", created: [], failure: error, endpoint: undefined, secondsToAvailable: undefined });
  delete report.endpoint;
  delete report.secondsToAvailable;
  const steps: ScriptedEvent[][] = [
    [{ type: "ExecutionStarted", executionStartedEventDetails: { input: JSON.stringify(request) } }, entered("TaskStateEntered", "Start", request)],
    [{ type: "TaskFailed", taskFailedEventDetails: { resourceType: "lambda", resource: "invoke", error: error.name, cause } }],
    [entered("PassStateEntered", "StartFailed", { ...request, error: { Error: error.name, Cause: cause } }), entered("TaskStateEntered", "Report", { step: "report", request, error: { Error: error.name, Cause: cause } }), exited("TaskStateExited", "Report", report)],
    [entered("ChoiceStateEntered", "Reported", report), entered("FailStateEntered", "RestoreFailed", report), { type: "ExecutionFailed", executionFailedEventDetails: { error: "RestoreFailed", cause: FAIL_CAUSE } }],
  ];
  return { steps, end: { status: "FAILED", error: "RestoreFailed", cause: FAIL_CAUSE } };
}
