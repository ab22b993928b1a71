// Acceptance: the sweep recovers lost events, replaces DR copies that failed, measures the DR lag per plan, and
// never copies again what the DR region no longer needs.
import { expect } from "chai";
import { TAG_COPY_OF } from "../../handlers/catalog";
import { runCopy } from "../../handlers/copy/run";
import type { CopyManifest } from "../../handlers/copy/report";
import { FakeAws } from "../helpers/aws-fake";
import { finishCopies } from "../helpers/aws-fake-copy";
import {
  addDbBackup,
  addEbsBackup,
  copiesOf,
  copyDeps,
  copySettings,
  DR,
  DR_KEY_ARN,
  drCopies,
  metricValues,
  PRIMARY,
  primaryRegion,
  rejection,
  snapshotEvent,
  SWEEP,
} from "../helpers/copy-setup";
import { manifests, notifications, sorted } from "../helpers/aws-inspect";
import { AwsFault } from "../helpers/aws-wire";

const NOW = new Date("2026-11-22T12:00:00Z");

describe("copy sweep", () => {
  let fake: FakeAws;
  const sweep = (now = NOW) => {
    const deps = copyDeps(fake, () => now);
    return runCopy(deps, copySettings(), SWEEP).then((result) => ({ ...result, recorded: deps.recorded }));
  };
  beforeEach(() => {
    fake = new FakeAws();
    primaryRegion(fake);
  });

  it("recovers backups whose events were lost: every kind, once, encrypted with the DR key", async () => {
    const ebs = addEbsBackup(fake);
    const db = addDbBackup(fake, "rds");
    const cluster = addDbBackup(fake, "aurora");
    const { manifest, manifestUri } = await sweep();
    expect(manifest.counts).to.include({ started: 3, failed: 0 });
    for (const copyOf of [ebs.id, db.arn, cluster.arn]) {
      const copies = copiesOf(fake, copyOf);
      expect(copies, copyOf).to.have.length(1);
      expect(copies[0]).to.deep.include({ encrypted: true, kmsKeyId: DR_KEY_ARN });
      expect(copies[0].tags["backup-dr:expires"]).to.equal("2026-12-20T05:00:00Z");
    }
    expect(manifestUri).to.equal("s3://backup-dr-test-vault/runs/copy/2026/11/22/sweep-2026-11-22T12-00-00Z.json");
    const written = manifests(fake.region(PRIMARY)).get("runs/copy/2026/11/22/sweep-2026-11-22T12-00-00Z.json") as unknown as CopyManifest;
    expect(written).to.deep.include({ function: "copy", trigger: "sweep", primaryRegion: PRIMARY, drRegion: DR, drKeyArn: DR_KEY_ARN });
    expect(written.copies.map((c) => c.status)).to.deep.equal(["started", "started", "started"]);

    // The sweep after that, and the event arriving late, change nothing.
    const again = await sweep();
    expect(again.manifest.counts).to.include({ started: 0, skipped: 0, deferred: 0 });
    await runCopy(copyDeps(fake, () => NOW), copySettings(), snapshotEvent(ebs.id));
    expect(drCopies(fake)).to.have.length(3);
  });

  it("an idle sweep (every backup already copied) writes no manifest but publishes its metrics; a sweep with a deferral writes one", async () => {
    const objects = () => [...(fake.region(PRIMARY).buckets.values())].reduce((n, b) => n + b.size, 0);
    addEbsBackup(fake);
    addDbBackup(fake, "rds");
    const first = await sweep();
    expect(first.manifest.counts).to.include({ started: 2 });
    expect(objects()).to.equal(1);
    finishCopies(fake.region(DR));
    const idle = await sweep(new Date(NOW.getTime() + 60_000));
    expect(idle.manifest.counts).to.include({ started: 0, deferred: 0, failed: 0, replaced: 0 });
    expect(idle.manifestUri).to.equal(undefined);
    expect(objects()).to.equal(1);
    expect(metricValues(idle.recorded, "gold")).to.include({ CopiesStarted: 0, OldestUncopiedAgeSeconds: 0 });
    expect(fake.handled("PutObject")).to.have.length(1);
    // notifyOn always: the notification still goes, saying there is no manifest.
    await runCopy(copyDeps(fake, () => new Date(NOW.getTime() + 120_000)), copySettings({ BACKUP_DR_NOTIFY_ON: "always" }), SWEEP);
    expect(notifications(fake.region(PRIMARY)).at(-1)?.message).to.include("Manifest: none (the run started, deferred, failed, deleted and replaced nothing)");
    expect(objects()).to.equal(1);

    // Two new backups under a limit of one: one started, one deferred; the next sweep only defers, and leaves a manifest.
    addEbsBackup(fake);
    addEbsBackup(fake);
    // (Each sweep at its own time: a sweep's manifest is named after its start.)
    const limited = (minutes: number) => runCopy(copyDeps(fake, () => new Date(NOW.getTime() + minutes * 60_000)), copySettings({ BACKUP_DR_MAX_EBS_COPIES: "1" }), SWEEP);
    expect((await limited(30)).manifest.counts).to.include({ started: 1, deferred: 1 });
    const deferring = await limited(60);
    expect(deferring.manifest.counts).to.include({ started: 0, deferred: 1, failed: 0 });
    expect(deferring.manifestUri).to.be.a("string");
    expect(objects()).to.equal(3);
    expect(fake.handled("PutObject")).to.have.length(3);
  });

  it("replaces a DR copy that ended in error (EBS error state) with a new one", async () => {
    const backup = addEbsBackup(fake);
    await sweep();
    const [broken] = copiesOf(fake, backup.id);
    const dr = fake.region(DR);
    const stored = dr.snapshots.get(broken.id);
    if (!stored) throw new Error("no copy");
    stored.state = "error";
    const { manifest } = await sweep();
    expect(manifest.replaced).to.deep.equal([{ kind: "ebs", plan: "gold", copyId: broken.id, copyOf: backup.id, status: "error", deleted: true }]);
    expect(manifest.counts).to.include({ started: 1, replaced: 1, failed: 0 });
    expect(manifest.copies[0]).to.deep.include({ status: "started", replaced: broken.id });
    const copies = copiesOf(fake, backup.id);
    expect(copies).to.have.length(1);
    expect(copies[0].id).not.to.equal(broken.id);
    expect(copies[0]).to.deep.include({ state: "pending", encrypted: true, kmsKeyId: DR_KEY_ARN });
    expect(fake.handled("DeleteSnapshot").map((c) => c.params.get("SnapshotId"))).to.deep.equal([broken.id]);
  });

  it("never touches DR snapshots that are not this stack's copies", async () => {
    const dr = fake.region(DR);
    dr.snapshots.set("snap-0ther", { id: "snap-0ther", volumeId: "vol-1", state: "error", description: "", tags: { "backup-dr:stack": "backup-dr/prod", [TAG_COPY_OF]: "snap-00000000000000002" }, startTime: NOW });
    dr.snapshots.set("snap-untagged", { id: "snap-untagged", volumeId: "vol-2", state: "error", description: "", tags: {}, startTime: NOW });
    const backup = addEbsBackup(fake);
    const { manifest } = await sweep();
    expect(manifest.replaced).to.deep.equal([]);
    expect(fake.handled("DeleteSnapshot")).to.deep.equal([]);
    expect(copiesOf(fake, backup.id).filter((c) => c.tags["backup-dr:stack"] === "backup-dr/test")).to.have.length(1);
  });

  it("publishes OldestUncopiedAgeSeconds per copy-enabled plan: the oldest backup without an available copy, 0 when none", async () => {
    addEbsBackup(fake, { slot: new Date("2026-11-21T05:00:00Z"), created: new Date("2026-11-21T05:02:00Z") });
    addEbsBackup(fake, { slot: new Date("2026-11-22T05:00:00Z"), created: new Date("2026-11-22T05:01:00Z") });
    addEbsBackup(fake, { plan: "silver", slot: new Date("2026-11-19T00:30:00Z") });
    const first = await sweep();
    // Copies just started are not available yet: the oldest one is still waiting (30 h 58 min).
    expect(metricValues(first.recorded, "gold").OldestUncopiedAgeSeconds).to.equal(30 * 3600 + 58 * 60);
    expect(metricValues(first.recorded, "bronze").OldestUncopiedAgeSeconds).to.equal(0);
    expect(first.recorded.metrics.map((m) => m.plan)).to.deep.equal(["bronze", "gold"]);
    expect(first.manifest.oldestUncopiedAgeSeconds).to.deep.equal({ gold: 30 * 3600 + 58 * 60, bronze: 0 });
    finishCopies(fake.region(DR));
    const second = await sweep();
    expect(metricValues(second.recorded, "gold")).to.deep.equal({ CopiesStarted: 0, CopiesSkipped: 0, CopiesDeferred: 0, CopiesFailed: 0, CopiesUnencrypted: 0, OldestUncopiedAgeSeconds: 0 });
  });

  it("does not copy backups past their DR retention, so cleanup's deletion of a copy does not bring it back", async () => {
    const old = addEbsBackup(fake, { slot: new Date("2026-10-02T05:00:00Z") }); // daily, 30 days in DR: ended 2026-11-01
    const weekly = addEbsBackup(fake, { slot: new Date("2026-10-05T05:00:00Z") }); // a Monday: weekly, 8 weeks
    const { manifest } = await sweep();
    expect(manifest.counts.started).to.equal(1);
    expect(drCopies(fake).map((c) => c.tags[TAG_COPY_OF])).to.deep.equal([weekly.id]);
    expect(copiesOf(fake, weekly.id)[0].tags["backup-dr:expires"]).to.equal("2026-11-30T05:00:00Z");
    expect(copiesOf(fake, old.id)).to.deep.equal([]);
  });

  it("when one kind cannot be listed, copies the others and fails the run naming the listing", async () => {
    addEbsBackup(fake);
    addDbBackup(fake, "rds");
    fake.permanent = (call) => (call.action === "DescribeDBSnapshots" && call.region === DR ? new AwsFault("AccessDenied", 403, "not authorized to perform rds:DescribeDBSnapshots") : undefined);
    const error = await rejection(sweep());
    expect(error.name).to.equal("RunFailedError");
    expect(error.message).to.include(`listing rds backups in ${PRIMARY} and copies in ${DR}: AccessDenied`);
    expect(sorted(drCopies(fake).map((c) => c.kind))).to.deep.equal(["ebs"]);
    expect(notifications(fake.region(PRIMARY))[0].message).to.include("Failures:");
    // gold has rds backups it could not see: no lag value rather than a wrong one; bronze (ec2 only) gets its own.
    const written = [...manifests(fake.region(PRIMARY)).values()] as unknown as CopyManifest[];
    expect(written).to.have.length(1);
    expect(written[0].oldestUncopiedAgeSeconds).to.deep.equal({ bronze: 0 });
  });

  it("a failed copy that cannot be deleted fails the run and is not copied over", async () => {
    const backup = addDbBackup(fake, "rds");
    await sweep();
    const stored = fake.region(DR).dbSnapshots.get(backup.id);
    if (!stored) throw new Error("no copy");
    stored.status = "failed";
    fake.permanent = (call) => (call.action === "DeleteDBSnapshot" ? new AwsFault("InvalidDBSnapshotState", 400, "Cannot delete the snapshot in state failed.") : undefined);
    const error = await rejection(sweep());
    expect(error.message).to.include("deleting its failed DR copy");
    expect(drCopies(fake)).to.have.length(1);
  });
});
