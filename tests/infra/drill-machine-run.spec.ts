// The drill machine (infra/drill-machine.ts) driven by the test interpreter (tests/helpers/state-machine-run.ts) with a
// scripted drill function that refuses any event not of the contract's shape (handlers/drill/contract.ts): whole
// executions, from the pick to the report, with restores that pass, fail validation, time out or fail to start, a
// Map that fails, cleanup that takes several calls, and failures of pick, cleanup and the report.
//
// The function is one `DrillFunction` (payload and the call's virtual time -> what the step returns), so a run against
// the real drill handler over the fake AWS only swaps it, as tests/handlers/restore-machine-flow.spec.ts does:
//   drill((payload, call) => runDrillStep(drillDeps(fake, DR, () => call.now), settings, payload))
import { expect } from "chai";
import type { Drill, DrillCleanup, DrillReport, DrillRestore, DrillResult, DrillSample, DrillState, DrillStepEvent } from "../../handlers/drill/contract";
import type { RestoreState } from "../../handlers/restore/contract";
import type { AslDefinition } from "../../infra/asl";
import { DRILL_STATE as S, drillHistoryEvents, drillMachineDefinition, drillMachineTimeoutSeconds } from "../../infra/drill-machine";
import { runStateMachine, type RunResult } from "../helpers/state-machine-run";

const FUNCTION_ARN = "arn:aws:lambda:us-west-2:123456789012:function:drill-dr";
const START = new Date("2026-12-01T06:00:00.000Z");
const DRILL_ID = "drill-2026-12-01";
const iso = (ms: number) => new Date(ms).toISOString();
const seconds = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 1000;

type Call = { state: string; attempt: number; now: Date };
/** The drill function as the machine sees it: a step event in, what the step returns out (a throw is its error). */
type DrillFunction = (payload: unknown, call: Call) => Promise<unknown>;

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

/** Runs one drill execution of `definition` (default: 2 restores at once, 6 h) calling `fn` for every Task. */
function drill(fn: DrillFunction, options: { definition?: AslDefinition; input?: unknown } = {}): Promise<RunResult> {
  const definition = options.definition ?? drillMachineDefinition(FUNCTION_ARN, 6 * 3600, 2);
  return runStateMachine(definition, options.input ?? {}, {
    name: DRILL_ID,
    startTime: START,
    invoke: (resource, payload, call) => {
      expect(resource).to.equal(FUNCTION_ARN);
      return fn(payload, call);
    },
  });
}

/** Each step event's fields: required, then optional; anything else is refused (as the function's parser does). */
const FIELDS: Record<DrillStepEvent["step"], [string[], string[]]> = {
  pick: [["step", "drillId", "startedAt", "request"], []],
  start: [["step", "sample", "startedAt"], []],
  poll: [["step", "sample", "state"], []],
  validate: [["step", "sample", "state"], []],
  measure: [["step", "sample"], ["state", "error"]],
  cleanup: [["step", "state"], []],
  report: [["step", "drillId", "startedAt"], ["request", "state", "error"]],
  watch: [["step"], []],
};
const STATE_FIELDS = ["drill", "results", "cleanup", "error"];

function checkEvent(payload: unknown): DrillStepEvent {
  const event = payload as DrillStepEvent;
  const [required, optional] = FIELDS[event.step];
  expect(Object.keys(event), event.step).to.include.members(required);
  expect(Object.keys(event).filter((k) => !required.includes(k) && !optional.includes(k)), `${event.step}: unknown fields`).to.deep.equal([]);
  if ((event.step === "cleanup" || event.step === "report") && event.state !== undefined) {
    expect(Object.keys(event.state).filter((k) => !STATE_FIELDS.includes(k)), `${event.step}: unknown DrillState fields`).to.deep.equal([]);
  }
  return event;
}

function sample(n: number, kind: DrillSample["kind"]): DrillSample {
  const taken = iso(START.getTime() - (3600 + n * 60) * 1000);
  const source = kind === "ec2" ? `i-000000000000000${n}` : `orders-${n}`;
  return {
    drillId: DRILL_ID,
    restoreId: `${DRILL_ID}-r${n}`,
    plan: "gold",
    kind,
    source,
    pointId: `snap-${n}`,
    taken,
    drillStartedAt: START.toISOString(),
    rpoSeconds: seconds(taken, START.toISOString()),
    request: { source, kind, point: `snap-${n}`, name: `drill-${source}` },
    targets: { rtoSeconds: 3600, rpoSeconds: 7200 },
  };
}

