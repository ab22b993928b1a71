// The drill state machine's definition (infra/drill-machine.ts): valid States Language, every state reachable in its
// scope, every Task retried and caught, deletion on every way from the restores to the report, one restore unable to
// fail the Map, the bounded Map, the step events of the contract, and the machine's TimeoutSeconds arithmetic.
import { expect } from "chai";
import { DRILL_STEPS, type DrillResult } from "../../handlers/drill/contract";
import { LAMBDA_SERVICE_ERRORS, MAX_HISTORY_EVENTS, THROTTLING_ERRORS, type AslDefinition, type AslMap, type AslState } from "../../infra/asl";
import {
  DRILL_HISTORY_SHARE,
  DRILL_MACHINE_MARGIN_MINUTES,
  DRILL_STATE as S,
  drillHistoryEvents,
  drillMachineDefinition,
  drillMachineTimeoutSeconds,
  drillMaxSamples,
} from "../../infra/drill-machine";
import { reachableFrom, scopes, successors, tasks, validateAsl } from "../helpers/asl-validate";

const FUNCTION_ARN = "arn:aws:lambda:us-west-2:123456789012:function:drill-dr";
const definition = drillMachineDefinition(FUNCTION_ARN, 6 * 3600, 4);

function mapState(d: AslDefinition): AslMap {
  const map = d.States[S.restores];
  if (map.Type !== "Map") throw new Error(`${S.restores} is not a Map`);
  return map;
}

/**
 * The whole definition as one graph (state names are unique across it): each state's successors, a Map to its
 * iteration's start, an iteration's End to the Map's Next, an iteration's Fail to the Map's Catch targets.
 */
function graph(d: AslDefinition): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  const add = (from: string, ...to: string[]) => edges.set(from, [...(edges.get(from) ?? []), ...to]);
  for (const { scope } of scopes(d)) for (const [name, state] of Object.entries(scope.States)) add(name, ...successors(state));
  for (const [mapName, map] of Object.entries(d.States)) {
    if (map.Type !== "Map") continue;
    add(mapName, map.ItemProcessor.StartAt);
    for (const [name, state] of Object.entries(map.ItemProcessor.States)) {
      if (("End" in state && state.End === true) || state.Type === "Succeed") add(name, ...(map.Next === undefined ? [] : [map.Next]));
      if (state.Type === "Fail") add(name, ...map.Catch.map((c) => c.Next));
    }
  }
  return edges;
}

function reach(edges: Map<string, string[]>, from: string, without: string[] = []): Set<string> {
  const seen = new Set<string>();
  const queue = [from];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    if (seen.has(name) || without.includes(name)) continue;
    seen.add(name);
    queue.push(...(edges.get(name) ?? []));
  }
  return seen;
}

/** The keys DrillResult must have (the compiler checks this list against the contract: a new required field fails here). */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
const DRILL_RESULT_REQUIRED: Record<RequiredKeys<DrillResult>, true> = {
  restoreId: true,
  plan: true,
  kind: true,
  source: true,
  pointId: true,
  taken: true,
  outcome: true,
  missed: true,
  rpoSeconds: true,
  targets: true,
  created: true,
};

