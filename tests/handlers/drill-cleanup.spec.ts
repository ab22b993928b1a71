// The drill's cleanup: deleteRestored for every sample (after success, a failed validation, a timeout, and a failed
// Map with no results), with this drill's id and this stack; pending -> done over calls; incomplete past the deadline
// (the first call's time plus the longest deletion time of the kinds sampled, plus its restore time for a sample that did
// not validate: its creation may still be running); one kind throwing never stops the others;
// bounded concurrency. The drill facets are stubs scripted per call.
import { expect } from "chai";
import type { DrillCleanup, DrillResult, DrillState } from "../../handlers/drill/contract";
import { CLEANUP_CONCURRENCY, cleanupDrill } from "../../handlers/drill/cleanup";
import type { DrillKinds } from "../../handlers/drill/kinds";
import { measureRestore } from "../../handlers/drill/measure";
import { runDrillStep } from "../../handlers/drill/run";
import type { DrillDeletion } from "../../handlers/kinds/kind";
import { restoreKind } from "../../handlers/kinds/registry";
import { FakeAws } from "../helpers/aws-fake";
import { DRILL_ID, drillDeps, drillSettings, pickedState, sample, scriptedDrillKinds, STACK_TAG, type DeleteCall } from "../helpers/drill-setup";

const T0 = new Date("2026-12-01T04:00:00.000Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000).toISOString();
/** The registry's restore times (the stub drill facets take 30 minutes to delete unless told). */
const RESTORE_MINUTES = { ec2: restoreKind("ec2").timeoutMinutes, rds: restoreKind("rds").timeoutMinutes };
const gone = (id: string): DrillDeletion => ({ deleted: [{ type: "volume", id }], remaining: [], refused: [] });
const SAMPLES = [sample(1), sample(2, { kind: "rds", source: "orders-db", pointId: "orders-db-2026-11-30", request: { source: "orders-db", kind: "rds", point: "orders-db-2026-11-30", name: "drill-orders-db-00000002" } }), sample(3)];

function failedResult(n: number, name: string): DrillResult {
  return { ...measureRestore(SAMPLES[n], undefined, { Error: name, Cause: "" }) };
}

describe("drill cleanup", () => {
  let fake: FakeAws;
  let calls: DeleteCall[];
  beforeEach(() => {
    fake = new FakeAws();
    calls = [];
  });

  const clean = (state: DrillState, kinds: DrillKinds, now = T0) => cleanupDrill({ clients: drillDeps(fake, () => now).clients, now: () => now, drillKinds: kinds }, STACK_TAG, state);

  // Validated: deletion time only; not validated (or no result): the slowest sample's restore time on top.
  const unvalidated = at(30 + Math.max(RESTORE_MINUTES.ec2, RESTORE_MINUTES.rds));
  const scenarios: Array<[string, DrillState, string]> = [
    ["after success", { ...pickedState(SAMPLES), results: SAMPLES.map((s) => ({ ...measureRestore(s, undefined, { Error: "x", Cause: "" }), outcome: "passed" as const })) }, at(30)],
    ["after a failed validation", { ...pickedState(SAMPLES), results: [0, 1, 2].map((n) => failedResult(n, "RestoreValidationFailed")) }, unvalidated],
    ["after a timeout", { ...pickedState(SAMPLES), results: [0, 1, 2].map((n) => failedResult(n, "RestoreTimedOut")) }, unvalidated],
    ["after a failed Map (no results)", { ...pickedState(SAMPLES), error: { Error: "States.ExceedToleratedFailureThreshold", Cause: "" } }, unvalidated],
  ];
  for (const [name, state, deadline] of scenarios) {
    it(`${name}: every sample's restore is cleaned, with this drill's id and this stack`, async () => {
      const cleanup = await clean(state, scriptedDrillKinds((_kind, restoreId) => gone(`vol-${restoreId}`), calls));
      expect(calls.map((c) => [c.kind, c.restoreId])).to.have.deep.members(SAMPLES.map((s) => [s.kind, s.restoreId]));
      for (const c of calls) expect(c.ctx).to.deep.equal({ drillId: DRILL_ID, stackTag: STACK_TAG });
      expect(cleanup).to.deep.equal({
        status: "done",
        waitSeconds: 0,
        deadline,
        deleted: SAMPLES.map((s) => ({ type: "volume", id: `vol-${s.restoreId}`, restoreId: s.restoreId })),
        remaining: [],
        refused: [],
        failures: [],
      } satisfies DrillCleanup);
    });
  }

  it("pending while something remains, then done; what earlier calls deleted stays on the record; the deadline is kept", async () => {
    const kinds = scriptedDrillKinds((_kind, restoreId, n) => {
      if (restoreId.endsWith("r1")) return n === 1 ? { deleted: [{ type: "instance", id: "i-1" }], remaining: [{ type: "volume", id: "vol-1", state: "in-use" }], refused: [] } : gone("vol-1");
      return n === 1 ? gone(`vol-${restoreId}`) : { deleted: [], remaining: [], refused: [] };
    }, calls, { ec2: { pollSeconds: 15, timeoutMinutes: 20 }, rds: { pollSeconds: 60, timeoutMinutes: 45 } });
    const state = pickedState(SAMPLES);
    const first = await clean(state, kinds);
    const deadline = at(Math.max(20 + RESTORE_MINUTES.ec2, 45 + RESTORE_MINUTES.rds));
    expect(first).to.deep.include({ status: "pending", waitSeconds: 15, deadline });
    expect(first.remaining).to.deep.equal([{ type: "volume", id: "vol-1", state: "in-use", restoreId: SAMPLES[0].restoreId }]);
    const second = await clean({ ...state, cleanup: first }, kinds, new Date("2026-12-01T04:01:00.000Z"));
    expect(second).to.deep.include({ status: "done", deadline, remaining: [] });
    expect(second.deleted.map((d) => `${d.restoreId}:${d.id}`)).to.have.members([`${SAMPLES[0].restoreId}:i-1`, `${SAMPLES[1].restoreId}:vol-${SAMPLES[1].restoreId}`, `${SAMPLES[2].restoreId}:vol-${SAMPLES[2].restoreId}`, `${SAMPLES[0].restoreId}:vol-1`]);
    expect(calls).to.have.length(6);
  });

  it("past the deadline with something remaining: incomplete, listing what remains", async () => {
    const kinds = scriptedDrillKinds((_kind, restoreId) => (restoreId.endsWith("r3") ? { deleted: [], remaining: [{ type: "db-instance", id: "db-3", state: "deleting" }], refused: [] } : gone(restoreId)), calls);
    const first = await clean(pickedState(SAMPLES), kinds);
    expect(first.status).to.equal("pending");
    const atDeadline = await clean({ ...pickedState(SAMPLES), cleanup: first }, kinds, new Date(first.deadline));
    expect(atDeadline.status, "at the deadline").to.equal("pending");
    const late = await clean({ ...pickedState(SAMPLES), cleanup: first }, kinds, new Date(Date.parse(first.deadline) + 1));
    expect(late).to.deep.include({ status: "incomplete", remaining: [{ type: "db-instance", id: "db-3", state: "deleting", restoreId: SAMPLES[2].restoreId }] });
  });

  it("one kind throwing does not stop the others: its failure recorded, the rest deleted, pending for a retry", async () => {
    const kinds = scriptedDrillKinds((kind, restoreId) => {
      if (kind === "rds") throw Object.assign(new Error("Rate exceeded"), { name: "Throttling" });
      return gone(`vol-${restoreId}`);
    }, calls);
    const cleanup = await clean(pickedState(SAMPLES), kinds);
    expect(cleanup.failures).to.deep.equal([{ restoreId: SAMPLES[1].restoreId, name: "Throttling", message: "Rate exceeded" }]);
    expect(cleanup.deleted.map((d) => d.restoreId)).to.deep.equal([SAMPLES[0].restoreId, SAMPLES[2].restoreId]);
    expect(cleanup).to.deep.include({ status: "pending", waitSeconds: 30 });
    // A kind without a drill facet is that sample's failure too, and the deadline still comes from the others.
    const missing: DrillKinds = { named: (name) => (name === "rds" ? (() => { throw new Error("no drill facet"); })() : scriptedDrillKinds(() => gone("v")).named(name)) };
    const partial = await clean(pickedState(SAMPLES), missing);
    expect(partial.failures.map((f) => f.restoreId)).to.deep.equal([SAMPLES[1].restoreId]);
    expect(partial.deadline).to.equal(at(30 + RESTORE_MINUTES.ec2));
  });

  it("refused resources are reported and do not hold cleanup open; a drill with no sample is done at once", async () => {
    const kinds = scriptedDrillKinds((_kind, restoreId) => ({ deleted: [], remaining: [], refused: restoreId.endsWith("r1") ? [{ type: "volume", id: "vol-x", reason: "its backup-dr:drill-id is another drill's" }] : [] }), calls);
    const cleanup = await clean(pickedState(SAMPLES), kinds);
    expect(cleanup).to.deep.include({ status: "done", refused: [{ type: "volume", id: "vol-x", reason: "its backup-dr:drill-id is another drill's", restoreId: SAMPLES[0].restoreId }] });
    const none = await clean(pickedState([]), kinds);
    expect(none).to.deep.include({ status: "done", deadline: T0.toISOString(), deleted: [] });
  });

  it("only a sample that validated gets no restore time: one failed restore extends the deadline by its kind's", async () => {
    const kinds = scriptedDrillKinds((_kind, restoreId) => gone(restoreId), calls);
    const passed = SAMPLES.map((s) => ({ ...measureRestore(s, undefined, { Error: "x", Cause: "" }), outcome: "passed" as const }));
    const oneFailed = await clean({ ...pickedState(SAMPLES), results: [passed[0], failedResult(1, "RestoreTimedOut"), passed[2]] }, kinds);
    expect(oneFailed.deadline).to.equal(at(30 + RESTORE_MINUTES.rds));
    const missed = await clean({ ...pickedState(SAMPLES), results: passed.map((r) => ({ ...r, outcome: "missed-target" as const })) }, kinds);
    expect(missed.deadline).to.equal(at(30));
  });

  it("a resource still being deleted is counted once, as remaining, until it is gone; then once, as deleted", async () => {
    const db = { type: "db-instance", id: "db-3" };
    const kinds = scriptedDrillKinds((_kind, restoreId, n) => {
      if (!restoreId.endsWith("r3")) return gone(`vol-${restoreId}`);
      // The kinds list a resource whose deletion was sent in both deleted and remaining while it is still there.
      return n < 3 ? { deleted: [{ ...db, state: "deleting" }], remaining: [{ ...db, state: "deleting" }], refused: [] } : { deleted: [db], remaining: [], refused: [] };
    }, calls);
    const state = pickedState(SAMPLES);
    const first = await clean(state, kinds);
    const second = await clean({ ...state, cleanup: first }, kinds);
    for (const c of [first, second]) {
      expect(c.status).to.equal("pending");
      expect(c.remaining.map((e) => e.id)).to.deep.equal(["db-3"]);
      expect(c.deleted.map((e) => e.id)).to.have.members([`vol-${SAMPLES[0].restoreId}`, `vol-${SAMPLES[1].restoreId}`]);
    }
    const third = await clean({ ...state, cleanup: second }, kinds);
    expect(third).to.deep.include({ status: "done", remaining: [] });
    expect(third.deleted.map((e) => e.id)).to.have.members([`vol-${SAMPLES[0].restoreId}`, `vol-${SAMPLES[1].restoreId}`, "db-3"]);
  });

  it("through the step: a malformed result does not stop deletion (cleanup reads only the drill and its own record)", async () => {
    const deps = drillDeps(fake, () => T0, { drillKinds: scriptedDrillKinds((_k, r) => gone(r), calls) });
    const results = [{ restoreId: "not-of-this-drill", outcome: 7 }];
    const next = (await runDrillStep(deps, drillSettings(), { step: "cleanup", state: { ...pickedState(SAMPLES), results, error: { Error: "States.Timeout" } } })) as DrillState;
    expect(next.cleanup?.status).to.equal("done");
    expect(calls.map((c) => c.restoreId)).to.have.members(SAMPLES.map((s) => s.restoreId));
    // What cleanup does not read passes through to the report unchanged.
    expect([next.results, next.error]).to.deep.equal([results, { Error: "States.Timeout" }]);
    // The drill itself is still checked: a drill of another shape is refused before any call.
    calls.length = 0;
    const bad = { step: "cleanup", state: { drill: { ...pickedState(SAMPLES).drill, samples: "x" } } };
    await runDrillStep(deps, drillSettings(), bad).then(
      () => expect.fail("expected MalformedEventError"),
      (e: Error) => expect(e.name).to.equal("MalformedEventError"),
    );
    expect(calls).to.deep.equal([]);
  });

  it(`at most ${CLEANUP_CONCURRENCY} restores are cleaned at once`, async () => {
    let inFlight = 0;
    let most = 0;
    const many = Array.from({ length: 12 }, (_, i) => sample(i + 1));
    const base = scriptedDrillKinds(() => gone("v"));
    const kinds: DrillKinds = {
      named: (name) => ({
        ...base.named(name),
        deleteRestored: async () => {
          inFlight += 1;
          most = Math.max(most, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 5));
          inFlight -= 1;
          return gone("v");
        },
      }),
    };
    const cleanup = await clean(pickedState(many), kinds);
    expect(cleanup.status).to.equal("done");
    expect(most).to.equal(CLEANUP_CONCURRENCY);
  });

  it("through the step: the state comes back with its cleanup", async () => {
    const deps = drillDeps(fake, () => T0, { drillKinds: scriptedDrillKinds((_k, r) => gone(r), calls) });
    const state = pickedState(SAMPLES);
    const next = (await runDrillStep(deps, drillSettings(), { step: "cleanup", state })) as DrillState;
    expect(next.drill).to.deep.equal(state.drill);
    expect(next.cleanup?.status).to.equal("done");
    expect(fake.calls, "the stub kinds make no AWS call").to.deep.equal([]);
  });
});
