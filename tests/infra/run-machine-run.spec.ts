// The run machine driven by the test interpreter (tests/helpers/state-machine-run.ts) with a stub function answering by
// the continuation contract (handlers/lib/cursor.ts): a three-turn run, a killed turn retried with the same cursor, the
// handler's RunFailedError failing the execution without a retry, answers outside the contract, and the turns guard.
import { expect } from "chai";
import { invalidScheduleError, invalidSettingError, malformedEventError, missingSettingError, runFailedError, unknownPlanError } from "../../handlers/lib/errors";
import { MAX_HISTORY_EVENTS } from "../../infra/asl";
import { RUN_FUNCTION_TIMEOUT_SECONDS, RUN_MAX_TURNS, RUN_STATE, runMachineDefinition, runMachineTimeoutSeconds } from "../../infra/run-machine";
import { runStateMachine, type Invoke } from "../helpers/state-machine-run";

const FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:backup";
const definition = (purpose: "backup" | "cleanup") =>
  runMachineDefinition(FUNCTION_ARN, { purpose, timeoutSeconds: runMachineTimeoutSeconds(120, RUN_FUNCTION_TIMEOUT_SECONDS), functionTimeoutSeconds: RUN_FUNCTION_TIMEOUT_SECONDS });
const START = new Date("2026-11-22T06:00:05.000Z");
const INPUT = { plan: "gold", scheduledTime: "2026-11-22T06:00:00Z" };
/** The first turn's event: the execution's input with the execution's start (handlers/lib/run-envelope.ts). */
const envelope = (input: unknown) => ({ input, executionStartTime: START.toISOString() });
const FIRST = envelope(INPUT);

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

/** The cursor of the stub's n-th answer (after n invocations), as the backup function's contract shapes it. */
function cursor(n: number) {
  return {
    function: "backup",
    runId: "gold/2026-11-22T06:00:00Z",
    slot: "2026-11-22T06:00:00Z",
    startedAt: "2026-11-22T06:00:05.000Z",
    deadline: "2026-11-22T08:00:00Z",
    invocation: n,
    parts: Array.from({ length: n }, (_, i) => `runs/backup/2026/11/22/gold-2026-11-22T06-00-00Z.part-${i + 1}-20261122T060005000Z.json`),
    plan: "gold",
    scheduled: true,
    after: `ec2/i-${String(n * 1000).padStart(4, "0")}`,
  };
}
const RESULT = { done: true, runId: "gold/2026-11-22T06:00:00Z", manifest: "s3://vault/runs/backup/2026/11/22/gold-2026-11-22T06-00-00Z.json", backedUp: 2500 };

/** A stub function: `answers[i]` for its i-th event (an Error is thrown); the events it got, in order. */
function stub(answers: ReadonlyArray<unknown>): { invoke: Invoke; events: unknown[] } {
  const events: unknown[] = [];
  const invoke: Invoke = (resource, payload) => {
    expect(resource).to.equal(FUNCTION_ARN);
    const answer = answers[Math.min(events.length, answers.length - 1)];
    events.push(payload);
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  };
  return { invoke, events };
}

const unfinished = (n: number) => ({ done: false, cursor: cursor(n), part: `s3://vault/${cursor(n).parts[n - 1]}` });

