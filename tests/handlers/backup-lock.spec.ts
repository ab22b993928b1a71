// Issue 10 item 6: each EBS backup snapshot is locked until its backup-dr:expires per vaultLock.mode; reruns are
// idempotent (also past a compliance lock's cooling-off period); a failed lock is reported and fails the run, and the
// snapshot stays.
import { expect } from "chai";
import { runBackup } from "../../handlers/backup/run";
import { COOL_OFF_HOURS } from "../../handlers/lib/snapshot-lock";
import { FakeAws } from "../helpers/aws-fake";
import { regionLocks, setLockClock } from "../helpers/aws-fake-lock";
import { backupDeps, backupSettings } from "../helpers/backup-setup";
import { fakeClients } from "../helpers/aws-clients";
import { buildFleet, type Fleet } from "../helpers/backup-fleet";
import { backups, manifests } from "../helpers/aws-inspect";
import { AwsFault } from "../helpers/aws-wire";

const EVENT = { plan: "gold", scheduledTime: "2026-11-22T11:00:00Z" };
const MANIFEST_KEY = "runs/backup/2026/11/22/gold-2026-11-22T11-00-00Z.json";
const HOUR = 3_600_000;

describe("backup: EBS snapshot lock", () => {
  let fake: FakeAws;
  let fleet: Fleet;
  let clock: Date;
  const now = () => clock;
  beforeEach(() => {
    fake = new FakeAws();
    fleet = buildFleet(fake);
    clock = new Date("2026-11-22T11:05:00Z");
    setLockClock(fake.region(), now);
  });
  const run = (mode: string) => runBackup(backupDeps(fakeClients(fake), now), backupSettings({ BACKUP_DR_SNAPSHOT_LOCK: mode }), EVENT);
  const ebs = () => backups(fake.region()).filter((b) => b.kind === "ec2");
  const expectedEbs = () => [...fleet.gold.ec2.values()].flat().length;

  it("COMPLIANCE locks every EBS snapshot in compliance mode until its expiry, with the cooling-off period", async () => {
    const manifest = await run("COMPLIANCE");
    expect(ebs()).to.have.length(expectedEbs());
    for (const snapshot of ebs()) {
      const lock = regionLocks(fake.region()).get(snapshot.id);
      expect(lock, snapshot.id).to.include({ mode: "compliance", coolOffHours: COOL_OFF_HOURS });
      expect(lock?.expiresOn.toISOString().replace(".000", "")).to.equal(snapshot.tags["backup-dr:expires"]);
      expect(lock?.coolOffExpiresOn?.getTime()).to.equal(clock.getTime() + COOL_OFF_HOURS * HOUR);
    }
    // Only EBS snapshots can be locked; the manifest says which were and until when.
    expect(regionLocks(fake.region()).size).to.equal(expectedEbs());
    const locks = manifest.sources.filter((o) => o.kind === "ec2" && o.status === "created").flatMap((o) => o.locks ?? []);
    expect(locks).to.have.length(expectedEbs());
    expect(locks.every((l) => l.status === "locked" && l.mode === "compliance" && l.until === `${manifest.expires.slice(0, 19)}.000Z`)).to.equal(true);
  });

  it("GOVERNANCE locks every EBS snapshot in governance mode until its expiry, without a cooling-off period", async () => {
    await run("GOVERNANCE");
    for (const snapshot of ebs()) {
      const lock = regionLocks(fake.region()).get(snapshot.id);
      expect(lock, snapshot.id).to.include({ mode: "governance" });
      expect(lock?.coolOffHours).to.equal(undefined);
      expect(lock?.expiresOn.toISOString().replace(".000", "")).to.equal(snapshot.tags["backup-dr:expires"]);
    }
    expect(regionLocks(fake.region()).size).to.equal(expectedEbs());
  });

  it("off locks nothing and never calls LockSnapshot", async () => {
    const manifest = await run("off");
    expect(ebs()).to.have.length(expectedEbs());
    expect(regionLocks(fake.region()).size).to.equal(0);
    expect(fake.calls.filter((c) => c.action === "LockSnapshot")).to.have.length(0);
    expect(manifest.sources.some((o) => o.locks !== undefined)).to.equal(false);
  });

  it("a rerun past the cooling-off period sees the compliance locks and changes nothing", async () => {
    await run("COMPLIANCE");
    const before = new Map([...regionLocks(fake.region())].map(([id, l]) => [id, { ...l }]));
    clock = new Date(clock.getTime() + (COOL_OFF_HOURS + 1) * HOUR);
    const rerun = await run("COMPLIANCE");
    const locks = rerun.sources.flatMap((o) => o.locks ?? []);
    expect(locks).to.have.length(expectedEbs());
    expect(locks.every((l) => l.status === "already-locked")).to.equal(true);
    expect(new Map([...regionLocks(fake.region())])).to.deep.equal(before);
  });

  it("a failed lock is reported in the manifest and fails the run after the rest; the snapshot stays and the rerun locks it", async () => {
    fake.permanent = (call) => (call.action === "LockSnapshot" && call.params.get("SnapshotId") === ebs()[0]?.id ? new AwsFault("UnauthorizedOperation", 403, "You are not authorized to perform this operation.") : undefined);
    const failed = await run("COMPLIANCE").then(() => undefined, (e: unknown) => e);
    expect(failed).to.have.property("name", "RunFailedError");
    const victim = ebs()[0].id;
    expect(String((failed as Error).message)).to.contain(`locking ${victim}`);
    const manifest = manifests(fake.region()).get(MANIFEST_KEY);
    const outcome = manifest?.sources.find((o) => o.snapshotIds.includes(victim));
    expect(outcome?.status).to.equal("created");
    expect(outcome?.locks?.find((l) => l.snapshotId === victim)).to.deep.include({ status: "failed", error: { name: "UnauthorizedOperation", message: "You are not authorized to perform this operation." } });
    expect(regionLocks(fake.region()).has(victim)).to.equal(false);
    expect(regionLocks(fake.region()).size).to.equal(expectedEbs() - 1);
    expect(ebs().map((b) => b.id)).to.include(victim);

    fake.permanent = undefined;
    const rerun = await run("COMPLIANCE");
    expect(rerun.counts.failed).to.equal(0);
    expect(regionLocks(fake.region()).get(victim)).to.include({ mode: "compliance" });
  });
});
