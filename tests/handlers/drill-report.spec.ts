// The drill's report: the manifest runs/drill/<yyyy>/<mm>/<dd>/<drillId>.json in the region's vault (a rerun overwrites
// it), the metrics per plan, the summary a person reads on the region's topic, and the verdict: failed when a restore
// failed or missed a target, a plan could not be sampled, cleanup is not done, or the Map or pick failed.
import { expect } from "chai";
import { MAX_FAILURE_MESSAGE, type DrillReport, type DrillRequest, type DrillResult, type DrillState } from "../../handlers/drill/contract";
import { measureRestore } from "../../handlers/drill/measure";
import type { DrillManifest } from "../../handlers/drill/report";
import { runDrillStep } from "../../handlers/drill/run";
import { duration } from "../../handlers/lib/duration";
import { FakeAws } from "../helpers/aws-fake";
import { AwsFault } from "../helpers/aws-wire";
import { rejection } from "../helpers/copy-setup";
import { DR, DRILL_ID, DRILL_START, DRILL_TOPIC_ARN, drillDeps, drillSettings, drRegion, pickedState, sample, STACK_TAG, validatedResult, VAULT_BUCKET } from "../helpers/drill-setup";

const NOW = new Date("2026-12-01T05:00:00.000Z");
const KEY = `runs/drill/2026/12/01/${DRILL_ID}.json`;
const SILVER = { rtoSeconds: 7200, rpoSeconds: 180_000 };
const DB = sample(2, { plan: "silver", kind: "rds", source: "orders-db", pointId: "orders-db-1130", taken: "2026-11-30T04:00:00.000Z", targets: SILVER, request: { source: "orders-db", kind: "rds", point: "orders-db-1130", name: "drill-orders-db-00000002" } });
const SAMPLES = [sample(1), DB];

/** A result as measure returns it for a restore that validated after `rto` seconds. */
const result = (n: number, rto: number): DrillResult => validatedResult(SAMPLES[n], rto, [{ type: n === 0 ? "volume" : "db-instance", id: `made-${n}` }]);

const DONE = { status: "done" as const, waitSeconds: 0, deadline: "2026-12-01T04:30:00.000Z", deleted: [{ type: "volume", id: "made-0", restoreId: SAMPLES[0].restoreId }, { type: "db-instance", id: "made-1", restoreId: DB.restoreId }], remaining: [], refused: [], failures: [] };