type PollAnswer = "pending" | "available" | "failed" | Error;
interface Script {
  samples?: DrillSample[];
  keepSeconds?: number;
  /** Per restore id: the poll answers in turn (the last repeats); default available at once. */
  polls?: Record<string, PollAnswer[]>;
  /** Per restore id: validation fails. */
  invalid?: string[];
  /** Cleanup's statuses in turn (the last repeats); default done. */
  cleanup?: Array<DrillCleanup["status"]>;
  /** Replaces a step (its answer, or a throw). */
  override?: Partial<Record<DrillStepEvent["step"], (event: DrillStepEvent, call: Call) => unknown>>;
}

/** A scripted drill function: answers each step as the contract says, from the event it is given. */
function scripted(script: Script = {}): { fn: DrillFunction; events: DrillStepEvent[]; at: Record<string, string[]> } {
  const samples = script.samples ?? [sample(1, "ec2"), sample(2, "rds"), sample(3, "ec2")];
  const events: DrillStepEvent[] = [];
  const at: Record<string, string[]> = {};
  const polls: Record<string, number> = {};
  let cleanups = 0;
  const answer = (event: DrillStepEvent, call: Call): unknown => {
    const now = call.now.toISOString();
    switch (event.step) {
      case "pick": {
        const d: Drill = { drillId: event.drillId, startedAt: event.startedAt, region: "us-west-2", request: event.request, seed: event.drillId, samples, unsampled: [], keepSeconds: script.keepSeconds ?? 600 };
        return { drill: d } satisfies DrillState;
      }
      case "start": {
        const { restoreId, kind, source, pointId } = event.sample;
        const point = { kind, region: "us-west-2", source, id: pointId, snapshotIds: [pointId], origin: "copy" as const, completed: true };
        const deadline = iso(Date.parse(event.startedAt) + 3600_000);
        const state: RestoreState = { restoreId, drillId: event.sample.drillId, startedAt: event.startedAt, region: "us-west-2", kind, source, point, name: `drill-${source}`, phase: "p", status: "pending", waitSeconds: 60, deadline, created: [{ type: "volume", id: `vol-${restoreId}` }] };
        return { sample: event.sample, state } satisfies DrillRestore;
      }
      case "poll": {
        const list = script.polls?.[event.sample.restoreId] ?? ["available"];
        const i = polls[event.sample.restoreId] ?? 0;
        polls[event.sample.restoreId] = i + 1;
        const a = list[Math.min(i, list.length - 1)];
        if (a instanceof Error) throw a;
        const failure = a === "failed" ? { failure: { name: "RestoreTimedOut", message: "not available by the deadline" } } : {};
        return { sample: event.sample, state: { ...event.state, status: a, ...failure } } satisfies DrillRestore;
      }
      case "validate": {
        const ok = !(script.invalid ?? []).includes(event.sample.restoreId);
        return { sample: event.sample, state: { ...event.state, validation: { ok, checks: [{ check: "available", ok }] }, validatedAt: now } } satisfies DrillRestore;
      }
      case "measure": {
        const { sample: s, state, error } = event;
        const validated = state?.validation?.ok === true && state.validatedAt !== undefined;
        const rto = validated && state?.validatedAt !== undefined ? seconds(state.startedAt, state.validatedAt) : undefined;
        const missed: Array<"rto" | "rpo"> = [...(rto === undefined || rto > s.targets.rtoSeconds ? ["rto" as const] : []), ...(s.rpoSeconds > s.targets.rpoSeconds ? ["rpo" as const] : [])];
        const failure = error !== undefined ? { name: error.Error, message: error.Cause } : state?.failure;
        const result: DrillResult = {
          restoreId: s.restoreId,
          plan: s.plan,
          kind: s.kind,
          source: s.source,
          pointId: s.pointId,
          taken: s.taken,
          outcome: !validated ? "failed" : missed.length > 0 ? "missed-target" : "passed",
          missed,
          rpoSeconds: s.rpoSeconds,
          targets: s.targets,
          created: state?.created ?? [],
          ...(rto === undefined ? {} : { rtoSeconds: rto }),
          ...(failure === undefined ? {} : { failure }),
        };
        return result;
      }
      case "cleanup": {
        const list = script.cleanup ?? ["done"];
        const status = list[Math.min(cleanups++, list.length - 1)];
        const cleanup: DrillCleanup = { status, waitSeconds: 30, deadline: iso(call.now.getTime() + 1800_000), deleted: [], remaining: [], refused: [], failures: [] };
        return { ...event.state, cleanup } satisfies DrillState;
      }
      case "report": {
        const { state, error } = event;
        const results = state?.results ?? [];
        const passed = error === undefined && state?.error === undefined && state?.cleanup?.status === "done" && results.length > 0 && results.every((r) => r.outcome === "passed");
        const report: DrillReport = { drillId: event.drillId, status: passed ? "passed" : "failed", region: "us-west-2", startedAt: event.startedAt, finishedAt: now, results, unsampled: [], manifest: `s3://vault/runs/drill/2026/12/01/${event.drillId}.json`, summary: "s" };
        return report;
      }
      case "watch":
        throw new Error("the machine never sends watch");
    }
  };
  const fn: DrillFunction = (payload, call) => {
    const event = checkEvent(payload);
    events.push(event);
    (at[event.step] ??= []).push(call.now.toISOString());
    const override = script.override?.[event.step];
    return Promise.resolve().then(() => (override !== undefined ? override(event, call) : answer(event, call)));
  };
  return { fn, events, at };
}