describe("drill state machine definition", () => {
  it("is valid States Language (asl-validator, paths and ARNs checked)", () => {
    const result = validateAsl(definition, { checkPaths: true, checkArn: true });
    expect(result.errorsText(), "asl-validator").to.equal("");
    expect(result.isValid).to.equal(true);
  });

  it("the validator refuses a state name used both in the Map's iteration and outside it", () => {
    const broken = JSON.parse(JSON.stringify(definition)) as AslDefinition;
    mapState(broken).ItemProcessor.States[S.keep] = { Type: "Succeed" };
    expect(validateAsl(broken).errorsText()).to.include(`A state with this name already exists: ${S.keep}`);
  });

  it("reaches every state of each scope from its StartAt, and every transition names a state of its scope", () => {
    const all = scopes(definition);
    expect(all.map((s) => s.map)).to.deep.equal(["(machine)", S.restores]);
    for (const { map, scope } of all) {
      expect([...reachableFrom(scope)].sort(), map).to.deep.equal(Object.keys(scope.States).sort());
      for (const state of Object.values(scope.States)) for (const next of successors(state)) expect(scope.States, `${map}: ${next}`).to.have.property(next);
    }
  });

  it("invokes only the drill function, through the optimized Lambda integration, with every step of the contract but watch", () => {
    const steps = tasks(definition).map(([name, t]) => {
      expect(t.Resource, name).to.equal("arn:aws:states:::lambda:invoke");
      expect(t.Parameters.FunctionName, name).to.equal(FUNCTION_ARN);
      const payload = t.Parameters.Payload as { step?: string } | undefined;
      return [name, payload?.step ?? (t.Parameters["Payload.$"] === "$" ? "(built before it)" : "?")];
    });
    expect(steps).to.deep.equal([
      [S.pick, "pick"],
      [S.cleanup, "cleanup"],
      [S.report, "(built before it)"],
      [S.start, "start"],
      [S.poll, "poll"],
      [S.validate, "validate"],
      [S.measure, "(built before it)"],
    ]);
    expect(DRILL_STEPS.filter((s) => s !== "watch")).to.deep.equal(["pick", "start", "poll", "validate", "measure", "cleanup", "report"]);
    // Measure's and Report's events are built by the Pass states before them, each with its step.
    const builders = (target: string) =>
      scopes(definition).flatMap(({ scope }) => Object.entries(scope.States).filter(([, s]) => s.Type === "Pass" && s.Next === target)).map(([n, s]) => [n, s.Type === "Pass" && s.Parameters.step]);
    expect(builders(S.measure)).to.deep.equal([
      [S.restored, "measure"],
      [S.startFailed, "measure"],
      [S.stepFailed, "measure"],
    ]);
    expect(builders(S.report)).to.deep.equal([
      [S.drilled, "report"],
      [S.cleanupFailed, "report"],
      [S.pickFailed, "report"],
    ]);
  });

  it("sends each step the contract's fields, and only the ones known on that way in", () => {
    const st = (name: string): AslState => scopes(definition).flatMap(({ scope }) => (scope.States[name] === undefined ? [] : [scope.States[name]]))[0];
    const payload = (name: string) => {
      const s = st(name);
      return s.Type === "Task" ? s.Parameters.Payload : s.Type === "Pass" ? s.Parameters : undefined;
    };
    const run = { "drillId.$": "$$.Execution.Name", "startedAt.$": "$$.Execution.StartTime" };
    expect(payload(S.pick)).to.deep.equal({ step: "pick", ...run, "request.$": "$" });
    expect(payload(S.start)).to.deep.equal({ step: "start", "sample.$": "$.sample", "startedAt.$": "$$.State.EnteredTime" });
    expect(payload(S.poll)).to.deep.equal({ step: "poll", "sample.$": "$.sample", "state.$": "$.state" });
    expect(payload(S.validate)).to.deep.equal({ step: "validate", "sample.$": "$.sample", "state.$": "$.state" });
    expect(payload(S.restored)).to.deep.equal({ step: "measure", "sample.$": "$.sample", "state.$": "$.state" });
    expect(payload(S.startFailed)).to.deep.equal({ step: "measure", "sample.$": "$.sample", "error.$": "$.error" });
    expect(payload(S.stepFailed)).to.deep.equal({ step: "measure", "sample.$": "$.sample", "state.$": "$.state", "error.$": "$.error" });
    expect(payload(S.cleanup)).to.deep.equal({ step: "cleanup", "state.$": "$.state" });
    expect(payload(S.drilled)).to.deep.equal({ step: "report", ...run, "state.$": "$.state" });
    expect(payload(S.cleanupFailed)).to.deep.equal({ step: "report", ...run, "state.$": "$.state", "error.$": "$.error" });
    // After a failed pick the report scopes its plans by the request: the execution's input.
    expect(payload(S.pickFailed)).to.deep.equal({ step: "report", ...run, "request.$": "$$.Execution.Input", "error.$": "$.error" });
  });

  it("MeasureFailed builds a DrillResult from the sample alone: every required field, outcome failed", () => {
    const fallback = mapState(definition).ItemProcessor.States[S.measureFailed];
    if (fallback.Type !== "Pass") throw new Error("MeasureFailed is not a Pass");
    const keys = Object.keys(fallback.Parameters).map((k) => k.replace(/\.\$$/, ""));
    expect(keys).to.include.members(Object.keys(DRILL_RESULT_REQUIRED));
    // Only paths the contract guarantees: the sample's fields, and the caught error whole (its Cause may be missing).
    for (const [key, value] of Object.entries(fallback.Parameters)) if (key.endsWith(".$")) expect(value, key).to.match(/^\$\.(sample\.|error$)/);
    expect(fallback.Parameters).to.deep.include({ outcome: "failed", missed: ["rto"], created: [], "error.$": "$.error" });
    expect(fallback.Parameters).to.not.have.property("failure");
    expect(fallback.End).to.equal(true);
  });

  it("retries every Task on the Lambda service's errors and on throttling, with backoff, and catches everything else", () => {
    for (const [name, t] of tasks(definition)) {
      const retried = t.Retry.flatMap((r) => r.ErrorEquals);
      expect(retried, name).to.include.members([...LAMBDA_SERVICE_ERRORS, ...THROTTLING_ERRORS]);
      // Only Cleanup (idempotent) retries any error, after the specific retriers (a retrier's order decides).
      if (name === S.cleanup) expect(t.Retry[t.Retry.length - 1], name).to.deep.equal({ ErrorEquals: ["States.ALL"], IntervalSeconds: 30, MaxAttempts: 5, BackoffRate: 2 });
      else expect(retried, name).to.not.include("States.ALL");
      for (const r of t.Retry) expect([r.BackoffRate > 1, r.MaxAttempts > 1, r.IntervalSeconds > 0], name).to.deep.equal([true, true, true]);
      expect(t.Catch.map((c) => [c.ErrorEquals, c.ResultPath]), name).to.deep.equal([[["States.ALL"], "$.error"]]);
    }
  });

  it("deletion is reachable from the Catch of every Task but Pick, Cleanup and Report", () => {
    const edges = graph(definition);
    const checked: string[] = [];
    for (const [name, t] of tasks(definition)) {
      if (([S.pick, S.cleanup, S.report] as string[]).includes(name)) continue;
      for (const c of t.Catch) expect(reach(edges, c.Next).has(S.cleanup), `${name} -> ${c.Next}`).to.equal(true);
      checked.push(name);
    }
    expect(checked).to.deep.equal([S.start, S.poll, S.validate, S.measure]);
    const map = mapState(definition);
    for (const c of map.Catch) expect(reach(edges, c.Next).has(S.cleanup), `the Map's Catch -> ${c.Next}`).to.equal(true);
  });

  it("no way from the restores to the report skips cleanup (with Cleanup removed, Report is out of reach)", () => {
    const edges = graph(definition);
    const starts = [S.restores, ...Object.keys(mapState(definition).ItemProcessor.States)];
    for (const from of starts) {
      expect(reach(edges, from).has(S.report), from).to.equal(true);
      expect(reach(edges, from, [S.cleanup]).has(S.report), `${from} without ${S.cleanup}`).to.equal(false);
    }
  });

  it("the graph check fails on a definition whose Map Catch skips cleanup (the check can fail)", () => {
    const broken = JSON.parse(JSON.stringify(definition)) as AslDefinition;
    mapState(broken).Catch = [{ ErrorEquals: ["States.ALL"], ResultPath: "$.state.error", Next: S.drilled }];
    expect(reach(graph(broken), S.restores, [S.cleanup]).has(S.report)).to.equal(true);
  });

  it("Pick's failure goes to the report without cleanup (pick creates nothing); Cleanup's failure still reports", () => {
    const edges = graph(definition);
    const pickCatch = tasks(definition).find(([n]) => n === S.pick)?.[1].Catch[0].Next ?? "";
    expect([pickCatch, reach(edges, pickCatch).has(S.report), reach(edges, pickCatch).has(S.cleanup)]).to.deep.equal([S.pickFailed, true, false]);
    const cleanupCatch = tasks(definition).find(([n]) => n === S.cleanup)?.[1].Catch[0].Next ?? "";
    expect([cleanupCatch, reach(edges, cleanupCatch).has(S.report)]).to.deep.equal([S.cleanupFailed, true]);
    const report = definition.States[S.report];
    expect(report.Type === "Task" && report.Catch.map((c) => [c.ErrorEquals, definition.States[c.Next].Type])).to.deep.equal([[["States.ALL"], "Fail"]]);
  });

  it("one restore cannot fail the Map: its iteration has no Fail, and every state of it reaches an End", () => {
    const iteration = mapState(definition).ItemProcessor;
    const states = Object.entries(iteration.States);
    expect(states.filter(([, s]) => s.Type === "Fail" || s.Type === "Succeed")).to.deep.equal([]);
    const ends = states.filter(([, s]) => "End" in s && s.End === true).map(([n]) => n);
    expect(ends).to.deep.equal([S.measure, S.measureFailed]);
    for (const [name] of states) expect(ends.some((e) => reachableFrom(iteration, name).has(e)), name).to.equal(true);
  });

  it("runs at most maxConcurrency restores at once, each iteration given its sample, the results beside the drill", () => {
    const map = mapState(definition);
    expect(map).to.deep.include({ ItemsPath: "$.state.drill.samples", ItemSelector: { "sample.$": "$$.Map.Item.Value" }, MaxConcurrency: 4, ResultPath: "$.state.results" });
    expect(map.ItemProcessor.ProcessorConfig).to.deep.equal({ Mode: "INLINE" });
    expect(map.Catch).to.deep.equal([{ ErrorEquals: ["States.ALL"], ResultPath: "$.state.error", Next: S.keep }]);
    expect(mapState(drillMachineDefinition(FUNCTION_ARN, 3600, 40)).MaxConcurrency).to.equal(40);
    for (const bad of [0, -1, 2.5, 41]) expect(() => drillMachineDefinition(FUNCTION_ARN, 3600, bad), String(bad)).to.throw("maxConcurrency");
    expect(() => drillMachineDefinition(FUNCTION_ARN, 0, 4)).to.throw("timeoutSeconds");
  });

  it("waits only in the machine: the poll interval, the keep, and cleanup's interval, each from the data", () => {
    const waits = scopes(definition).flatMap(({ scope }) => Object.entries(scope.States).filter(([, s]) => s.Type === "Wait"));
    expect(waits.map(([n, s]) => [n, s.Type === "Wait" && s.SecondsPath, s.Type === "Wait" && s.Next])).to.deep.equal([
      [S.keep, "$.state.drill.keepSeconds", S.cleanup],
      [S.cleanupWait, "$.state.cleanup.waitSeconds", S.cleanup],
      [S.restoreWait, "$.state.waitSeconds", S.poll],
    ]);
  });

  it("calls cleanup again while pending, and ends by the report's status", () => {
    expect(definition.States[S.cleaned]).to.deep.equal({ Type: "Choice", Choices: [{ Variable: "$.state.cleanup.status", StringEquals: "pending", Next: S.cleanupWait }], Default: S.drilled });
    expect(definition.States[S.reported]).to.deep.equal({ Type: "Choice", Choices: [{ Variable: "$.status", StringEquals: "passed", Next: S.passed }], Default: S.drillFailed });
    expect([definition.States[S.drillFailed], definition.States[S.reportFailed]].map((s) => s.Type === "Fail" && s.Error)).to.deep.equal(["DrillFailed", "DrillReportFailed"]);
  });

  it("takes the partition from the function's ARN", () => {
    const cn = drillMachineDefinition("arn:aws-cn:lambda:cn-north-1:123456789012:function:drill-dr", 3600, 2);
    expect(new Set(tasks(cn).map(([, t]) => t.Resource))).to.deep.equal(new Set(["arn:aws-cn:states:::lambda:invoke"]));
    expect(() => drillMachineDefinition("drill-dr", 3600, 2)).to.throw("expected an ARN");
  });

  it("counts the history events of the worst case: every restore polled to its deadline, cleanup to its deadline", () => {
    const pace = { restore: [{ pollSeconds: 60, timeoutMinutes: 60 }, { pollSeconds: 30, timeoutMinutes: 20 }], deletion: [{ deletePollSeconds: 60, deleteTimeoutMinutes: 30 }, { deletePollSeconds: 30, deleteTimeoutMinutes: 5 }] };
    // 61 polls (the 60-minute kind), each a Wait, a Task and a Choice: 9 events; the iteration 2, Start, Validate,
    // Measure 5 each and the measure event's Pass 2. Cleanup: 30 minutes plus the longest restore time (60: a restore
    // that did not validate may still be creating) at 30 s, 181 calls of 9 events.
    const perSample = 2 + 17 + 61 * 9;
    const once = 2 + (5 + 4 + 2 + 2 + 5 + 2 + 2) + 181 * 9;
    expect([drillHistoryEvents(pace, 0), drillHistoryEvents(pace, 3)]).to.deep.equal([once, once + 3 * perSample]);
    const most = drillMaxSamples(pace);
    expect(most).to.equal(Math.floor((MAX_HISTORY_EVENTS * DRILL_HISTORY_SHARE - once) / perSample));
    expect(drillHistoryEvents(pace, most)).to.be.at.most(MAX_HISTORY_EVENTS * DRILL_HISTORY_SHARE);
    expect(drillHistoryEvents(pace, most + 1)).to.be.greaterThan(MAX_HISTORY_EVENTS * DRILL_HISTORY_SHARE);
    expect(() => drillHistoryEvents({ ...pace, restore: [] }, 1)).to.throw("at least one");
  });

  it("times out after every wave of restores, the keep, the slowest deletion and the margin", () => {
    expect(definition.TimeoutSeconds).to.equal(6 * 3600);
    const base = { restoreTimeoutMinutes: [60, 180, 90], keepMinutes: 15, deleteTimeoutMinutes: [15, 30] };
    expect(drillMachineTimeoutSeconds(base)).to.equal((180 + 15 + 180 + 30 + DRILL_MACHINE_MARGIN_MINUTES) * 60);
    // 9 restores, 4 at once: 3 waves of the longest restore.
    expect(drillMachineTimeoutSeconds({ ...base, maxSamples: 9, maxConcurrency: 4 })).to.equal((3 * 180 + 15 + 180 + 30 + DRILL_MACHINE_MARGIN_MINUTES) * 60);
    expect(drillMachineTimeoutSeconds({ ...base, maxSamples: 4, maxConcurrency: 4 })).to.equal(drillMachineTimeoutSeconds(base));
    expect(drillMachineTimeoutSeconds({ ...base, maxSamples: 0, maxConcurrency: 4 })).to.equal(drillMachineTimeoutSeconds(base));
    expect(drillMachineTimeoutSeconds({ ...base, keepMinutes: 0 })).to.equal((180 + 180 + 30 + DRILL_MACHINE_MARGIN_MINUTES) * 60);
    expect(() => drillMachineTimeoutSeconds({ ...base, restoreTimeoutMinutes: [] })).to.throw("restoreTimeoutMinutes");
    expect(() => drillMachineTimeoutSeconds({ ...base, deleteTimeoutMinutes: [] })).to.throw("deleteTimeoutMinutes");
    expect(() => drillMachineTimeoutSeconds({ ...base, keepMinutes: -1 })).to.throw("keepMinutes");
    expect(() => drillMachineTimeoutSeconds({ ...base, maxSamples: 9 })).to.throw("both");
    expect(() => drillMachineTimeoutSeconds({ ...base, maxSamples: 9, maxConcurrency: 0 })).to.throw("maxConcurrency");
  });
});
