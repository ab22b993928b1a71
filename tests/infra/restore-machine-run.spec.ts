// The restore machine driven by the test interpreter (tests/helpers/state-machine-run.ts) with a scripted function:
// a restore that polls until available, a failure caught into the report, throttling retried, a timeout, and the
// events each step receives (the contract's JSON).
import { expect } from "chai";
import { STATE, restoreMachineDefinition } from "../../infra/restore-machine";
import { runStateMachine, type Invoke } from "../helpers/state-machine-run";

const FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:restore-primary";
const definition = restoreMachineDefinition(FUNCTION_ARN, 2 * 3600);
const REQUEST = { source: "i-0123456789abcdef0", point: "latest", mode: "volumes" };
const START = new Date("2026-03-01T10:00:00.000Z");

type Event = { step: string; state?: Record<string, unknown>; [key: string]: unknown };

function named(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

/** A scripted restore function: `polls` answers in turn (the last repeats), the report from the state it gets. */
function scripted(polls: Array<"pending" | "available" | "failed" | Error>, overrides: Partial<Record<string, (event: Event, attempt: number) => unknown>> = {}): { invoke: Invoke; events: Event[] } {
  const events: Event[] = [];
  let poll = 0;
  const invoke: Invoke = (resource, payload, call) => {
    expect(resource).to.equal(FUNCTION_ARN);
    const event = payload as Event;
    events.push(event);
    const override = overrides[event.step];
    if (override !== undefined) return Promise.resolve().then(() => override(event, call.attempt));
    switch (event.step) {
      case "start":
        return Promise.resolve({ restoreId: event.restoreId, status: "pending", phase: "volumes", waitSeconds: 30 });
      case "poll": {
        const answer = polls[Math.min(poll++, polls.length - 1)];
        if (answer instanceof Error) return Promise.reject(answer);
        return Promise.resolve({ ...event.state, status: answer });
      }
      case "validate":
        return Promise.resolve({ ...event.state, validation: { ok: true, checks: [] } });
      default: {
        const failed = event.error !== undefined || event.state?.status === "failed";
        return Promise.resolve({ restoreId: event.restoreId, status: failed ? "failed" : "succeeded", manifest: "s3://vault/runs/restore/x.json" });
      }
    }
  };
  return { invoke, events };
}

describe("restore state machine, run by the test interpreter", () => {
  it("starts, waits and polls until available, validates and reports: the report is the output", async () => {
    const { invoke, events } = scripted(["pending", "pending", "available"]);
    const run = await runStateMachine(definition, REQUEST, { invoke, name: "r-0001", startTime: START });
    expect([run.status, run.output]).to.deep.equal(["SUCCEEDED", { restoreId: "r-0001", status: "succeeded", manifest: "s3://vault/runs/restore/x.json" }]);
    expect(events.map((e) => e.step)).to.deep.equal(["start", "poll", "poll", "poll", "validate", "report"]);
    expect(events[0]).to.deep.equal({ step: "start", restoreId: "r-0001", startedAt: "2026-03-01T10:00:00.000Z", request: REQUEST });
    expect(events[1]).to.deep.equal({ step: "poll", state: { restoreId: "r-0001", status: "pending", phase: "volumes", waitSeconds: 30 } });
    expect(events[5]).to.deep.equal({
      step: "report",
      restoreId: "r-0001",
      startedAt: "2026-03-01T10:00:00.000Z",
      state: { restoreId: "r-0001", status: "available", phase: "volumes", waitSeconds: 30, validation: { ok: true, checks: [] } },
    });
    expect(run.elapsedSeconds).to.equal(90);
    expect(run.transitions.filter((t) => t.type === "Wait").map((t) => t.at.toISOString())).to.deep.equal(["2026-03-01T10:00:00.000Z", "2026-03-01T10:00:30.000Z", "2026-03-01T10:01:00.000Z"]);
  });

  it("a failure in Poll is caught into the report with the last state and the error, and the execution fails", async () => {
    const { invoke, events } = scripted(["pending", named("InvalidSnapshot.NotFound", "snap-1 is gone")]);
    const run = await runStateMachine(definition, REQUEST, { invoke, name: "r-0002", startTime: START });
    expect([run.status, run.error]).to.deep.equal(["FAILED", "RestoreFailed"]);
    const report = events[events.length - 1];
    expect(report).to.deep.equal({
      step: "report",
      restoreId: "r-0002",
      startedAt: "2026-03-01T10:00:00.000Z",
      state: { restoreId: "r-0002", status: "pending", phase: "volumes", waitSeconds: 30 },
      error: { Error: "InvalidSnapshot.NotFound", Cause: JSON.stringify({ errorType: "InvalidSnapshot.NotFound", errorMessage: "snap-1 is gone" }) },
    });
    expect(run.transitions.map((t) => t.state)).to.deep.equal([STATE.start, STATE.wait, STATE.poll, STATE.progress, STATE.wait, STATE.poll, STATE.stepFailed, STATE.report, STATE.reported, STATE.restoreFailed]);
  });

  it("a refused start (a named error, nothing created) is reported with the request and the error, no state", async () => {
    const { invoke, events } = scripted([], { start: () => Promise.reject(named("MissingRestoreNetworkError", "backup-dr:restore dr.subnetIds is not set")) });
    const run = await runStateMachine(definition, REQUEST, { invoke, name: "r-0003", startTime: START });
    expect(run.status).to.equal("FAILED");
    expect(events.map((e) => e.step)).to.deep.equal(["start", "report"]);
    expect(events[1]).to.deep.equal({
      step: "report",
      restoreId: "r-0003",
      startedAt: "2026-03-01T10:00:00.000Z",
      request: REQUEST,
      error: { Error: "MissingRestoreNetworkError", Cause: JSON.stringify({ errorType: "MissingRestoreNetworkError", errorMessage: "backup-dr:restore dr.subnetIds is not set" }) },
    });
  });

  it("a restore the poll reports failed (e.g. RestoreTimedOut) is reported from its state, without an error", async () => {
    const { invoke, events } = scripted(["pending", "failed"]);
    const run = await runStateMachine(definition, REQUEST, { invoke, startTime: START });
    expect([run.status, run.error]).to.deep.equal(["FAILED", "RestoreFailed"]);
    expect(events.map((e) => e.step)).to.deep.equal(["start", "poll", "poll", "report"]);
    expect(events[3]).to.not.have.property("error");
    expect(events[3].state).to.deep.include({ status: "failed" });
  });

  it("retries a throttled step with backoff (no Catch), counting attempts", async () => {
    const { invoke, events } = scripted(["available"], {
      validate: (event, attempt) => {
        if (attempt <= 2) throw named("ThrottlingException", "Rate exceeded");
        return { ...event.state, validation: { ok: true, checks: [] } };
      },
    });
    const run = await runStateMachine(definition, REQUEST, { invoke, startTime: START });
    expect(run.status).to.equal("SUCCEEDED");
    expect(run.invocations.filter((i) => i.state === STATE.validate).map((i) => [i.attempt, i.error])).to.deep.equal([
      [1, "ThrottlingException"],
      [2, "ThrottlingException"],
      [3, undefined],
    ]);
    // 30 s of waiting, then the backoff of two retries: 5 s and 10 s.
    expect(run.elapsedSeconds).to.equal(45);
    expect(events.filter((e) => e.step === "validate")).to.have.length(3);
  });

  it("retries the Lambda service's own errors too, and reports once the retries are spent", async () => {
    const { invoke } = scripted([named("Lambda.ServiceException", "service unavailable")]);
    const run = await runStateMachine(definition, REQUEST, { invoke, startTime: START });
    const polls = run.invocations.filter((i) => i.state === STATE.poll);
    expect(polls.map((i) => i.attempt)).to.deep.equal([1, 2, 3, 4, 5, 6, 7]);
    expect(run.transitions.map((t) => t.state)).to.include(STATE.stepFailed);
    expect(run.status).to.equal("FAILED");
  });

  it("does not retry a step's own error (a named error is final)", async () => {
    const { invoke } = scripted([named("RestoreNameTakenError", "db restored-x exists")]);
    const run = await runStateMachine(definition, REQUEST, { invoke, startTime: START });
    expect(run.invocations.filter((i) => i.state === STATE.poll).map((i) => i.attempt)).to.deep.equal([1]);
  });

  it("times out after the machine's TimeoutSeconds when the restore never becomes available", async () => {
    const { invoke, events } = scripted(["pending"]);
    const run = await runStateMachine(definition, REQUEST, { invoke, startTime: START });
    expect([run.status, run.error]).to.deep.equal(["TIMED_OUT", "States.Timeout"]);
    expect(run.elapsedSeconds).to.be.greaterThan(2 * 3600).and.at.most(2 * 3600 + 30);
    expect(events.filter((e) => e.step === "report")).to.deep.equal([]);
  });

  it("a failing report ends in the ReportFailed Fail state", async () => {
    const { invoke } = scripted(["available"], { report: () => Promise.reject(named("AccessDenied", "vault")) });
    const run = await runStateMachine(definition, REQUEST, { invoke, startTime: START });
    expect([run.status, run.error]).to.deep.equal(["FAILED", "RestoreReportFailed"]);
  });

  it("a state without waitSeconds fails the execution with States.Runtime, which no Catch takes", async () => {
    const { invoke, events } = scripted([], { start: () => ({ status: "pending" }) });
    const run = await runStateMachine(definition, REQUEST, { invoke, startTime: START });
    expect([run.status, run.error]).to.deep.equal(["FAILED", "States.Runtime"]);
    expect(events.map((e) => e.step)).to.deep.equal(["start"]);
  });
});
