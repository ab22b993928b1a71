// Acceptance (issue 15): AWS starts a copy and its answer is lost, beneath the SDK's retry: one copy per backup, and no
// run starts more copies than the limit, counted from what is really in flight in the DR region.
import { expect } from "chai";
import { TAG_COPY_OF } from "../../handlers/catalog";
import { runCopy } from "../../handlers/copy/run";
import { FakeAws } from "../helpers/aws-fake";
import { copiesInFlight, finishCopies, setCopyLimits } from "../helpers/aws-fake-copy";
import { addDbBackup, addEbsBackup, copyDeps, copySettings, DR, drCopies, multiVolumeEvent, primaryRegion, SWEEP } from "../helpers/copy-setup";
import { sorted } from "../helpers/aws-inspect";
import { AwsFault } from "../helpers/aws-wire";

const NOW = new Date("2026-11-21T12:00:00Z");

describe("copy when AWS's answer is lost", () => {
  let fake: FakeAws;
  beforeEach(() => {
    fake = new FakeAws();
    fake.pageCap.ec2 = 5;
    fake.pageCap.rds = 5;
    primaryRegion(fake);
    // AWS would accept far more: only the function's own limits stand between a run and too many copies.
    setCopyLimits(fake.region(DR), { ebs: 100, rds: 100, aurora: 100 });
  });

  const copyOfs = () => sorted(drCopies(fake).map((c) => c.tags[TAG_COPY_OF]));

  it("with 30% of copy answers lost after AWS acted (plus transient faults), sweeps make one copy per backup and never exceed the limits", async () => {
    const expected = [
      ...Array.from({ length: 30 }, (_, n) => addEbsBackup(fake, { source: `i-0${n % 10}` }).id),
      ...Array.from({ length: 8 }, (_, n) => addDbBackup(fake, "rds", { source: `orders-${n}` }).arn),
      ...Array.from({ length: 6 }, (_, n) => addDbBackup(fake, "aurora", { source: `ledger-${n}` }).arn),
    ];
    const loser = fake.loseAnswers({ rate: 0.3, kinds: ["timeout", "500"], seed: 1515 });
    fake.injectFaults({ rate: 0.15, kinds: ["throttle", "500", "timeout"], seed: 2115 });
    const deps = copyDeps(fake, () => NOW);
    const settings = copySettings({ BACKUP_DR_MAX_EBS_COPIES: "20", BACKUP_DR_MAX_RDS_COPIES: "5", BACKUP_DR_MAX_CLUSTER_COPIES: "3" });

    const first = await runCopy(deps, settings, SWEEP);
    expect(first.manifest.counts).to.include({ started: 20 + 5 + 3, failed: 0 });
    expect(copiesInFlight(fake.region(DR))).to.deep.equal({ ebs: 20, rds: 5, aurora: 3 });
    expect(new Set(copyOfs()).size).to.equal(copyOfs().length);
    expect((loser?.lost.CopySnapshot ?? 0) + (loser?.lost.CopyDBSnapshot ?? 0) + (loser?.lost.CopyDBClusterSnapshot ?? 0)).to.be.greaterThan(5);

    for (let sweep = 0; sweep < 4; sweep += 1) {
      finishCopies(fake.region(DR), 4);
      await runCopy(deps, settings, SWEEP);
      const inFlight = copiesInFlight(fake.region(DR));
      expect(inFlight.ebs, `sweep ${sweep}`).to.be.at.most(20);
      expect(inFlight.rds, `sweep ${sweep}`).to.be.at.most(5);
      expect(inFlight.aurora, `sweep ${sweep}`).to.be.at.most(3);
    }
    for (let sweep = 0; copyOfs().length < expected.length && sweep < 10; sweep += 1) {
      finishCopies(fake.region(DR));
      await runCopy(deps, settings, SWEEP);
    }
    finishCopies(fake.region(DR));
    const last = await runCopy(deps, settings, SWEEP);
    expect(last.manifest.counts).to.include({ started: 0, deferred: 0, failed: 0 });
    expect(copyOfs()).to.deep.equal(sorted(expected));
  });

  it("events whose copy answers are lost, then a sweep: one copy of each backup", async () => {
    const backups = Array.from({ length: 12 }, () => addEbsBackup(fake).id);
    fake.loseAnswers({ rate: 0.5, kinds: ["timeout", "500"], seed: 33, actions: ["CopySnapshot"] });
    const deps = copyDeps(fake, () => NOW);
    for (let n = 0; n < 12; n += 3) await runCopy(deps, copySettings(), multiVolumeEvent(backups.slice(n, n + 3)));
    expect(fake.handled("CopySnapshot").filter((c) => c.lost !== undefined).length).to.be.greaterThan(2);
    const sweep = await runCopy(deps, copySettings(), SWEEP);
    expect(sweep.manifest.counts).to.include({ started: 0, failed: 0 });
    expect(copyOfs()).to.deep.equal(sorted(backups));
  });

  it("a copy whose answer is lost and whose look-up fails is deferred and keeps its place: the run starts no more than the limit", async () => {
    const backups = Array.from({ length: 3 }, () => addEbsBackup(fake).id);
    fake.loseAnswers({ rate: 1, kinds: ["timeout"], seed: 7, actions: ["CopySnapshot"] });
    // The look-up is the DR listing by copy-of; it is refused.
    fake.permanent = (call) =>
      call.region === DR && call.action === "DescribeSnapshots" && [...call.params.values()].includes(`tag:${TAG_COPY_OF}`) ? new AwsFault("UnauthorizedOperation", 403, "not authorized to perform ec2:DescribeSnapshots") : undefined;
    const settings = copySettings({ BACKUP_DR_MAX_EBS_COPIES: "2", BACKUP_DR_CONCURRENCY: "1" });
    const { manifest } = await runCopy(copyDeps(fake, () => NOW), settings, SWEEP);
    expect(manifest.counts).to.include({ started: 0, deferred: 3, failed: 0 });
    expect(manifest.copies.filter((c) => c.reason?.includes("LookUpFailedError") || c.reason?.includes("looking it up failed"))).to.have.length(2);
    // AWS made two copies (answers lost); the third was never sent.
    expect(copiesInFlight(fake.region(DR)).ebs).to.equal(2);
    expect(fake.handled("CopySnapshot")).to.have.length(2);

    // The next sweeps find the two copies in the DR region and start only the third, once a place is free.
    fake.loseAnswers(undefined);
    fake.permanent = undefined;
    const full = await runCopy(copyDeps(fake, () => NOW), settings, SWEEP);
    expect(full.manifest.counts).to.include({ started: 0, deferred: 1 });
    finishCopies(fake.region(DR));
    const rest = await runCopy(copyDeps(fake, () => NOW), settings, SWEEP);
    expect(rest.manifest.counts).to.include({ started: 1, deferred: 0, failed: 0 });
    expect(copyOfs()).to.deep.equal(sorted(backups));
  });
});
