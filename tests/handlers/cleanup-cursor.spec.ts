// Acceptance (issue 20, item 4): a cleanup run longer than one invocation, driven step by step with the time Lambda
// leaves each invocation: each expired snapshot deleted once, the kept ones untouched, maxDeletionsPerRun over the
// whole run, one manifest, and the run's deadline.
import { expect } from "chai";
import { stepCleanup } from "../../handlers/cleanup/run";
import type { CleanupManifest } from "../../handlers/cleanup/report";
import type { FakeAws as Fake } from "../helpers/aws-fake";
import { FakeAws } from "../helpers/aws-fake";
import { notifications } from "../helpers/aws-inspect";
import { DR, NOW, PRIMARY, cleanupDeps, cleanupManifests, cleanupSettings } from "../helpers/cleanup-setup";
import { buildScenario, remaining, survivors, type Scenario } from "../helpers/cleanup-scenario";
import { finished, invocationClock, unfinished } from "../helpers/run-steps";

const EVENT = { scheduledTime: "2026-11-22T03:30:00Z" };
const KEY = "runs/cleanup/2026/11/22/cleanup-2026-11-22T03-30-00Z.json";
const DELETES: Record<string, string> = { DeleteSnapshot: "SnapshotId", DeleteDBSnapshot: "DBSnapshotIdentifier", DeleteDBClusterSnapshot: "DBClusterSnapshotIdentifier" };

/** `<region> <id>` of every delete call that reached AWS, one entry a call. */
function deleteCalls(fake: Fake): string[] {
  return fake.handled().flatMap((c) => (c.action in DELETES ? [`${c.region} ${c.params.get(DELETES[c.action]) ?? ""}`] : [])).sort();
}

