// Acceptance: the cleanup's rules on a known fleet, and its safety valves — dry run, maxDeletionsPerRun, the
// mass-deletion stop and the time-limit stop — each judged by what exists in the fake AWS afterwards.
import { expect } from "chai";
import { runCleanup, stepCleanup } from "../../handlers/cleanup/run";
import type { CleanupManifest } from "../../handlers/cleanup/report";
import { FakeAws } from "../helpers/aws-fake";
import { notifications } from "../helpers/aws-inspect";
import { DR, PRIMARY, STACK, cleanupDeps, cleanupManifests, cleanupSettings, rejection } from "../helpers/cleanup-setup";
import { buildScenario, remaining, survivors, type Scenario } from "../helpers/cleanup-scenario";

const EVENT = { scheduledTime: "2026-11-22T03:30:00Z" };
const KEY = "runs/cleanup/2026/11/22/cleanup-2026-11-22T03-30-00Z.json";
const DRY_KEY = "runs/cleanup/2026/11/22/cleanup-dry-run-2026-11-22T03-30-00Z.json";

const placeOf = (o: { region: string; id: string }) => `${o.region} ${o.id}`;
const withStatus = (manifest: CleanupManifest, status: string) => manifest.snapshots.filter((o) => o.status === status).map(placeOf).sort();