describe("drill report", () => {
  let fake: FakeAws;
  let deps: ReturnType<typeof drillDeps>;
  beforeEach(() => {
    fake = new FakeAws();
    drRegion(fake);
    deps = drillDeps(fake, () => NOW);
  });

  const report = (state?: DrillState, error?: { Error: string; Cause: string }) =>
    runDrillStep(deps, drillSettings(), { step: "report", drillId: DRILL_ID, startedAt: DRILL_START, ...(state === undefined ? {} : { state }), ...(error === undefined ? {} : { error }) }) as Promise<DrillReport>;
  const manifest = () => JSON.parse(fake.region(DR).buckets.get(VAULT_BUCKET)?.get(KEY) ?? "null") as DrillManifest | null;
  const messages = () => fake.region(DR).topics.get(DRILL_TOPIC_ARN) ?? [];
  const metrics = () => deps.recorded.metrics.map((m) => ({ plan: m.dimensions.Plan, ...m.values }));

  it("passed: the manifest at its key, a metric set per plan, the summary on the topic", async () => {
    const state: DrillState = { ...pickedState(SAMPLES), results: [result(0, 600), result(1, 1500)], cleanup: DONE };
    const out = await report(state);
    expect(out).to.deep.include({ drillId: DRILL_ID, status: "passed", region: DR, startedAt: DRILL_START, finishedAt: NOW.toISOString(), manifest: `s3://${VAULT_BUCKET}/${KEY}`, cleanup: DONE });
    expect(out).to.not.have.property("failure");
    expect(out.results).to.deep.equal(state.results);
    expect(manifest()).to.deep.include({ drillId: DRILL_ID, status: "passed", stack: STACK_TAG, regionRole: "dr", seed: DRILL_ID, request: {}, keepSeconds: 0, samples: SAMPLES, results: state.results });
    expect(manifest()?.plans).to.deep.equal([
      { plan: "gold", restoreSeconds: 600, pointAgeSeconds: 79_080, failures: 0 },
      { plan: "silver", restoreSeconds: 1500, pointAgeSeconds: 82_800, failures: 0 },
    ]);
    expect(metrics()).to.deep.equal([
      { plan: "gold", DrillRestoreSeconds: 600, DrillRecoveryPointAgeSeconds: 79_080, DrillFailures: 0 },
      { plan: "silver", DrillRestoreSeconds: 1500, DrillRecoveryPointAgeSeconds: 82_800, DrillFailures: 0 },
    ]);
    expect(deps.recorded.metrics.every((m) => m.set === "drillPlan")).to.equal(true);
    const [message] = messages();
    expect(messages()).to.have.length(1);
    expect(message.subject).to.equal(`backup-dr DR drill PASSED: ${STACK_TAG} in ${DR}`);
    expect(message.message.split("\n")).to.include.members([
      `DR drill ${DRILL_ID} of ${STACK_TAG} in ${DR}: PASSED`,
      `  - gold ec2 ${SAMPLES[0].source} from ${SAMPLES[0].pointId} (taken ${SAMPLES[0].taken}): passed; RTO 10m (target 1h); RPO 21h 58m (target 1d 1h)`,
      `  - silver rds orders-db from orders-db-1130 (taken 2026-11-30T04:00:00.000Z): passed; RTO 25m (target 2h); RPO 23h (target 2d 2h)`,
      "Cleanup: done: 2 deleted, 0 remaining",
      `Manifest: s3://${VAULT_BUCKET}/${KEY}`,
    ]);
    expect(out.summary).to.equal(message.message);
  });

  it("a missed target, a failed restore and a plan it could not sample fail the drill and count per plan", async () => {
    const failed = measureRestore(DB, undefined, { Error: "RestoreTimedOut", Cause: "" });
    const state: DrillState = {
      ...pickedState(SAMPLES, { unsampled: [{ plan: "gold", kind: "rds", reason: "1 rds source of plan gold has points, none completed", sources: 1 }, { plan: "silver", kind: "ec2", reason: "no ec2 source", sources: 0 }] }),
      results: [result(0, 4000), failed],
      cleanup: DONE,
    };
    const out = await report(state);
    expect(out.status).to.equal("failed");
    expect(metrics()).to.deep.equal([
      { plan: "gold", DrillRestoreSeconds: 4000, DrillRecoveryPointAgeSeconds: 79_080, DrillFailures: 2 },
      { plan: "silver", DrillRestoreSeconds: undefined, DrillRecoveryPointAgeSeconds: 82_800, DrillFailures: 1 },
    ]);
    const lines = messages()[0].message.split("\n");
    expect(lines[0]).to.equal(`DR drill ${DRILL_ID} of ${STACK_TAG} in ${DR}: FAILED`);
    expect(lines).to.include(`  - gold ec2 ${SAMPLES[0].source} from ${SAMPLES[0].pointId} (taken ${SAMPLES[0].taken}): missed-target, missed RTO; RTO 1h 6m 40s (target 1h); RPO 21h 58m (target 1d 1h)`);
    expect(lines).to.include(`  - silver rds orders-db from orders-db-1130 (taken 2026-11-30T04:00:00.000Z): failed; RTO not reached (never validated); RPO 23h (target 2d 2h) - RestoreTimedOut`);
    expect(lines).to.include("  - gold rds: 1 rds source of plan gold has points, none completed");
  });

  it("cleanup not done fails an otherwise passed drill, and the summary says what is still there", async () => {
    const pending = { ...DONE, status: "incomplete" as const, remaining: [{ type: "db-instance", id: "made-1", state: "deleting", restoreId: DB.restoreId }] };
    const out = await report({ ...pickedState(SAMPLES), results: [result(0, 60), result(1, 60)], cleanup: pending });
    expect(out.status).to.equal("failed");
    expect(metrics().map((m) => m.DrillFailures)).to.deep.equal([0, 0]);
    expect(out.summary).to.include("Cleanup: incomplete: 2 deleted, 1 remaining (deadline 2026-12-01T04:30:00.000Z)");
    expect(out.summary).to.include(`  - ${DB.restoreId}: db-instance made-1 (deleting)`);
    const never = await report({ ...pickedState(SAMPLES), results: [result(0, 60), result(1, 60)] });
    expect(never.status).to.equal("failed");
    expect(never.summary).to.include("Cleanup: DID NOT RUN");
  });

  it("a failed Map: every sample reported failed with the Map's error; the drill's failure named", async () => {
    const cause = JSON.stringify({ errorType: "RunFailedError", errorMessage: "too many failures" });
    const out = await report({ ...pickedState(SAMPLES), error: { Error: "States.ExceedToleratedFailureThreshold", Cause: cause }, cleanup: DONE });
    expect(out).to.deep.include({ status: "failed", failure: { name: "RunFailedError", message: "too many failures" } });
    expect(out.results.map((r) => [r.restoreId, r.outcome, r.failure?.name])).to.deep.equal([
      [SAMPLES[0].restoreId, "failed", "RunFailedError"],
      [DB.restoreId, "failed", "RunFailedError"],
    ]);
    expect(metrics().map((m) => m.DrillFailures)).to.deep.equal([1, 1]);
  });

  it("pick failed (no state): failed, every plan with targets counted, the error in the summary", async () => {
    const out = await report(undefined, { Error: "States.TaskFailed", Cause: "the listing failed" });
    expect(out).to.deep.include({ status: "failed", results: [], unsampled: [], failure: { name: "States.TaskFailed", message: "the listing failed" } });
    expect(metrics()).to.deep.equal([
      { plan: "gold", DrillRestoreSeconds: undefined, DrillRecoveryPointAgeSeconds: undefined, DrillFailures: 1 },
      { plan: "silver", DrillRestoreSeconds: undefined, DrillRecoveryPointAgeSeconds: undefined, DrillFailures: 1 },
    ]);
    expect(out.summary).to.include("The drill failed: States.TaskFailed: the listing failed");
    expect(manifest()).to.deep.include({ status: "failed", samples: [] });
  });

  it("pick failed with the request: only the plan asked for is counted; a plan without targets or an unreadable request, none", async () => {
    const failedPick = (request: unknown) => runDrillStep(deps, drillSettings(), { step: "report", drillId: DRILL_ID, startedAt: DRILL_START, request, error: { Error: "UnknownPlanError", Cause: "no such plan" } }) as Promise<DrillReport>;
    const asked = await failedPick({ plan: "silver" } satisfies DrillRequest);
    expect(asked.status).to.equal("failed");
    expect(metrics()).to.deep.equal([{ plan: "silver", DrillRestoreSeconds: undefined, DrillRecoveryPointAgeSeconds: undefined, DrillFailures: 1 }]);
    expect(manifest()).to.deep.include({ request: { plan: "silver" } });
    for (const request of [{ plan: "platinum" }, { plan: 5 }, { plan: "gold", sede: "x" }, "gold"]) {
      deps.recorded.metrics.length = 0;
      const out = await failedPick(request);
      expect([out.status, metrics()], JSON.stringify(request)).to.deep.equal(["failed", []]);
    }
    // The scheduler's `{}`: every plan with targets, as before.
    deps.recorded.metrics.length = 0;
    await failedPick({});
    expect(metrics().map((m) => m.plan)).to.deep.equal(["gold", "silver"]);
  });

  it("refused resources fail an otherwise passed drill (cleanup itself is done: they are not the drill's to delete)", async () => {
    const refused = { ...DONE, refused: [{ type: "volume", id: "vol-x", restoreId: SAMPLES[0].restoreId, reason: "its backup-dr:drill-id is another drill's" }] };
    const out = await report({ ...pickedState(SAMPLES), results: [result(0, 60), result(1, 60)], cleanup: refused });
    expect(out.status).to.equal("failed");
    expect(out.summary).to.include("vol-x: its backup-dr:drill-id is another drill's");
  });

  it("the machine's fallback result (the caught error whole, with or without a Cause): failed with that failure, rpo missed when over target", async () => {
    const old = sample(1, { taken: "2026-11-01T00:00:00.000Z", rpoSeconds: (Date.parse(DRILL_START) - Date.parse("2026-11-01T00:00:00.000Z")) / 1000 });
    const fallback = (s: typeof old, error: DrillResult["error"]): DrillResult => ({ restoreId: s.restoreId, plan: s.plan, kind: s.kind, source: s.source, pointId: s.pointId, taken: s.taken, rpoSeconds: s.rpoSeconds, targets: s.targets, outcome: "failed", missed: ["rto"], error, created: [] });
    const samples = [old, DB];
    const cause = JSON.stringify({ errorType: "AccessDenied", errorMessage: "ec2:DescribeVolumes" });
    const out = await report({ ...pickedState(samples), results: [fallback(old, { Error: "AccessDenied", Cause: cause }), fallback(DB, { Error: "States.Timeout" })], cleanup: DONE });
    expect(out.results.map((r) => [r.outcome, r.missed, r.failure, "error" in r])).to.deep.equal([
      ["failed", ["rto", "rpo"], { name: "AccessDenied", message: "ec2:DescribeVolumes" }, false],
      ["failed", ["rto"], { name: "States.Timeout", message: "" }, false],
    ]);
  });

  it("failure text is cut to MAX_FAILURE_MESSAGE characters in the results and the drill's failure", async () => {
    const long = "x".repeat(40_000);
    const failed = measureRestore(SAMPLES[0], undefined, { Error: "Huge", Cause: long });
    expect(failed.failure?.message.length).to.equal(MAX_FAILURE_MESSAGE);
    const out = await report({ ...pickedState(SAMPLES), results: [{ ...failed, failure: { name: "Huge", message: long } }, result(1, 60)], error: { Error: "Huge", Cause: long }, cleanup: DONE });
    expect(out.results[0].failure?.message.length).to.equal(MAX_FAILURE_MESSAGE);
    expect(out.failure?.message.length).to.equal(MAX_FAILURE_MESSAGE);
    expect(out.failure?.message.endsWith("[...cut]")).to.equal(true);
  });

  it("a rerun overwrites the same manifest; a state of another drill is refused before any AWS call", async () => {
    const state: DrillState = { ...pickedState(SAMPLES), results: [result(0, 60), result(1, 60)], cleanup: DONE };
    await report(state);
    await report(state);
    expect([...(fake.region(DR).buckets.get(VAULT_BUCKET)?.keys() ?? [])]).to.deep.equal([KEY]);
    const calls = fake.calls.length;
    const other = { ...state, drill: { ...state.drill, drillId: "another-drill" } };
    const error = await rejection(report(other));
    expect(error.name).to.equal("MalformedEventError");
    expect(fake.calls.length).to.equal(calls);
  });

  it("a manifest that cannot be written: the metrics and the summary (naming the problem) still go out, then the step fails", async () => {
    fake.permanent = (call) => (call.action === "PutObject" ? new AwsFault("AccessDenied", 403, "Access Denied") : undefined);
    const error = await rejection(report({ ...pickedState(SAMPLES), results: [result(0, 60), result(1, 60)], cleanup: DONE }));
    expect(error.name).to.equal("DrillReportFailedError");
    expect(error.message).to.include(`writing the manifest s3://${VAULT_BUCKET}/${KEY}: AccessDenied`);
    expect(metrics()).to.have.length(2);
    expect(messages()[0].message).to.include("writing the manifest");
  });

  it("transient faults and lost answers beneath the SDK's retries: one manifest at its key, every summary the same", async () => {
    fake.injectFaults({ rate: 0.3, kinds: ["throttle", "500", "503"], seed: 11 });
    const losing = fake.loseAnswers({ rate: 0.8, kinds: ["timeout", "500"], seed: 4, actions: ["PutObject", "Publish"] });
    const state: DrillState = { ...pickedState(SAMPLES), results: [result(0, 60), result(1, 60)], cleanup: DONE };
    const out = await report(state);
    fake.injectFaults(undefined);
    fake.loseAnswers(undefined);
    expect(Object.values(losing?.lost ?? {}).reduce((a, b) => a + b, 0), "answers lost").to.be.above(0);
    expect([...(fake.region(DR).buckets.get(VAULT_BUCKET)?.keys() ?? [])]).to.deep.equal([KEY]);
    expect(manifest()).to.deep.include({ status: "passed", results: state.results });
    expect(messages().length).to.be.at.least(1);
    expect(new Set(messages().map((m) => m.message))).to.deep.equal(new Set([out.summary]));
  });

  it("durations a person reads", () => {
    expect([0, 59.4, 60, 3725, 90_000, -61].map(duration)).to.deep.equal(["0s", "59s", "1m", "1h 2m 5s", "1d 1h", "-1m 1s"]);
  });
});
