// Acceptance: copies in flight stay within the DR region's limits; what does not fit is deferred, never failed, and
// the sweeps start it oldest first as copies finish, without duplicates.
import { expect } from "chai";
import { TAG_COPY_OF } from "../../handlers/catalog";
import { runCopy } from "../../handlers/copy/run";
import { FakeAws } from "../helpers/aws-fake";
import { copiesInFlight, finishCopies, setCopyLimits, type CopyableDbSnapshot, type CopyableSnapshot } from "../helpers/aws-fake-copy";
import { AwsFault } from "../helpers/aws-wire";
import { addDbBackup, addEbsBackup, clusterSnapshotEvent, copyDeps, copySettings, DR, drCopies, metricValues, multiVolumeEvent, primaryRegion, rejection, SWEEP } from "../helpers/copy-setup";
import { notifications, sorted } from "../helpers/aws-inspect";

const NOW = new Date("2026-11-23T12:00:00Z");
const day = (n: number) => new Date(Date.UTC(2026, 10, 20 + n, 5));

describe("copy limits", () => {
  let fake: FakeAws;
  const sweep = (overrides: Record<string, string> = {}) => {
    const deps = copyDeps(fake, () => NOW);
    return runCopy(deps, copySettings(overrides), SWEEP).then((result) => ({ ...result, recorded: deps.recorded }));
  };
  beforeEach(() => {
    fake = new FakeAws();
    primaryRegion(fake);
  });

  it("with 60 completed EBS backups and the limit at 20: 20 started and 40 deferred, then the rest as copies finish, oldest first", async () => {
    // Three days of backups, 20 volumes a day, added newest first so that order of creation is not order of age.
    const byDay = [2, 1, 0].map((n) => Array.from({ length: 20 }, () => addEbsBackup(fake, { slot: day(n) }).id));
    const all = byDay.flat();
    const oldestFirst = [byDay[2], byDay[1], byDay[0]];

    const first = await sweep();
    expect(first.manifest.counts).to.include({ started: 20, deferred: 40, failed: 0 });
    expect(sorted(drCopies(fake).map((c) => c.tags[TAG_COPY_OF]))).to.deep.equal(sorted(oldestFirst[0]));
    expect(metricValues(first.recorded, "gold")).to.include({ CopiesStarted: 20, CopiesDeferred: 40, CopiesFailed: 0 });
    expect(first.manifest.copies.filter((c) => c.status === "deferred").every((c) => c.reason === "20 ebs copies (the limit) are in flight to the DR region; the sweep starts it")).to.be.true;

    // Nothing has finished: a sweep starts nothing and defers all 40 again.
    const idle = await sweep();
    expect(idle.manifest.counts).to.include({ started: 0, deferred: 40, failed: 0 });
    expect(idle.manifest.inFlight).to.deep.include({ ebs: 20 });

    // Half of the copies finish: ten places free.
    finishCopies(fake.region(DR), 10);
    const second = await sweep();
    expect(second.manifest.counts).to.include({ started: 10, deferred: 30 });
    const copied = () => drCopies(fake).map((c) => c.tags[TAG_COPY_OF]);
    expect(copied().filter((id) => oldestFirst[1].includes(id))).to.have.length(10);
    finishCopies(fake.region(DR));
    const third = await sweep();
    expect(third.manifest.counts).to.include({ started: 20, deferred: 10 });
    // Every backup of the two older days is copied before any more of the newest day.
    expect(copied()).to.include.members([...oldestFirst[0], ...oldestFirst[1]]);
    expect(copied().filter((id) => oldestFirst[2].includes(id))).to.have.length(10);
    finishCopies(fake.region(DR));
    const fourth = await sweep();
    expect(fourth.manifest.counts).to.include({ started: 10, deferred: 0 });
    finishCopies(fake.region(DR));
    const done = await sweep();
    expect(done.manifest.counts).to.include({ started: 0, deferred: 0, failed: 0 });
    expect(metricValues(done.recorded, "gold").OldestUncopiedAgeSeconds).to.equal(0);

    // Exactly one copy of each backup, none failed, and AWS never saw more than 20 in flight.
    const copies = drCopies(fake);
    expect(copies).to.have.length(60);
    expect(sorted(copies.map((c) => c.tags[TAG_COPY_OF]))).to.deep.equal(sorted(all));
    expect(copies.every((c) => c.state === "completed")).to.be.true;
    expect(fake.handled("CopySnapshot")).to.have.length(60);
    expect(notifications(fake.region())).to.deep.equal([]);
  });

  it("events defer, not fail, when the DR region is full: they count our copies in flight, so no copy call is refused", async () => {
    const backups = Array.from({ length: 25 }, () => addEbsBackup(fake).id);
    const deps = copyDeps(fake, () => NOW);
    const first = await runCopy(deps, copySettings({ BACKUP_DR_CONCURRENCY: "8" }), multiVolumeEvent(backups.slice(0, 15)));
    const drReads = () => fake.calls.filter((c) => c.region === DR && c.action === "DescribeSnapshots");
    // The copies of the event's backups, and our copies in flight: two filtered requests.
    expect(drReads()).to.have.length(2);
    expect(drReads().map((r) => r.params.get("Filter.2.Name")).sort()).to.deep.equal(["tag-key", "tag:backup-dr:copy-of"]);
    const second = await runCopy(deps, copySettings({ BACKUP_DR_CONCURRENCY: "8" }), multiVolumeEvent(backups.slice(15)));
    expect(drReads()).to.have.length(4);
    expect(first.manifest.counts).to.include({ started: 15, deferred: 0 });
    expect(second.manifest.counts).to.include({ started: 5, deferred: 5, failed: 0 });
    expect(second.manifest.inFlight).to.deep.equal({ ebs: 15 });
    // Every copy call was a copy made: the second event knew the room (20 - 15) and asked for no more.
    expect(fake.calls.filter((c) => c.action === "CopySnapshot")).to.have.length(15 + 5);
    expect(drCopies(fake)).to.have.length(20);
  });

  it("events under a limit set below AWS's count the copies in flight (a second read) and keep to it", async () => {
    setCopyLimits(fake.region(DR), { ebs: 100 });
    const backups = Array.from({ length: 25 }, () => addEbsBackup(fake).id);
    const deps = copyDeps(fake, () => NOW);
    const settings = copySettings({ BACKUP_DR_MAX_EBS_COPIES: "18" });
    const first = await runCopy(deps, settings, multiVolumeEvent(backups.slice(0, 15)));
    const second = await runCopy(deps, settings, multiVolumeEvent(backups.slice(15)));
    expect(first.manifest.counts).to.include({ started: 15, deferred: 0 });
    expect(second.manifest.counts).to.include({ started: 3, deferred: 7, failed: 0 });
    expect(second.manifest.inFlight).to.deep.equal({ ebs: 15 });
    expect(fake.calls.filter((c) => c.region === DR && c.action === "DescribeSnapshots")).to.have.length(4);
    expect(drCopies(fake)).to.have.length(18);
  });

  it("a limit AWS reports (other copies in flight, ResourceLimitExceeded) defers the rest of the kind; the sweep finishes them", async () => {
    // Copies that are not ours fill most of the DR region: AWS refuses after 3 more.
    setCopyLimits(fake.region(DR), { ebs: 8 });
    const dr = fake.region(DR);
    for (let n = 0; n < 5; n += 1) {
      const foreign: CopyableSnapshot = { id: `snap-f0${n}`, volumeId: "vol-ffffffff", state: "pending", description: "someone else's copy", tags: {}, startTime: NOW, copiedFrom: "eu-west-1:snap-0123456789abcdef0" };
      dr.snapshots.set(foreign.id, foreign);
    }
    const backups = Array.from({ length: 10 }, (_, n) => addEbsBackup(fake, { slot: day(n % 3) }).id);
    // Concurrency 8 would once have sent 8 copy calls at once into the 3 free places.
    const first = await sweep({ BACKUP_DR_CONCURRENCY: "8" });
    expect(first.manifest.counts).to.include({ started: 3, deferred: 7, failed: 0 });
    expect(first.manifest.copies.filter((c) => c.status === "deferred").every((c) => c.reason?.includes("ResourceLimitExceeded"))).to.be.true;
    // Once AWS refused, the function stops asking: three accepted calls and one refused, not seven.
    const copyCalls = fake.calls.filter((c) => c.action === "CopySnapshot");
    expect(copyCalls).to.have.length(4);
    expect(drCopies(fake).filter((c) => c.tags[TAG_COPY_OF] !== undefined)).to.have.length(3);
    expect(notifications(fake.region())).to.deep.equal([]);

    for (const s of dr.snapshots.values()) s.state = "completed";
    for (let pass = 0; pass < 4 && drCopies(fake).filter((c) => c.tags[TAG_COPY_OF] !== undefined).length < 12; pass += 1) {
      await sweep();
      finishCopies(dr);
    }
    expect(sorted(drCopies(fake).flatMap((c) => c.tags[TAG_COPY_OF] ?? []))).to.deep.equal(sorted(backups));
  });

  it("a DR region whose places are all taken by foreign copies: exactly one refused call per kind, every copy deferred", async () => {
    const dr = fake.region(DR);
    for (let n = 0; n < 20; n += 1) {
      const foreign: CopyableSnapshot = { id: `snap-f${String(n).padStart(3, "0")}`, volumeId: "vol-ffffffff", state: "pending", description: "someone else's copy", tags: {}, startTime: NOW, copiedFrom: "eu-west-1:snap-0123456789abcdef0" };
      dr.snapshots.set(foreign.id, foreign);
      const db: CopyableDbSnapshot = { id: `foreign-db-${n}`, source: "someone-else", status: "copying", tags: {}, created: NOW, copiedFrom: "arn:aws:rds:eu-west-1:123456789012:snapshot:x" };
      dr.dbSnapshots.set(db.id, db);
      const cluster: CopyableDbSnapshot = { ...db, id: `foreign-cluster-${n}`, copiedFrom: "arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:x" };
      if (n < 5) dr.dbClusterSnapshots.set(cluster.id, cluster);
    }
    Array.from({ length: 12 }, (_, n) => addEbsBackup(fake, { slot: day(n % 3) }));
    Array.from({ length: 6 }, (_, n) => addDbBackup(fake, "rds", { source: `orders-${n}` }));
    Array.from({ length: 4 }, (_, n) => addDbBackup(fake, "aurora", { source: `ledger-${n}` }));
    const { manifest } = await sweep({ BACKUP_DR_CONCURRENCY: "8" });
    expect(manifest.counts).to.include({ started: 0, deferred: 22, failed: 0 });
    expect(manifest.inFlight).to.deep.equal({ ebs: 0, rds: 0, aurora: 0 });
    for (const action of ["CopySnapshot", "CopyDBSnapshot", "CopyDBClusterSnapshot"]) expect(fake.calls.filter((c) => c.action === action), action).to.have.length(1);
    expect(drCopies(fake).filter((c) => c.tags[TAG_COPY_OF] !== undefined)).to.deep.equal([]);
    expect(notifications(fake.region())).to.deep.equal([]);
  });

  it("Aurora cluster copies stop at 5 and RDS copies at 20, each kind on its own", async () => {
    const clusters = Array.from({ length: 7 }, (_, n) => addDbBackup(fake, "aurora", { source: `ledger-${n}` }));
    const dbs = Array.from({ length: 22 }, (_, n) => addDbBackup(fake, "rds", { source: `orders-${n}` }));
    const first = await sweep();
    expect(copiesInFlight(fake.region(DR))).to.deep.equal({ ebs: 0, rds: 20, aurora: 5 });
    expect(first.manifest.counts).to.include({ started: 25, deferred: 4, failed: 0 });
    // An event for a deferred cluster snapshot is deferred as well while the region is full.
    const deferred = clusters.find((c) => !drCopies(fake).some((d) => d.id === c.id));
    if (!deferred) throw new Error("expected a deferred cluster snapshot");
    const event = await runCopy(copyDeps(fake, () => NOW), copySettings(), clusterSnapshotEvent(deferred.id));
    expect(event.manifest.counts).to.include({ started: 0, deferred: 1 });
    finishCopies(fake.region(DR));
    await sweep();
    expect(drCopies(fake).filter((c) => c.kind === "aurora")).to.have.length(7);
    expect(drCopies(fake).filter((c) => c.kind === "rds")).to.have.length(22);
    expect(dbs).to.have.length(22);
  });

  it("the limits come from the settings", async () => {
    Array.from({ length: 6 }, () => addEbsBackup(fake));
    const { manifest } = await sweep({ BACKUP_DR_MAX_EBS_COPIES: "4" });
    expect(manifest.counts).to.include({ started: 4, deferred: 2 });
    expect(manifest.limits).to.deep.equal({ ebs: 4, rds: 20, aurora: 5 });
  });

  it("a run with only deferrals succeeds; any other failure ends it in RunFailedError after the manifest and message", async () => {
    Array.from({ length: 3 }, () => addEbsBackup(fake));
    fake.permanent = (call) => (call.action === "CopySnapshot" && call.params.get("SourceSnapshotId") === "snap-00000000000000002" ? new AwsFault("InvalidParameterValue", 400, "bad key") : undefined);
    const error = await rejection(sweep());
    expect(error.name).to.equal("RunFailedError");
    expect(error.message).to.include("ebs snap-00000000000000002: InvalidParameterValue: bad key");
    expect(drCopies(fake)).to.have.length(2);
    expect(notifications(fake.region())[0].subject).to.match(/^backup-dr copy FAILED \(1\): sweep /);
  });
});