describe("run state machine, run by the test interpreter", () => {
  it("a three-turn run: the input with the execution's start first, then each previous answer's {cursor}; ends Succeeded with the last answer", async () => {
    const { invoke, events } = stub([unfinished(1), unfinished(2), RESULT]);
    const run = await runStateMachine(definition("backup"), INPUT, { invoke, startTime: START });
    expect([run.status, run.output]).to.deep.equal(["SUCCEEDED", RESULT]);
    expect(events).to.deep.equal([FIRST, { cursor: cursor(1) }, { cursor: cursor(2) }]);
    expect(run.transitions.map((t) => t.state)).to.deep.equal([
      RUN_STATE.pin,
      ...[RUN_STATE.invoke, RUN_STATE.answered, RUN_STATE.turnsLeft, RUN_STATE.nextTurn],
      ...[RUN_STATE.invoke, RUN_STATE.answered, RUN_STATE.turnsLeft, RUN_STATE.nextTurn],
      ...[RUN_STATE.invoke, RUN_STATE.answered, RUN_STATE.finished],
    ]);
  });

  it("the cleanup's run: its input is the schedule's {scheduledTime}, a one-turn run ends at once", async () => {
    const done = { done: true, runId: "cleanup/2026-11-22T04:15:00Z", deleted: 12 };
    const { invoke, events } = stub([done]);
    const run = await runStateMachine(definition("cleanup"), { scheduledTime: "2026-11-22T04:15:00Z" }, { invoke, startTime: START });
    expect([run.status, run.output, events]).to.deep.equal(["SUCCEEDED", done, [envelope({ scheduledTime: "2026-11-22T04:15:00Z" })]]);
  });

  it("a turn killed at the function's timeout (Sandbox.Timedout) is sent again with the same cursor, and the run goes on", async () => {
    const killed = named("Sandbox.Timedout", "RequestId: 1 Error: Task timed out after 900.00 seconds");
    const { invoke, events } = stub([unfinished(1), killed, unfinished(2), RESULT]);
    const run = await runStateMachine(definition("backup"), INPUT, { invoke, startTime: START });
    expect(run.status).to.equal("SUCCEEDED");
    expect(events).to.deep.equal([FIRST, { cursor: cursor(1) }, { cursor: cursor(1) }, { cursor: cursor(2) }]);
    expect(run.invocations.map((i) => [i.attempt, i.error])).to.deep.equal([
      [1, undefined],
      [1, "Sandbox.Timedout"],
      [2, undefined],
      [1, undefined],
    ]);
  });

  for (const error of ["Lambda.Unknown", "States.Timeout", "Lambda.ServiceException", "ThrottlingException"]) {
    it(`retries a turn that failed with ${error}, with the same event`, async () => {
      const { invoke, events } = stub([named(error, "no answer"), RESULT]);
      const run = await runStateMachine(definition("backup"), INPUT, { invoke, startTime: START });
      expect([run.status, events]).to.deep.equal(["SUCCEEDED", [FIRST, FIRST]]);
    });
  }

  for (const error of ["Runtime.OutOfMemory", "Runtime.ExitError", "InternalError", "SlowDown", "TimeoutError"]) {
    it(`a turn that failed with ${error} (out of memory, a crash, an S3 error writing the part) is sent again with the same cursor, and the run goes on`, async () => {
      const { invoke, events } = stub([unfinished(1), named(error, "the turn failed"), unfinished(2), RESULT]);
      const run = await runStateMachine(definition("backup"), INPUT, { invoke, startTime: START });
      expect([run.status, run.output]).to.deep.equal(["SUCCEEDED", RESULT]);
      expect(events).to.deep.equal([FIRST, { cursor: cursor(1) }, { cursor: cursor(1) }, { cursor: cursor(2) }]);
    });
  }

  it("a turn failing every time with an error of its own fails the run after 3 retries, each with the same cursor", async () => {
    const { invoke, events } = stub([unfinished(1), named("Runtime.OutOfMemory", "Runtime exited with error: signal: killed")]);
    const run = await runStateMachine(definition("backup"), INPUT, { invoke, startTime: START });
    expect([run.status, run.error]).to.deep.equal(["FAILED", "BackupRunFailed"]);
    expect(events.slice(1)).to.deep.equal(Array(4).fill({ cursor: cursor(1) }));
  });

  const final: Array<[string, Error]> = [
    ["UnknownPlanError", unknownPlanError("platinum", ["gold"])],
    ["MissingSettingError", missingSettingError("BACKUP_DR_PLANS")],
    ["InvalidSettingError", invalidSettingError("BACKUP_DR_CONCURRENCY", "1-50")],
    ["InvalidScheduleError", invalidScheduleError("cron(x)", "not a cron")],
  ];
  for (const [name, error] of final) {
    it(`the handler's ${name} (a refusal a retry cannot change) goes to the Fail state without a retry`, async () => {
      const { invoke, events } = stub([error]);
      const run = await runStateMachine(definition("backup"), INPUT, { invoke, startTime: START });
      expect([run.status, run.error, events.length, run.invocations.map((i) => i.error)]).to.deep.equal(["FAILED", "BackupRunFailed", 1, [name]]);
    });
  }

  it("a turn killed every time fails the run after its retries (BackupRunFailed), each attempt with the same cursor", async () => {
    const { invoke, events } = stub([unfinished(1), named("Sandbox.Timedout", "Task timed out after 900.00 seconds")]);
    const run = await runStateMachine(definition("backup"), INPUT, { invoke, startTime: START });
    expect([run.status, run.error]).to.deep.equal(["FAILED", "BackupRunFailed"]);
    expect(events.slice(1)).to.deep.equal(Array(4).fill({ cursor: cursor(1) }));
  });

  it("the handler's RunFailedError (the run finished, notified) goes to the Fail state without a retry", async () => {
    const { invoke, events } = stub([unfinished(1), runFailedError("gold/2026-11-22T06:00:00Z", ["ec2/i-0001: CreateSnapshots refused"])]);
    const run = await runStateMachine(definition("backup"), INPUT, { invoke, startTime: START });
    expect([run.status, run.error]).to.deep.equal(["FAILED", "BackupRunFailed"]);
    expect(events).to.have.length(2);
    expect(run.invocations.map((i) => i.error)).to.deep.equal([undefined, "RunFailedError"]);
    expect(run.transitions.map((t) => t.state).slice(-2)).to.deep.equal([RUN_STATE.invoke, RUN_STATE.runFailed]);
  });

  it("a refused event (MalformedEventError) is not retried either", async () => {
    const { invoke, events } = stub([malformedEventError("cursor.slot: expected an ISO-8601 instant")]);
    const run = await runStateMachine(definition("cleanup"), { cursor: {} }, { invoke, startTime: START });
    expect([run.status, run.error, events.length]).to.deep.equal(["FAILED", "CleanupRunFailed", 1]);
  });

  it("fails an answer outside the contract instead of looping: no done, a done that is not a boolean, done: false without a cursor", async () => {
    for (const answer of [{ runId: "x" }, { done: "yes" }, { done: false }, { done: false, cursor: { runId: "x" } }]) {
      const { invoke, events } = stub([answer]);
      const run = await runStateMachine(definition("backup"), INPUT, { invoke, startTime: START });
      expect([run.status, run.error, events.length], JSON.stringify(answer)).to.deep.equal(["FAILED", "BackupRunNotContinued", 1]);
    }
  });

  it("a function answering done: false for ever stops at RUN_MAX_TURNS, within Step Functions' history limit", async () => {
    let n = 0;
    // A cursor of constant size (the interpreter copies each state's data: growing parts would make the test slow).
    const invoke: Invoke = () => Promise.resolve({ done: false, cursor: { ...cursor(1), invocation: ++n } });
    const run = await runStateMachine(definition("backup"), INPUT, { invoke, startTime: START, maxTransitions: 4 * RUN_MAX_TURNS + 10 });
    expect([run.status, run.error]).to.deep.equal(["FAILED", "BackupRunTooManyTurns"]);
    expect(run.invocations).to.have.length(RUN_MAX_TURNS);
    expect(run.historyEvents).to.be.at.most(MAX_HISTORY_EVENTS);
  });
});