describe("cleanup past one invocation (cursor)", () => {
  let fake: FakeAws;
  let scenario: Scenario;
  beforeEach(() => {
    fake = new FakeAws();
    scenario = buildScenario(fake);
  });

  it("over 4 invocations deletes each expired snapshot once, keeps the kept ones, and writes one manifest, one metric set", async () => {
    const time = invocationClock([5, 5, 5]);
    const deps = cleanupDeps(fake, { remainingMs: time.remainingMs });
    const settings = cleanupSettings({ BACKUP_DR_NOTIFY_ON: "always" });
    let step = await stepCleanup(deps, settings, EVENT);
    const cursors = [];
    while (!step.done) {
      cursors.push(step.cursor);
      expect(step.cursor.deleted).to.equal(5 * cursors.length);
      expect(deps.recorded.metrics).to.deep.equal([]);
      time.next();
      step = await stepCleanup(deps, settings, { cursor: step.cursor });
    }
    expect(cursors).to.have.length(3);
    const { manifest } = finished(step);
    expect(deleteCalls(fake)).to.deep.equal([...scenario.deletable].sort());
    expect(remaining(fake, scenario)).to.deep.equal(survivors(scenario));
    expect(manifest).to.deep.include({ invocations: 4, parts: cursors[2].parts, deadlineStop: false, startedAt: cursors[0].startedAt });
    expect(manifest.counts).to.deep.equal({ deleted: 22, wouldDelete: 0, kept: 68, deferred: 0, failed: 0 });
    expect(manifest.regions.map((r) => [r.region, r.backups, r.candidates, r.counts.deleted])).to.deep.equal([
      [PRIMARY, 44, 11, 11],
      [DR, 44, 11, 11],
    ]);
    expect(manifest.snapshots.filter((o) => o.status === "deleted").map((o) => `${o.region} ${o.id}`).sort()).to.deep.equal([...scenario.deletable].sort());
    const stored = cleanupManifests(fake);
    // A part holds only what its invocation changed (its 5 deletions), not the kept or deferred snapshots it listed:
    // the finishing invocation's own listing covers those.
    for (const key of cursors[2].parts) expect(stored.get(key)?.snapshots.map((o) => o.status)).to.deep.equal(["deleted", "deleted", "deleted", "deleted", "deleted"]);
    expect([...stored.keys()].sort()).to.deep.equal([KEY, ...cursors[2].parts].sort());
    expect(stored.get(KEY)).to.deep.equal(manifest);
    expect(deps.recorded.metrics.filter((m) => m.values.SnapshotsDeleted !== undefined).map((m) => m.values.SnapshotsDeleted)).to.deep.equal([11, 11]);
    expect(notifications(fake.region(PRIMARY))).to.have.length(1);
  });

  it("maxDeletionsPerRun bounds the whole run: what earlier invocations deleted counts", async () => {
    const time = invocationClock([5]);
    const deps = cleanupDeps(fake, { remainingMs: time.remainingMs });
    const settings = cleanupSettings({ BACKUP_DR_MAX_DELETIONS: "8" });
    const first = unfinished(await stepCleanup(deps, settings, EVENT));
    expect(first.cursor.deleted).to.equal(5);
    time.next();
    const { manifest } = finished(await stepCleanup(deps, settings, { cursor: first.cursor }));
    expect(deleteCalls(fake)).to.have.length(8);
    expect(new Set(deleteCalls(fake)).size).to.equal(8);
    expect(manifest.counts).to.deep.include({ deleted: 8, deferred: 14, failed: 0 });
    expect(manifest.snapshots.filter((o) => o.status === "deferred").every((o) => o.reason === "expired; deferred, maxDeletionsPerRun (8) reached")).to.be.true;
    for (const p of survivors(scenario)) expect(remaining(fake, scenario)).to.include(p);
  });

  it("past the run's deadline no deletion starts: the rest is deferred naming the deadline, the run finishes as failed", async () => {
    const settings = cleanupSettings({ BACKUP_DR_RUN_DEADLINE_MINUTES: "15" });
    const first = unfinished(await stepCleanup(cleanupDeps(fake, { remainingMs: invocationClock([4]).remainingMs }), settings, EVENT));
    expect(first.cursor.deadline).to.equal("2026-11-22T03:45:00Z");
    const late = new Date(NOW.getTime() + 20 * 60_000);
    const deps = cleanupDeps(fake, { now: () => late });

    const error = await stepCleanup(deps, settings, { cursor: first.cursor }).then(() => undefined, (e: unknown) => e);
    expect(error).to.have.property("name", "RunFailedError");
    expect(deleteCalls(fake)).to.have.length(4);
    const manifest = cleanupManifests(fake).get(KEY) as CleanupManifest;
    expect(manifest).to.deep.include({ deadlineStop: true, invocations: 2, deadline: "2026-11-22T03:45:00Z" });
    // The later clock finds more expired (the 7-day-old backups expired at 03:30); none of them is deleted either.
    const deferred = manifest.snapshots.filter((o) => o.status === "deferred");
    expect(deferred.length).to.be.greaterThan(18);
    for (const o of deferred) expect(o.reason).to.match(/^expired; deferred, the run's deadline 2026-11-22T03:45:00Z passed/);
    expect((error as Error).message).to.include(`${deferred.length} expired snapshot(s) not deleted: expired; deferred, the run's deadline 2026-11-22T03:45:00Z passed`);
    // Deleted 4 (by the first invocation), and one failure per region for the deadline.
    expect(manifest.counts).to.deep.include({ deleted: 4, deferred: deferred.length, failed: 2 });
    expect(deps.recorded.metrics.filter((m) => m.values.CleanupFailed !== undefined).map((m) => m.values.CleanupFailed)).to.deep.equal([1, 1]);
    expect(notifications(fake.region(PRIMARY))[0].subject).to.match(/^backup-dr cleanup FAILED/);
  });

  it("a dry run never answers a cursor (it deletes nothing, so never runs short of time)", async () => {
    const step = await stepCleanup(cleanupDeps(fake, { remainingMs: () => 1 }), cleanupSettings({ BACKUP_DR_DRY_RUN: "true" }), EVENT);
    expect(finished(step).manifest.counts.wouldDelete).to.equal(22);
  });
});
