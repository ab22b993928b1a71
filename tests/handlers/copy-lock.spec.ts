// Issue 10 item 6: each EBS DR copy is locked until its DR expiry per vaultLock.mode; reruns see the lock; a failed
// lock is reported and fails the run, the copy stays, and the next run or sweep locks it.
import { expect } from "chai";
import { runCopy } from "../../handlers/copy/run";
import type { CopyManifest } from "../../handlers/copy/report";
import { COOL_OFF_HOURS } from "../../handlers/lib/snapshot-lock";
import { FakeAws } from "../helpers/aws-fake";
import { regionLocks, setLockClock } from "../helpers/aws-fake-lock";
import { addDbBackup, addEbsBackup, copiesOf, copyDeps, copySettings, DR, PRIMARY, primaryRegion, rejection, snapshotEvent, SWEEP } from "../helpers/copy-setup";
import { manifests } from "../helpers/aws-inspect";
import { AwsFault } from "../helpers/aws-wire";

const HOUR = 3_600_000;
const DR_EXPIRES = "2026-12-20T05:00:00.000Z";

describe("copy: EBS snapshot lock of DR copies", () => {
  let fake: FakeAws;
  let clock: Date;
  const now = () => clock;
  const run = (mode: string, event: unknown = SWEEP) => runCopy(copyDeps(fake, now), copySettings({ BACKUP_DR_SNAPSHOT_LOCK: mode }), event);
  const drLocks = () => regionLocks(fake.region(DR));
  beforeEach(() => {
    fake = new FakeAws();
    primaryRegion(fake);
    clock = new Date("2026-11-22T12:00:00Z");
    setLockClock(fake.region(DR), now);
  });

  it("COMPLIANCE locks the EBS copy in compliance mode until its DR expiry, with the cooling-off period; RDS copies have no lock", async () => {
    const ebs = addEbsBackup(fake);
    addDbBackup(fake, "rds");
    const { manifest } = await run("COMPLIANCE");
    const [copy] = copiesOf(fake, ebs.id);
    expect(copy.tags["backup-dr:expires"]).to.equal("2026-12-20T05:00:00Z");
    const lock = drLocks().get(copy.id);
    expect(lock).to.include({ mode: "compliance", coolOffHours: COOL_OFF_HOURS });
    expect(lock?.expiresOn.toISOString()).to.equal(DR_EXPIRES);
    expect(drLocks().size).to.equal(1);
    expect(regionLocks(fake.region(PRIMARY)).size).to.equal(0);
    expect(manifest.copies.find((c) => c.kind === "ebs")?.lock).to.deep.include({ snapshotId: copy.id, status: "locked", mode: "compliance", until: DR_EXPIRES });
  });

  it("GOVERNANCE locks the copy made for a completion event in governance mode, without a cooling-off period", async () => {
    const ebs = addEbsBackup(fake);
    await run("GOVERNANCE", snapshotEvent(ebs.id));
    const [copy] = copiesOf(fake, ebs.id);
    const lock = drLocks().get(copy.id);
    expect(lock).to.include({ mode: "governance" });
    expect(lock?.coolOffHours).to.equal(undefined);
    expect(lock?.expiresOn.toISOString()).to.equal(DR_EXPIRES);
  });

  it("off locks nothing", async () => {
    const ebs = addEbsBackup(fake);
    await run("off");
    expect(copiesOf(fake, ebs.id)).to.have.length(1);
    expect(drLocks().size).to.equal(0);
    expect(fake.calls.filter((c) => c.action === "LockSnapshot" || c.action === "DescribeLockedSnapshots")).to.have.length(0);
  });

  it("a rerun and a later sweep past the cooling-off period see the lock and change nothing", async () => {
    const ebs = addEbsBackup(fake);
    await run("COMPLIANCE", snapshotEvent(ebs.id));
    const [copy] = copiesOf(fake, ebs.id);
    const before = { ...drLocks().get(copy.id) };
    clock = new Date(clock.getTime() + (COOL_OFF_HOURS + 1) * HOUR);
    const locksSent = fake.handled("LockSnapshot").length;
    const rerun = await run("COMPLIANCE", snapshotEvent(ebs.id));
    const sweep = await run("COMPLIANCE");
    for (const { manifest } of [rerun, sweep]) {
      expect(manifest.counts.failed).to.equal(0);
      expect(manifest.relocked ?? []).to.have.length(0);
    }
    expect(fake.handled("LockSnapshot")).to.have.length(locksSent);
    expect(copiesOf(fake, ebs.id)).to.have.length(1);
    expect(drLocks().get(copy.id)).to.deep.equal(before);
  });

  it("a failed lock is reported and fails the run; the copy stays, and the next sweep locks it", async () => {
    const ebs = addEbsBackup(fake);
    fake.permanent = (call) => (call.action === "LockSnapshot" ? new AwsFault("UnauthorizedOperation", 403, "You are not authorized to perform this operation.") : undefined);
    const error = await rejection(run("COMPLIANCE"));
    expect(error.name).to.equal("RunFailedError");
    const [copy] = copiesOf(fake, ebs.id);
    expect(error.message).to.contain(`locking ${copy.id}`);
    const written = [...manifests(fake.region(PRIMARY)).values()][0] as unknown as CopyManifest;
    expect(written.copies[0]).to.deep.include({ status: "started", copyId: copy.id });
    expect(written.copies[0].lock).to.deep.include({ status: "failed", error: { name: "UnauthorizedOperation", message: "You are not authorized to perform this operation." } });
    expect(drLocks().size).to.equal(0);

    fake.permanent = undefined;
    clock = new Date(clock.getTime() + HOUR);
    const { manifest } = await run("COMPLIANCE");
    expect(manifest.counts).to.include({ started: 0, failed: 0 });
    expect(manifest.relocked).to.deep.equal([{ kind: "ebs", source: ebs.id, plan: "gold", snapshotId: copy.id, status: "locked", mode: "compliance", until: DR_EXPIRES }]);
    expect(drLocks().get(copy.id)).to.include({ mode: "compliance" });
    expect(copiesOf(fake, ebs.id)).to.have.length(1);
  });
});
