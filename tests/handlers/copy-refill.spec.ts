// Acceptance (issue 20, refill): a DR copy finishing (or failing) in the DR region starts the next deferred copies of
// its kind at once, within the places it freed, oldest first, with no refused copy call while the places are ours;
// a refill that starts nothing leaves no manifest; malformed events fail before any AWS call; other regions' events
// and second deliveries change nothing.
import { expect } from "chai";
import { TAG_COPY_OF } from "../../handlers/catalog";
import { runCopy } from "../../handlers/copy/run";
import { FakeAws } from "../helpers/aws-fake";
import { finishCopies, setCopyLimits, type CopyableSnapshot } from "../helpers/aws-fake-copy";
import { manifests, notifications, sorted } from "../helpers/aws-inspect";
import {
  addDbBackup,
  addEbsBackup,
  COPY_PLANS,
  copyDeps,
  copyFinishedEvent,
  copySettings,
  dbCopyFinishedEvent,
  DR,
  drCopies,
  metricValues,
  PRIMARY,
  primaryRegion,
  rejection,
  SWEEP,
} from "../helpers/copy-setup";

const NOW = new Date("2026-11-23T12:00:00Z");
const day = (n: number) => new Date(Date.UTC(2026, 10, 20 + n, 5));

describe("copy refill on DR copy-finished events", () => {
  let fake: FakeAws;
  const run = (event: unknown, overrides: Record<string, string> = {}) => {
    const deps = copyDeps(fake, () => NOW);
    return runCopy(deps, copySettings(overrides), event).then((result) => ({ ...result, recorded: deps.recorded }));
  };
  const refillManifests = () => [...manifests(fake.region(PRIMARY)).keys()].filter((k) => k.includes("/refill"));
  const copyCalls = () => fake.calls.filter((c) => c.action === "CopySnapshot").length;
  const copiedOf = () => drCopies(fake).flatMap((c) => c.tags[TAG_COPY_OF] ?? []);
  /** The DR copies (EBS) in a state, by id. */
  const drEbs = (state: string) => [...fake.region(DR).snapshots.values()].filter((s: CopyableSnapshot) => s.copiedFrom !== undefined && s.state === state).map((s) => s.id);
  beforeEach(() => {
    fake = new FakeAws();
    primaryRegion(fake);
  });

  it("at the limit with copies deferred, a copy finishing starts exactly the freed places, oldest first, with no refused call, and writes a manifest", async () => {
    Array.from({ length: 20 }, () => addEbsBackup(fake, { slot: day(1) }));
    const swept = await run(SWEEP);
    expect(swept.manifest.counts).to.include({ started: 20, deferred: 0 });
    // Deferred behind the 20 in flight: three newer backups and (a late completion) three older ones.
    const newer = Array.from({ length: 3 }, () => addEbsBackup(fake, { slot: day(2) }).id);
    const older = Array.from({ length: 3 }, () => addEbsBackup(fake, { slot: day(0) }).id);

    finishCopies(fake.region(DR), 2);
    const [finished] = drEbs("completed");
    const before = copyCalls();
    const refill = await run(copyFinishedEvent(finished));

    expect(refill.manifest.trigger).to.equal("refill");
    expect(refill.manifest.runId).to.match(/^refill@2026-11-20T05:20:41Z-[0-9a-f-]+$/);
    expect(refill.manifest.counts).to.include({ started: 2, deferred: 4, failed: 0 });
    expect(refill.manifest.inFlight).to.deep.equal({ ebs: 18 });
    expect(refill.manifest.event).to.deep.include({ detailType: "EBS Snapshot Notification", region: DR, snapshots: [finished], result: "succeeded" });
    // Two calls, both accepted: the places were counted, not found by AWS's refusal.
    expect(copyCalls() - before).to.equal(2);
    const started = refill.manifest.copies.filter((c) => c.status === "started").map((c) => c.source);
    expect(started.every((id) => older.includes(id))).to.equal(true);
    expect(copiedOf().filter((id) => newer.includes(id))).to.deep.equal([]);
    expect(fake.region(DR).snapshots.size).to.equal(22);
    expect(refill.manifestUri).to.match(/^s3:\/\/.+\/runs\/copy\/2026\/11\/20\/refill/);
    expect(refillManifests()).to.have.length(1);
    // The DR lag is the sweep's to measure: a refill publishes counts, never OldestUncopiedAgeSeconds.
    expect(metricValues(refill.recorded, "gold")).to.include({ CopiesStarted: 2 });
    expect(metricValues(refill.recorded, "gold")).not.to.have.property("OldestUncopiedAgeSeconds");
    expect(refill.manifest.oldestUncopiedAgeSeconds).to.equal(undefined);
    expect(notifications(fake.region())).to.deep.equal([]);
  });

  it("a refill that starts nothing writes no manifest and publishes nothing: every place still taken, or nothing left to copy", async () => {
    Array.from({ length: 22 }, () => addEbsBackup(fake, { slot: day(1) }));
    await run(SWEEP);
    const before = copyCalls();
    // A copy that is not ours finished (all 20 places still ours): the two deferred stay deferred, no call is sent.
    const full = await run(copyFinishedEvent("snap-0fe1dc2ba3b4c5d6e"));
    expect(full.manifest.counts).to.include({ started: 0, deferred: 2, failed: 0 });
    expect(full.manifestUri).to.equal(undefined);
    expect(full.recorded.metrics).to.deep.equal([]);
    expect(copyCalls()).to.equal(before);

    // Everything copied: a copy finishing finds nothing to start.
    finishCopies(fake.region(DR));
    await run(SWEEP);
    finishCopies(fake.region(DR));
    const idle = await run(copyFinishedEvent(drEbs("completed")[0]));
    expect(idle.manifest.counts).to.include({ started: 0, deferred: 0, failed: 0 });
    expect(idle.manifestUri).to.equal(undefined);
    expect(refillManifests()).to.deep.equal([]);
  });

  it("a failed copy's event frees its place for the oldest deferred copy and leaves the failed copy to the sweep", async () => {
    const first = Array.from({ length: 20 }, () => addEbsBackup(fake, { slot: day(1) }).id);
    await run(SWEEP);
    const deferred = addEbsBackup(fake, { slot: day(2) }).id;
    const [copy] = drEbs("pending");
    const failed = fake.region(DR).snapshots.get(copy);
    if (failed === undefined) throw new Error("no DR copy");
    failed.state = "error";
    const failedOf = failed.tags[TAG_COPY_OF];
    const { manifest } = await run(copyFinishedEvent(copy, "failed"));
    expect(manifest.event).to.deep.include({ result: "failed" });
    expect(manifest.counts).to.include({ started: 1, replaced: 0, failed: 0 });
    expect(manifest.copies.filter((c) => c.status === "started").map((c) => c.source)).to.deep.equal([deferred]);
    // The failed copy is still there, its backup not copied again: replacing failed copies is the sweep's.
    expect(manifest.replaced).to.deep.equal([]);
    expect(fake.calls.filter((c) => c.action === "DeleteSnapshot")).to.deep.equal([]);
    expect(drEbs("error")).to.deep.equal([copy]);
    expect(manifest.copies.find((c) => c.source === failedOf)).to.deep.include({ status: "deferred", reason: `its DR copy ${copy} failed; the sweep replaces failed copies` });
    expect(first).to.include(failedOf);
  });

  it("a copy that keeps failing is replaced at most once per sweep interval, however many refills its failures start", async () => {
    addEbsBackup(fake, { slot: day(1) });
    let now = NOW;
    const runAt = (event: unknown) => runCopy(copyDeps(fake, () => now), copySettings(), event);
    const failPending = () => {
      const pending = [...fake.region(DR).snapshots.values()].find((s: CopyableSnapshot) => s.copiedFrom !== undefined && s.state === "pending");
      if (pending === undefined) throw new Error("no DR copy in flight");
      pending.state = "error"; // e.g. the DR key cannot be used: AWS emits copySnapshot failed
      return pending.id;
    };
    await runAt(SWEEP);
    // One sweep interval (30 minutes): the copy fails, and every refill its failure event starts (and redeliveries,
    // and other copies' events) leaves it alone.
    const failedId = failPending();
    for (let i = 0; i < 10; i += 1) {
      now = new Date(now.getTime() + 3 * 60_000);
      const { manifest } = await runAt(copyFinishedEvent(failedId, "failed"));
      expect(manifest.counts).to.include({ started: 0, replaced: 0 });
    }
    expect(copyCalls()).to.equal(1);
    expect(refillManifests()).to.deep.equal([]);
    // The next sweep replaces it once; its next failure waits for the sweep after.
    const swept = await runAt(SWEEP);
    expect(swept.manifest.counts).to.include({ started: 1, replaced: 1 });
    const again = failPending();
    const { manifest } = await runAt(copyFinishedEvent(again, "failed"));
    expect(manifest.counts).to.include({ started: 0, replaced: 0 });
    expect(copyCalls()).to.equal(2);
    expect(refillManifests()).to.deep.equal([]);
  });

  it("does not count the copy its event names as in flight, though the DR listing still shows it pending", async () => {
    Array.from({ length: 20 }, () => addEbsBackup(fake, { slot: day(1) }));
    await run(SWEEP);
    const newer = addEbsBackup(fake, { slot: day(2) }).id;
    const older = addEbsBackup(fake, { slot: day(0) }).id;
    // AWS finished the copy (its place is free: AWS accepts a 21st while it is listed), but DescribeSnapshots, read
    // seconds later, still says pending (eventual consistency).
    setCopyLimits(fake.region(DR), { ebs: 21 });
    const [finished] = drEbs("pending");
    const before = copyCalls();
    const { manifest } = await run(copyFinishedEvent(finished));
    expect(manifest.inFlight).to.deep.equal({ ebs: 19 });
    expect(manifest.copies.filter((c) => c.status === "started").map((c) => c.source)).to.deep.equal([older]);
    expect(manifest.copies.filter((c) => c.status === "deferred").map((c) => c.source)).to.deep.equal([newer]);
    expect(copyCalls() - before).to.equal(1);
    expect(manifest.counts).to.include({ started: 1, failed: 0 });
  });

  it("does not count the DB snapshot copy its RDS-EVENT-0060 names as in flight, though the DR listing still shows it copying", async () => {
    const dbs = Array.from({ length: 3 }, (_, n) => addDbBackup(fake, "rds", { source: `orders-${n}` }).id);
    const limits = { BACKUP_DR_MAX_RDS_COPIES: "2" };
    const swept = await run(SWEEP, limits);
    expect(swept.manifest.counts).to.include({ started: 2, deferred: 1 });
    const [deferred] = swept.manifest.copies.filter((c) => c.status === "deferred").map((c) => c.source);
    const [stillListed] = drCopies(fake).filter((c) => c.kind === "rds");
    const { manifest } = await run(dbCopyFinishedEvent(stillListed.id), limits);
    expect(manifest.inFlight).to.deep.equal({ rds: 1 });
    expect(manifest.copies.map((c) => [c.source, c.status])).to.deep.equal([[deferred, "started"]]);
    expect(sorted(drCopies(fake).filter((c) => c.kind === "rds").map((c) => c.id))).to.deep.equal(sorted(dbs));
  });

  it("a refill publishes no CopiesDeferred: the queue it leaves is the sweep's and event runs' to count, not once per finished copy", async () => {
    Array.from({ length: 20 }, () => addEbsBackup(fake, { slot: day(1) }));
    await run(SWEEP);
    Array.from({ length: 5 }, () => addEbsBackup(fake, { slot: day(2) }));
    finishCopies(fake.region(DR), 1);
    const refill = await run(copyFinishedEvent(drEbs("completed")[0]));
    expect(refill.manifest.counts).to.include({ started: 1, deferred: 4 });
    const gold = metricValues(refill.recorded, "gold");
    expect(gold).to.include({ CopiesStarted: 1, CopiesFailed: 0 });
    expect(gold).not.to.have.property("CopiesDeferred");
    // A sweep still counts the queue.
    const swept = await run(SWEEP);
    expect(metricValues(swept.recorded, "gold")).to.include({ CopiesDeferred: 4 });
  });

  it("RDS-EVENT-0060 (a DB snapshot copy finished) refills the DB snapshot kind only", async () => {
    const dbs = Array.from({ length: 3 }, (_, n) => addDbBackup(fake, "rds", { source: `orders-${n}` }));
    Array.from({ length: 2 }, () => addEbsBackup(fake, { slot: day(1) }));
    const limits = { BACKUP_DR_MAX_RDS_COPIES: "2", BACKUP_DR_MAX_EBS_COPIES: "1" };
    const swept = await run(SWEEP, limits);
    expect(swept.manifest.counts).to.include({ started: 3, deferred: 2 });
    finishCopies(fake.region(DR));
    const finishedDb = drCopies(fake).find((c) => c.kind === "rds");
    if (finishedDb === undefined) throw new Error("no DR copy of a DB snapshot");
    const before = fake.calls.length;
    const { manifest } = await run(dbCopyFinishedEvent(finishedDb.id), limits);
    expect(manifest.trigger).to.equal("refill");
    expect(manifest.inFlight).to.deep.equal({ rds: 0 });
    expect(manifest.copies.map((c) => [c.kind, c.status])).to.deep.equal([["rds", "started"]]);
    expect(fake.calls.slice(before).filter((c) => c.service === "ec2")).to.deep.equal([]);
    expect(sorted(drCopies(fake).filter((c) => c.kind === "rds").map((c) => c.id))).to.deep.equal(sorted(dbs.map((d) => d.id)));
  });

  for (const [what, event] of [
    ["a copySnapshot event whose snapshot_id is not a snapshot", { ...copyFinishedEvent("snap-0a1b2c3d4e5f60718"), detail: { ...copyFinishedEvent("snap-0a1b2c3d4e5f60718").detail, snapshot_id: "arn:aws:ec2::us-west-2:volume/vol-0a1b2c3d" } }],
    ["a copySnapshot event whose result is not text", { ...copyFinishedEvent("snap-0a1b2c3d4e5f60718"), detail: { ...copyFinishedEvent("snap-0a1b2c3d4e5f60718").detail, result: true } }],
    ["a copySnapshot event naming no snapshot", { ...copyFinishedEvent("snap-0a1b2c3d4e5f60718"), resources: [], detail: { event: "copySnapshot", result: "succeeded" } }],
    ["an RDS-EVENT-0060 whose SourceArn is a cluster snapshot's", { ...dbCopyFinishedEvent("bdr-x"), detail: { ...dbCopyFinishedEvent("bdr-x").detail, SourceArn: `arn:aws:rds:${DR}:123456789012:cluster-snapshot:bdr-x` } }],
  ] as const) {
    it(`rejects ${what} with MalformedEventError, before any AWS call`, async () => {
      addEbsBackup(fake);
      const error = await rejection(run(event));
      expect(error.name).to.equal("MalformedEventError");
      expect(fake.calls).to.deep.equal([]);
    });
  }

  it("ignores a copy-finished event from a third region (and the primary's), without any AWS call or manifest", async () => {
    addEbsBackup(fake);
    for (const region of ["eu-west-1", PRIMARY]) {
      const { manifest, manifestUri, recorded } = await run(copyFinishedEvent("snap-0a1b2c3d4e5f60718", "succeeded", region));
      expect(manifest.trigger).to.equal("refill");
      expect(manifest.event?.ignore).to.equal(`the event is from ${region}; a refill follows a copy finishing in the DR region ${DR}`);
      expect(manifestUri).to.equal(undefined);
      expect(recorded.metrics).to.deep.equal([]);
    }
    expect(fake.calls).to.deep.equal([]);
  });

  it("ignores a copy-finished event of a kind no copying plan backs up, without any AWS call", async () => {
    const plans = COPY_PLANS.map((p) => ({ ...p, resources: p.resources.filter((r) => r === "ec2") }));
    const { manifest, manifestUri } = await run(dbCopyFinishedEvent("bdr-gold-x"), { BACKUP_DR_PLANS: JSON.stringify(plans) });
    expect(manifest.event?.ignore).to.equal("no plan that copies to DR backs up rds");
    expect(manifestUri).to.equal(undefined);
    expect(fake.calls).to.deep.equal([]);
  });

  it("an event delivered twice starts no copy twice", async () => {
    Array.from({ length: 21 }, () => addEbsBackup(fake, { slot: day(1) }));
    await run(SWEEP);
    finishCopies(fake.region(DR), 1);
    const event = copyFinishedEvent(drEbs("completed")[0]);
    const first = await run(event);
    const second = await run(event);
    expect(first.manifest.counts).to.include({ started: 1 });
    expect(second.manifest.counts).to.include({ started: 0, deferred: 0 });
    expect(second.manifest.runId).to.equal(first.manifest.runId);
    expect(sorted(copiedOf())).to.deep.equal(sorted([...new Set(copiedOf())]));
    expect(copiedOf()).to.have.length(21);
  });
});
