// The test interpreter's inline Map and the rest it learnt for the drill machine (tests/helpers/state-machine-run.ts):
// ItemsPath, ItemSelector with $$.Map.Item.Value / Index, MaxConcurrency in virtual time, results in item order, a
// failing iteration and the Map's Catch, States.Runtime that no Catch takes, ResultPath on Task and Pass, End,
// $$.State.EnteredTime across retries, and calls reaching the test in time order. Small definitions, checked by
// asl-validator first so the interpreter is only ever asked valid States Language.
import { expect } from "chai";
import { TASK_RETRY, type AslDefinition, type AslFlow, type AslMap, type AslState } from "../../infra/asl";
import { validateAsl } from "../helpers/asl-validate";
import { runStateMachine, type Invoke } from "../helpers/state-machine-run";

const FN = "arn:aws:lambda:us-east-1:123456789012:function:f";
const INVOKE = "arn:aws:states:::lambda:invoke";
const START = new Date("2026-12-01T00:00:00.000Z");

/** A machine: Fan (a Map over $.items running `iteration`), then Done; Caught when the Map has a Catch (to it). */
function machine(iteration: Record<string, AslState>, map: Partial<Pick<AslMap, "ItemSelector" | "MaxConcurrency" | "Catch">> = {}, timeoutSeconds = 3600): AslDefinition {
  const d: AslDefinition = {
    Comment: "test",
    StartAt: "Fan",
    TimeoutSeconds: timeoutSeconds,
    States: {
      Fan: {
        Type: "Map",
        ItemsPath: "$.items",
        MaxConcurrency: 2,
        ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: Object.keys(iteration)[0], States: iteration },
        ResultPath: "$.results",
        Catch: [],
        Next: "Done",
        ...map,
      },
      Done: { Type: "Succeed" },
      ...((map.Catch ?? []).length > 0 ? { Caught: { Type: "Succeed" } } : {}),
    },
  };
  const check = validateAsl(d, { checkPaths: true });
  expect(check.errorsText(), "asl-validator").to.equal("");
  return d;
}

/** A Task invoking FN with `payload`, its output the function's answer unless `paths` say otherwise; no Catch. */
const task = (payload: Record<string, unknown>, flow: AslFlow = { End: true }, paths: { ResultPath?: string; OutputPath?: string } = { OutputPath: "$.Payload" }): AslState => ({
  Type: "Task",
  Resource: INVOKE,
  Parameters: { FunctionName: FN, Payload: payload },
  ...paths,
  Retry: TASK_RETRY,
  Catch: [],
  ...flow,
});

function named(name: string): Error {
  return Object.assign(new Error(name), { name });
}

