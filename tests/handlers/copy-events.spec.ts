// Acceptance: each of the four completion events for one of our backups yields exactly one DR copy, encrypted with the
// DR key and tagged with copy-of and the DR expiry; foreign snapshots and plans without copyToDr yield none.
import { expect } from "chai";
import { runCopy } from "../../handlers/copy/run";
import { FakeAws } from "../helpers/aws-fake";
import {
  addDbBackup,
  addEbsBackup,
  clusterSnapshotEvent,
  copiesOf,
  copyDeps,
  copySettings,
  dbSnapshotEvent,
  DR,
  DR_KEY_ARN,
  drCopies,
  metricValues,
  multiVolumeEvent,
  PRIMARY,
  primaryRegion,
  snapshotEvent,
  STACK_TAG,
} from "../helpers/copy-setup";
import { manifests } from "../helpers/aws-inspect";

const NOW = new Date("2026-11-20T05:15:00Z");
/** A gold backup of the 2026-11-20 slot is kept 30 days in DR. */
const DR_EXPIRES = "2026-12-20T05:00:00Z";

describe("copy on completion events", () => {
  let fake: FakeAws;
  const run = (event: unknown) => {
    const deps = copyDeps(fake, () => NOW);
    return runCopy(deps, copySettings(), event).then((result) => ({ ...result, recorded: deps.recorded }));
  };
  beforeEach(() => {
    fake = new FakeAws();
    primaryRegion(fake);
  });

  it("EBS Multi-Volume Snapshots Completion Status: one encrypted, tagged DR copy of each snapshot of the set", async () => {
    const set = { "backup-dr:set-size": "2" };
    const volumes = [addEbsBackup(fake, { source: "i-0a1", extraTags: set }), addEbsBackup(fake, { source: "i-0a1", encrypted: false, extraTags: set })];
    const { manifest, recorded } = await run(multiVolumeEvent(volumes.map((v) => v.id)));
    expect(manifest.counts).to.include({ started: 2, failed: 0, deferred: 0 });
    expect(drCopies(fake)).to.have.length(2);
    for (const volume of volumes) {
      const [copy, ...more] = copiesOf(fake, volume.id);
      expect(more, volume.id).to.deep.equal([]);
      expect(copy).to.deep.include({ kind: "ebs", encrypted: true, kmsKeyId: DR_KEY_ARN, copiedFrom: `${PRIMARY}:${volume.id}` });
      // The set size is carried; when the data was taken is the source's StartTime, to the millisecond.
      expect(copy.tags).to.deep.equal({ ...volume.tags, "backup-dr:expires": DR_EXPIRES, "backup-dr:copy-of": volume.id, "backup-dr:taken": volume.startTime.toISOString() });
    }
    expect(metricValues(recorded, "gold")).to.deep.equal({ CopiesStarted: 2, CopiesSkipped: 0, CopiesDeferred: 0, CopiesFailed: 0, CopiesUnencrypted: 0 });
  });

  it("EBS Snapshot Notification (createSnapshot): one DR copy", async () => {
    const backup = addEbsBackup(fake);
    await run(snapshotEvent(backup.id));
    const copies = copiesOf(fake, backup.id);
    expect(copies).to.have.length(1);
    expect(copies[0]).to.deep.include({ encrypted: true, kmsKeyId: DR_KEY_ARN });
    expect(copies[0].tags).to.include({ "backup-dr:expires": DR_EXPIRES, "backup-dr:stack": STACK_TAG });
  });

  it("RDS DB Snapshot Event (RDS-EVENT-0042): one DR copy with the same identifier, encrypted with the DR key", async () => {
    const backup = addDbBackup(fake, "rds", { source: "orders-db", encrypted: false });
    await run(dbSnapshotEvent(backup.id));
    expect(drCopies(fake)).to.have.length(1);
    const [copy] = copiesOf(fake, backup.arn);
    // An unencrypted DB snapshot is encrypted by the copy.
    expect(copy).to.deep.include({ kind: "rds", id: backup.id, state: "pending", encrypted: true, kmsKeyId: DR_KEY_ARN, copiedFrom: backup.arn });
    expect(copy.tags).to.deep.equal({ ...backup.tags, "backup-dr:expires": DR_EXPIRES, "backup-dr:copy-of": backup.arn, "backup-dr:taken": backup.created?.toISOString() });
  });

  it("RDS DB Cluster Snapshot Event (RDS-EVENT-0075): one DR copy encrypted with the DR key", async () => {
    const backup = addDbBackup(fake, "aurora", { source: "ledger" });
    const { manifest } = await run(clusterSnapshotEvent(backup.id));
    expect(drCopies(fake)).to.have.length(1);
    expect(copiesOf(fake, backup.arn)[0]).to.deep.include({ kind: "aurora", id: backup.id, encrypted: true, kmsKeyId: DR_KEY_ARN });
    expect(copiesOf(fake, backup.arn)[0].tags).to.include({ "backup-dr:expires": DR_EXPIRES, "backup-dr:taken": backup.created?.toISOString() });
    expect(manifest.counts.unencrypted).to.equal(0);
  });

  it("copies an unencrypted Aurora cluster snapshot as it is, and flags it in the manifest and CopiesUnencrypted", async () => {
    const backup = addDbBackup(fake, "aurora", { source: "legacy", encrypted: false });
    const { manifest, manifestUri, recorded } = await run(clusterSnapshotEvent(backup.id));
    expect(copiesOf(fake, backup.arn)).to.have.length(1);
    expect(copiesOf(fake, backup.arn)[0]).to.deep.include({ encrypted: false, kmsKeyId: undefined });
    expect(manifest.copies).to.have.length(1);
    expect(manifest.copies[0]).to.deep.include({ status: "started", unencrypted: true });
    expect(manifest.counts.unencrypted).to.equal(1);
    expect(metricValues(recorded, "gold").CopiesUnencrypted).to.equal(1);
    expect(recorded.logs.some((l) => l.level === "warn" && l.message === "copy started unencrypted")).to.be.true;
    expect(manifestUri).to.match(/^s3:\/\/backup-dr-test-vault\/runs\/copy\/2026\/11\/20\/event-2026-11-20T05-09-41Z-[0-9a-f-]+\.json$/);
  });

  it("duplicate and out-of-order events make no second copy", async () => {
    const ebs = addEbsBackup(fake);
    const db = addDbBackup(fake, "rds");
    const first = snapshotEvent(ebs.id);
    await run(first);
    await run(dbSnapshotEvent(db.id));
    // The same events again (EventBridge delivers at least once), a multi-volume event naming the same snapshot,
    // and the single-snapshot event after it.
    const again = await run(first);
    await run(multiVolumeEvent([ebs.id]));
    await run(dbSnapshotEvent(db.id));
    expect(drCopies(fake)).to.have.length(2);
    expect(again.manifest.copies).to.deep.equal([{ kind: "ebs", source: ebs.id, plan: "gold", status: "skipped", copyId: copiesOf(fake, ebs.id)[0].id, reason: "already copied" }]);
    expect(fake.handled("CopySnapshot")).to.have.length(1);
    expect(fake.handled("CopyDBSnapshot")).to.have.length(1);
  });

  it("ignores foreign snapshots (another stack, no stack tag, not bdr-) and plans without copyToDr, without a manifest", async () => {
    const other = addEbsBackup(fake, { stack: "backup-dr/prod" });
    const untagged = addEbsBackup(fake, { stack: null });
    const silver = addEbsBackup(fake, { plan: "silver", slot: new Date("2026-11-20T00:30:00Z") });
    const otherDb = addDbBackup(fake, "rds", { stack: "someone/else" });
    const plainDb = primaryRegion(fake);
    plainDb.dbSnapshots.set("nightly-manual", { id: "nightly-manual", source: "orders", status: "available", tags: {} });
    const outcomes = [];
    for (const event of [multiVolumeEvent([other.id, untagged.id]), snapshotEvent(silver.id), dbSnapshotEvent(otherDb.id), dbSnapshotEvent("nightly-manual")]) {
      const { manifest, manifestUri, recorded } = await run(event);
      expect(manifestUri).to.equal(undefined);
      expect(recorded.metrics).to.deep.equal([]);
      outcomes.push(...manifest.copies.map((c) => `${c.status}: ${c.reason ?? ""}`));
    }
    expect(drCopies(fake)).to.deep.equal([]);
    expect(fake.handled().filter((c) => c.region === DR)).to.deep.equal([]);
    expect(manifests(fake.region(PRIMARY))).to.have.property("size", 0);
    expect(outcomes).to.deep.equal([
      'ignored: not a backup of this stack (backup-dr:stack is "backup-dr/prod")',
      "ignored: not a backup of this stack (no backup-dr:stack tag)",
      "ignored: plan silver does not copy to DR (copyToDr is false)",
      'ignored: not a backup of this stack (backup-dr:stack is "someone/else")',
      "ignored: not a backup of this stack (its identifier does not start with bdr-)",
    ]);
  });

  it("ignores well-formed events that are not completed snapshots, without any AWS call", async () => {
    const backup = addEbsBackup(fake);
    const events = [snapshotEvent(backup.id, "failed"), snapshotEvent(backup.id, "succeeded", "copySnapshot"), multiVolumeEvent([backup.id], "failed"), dbSnapshotEvent("bdr-x", "RDS-EVENT-0091")];
    for (const event of events) {
      const { manifest, manifestUri } = await run(event);
      expect(manifestUri).to.equal(undefined);
      expect(manifest.event?.ignore).to.be.a("string");
    }
    expect(fake.calls).to.deep.equal([]);
  });

  it("defers a snapshot that is not completed yet, and skips one whose slot no DR tier keeps", async () => {
    const pending = addEbsBackup(fake, { state: "pending" });
    const intraDay = addEbsBackup(fake, { plan: "bronze", slot: new Date("2026-11-20T06:00:00Z"), created: new Date("2026-11-20T06:01:00Z") });
    const firstOfDay = addEbsBackup(fake, { plan: "bronze", slot: new Date("2026-11-20T00:00:00Z") });
    const { manifest } = await run(multiVolumeEvent([pending.id, intraDay.id, firstOfDay.id]));
    const byId = new Map(manifest.copies.map((c) => [c.source, c]));
    expect(byId.get(pending.id)).to.deep.include({ status: "deferred" });
    expect(byId.get(intraDay.id)).to.deep.include({ status: "skipped", reason: "no DR tier of plan bronze keeps this slot" });
    expect(byId.get(firstOfDay.id)).to.deep.include({ status: "started", expires: "2026-11-27T00:00:00Z" });
    expect(drCopies(fake).map((c) => c.tags["backup-dr:copy-of"])).to.deep.equal([firstOfDay.id]);
  });

  it("skips a snapshot deleted between the event and the run", async () => {
    const backup = addEbsBackup(fake);
    fake.region(PRIMARY).snapshots.delete(backup.id);
    const { manifest } = await run(snapshotEvent(backup.id));
    expect(manifest.copies).to.deep.equal([{ kind: "ebs", source: backup.id, status: "skipped", reason: `not found in ${PRIMARY}: deleted since the event` }]);
    expect(drCopies(fake)).to.deep.equal([]);
  });
});