describe("cleanup rules and safety valves", () => {
  let fake: FakeAws;
  let scenario: Scenario;
  beforeEach(() => {
    fake = new FakeAws();
    fake.pageCap.ec2 = 7;
    fake.pageCap.rds = 7;
    scenario = buildScenario(fake);
  });

  it("deletes exactly this stack's expired, complete, old-enough, not-newest, unused backups in both regions", async () => {
    const deps = cleanupDeps(fake);
    const manifest = await runCleanup(deps, cleanupSettings(), EVENT);
    expect(remaining(fake, scenario)).to.deep.equal(survivors(scenario));
    expect(scenario.deletable.filter((p) => p.startsWith(`${DR} `))).to.have.length(11);
    expect(withStatus(manifest, "deleted")).to.deep.equal([...scenario.deletable].sort());
    expect(manifest.counts).to.deep.equal({ deleted: 22, wouldDelete: 0, kept: 68, deferred: 0, failed: 0 });

    // Kept and reported: behind an AMI, a malformed or missing expiry, AWS Backup's with our tags copied on.
    const reasons = new Map(manifest.snapshots.map((o) => [placeOf(o), o]));
    for (const p of scenario.amiBacked) expect(reasons.get(p)).to.deep.include({ status: "kept", notice: true }).and.have.property("reason").that.matches(/^in use by ami-/);
    for (const p of scenario.badExpiry) expect(reasons.get(p)).to.deep.include({ status: "kept", notice: true }).and.have.property("reason").that.matches(/backup-dr:expires/);
    expect(manifest.snapshots.filter((o) => o.reason === "made by AWS Backup, not by this stack")).to.have.length(2);
    // Other stacks' and untagged snapshots are not ours: not even in the manifest.
    expect(manifest.snapshots.some((o) => o.id === "hand-made" || o.id.endsWith("-prod"))).to.be.false;

    expect(manifest.regions.map((r) => [r.region, r.role, r.backups, r.candidates, r.massDeletionStop])).to.deep.equal([
      [PRIMARY, "primary", 44, 11, false],
      [DR, "dr", 44, 11, false],
    ]);
    // Every manual DB and cluster snapshot counts against the quota, ours or not (AWS Backup's are not manual).
    expect(manifest.regions.map((r) => r.manualSnapshots)).to.deep.equal([
      { rds: 13, aurora: 12 },
      { rds: 13, aurora: 12 },
    ]);
    expect([...cleanupManifests(fake).keys()]).to.deep.equal([KEY]);
    expect(deps.recorded.metrics).to.deep.equal([
      { dimensions: { Region: PRIMARY }, values: { SnapshotsDeleted: 11, SnapshotsKept: 34, SnapshotsDeferred: 0, CleanupFailed: 0 } },
      { dimensions: { Region: PRIMARY, Kind: "rds" }, values: { ManualSnapshotsUsed: 13 } },
      { dimensions: { Region: PRIMARY, Kind: "aurora" }, values: { ManualSnapshotsUsed: 12 } },
      { dimensions: { Region: DR }, values: { SnapshotsDeleted: 11, SnapshotsKept: 34, SnapshotsDeferred: 0, CleanupFailed: 0 } },
      { dimensions: { Region: DR, Kind: "rds" }, values: { ManualSnapshotsUsed: 13 } },
      { dimensions: { Region: DR, Kind: "aurora" }, values: { ManualSnapshotsUsed: 12 } },
    ]);
    expect(notifications(fake.region(PRIMARY))).to.deep.equal([]);

    // Listings: every page read (the fake returns 7 items a page), EBS filtered by EC2 on the stack tag and owner,
    // AMIs of this account including disabled ones, RDS by type only (it has no tag filter for them).
    for (const region of [PRIMARY, DR]) {
      const calls = (action: string) => fake.handled(action).filter((c) => c.region === region);
      for (const action of ["DescribeSnapshots", "DescribeImages", "DescribeDBSnapshots", "DescribeDBClusterSnapshots"]) expect(calls(action).length, action).to.be.greaterThan(1);
      for (const c of calls("DescribeSnapshots")) expect(Object.fromEntries(c.params)).to.deep.include({ "Owner.1": "self", "Filter.1.Name": "tag:backup-dr:stack", "Filter.1.Value.1": STACK });
      for (const c of calls("DescribeImages")) expect(Object.fromEntries(c.params)).to.deep.include({ "Owner.1": "self", IncludeDisabled: "true" });
      for (const c of [...calls("DescribeDBSnapshots"), ...calls("DescribeDBClusterSnapshots")]) expect(c.params.get("SnapshotType")).to.equal("manual");
    }
  });

  it("a rerun finds nothing more to delete and deletes nothing", async () => {
    await runCleanup(cleanupDeps(fake), cleanupSettings(), EVENT);
    const manifest = await runCleanup(cleanupDeps(fake), cleanupSettings(), EVENT);
    expect(manifest.counts.deleted).to.equal(0);
    expect(remaining(fake, scenario)).to.deep.equal(survivors(scenario));
  });

  describe("dry run", () => {
    it("deletes nothing and reports exactly what a real run deletes", async () => {
      const before = remaining(fake, scenario);
      const dry = await runCleanup(cleanupDeps(fake), cleanupSettings({ BACKUP_DR_DRY_RUN: "true" }), EVENT);
      expect(remaining(fake, scenario)).to.deep.equal(before);
      expect(fake.handled().filter((c) => c.action.startsWith("Delete"))).to.deep.equal([]);
      expect(dry.dryRun).to.be.true;
      expect(dry.counts).to.deep.include({ deleted: 0, wouldDelete: 22 });

      const real = await runCleanup(cleanupDeps(fake), cleanupSettings(), EVENT);
      expect(withStatus(dry, "would-delete")).to.deep.equal(withStatus(real, "deleted"));
      expect(withStatus(dry, "would-delete")).to.deep.equal([...scenario.deletable].sort());
      expect([...cleanupManifests(fake).keys()].sort()).to.deep.equal([KEY, DRY_KEY]);
    });

    it("reports the same budget a real run would keep to: would-delete up to maxDeletionsPerRun, the rest deferred", async () => {
      const dry = await runCleanup(cleanupDeps(fake), cleanupSettings({ BACKUP_DR_MAX_DELETIONS: "7" }), { dryRun: true });
      const real = await runCleanup(cleanupDeps(fake), cleanupSettings({ BACKUP_DR_MAX_DELETIONS: "7" }), {});
      expect(withStatus(dry, "would-delete")).to.deep.equal(withStatus(real, "deleted")).and.to.have.length(7);
      expect(withStatus(dry, "deferred")).to.deep.equal(withStatus(real, "deferred")).and.to.have.length(15);
    });

    it('{"dryRun": true} previews even when the setting is off; {"dryRun": false} never overrides a configured dry run', async () => {
      const before = remaining(fake, scenario);
      const preview = await runCleanup(cleanupDeps(fake), cleanupSettings({ BACKUP_DR_DRY_RUN: "false" }), { dryRun: true });
      const forced = await runCleanup(cleanupDeps(fake), cleanupSettings({ BACKUP_DR_DRY_RUN: "true" }), { dryRun: false });
      expect([preview.dryRun, forced.dryRun]).to.deep.equal([true, true]);
      expect(remaining(fake, scenario)).to.deep.equal(before);
    });
  });

  it("maxDeletionsPerRun: deletes the oldest up to the budget, defers the rest, and the next runs continue", async () => {
    const settings = cleanupSettings({ BACKUP_DR_MAX_DELETIONS: "5" });
    const first = await runCleanup(cleanupDeps(fake), settings, EVENT);
    expect(first.counts).to.deep.include({ deleted: 5, deferred: 17, failed: 0 });
    const gone = scenario.deletable.filter((p) => !remaining(fake, scenario).includes(p));
    expect(gone.sort()).to.deep.equal(withStatus(first, "deleted"));
    // Oldest first: every deleted one is at least as old as every deferred one.
    const created = (status: string) => first.snapshots.filter((o) => o.status === status).map((o) => Date.parse(o.created ?? ""));
    expect(Math.max(...created("deleted"))).to.be.at.most(Math.min(...created("deferred")));
    expect(first.snapshots.find((o) => o.status === "deferred")?.reason).to.equal("expired; deferred, maxDeletionsPerRun (5) reached");

    const counts: number[] = [];
    for (let run = 0; run < 5; run += 1) counts.push((await runCleanup(cleanupDeps(fake), settings, {})).counts.deleted);
    expect(counts).to.deep.equal([5, 5, 5, 2, 0]);
    expect(remaining(fake, scenario)).to.deep.equal(survivors(scenario));
  });

  it("mass-deletion stop: mass-edited expiries in one region delete nothing there, the other region goes on, and the run fails after reporting", async () => {
    // Someone set every expiry in the DR region to the past (or its clock jumped): nearly all would qualify.
    const dr = fake.region(DR);
    for (const s of [...dr.snapshots.values(), ...dr.dbSnapshots.values(), ...dr.dbClusterSnapshots.values()]) {
      if (s.tags["backup-dr:expires"] !== undefined) s.tags["backup-dr:expires"] = "2020-01-01T00:00:00Z";
    }
    const drBefore = remaining(fake, scenario).filter((p) => p.startsWith(`${DR} `));
    const deps = cleanupDeps(fake);
    const error = await rejection(runCleanup(deps, cleanupSettings(), EVENT));
    expect(error.name).to.equal("RunFailedError");
    expect(error.message).to.match(/us-west-2: mass-deletion stop: 3\d of 44 backups would be deleted, more than maxDeleteFraction 0.5/);

    expect(remaining(fake, scenario).filter((p) => p.startsWith(`${DR} `))).to.deep.equal(drBefore);
    expect(remaining(fake, scenario).filter((p) => p.startsWith(`${PRIMARY} `))).to.deep.equal(survivors(scenario).filter((p) => p.startsWith(`${PRIMARY} `)));

    const manifest = cleanupManifests(fake).get(KEY) as CleanupManifest;
    expect(manifest.regions.map((r) => r.massDeletionStop)).to.deep.equal([false, true]);
    expect(manifest.regions[1].counts).to.deep.include({ deleted: 0, failed: 1 });
    expect(manifest.snapshots.filter((o) => o.region === DR && o.reason.startsWith("mass-deletion stop"))).to.have.length(manifest.regions[1].candidates);
    expect(deps.recorded.metrics.find((m) => m.dimensions.Region === DR && m.dimensions.Kind === undefined)?.values).to.deep.include({ SnapshotsDeleted: 0, CleanupFailed: 1 });
    const [message] = notifications(fake.region(PRIMARY));
    expect(message.subject).to.equal("backup-dr cleanup FAILED (1): backup-dr/test");
    expect(message.message).to.include("mass-deletion stop").and.include(`s3://backup-dr-test-vault/${KEY}`);
  });

  it("the stop compares each region's share with the fraction: 11 of 44 stops at 0.24, not at 0.25", async () => {
    const stopped = await rejection(runCleanup(cleanupDeps(fake), cleanupSettings({ BACKUP_DR_MAX_DELETE_FRACTION: "0.24" }), EVENT));
    expect(stopped.message).to.include(`${PRIMARY}: mass-deletion stop: 11 of 44`).and.include(`${DR}: mass-deletion stop: 11 of 44`);
    expect(remaining(fake, scenario)).to.have.length(scenario.all.length);
    const manifest = await runCleanup(cleanupDeps(fake), cleanupSettings({ BACKUP_DR_MAX_DELETE_FRACTION: "0.25" }), EVENT);
    expect(manifest.counts.deleted).to.equal(22);
  });

  it("time-limit stop: near the Lambda timeout no deletion starts; the rest goes on in the run's next invocation", async () => {
    let checks = 0;
    // Plenty of time for the first 6 deletions, then under the 60 s margin.
    const remainingMs = () => (++checks <= 6 ? 120_000 : 59_999);
    const step = await stepCleanup(cleanupDeps(fake, { remainingMs }), cleanupSettings(), EVENT);
    if (step.done) throw new Error("expected the run to go on");
    expect(step.cursor).to.deep.include({ deleted: 6, invocation: 1 });
    expect(scenario.deletable.filter((p) => !remaining(fake, scenario).includes(p))).to.have.length(6);
    expect(fake.handled().filter((c) => c.action.startsWith("Delete"))).to.have.length(6);
    const part = cleanupManifests(fake).get(step.cursor.parts[0]);
    // The part holds the invocation's deletions; the 16 left for the next invocation are in its counts only (the next
    // invocation lists them again).
    expect(part?.snapshots.map((o) => o.status)).to.deep.equal(Array.from({ length: 6 }, () => "deleted"));
    expect(part?.regions.reduce((n, r) => n + r.counts.deferred, 0)).to.equal(16);
    expect(cleanupManifests(fake).has(KEY)).to.be.false;

    const next = await stepCleanup(cleanupDeps(fake), cleanupSettings(), { cursor: step.cursor });
    if (!next.done) throw new Error("expected the run to finish");
    expect(next.manifest.counts).to.deep.include({ deleted: 22, deferred: 0 });
    expect(next.manifest).to.deep.include({ invocations: 2, deadlineStop: false });
    expect(remaining(fake, scenario)).to.deep.equal(survivors(scenario));
  });

  it("minAgeDays is a floor whatever the tags say: a backup made minutes ago with an expiry in the past stays", async () => {
    const manifest = await runCleanup(cleanupDeps(fake), cleanupSettings({ BACKUP_DR_MIN_AGE_DAYS: "9" }), EVENT);
    // Only the age-10 backups (and age-9, at exactly 9 days) are old enough.
    expect(manifest.counts.deleted).to.equal(2 * (3 + 4));
    expect(manifest.snapshots.filter((o) => o.reason === "younger than the minimum age of 9 days").length).to.be.greaterThan(0);
  });
});