const steps = (events: DrillStepEvent[]) => events.map((e) => e.step);
const ofStep = <T extends DrillStepEvent["step"]>(events: DrillStepEvent[], step: T) => events.filter((e): e is Extract<DrillStepEvent, { step: T }> => e.step === step);
const cleanupIds = (events: DrillStepEvent[]) => ofStep(events, "cleanup").map((e) => e.state.drill.samples.map((s) => s.restoreId));

describe("drill state machine, run by the test interpreter", () => {
  it("a drill that passes: pick, restores at most 2 at once, measure each, keep, cleanup, report; the report is the output", async () => {
    const { fn, events, at } = scripted({ polls: { [`${DRILL_ID}-r2`]: ["pending", "available"] } });
    const run = await drill(fn);
    expect(run.status, JSON.stringify(run.output)).to.equal("SUCCEEDED");
    expect(run.output).to.deep.include({ drillId: DRILL_ID, status: "passed" });
    expect(ofStep(events, "pick")).to.deep.equal([{ step: "pick", drillId: DRILL_ID, startedAt: START.toISOString(), request: {} }]);
    expect(run.maps[S.restores]).to.deep.equal({ maxConcurrency: 2, mostInFlight: 2, iterations: 3 });
    // r1 and r2 start at once; r3 when r1's slot frees (r1: wait 60 s, poll, validate, measure).
    expect(ofStep(events, "start").map((e) => [e.sample.restoreId, e.startedAt])).to.deep.equal([
      [`${DRILL_ID}-r1`, "2026-12-01T06:00:00.000Z"],
      [`${DRILL_ID}-r2`, "2026-12-01T06:00:00.000Z"],
      [`${DRILL_ID}-r3`, "2026-12-01T06:01:00.000Z"],
    ]);
    const results = (ofStep(events, "report")[0].state?.results ?? []).map((r) => [r.restoreId, r.outcome, r.rtoSeconds]);
    expect(results).to.deep.equal([
      [`${DRILL_ID}-r1`, "passed", 60],
      [`${DRILL_ID}-r2`, "passed", 120],
      [`${DRILL_ID}-r3`, "passed", 60],
    ]);
    // Cleanup after the last restore (r3 measured at 06:02) plus the keep (600 s), once, for every sample.
    expect(at.cleanup).to.deep.equal(["2026-12-01T06:12:00.000Z"]);
    expect(cleanupIds(events)).to.deep.equal([[`${DRILL_ID}-r1`, `${DRILL_ID}-r2`, `${DRILL_ID}-r3`]]);
    const report = ofStep(events, "report")[0];
    expect([Object.keys(report), report.state && Object.keys(report.state)]).to.deep.equal([
      ["step", "drillId", "startedAt", "state"],
      ["drill", "results", "cleanup"],
    ]);
    expect(steps(events).slice(-2)).to.deep.equal(["cleanup", "report"]);
  });

  it("a restore failing validation is measured failed; cleanup runs for every sample; the drill fails", async () => {
    const { fn, events } = scripted({ invalid: [`${DRILL_ID}-r2`] });
    const run = await drill(fn);
    expect([run.status, run.error]).to.deep.equal(["FAILED", "DrillFailed"]);
    expect(ofStep(events, "measure").find((e) => e.sample.restoreId === `${DRILL_ID}-r2`)).to.not.have.property("error");
    expect(ofStep(events, "report")[0].state?.results?.map((r) => r.outcome)).to.deep.equal(["passed", "failed", "passed"]);
    expect(cleanupIds(events)).to.have.length(1);
  });

  it("a restore that times out (poll reports failed) is measured from its state, without validate; cleanup runs", async () => {
    const { fn, events } = scripted({ polls: { [`${DRILL_ID}-r1`]: ["pending", "pending", "failed"] } });
    const run = await drill(fn);
    expect(run.status).to.equal("FAILED");
    expect(ofStep(events, "validate").map((e) => e.sample.restoreId)).to.deep.equal([`${DRILL_ID}-r2`, `${DRILL_ID}-r3`]);
    const measured = ofStep(events, "measure").find((e) => e.sample.restoreId === `${DRILL_ID}-r1`);
    expect([measured?.state?.status, measured?.error]).to.deep.equal(["failed", undefined]);
    const result = ofStep(events, "report")[0].state?.results?.[0];
    expect([result?.outcome, result?.failure?.name]).to.deep.equal(["failed", "RestoreTimedOut"]);
    expect(cleanupIds(events)).to.have.length(1);
  });

  it("a Start that throws is caught into measure with the sample and the error (no state); the other restores go on", async () => {
    const script = scripted();
    const { fn, events } = scripted({
      override: {
        start: (e, call) => {
          if (e.step === "start" && e.sample.restoreId === `${DRILL_ID}-r1`) throw named("RestoreNameTakenError", "drill-i-1 exists");
          return script.fn(e, call);
        },
      },
    });
    const run = await drill(fn);
    expect(run.status).to.equal("FAILED");
    const measured = ofStep(events, "measure").find((e) => e.sample.restoreId === `${DRILL_ID}-r1`);
    expect(measured).to.deep.equal({ step: "measure", sample: sample(1, "ec2"), error: { Error: "RestoreNameTakenError", Cause: JSON.stringify({ errorType: "RestoreNameTakenError", errorMessage: "drill-i-1 exists" }) } });
    expect(ofStep(events, "report")[0].state?.results?.map((r) => [r.outcome, r.failure?.name])).to.deep.equal([
      ["failed", "RestoreNameTakenError"],
      ["passed", undefined],
      ["passed", undefined],
    ]);
    expect(run.invocations.filter((i) => i.state === S.start && i.iteration?.index === 0).map((i) => i.attempt)).to.deep.equal([1]);
    expect(cleanupIds(events)).to.have.length(1);
  });

  it("a throttled Start is retried with the same startedAt (the state's entered time), so RTO counts from the first try", async () => {
    const script = scripted();
    const { fn, events } = scripted({
      override: {
        start: (e, call) => {
          if (e.step === "start" && e.sample.restoreId === `${DRILL_ID}-r1` && call.attempt <= 2) throw named("ThrottlingException", "Rate exceeded");
          return script.fn(e, call);
        },
      },
    });
    const run = await drill(fn);
    expect(run.status).to.equal("SUCCEEDED");
    const r1 = ofStep(events, "start").filter((e) => e.sample.restoreId === `${DRILL_ID}-r1`);
    expect(r1.map((e) => e.startedAt)).to.deep.equal(Array(3).fill(START.toISOString()));
    // 5 s and 10 s of backoff, then 60 s of polling: the RTO includes the throttled tries.
    expect(ofStep(events, "report")[0].state?.results?.[0].rtoSeconds).to.equal(75);
  });

  it("Measure failing is caught: a failed result built from the sample alone, and the Map goes on", async () => {
    const script = scripted();
    const { fn, events } = scripted({
      override: {
        measure: (e, call) => {
          if (e.step === "measure" && e.sample.restoreId === `${DRILL_ID}-r3`) throw named("AccessDenied", "ec2:DescribeVolumes");
          return script.fn(e, call);
        },
      },
    });
    const run = await drill(fn);
    expect(run.status).to.equal("FAILED");
    const s3 = sample(3, "ec2");
    expect(ofStep(events, "report")[0].state?.results?.[2]).to.deep.equal({
      restoreId: s3.restoreId,
      plan: s3.plan,
      kind: s3.kind,
      source: s3.source,
      pointId: s3.pointId,
      taken: s3.taken,
      rpoSeconds: s3.rpoSeconds,
      targets: s3.targets,
      outcome: "failed",
      missed: ["rto"],
      // The caught error whole: the report turns it into the result's failure (a path to a missing Cause would fail the run).
      error: { Error: "AccessDenied", Cause: JSON.stringify({ errorType: "AccessDenied", errorMessage: "ec2:DescribeVolumes" }) },
      created: [],
    } satisfies DrillResult);
    expect(cleanupIds(events)).to.have.length(1);
  });

  it("the Map failing (an iteration without its catch) still keeps and cleans up every sample; the report gets the error", async () => {
    // The machine catches every Task in the iteration, so only a changed machine can fail the Map: take Measure's Catch away.
    const definition = drillMachineDefinition(FUNCTION_ARN, 6 * 3600, 2);
    const map = definition.States[S.restores];
    if (map.Type !== "Map") throw new Error("no Map");
    const measure = map.ItemProcessor.States[S.measure];
    if (measure.Type !== "Task") throw new Error("no Measure");
    measure.Catch = [];
    const script = scripted();
    const { fn, events, at } = scripted({
      override: {
        measure: (e, call) => {
          if (e.step === "measure" && e.sample.restoreId === `${DRILL_ID}-r1`) throw named("Sandbox.Timedout", "Task timed out after 900 seconds");
          return script.fn(e, call);
        },
      },
    });
    const run = await drill(fn, { definition });
    expect([run.status, run.error]).to.deep.equal(["FAILED", "DrillFailed"]);
    const cleanup = ofStep(events, "cleanup");
    expect(cleanup).to.have.length(1);
    expect(cleanup[0].state).to.not.have.property("results");
    expect(cleanup[0].state.error?.Error).to.equal("Sandbox.Timedout");
    expect(cleanupIds(events)).to.deep.equal([[`${DRILL_ID}-r1`, `${DRILL_ID}-r2`, `${DRILL_ID}-r3`]]);
    // The Keep still waits before cleanup (600 s after the Map failed at r1's measure).
    expect(Date.parse(at.cleanup[0]) - Date.parse(at.measure[0])).to.equal(600_000);
    const report = ofStep(events, "report")[0];
    expect([report.error, report.state?.error?.Error, report.state?.cleanup?.status]).to.deep.equal([undefined, "Sandbox.Timedout", "done"]);
  });

  it("cleanup pending twice then done: called three times, CleanupWait between, each call given the last cleanup", async () => {
    const { fn, events, at } = scripted({ cleanup: ["pending", "pending", "done"] });
    const run = await drill(fn);
    expect(run.status).to.equal("SUCCEEDED");
    expect(at.cleanup).to.deep.equal(["2026-12-01T06:12:00.000Z", "2026-12-01T06:12:30.000Z", "2026-12-01T06:13:00.000Z"]);
    expect(ofStep(events, "cleanup").map((e) => e.state.cleanup?.status)).to.deep.equal([undefined, "pending", "pending"]);
    expect(run.transitions.filter((t) => t.state === S.cleanupWait)).to.have.length(2);
    expect(ofStep(events, "report")[0].state?.cleanup?.status).to.equal("done");
  });

  it("cleanup incomplete past its deadline: no more calls, the report says so, the drill fails", async () => {
    const { fn, events } = scripted({ cleanup: ["pending", "incomplete"] });
    const run = await drill(fn);
    expect([run.status, steps(events).filter((s) => s === "cleanup").length]).to.deep.equal(["FAILED", 2]);
  });

  it("Pick failing goes to the report with the error only: no restore, no cleanup", async () => {
    const { fn, events } = scripted({ override: { pick: () => Promise.reject(named("UnknownPlanError", "no plan platinum")) } });
    const run = await drill(fn, { input: { plan: "platinum" } });
    expect([run.status, run.error]).to.deep.equal(["FAILED", "DrillFailed"]);
    expect(steps(events)).to.deep.equal(["pick", "report"]);
    expect(events[1]).to.deep.equal({ step: "report", drillId: DRILL_ID, startedAt: START.toISOString(), request: { plan: "platinum" }, error: { Error: "UnknownPlanError", Cause: JSON.stringify({ errorType: "UnknownPlanError", errorMessage: "no plan platinum" }) } });
  });

  it("a Cleanup call that fails (timed out, crashed) is retried, and deletion goes on: one failed call does not end cleanup", async () => {
    const script = scripted({ cleanup: ["pending", "done"] });
    let failures = 0;
    const { fn, events } = scripted({
      cleanup: ["pending", "done"],
      override: {
        cleanup: (e, call) => {
          if (call.attempt <= 2) {
            failures += 1;
            throw named("Sandbox.Timedout", "Task timed out after 900.00 seconds");
          }
          return script.fn(e, call);
        },
      },
    });
    const run = await drill(fn);
    expect(run.status).to.equal("SUCCEEDED");
    expect(failures).to.be.greaterThan(0);
    const report = ofStep(events, "report")[0];
    expect([report.error, report.state?.cleanup?.status]).to.deep.equal([undefined, "done"]);
    expect(run.transitions.filter((t) => t.state === S.cleanupFailed)).to.deep.equal([]);
  });

  it("a Cleanup that keeps failing reaches the report after its retries (about 15 minutes of them)", async () => {
    const { fn, at } = scripted({ override: { cleanup: () => Promise.reject(named("Runtime.OutOfMemory", "out of memory")) } });
    const run = await drill(fn);
    expect([run.status, run.error]).to.deep.equal(["FAILED", "DrillFailed"]);
    expect(at.cleanup).to.have.length(6);
    expect(Date.parse(at.cleanup[5]) - Date.parse(at.cleanup[0])).to.equal((30 + 60 + 120 + 240 + 480) * 1000);
  });

  it("Cleanup failing goes to the report with the drill's state and the error", async () => {
    const { fn, events } = scripted({ override: { cleanup: () => Promise.reject(named("AccessDenied", "rds:DeleteDBInstance")) } });
    const run = await drill(fn);
    expect(run.status).to.equal("FAILED");
    const report = ofStep(events, "report")[0];
    expect(report.error?.Error).to.equal("AccessDenied");
    expect(report.state?.results).to.have.length(3);
    expect(report.state).to.not.have.property("error");
  });

  it("the report failing ends in DrillReportFailed", async () => {
    const { fn } = scripted({ override: { report: () => Promise.reject(named("AccessDenied", "s3:PutObject")) } });
    const run = await drill(fn);
    expect([run.status, run.error]).to.deep.equal(["FAILED", "DrillReportFailed"]);
  });

  it("a keep of 0 seconds cleans up as soon as the last restore is measured", async () => {
    const { fn, at } = scripted({ keepSeconds: 0 });
    const run = await drill(fn);
    expect([run.status, at.measure.slice(-1)[0], at.cleanup]).to.deep.equal(["SUCCEEDED", "2026-12-01T06:02:00.000Z", ["2026-12-01T06:02:00.000Z"]]);
  });

  it("no samples: the Map yields no results, cleanup and the report still run", async () => {
    const { fn, events } = scripted({ samples: [] });
    const run = await drill(fn);
    expect(steps(events)).to.deep.equal(["pick", "cleanup", "report"]);
    expect(ofStep(events, "report")[0].state?.results).to.deep.equal([]);
    expect(run.maps[S.restores]).to.deep.equal({ maxConcurrency: 2, mostInFlight: 0, iterations: 0 });
  });

  describe("TimeoutSeconds against restores that run to their kind's deadline", () => {
    const kindMinutes = 60;
    const deleteMinutes = 20;
    const samples = [1, 2, 3, 4, 5].map((n) => sample(n, "ec2"));
    /** Every restore stays pending until its 60-minute deadline; cleanup stays pending 20 + 60 minutes, then incomplete. */
    function slow() {
      let firstCleanup: number | undefined;
      const base = scripted({ samples, keepSeconds: 0 });
      return scripted({
        samples,
        keepSeconds: 0,
        override: {
          poll: (e, call) => (e.step === "poll" ? { sample: e.sample, state: { ...e.state, status: call.now.getTime() >= Date.parse(e.state.deadline) ? "failed" : "pending" } } : undefined),
          cleanup: (e, call) => {
            if (e.step !== "cleanup") return undefined;
            firstCleanup ??= call.now.getTime();
            // No restore validated: cleanup's deadline is the deletion time plus the restore time (handlers/drill/cleanup.ts).
            const done = call.now.getTime() - firstCleanup >= (deleteMinutes + kindMinutes) * 60_000;
            return base.fn({ ...e }, call).then((s) => ({ ...(s as DrillState), cleanup: { ...(s as DrillState).cleanup, status: done ? "incomplete" : "pending" } }));
          },
        },
      });
    }

    it("with the waves counted (5 restores, 2 at once: 3 waves), cleanup and the report run before the machine's timeout", async () => {
      const timeout = drillMachineTimeoutSeconds({ restoreTimeoutMinutes: [kindMinutes], keepMinutes: 0, deleteTimeoutMinutes: [deleteMinutes], maxSamples: 5, maxConcurrency: 2 });
      const { fn, events } = slow();
      const run = await drill(fn, { definition: drillMachineDefinition(FUNCTION_ARN, timeout, 2) });
      expect([run.status, run.error]).to.deep.equal(["FAILED", "DrillFailed"]);
      expect(ofStep(events, "report")[0].state?.cleanup?.status).to.equal("incomplete");
      expect(run.elapsedSeconds).to.be.lessThan(timeout);
    });

    it("the history the worst case writes is what drillHistoryEvents counts for it (at most, and within a poll a restore)", async () => {
      const { fn } = slow();
      const timeout = drillMachineTimeoutSeconds({ restoreTimeoutMinutes: [kindMinutes], keepMinutes: 0, deleteTimeoutMinutes: [deleteMinutes], maxSamples: 5, maxConcurrency: 2 });
      const run = await drill(fn, { definition: drillMachineDefinition(FUNCTION_ARN, timeout, 2) });
      // The stub's pace: restores polled every 60 s to a 60-minute deadline, cleanup every 30 s for 20 + 60 minutes.
      const counted = drillHistoryEvents({ restore: [{ pollSeconds: 60, timeoutMinutes: kindMinutes }], deletion: [{ deletePollSeconds: 30, deleteTimeoutMinutes: deleteMinutes }] }, samples.length);
      expect(run.historyEvents).to.be.at.most(counted);
      // What the count assumes and this run skips: a poll and a Validate a restore, the last cleanup's Wait, a Succeed's exit.
      expect(counted - run.historyEvents).to.be.at.most(samples.length * (9 + 5) + 2 + 1);
    });

    it("with one wave assumed, the machine times out before cleanup: nothing would be deleted (why the waves count)", async () => {
      const timeout = drillMachineTimeoutSeconds({ restoreTimeoutMinutes: [kindMinutes], keepMinutes: 0, deleteTimeoutMinutes: [deleteMinutes] });
      const { fn, events } = slow();
      const run = await drill(fn, { definition: drillMachineDefinition(FUNCTION_ARN, timeout, 2) });
      expect([run.status, run.error]).to.deep.equal(["TIMED_OUT", "States.Timeout"]);
      expect(steps(events)).to.not.include("cleanup");
    });
  });

  it("a step answering outside the contract (a state without waitSeconds) fails the execution with States.Runtime, before cleanup", async () => {
    const { fn, events } = scripted({ override: { start: (e) => (e.step === "start" ? { sample: e.sample, state: { status: "pending" } } : undefined) } });
    const run = await drill(fn);
    expect([run.status, run.error]).to.deep.equal(["FAILED", "States.Runtime"]);
    expect(steps(events)).to.not.include("cleanup");
  });
});