describe("the test interpreter's Map (as the drill machine uses it)", () => {
  it("each iteration gets its ItemSelector (Value, Index, a path into the Map's input); results come in item order", async () => {
    const d = machine(
      { Wait1: { Type: "Wait", SecondsPath: "$.value.seconds", Next: "Echo" }, Echo: { Type: "Pass", Parameters: { "index.$": "$.index", "id.$": "$.value.id", "tag.$": "$.tag" }, End: true } },
      { ItemSelector: { "value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index", "tag.$": "$.tag" } },
    );
    const items = [{ id: "a", seconds: 30 }, { id: "b", seconds: 10 }, { id: "c", seconds: 5 }];
    const run = await runStateMachine(d, { items, tag: "t" }, { invoke: () => Promise.reject(new Error("no task")), startTime: START });
    expect(run.output).to.deep.equal({
      items,
      tag: "t",
      results: [
        { index: 0, id: "a", tag: "t" },
        { index: 1, id: "b", tag: "t" },
        { index: 2, id: "c", tag: "t" },
      ],
    });
    // 2 at once: a (30 s) and b (10 s); c starts when b ends (10 s) and ends at 15 s; the Map ends with a at 30 s.
    expect(run.elapsedSeconds).to.equal(30);
    expect(run.maps.Fan).to.deep.equal({ maxConcurrency: 2, mostInFlight: 2, iterations: 3 });
    expect(run.transitions.filter((t) => t.state === "Echo").map((t) => [t.iteration?.index, t.at.toISOString()])).to.deep.equal([
      [1, "2026-12-01T00:00:10.000Z"],
      [2, "2026-12-01T00:00:15.000Z"],
      [0, "2026-12-01T00:00:30.000Z"],
    ]);
  });

  it("without an ItemSelector an iteration's input is the item; MaxConcurrency 1 runs them one after another", async () => {
    const d = machine({ W: { Type: "Wait", SecondsPath: "$.seconds", End: true } }, { MaxConcurrency: 1 });
    const run = await runStateMachine(d, { items: [{ seconds: 30 }, { seconds: 10 }] }, { invoke: () => Promise.reject(new Error("no task")), startTime: START });
    expect([run.elapsedSeconds, run.maps.Fan.mostInFlight]).to.deep.equal([40, 1]);
    expect((run.output as { results: unknown }).results).to.deep.equal([{ seconds: 30 }, { seconds: 10 }]);
  });

  it("calls reach the test in virtual-time order across iterations, retries included; EnteredTime is the same on a retry", async () => {
    const d = machine({ Call: task({ "id.$": "$.id", "entered.$": "$$.State.EnteredTime" }, { Next: "Pause" }, { ResultPath: "$.answer" }), Pause: { Type: "Wait", SecondsPath: "$.answer.Payload.wait", End: true } });
    const seen: Array<{ id: string; entered: string; now: string; attempt: number }> = [];
    const invoke: Invoke = (_r, payload, call) => {
      const p = payload as { id: string; entered: string };
      seen.push({ ...p, now: call.now.toISOString(), attempt: call.attempt });
      if (p.id === "a" && call.attempt <= 2) return Promise.reject(named("ThrottlingException"));
      return Promise.resolve({ wait: 1 });
    };
    const run = await runStateMachine(d, { items: [{ id: "a" }, { id: "b" }, { id: "c" }] }, { invoke, startTime: START });
    expect(run.status).to.equal("SUCCEEDED");
    const times = seen.map((s) => s.now);
    expect(times).to.deep.equal([...times].sort());
    expect(seen.filter((s) => s.id === "a").map((s) => [s.attempt, s.entered, s.now])).to.deep.equal([
      [1, "2026-12-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z"],
      [2, "2026-12-01T00:00:00.000Z", "2026-12-01T00:00:05.000Z"],
      [3, "2026-12-01T00:00:00.000Z", "2026-12-01T00:00:15.000Z"],
    ]);
    // b's slot frees at 1 s: c is called then, between a's tries.
    expect(seen.map((s) => s.id)).to.deep.equal(["a", "b", "c", "a", "a"]);
    expect((run.output as { results: Array<{ answer: { Payload: unknown } }> }).results.map((r) => r.answer.Payload)).to.deep.equal([{ wait: 1 }, { wait: 1 }, { wait: 1 }]);
  });

  it("a failing iteration fails the Map with its error: the Map's Catch takes it (ResultPath), the rest stop", async () => {
    const d = machine({ Call: task({ "id.$": "$.id" }) }, { Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Caught" }], MaxConcurrency: 1 });
    const ids: string[] = [];
    const invoke: Invoke = (_r, payload) => {
      const { id } = payload as { id: string };
      ids.push(id);
      return id === "b" ? Promise.reject(named("Boom")) : Promise.resolve({ ok: id });
    };
    const run = await runStateMachine(d, { items: [{ id: "a" }, { id: "b" }, { id: "c" }] }, { invoke, startTime: START });
    expect(run.status).to.equal("SUCCEEDED");
    expect(run.transitions.map((t) => t.state).slice(-1)).to.deep.equal(["Caught"]);
    expect(run.output).to.deep.equal({ items: [{ id: "a" }, { id: "b" }, { id: "c" }], error: { Error: "Boom", Cause: JSON.stringify({ errorType: "Boom", errorMessage: "Boom" }) } });
    expect(ids).to.deep.equal(["a", "b"]);
  });

  it("without a Catch on the Map the execution fails with the iteration's error; a Fail state's too", async () => {
    const thrown = await runStateMachine(machine({ Call: task({}) }), { items: [1] }, { invoke: () => Promise.reject(named("Boom")), startTime: START });
    expect([thrown.status, thrown.error]).to.deep.equal(["FAILED", "Boom"]);
    const failed = await runStateMachine(machine({ No: { Type: "Fail", Error: "Nope", Cause: "because" } }), { items: [1] }, { invoke: () => Promise.resolve(), startTime: START });
    expect([failed.status, failed.error, failed.cause]).to.deep.equal(["FAILED", "Nope", "because"]);
  });

  it("States.Runtime inside an iteration (a missing path) ends the execution: the Map's States.ALL does not take it", async () => {
    const d = machine({ W: { Type: "Wait", SecondsPath: "$.missing", End: true } }, { Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Caught" }] });
    const run = await runStateMachine(d, { items: [{}] }, { invoke: () => Promise.resolve(), startTime: START });
    expect([run.status, run.error]).to.deep.equal(["FAILED", "States.Runtime"]);
    const notArray = await runStateMachine(d, { items: "x" }, { invoke: () => Promise.resolve(), startTime: START });
    expect([notArray.status, notArray.error]).to.deep.equal(["FAILED", "States.Runtime"]);
  });

  it("ResultPath on a Pass puts its Parameters beside the input", async () => {
    const d = machine({ P: { Type: "Pass", Parameters: { "twice.$": "$.n" }, ResultPath: "$.out", End: true } });
    const run = await runStateMachine(d, { items: [{ n: 1 }] }, { invoke: () => Promise.resolve(), startTime: START });
    expect((run.output as { results: unknown }).results).to.deep.equal([{ n: 1, out: { twice: 1 } }]);
  });

  it("the machine's timeout reached inside an iteration times the execution out", async () => {
    const d = machine({ W: { Type: "Wait", SecondsPath: "$.s", Next: "W2" }, W2: { Type: "Wait", SecondsPath: "$.s", End: true } }, {}, 100);
    const run = await runStateMachine(d, { items: [{ s: 60 }] }, { invoke: () => Promise.resolve(), startTime: START });
    expect([run.status, run.error]).to.deep.equal(["TIMED_OUT", "States.Timeout"]);
  });
});
