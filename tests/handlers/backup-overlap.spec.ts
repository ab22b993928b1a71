// Acceptance: overlapping deliveries of one backup event make one EBS snapshot set per instance, and a delivery
// that dies holding an instance's claim does not strand it: Lambda's retry of the event backs it up.
import { expect } from "chai";
import { claimKey, CLAIM_LEASE_MS } from "../../handlers/kinds/ec2-claim";
import { planRun, runBackup } from "../../handlers/backup/run";
import { FakeAws } from "../helpers/aws-fake";
import { backupDeps, backupSettings } from "../helpers/backup-setup";
import { fakeClients } from "../helpers/aws-clients";
import { buildFleet, goldSources, VAULT_BUCKET, type Fleet } from "../helpers/backup-fleet";
import { backups, sorted } from "../helpers/aws-inspect";

const EVENT = { plan: "gold", scheduledTime: "2026-11-22T11:00:00Z" };
const RUN_ID = "gold@2026-11-22T11:00:00Z";
const NOW = new Date("2026-11-22T11:00:30Z");

describe("backup overlapping deliveries", () => {
  let fake: FakeAws;
  let fleet: Fleet;
  /** A delivery with its own clients; its clock advances by what it sleeps, so waiting out a lease takes no time. */
  const delivery = (start = NOW) => {
    let now = start.getTime();
    const deps = { ...backupDeps(fakeClients(fake), () => new Date(now)), sleep: async (ms: number) => void (now += ms, await new Promise((r) => setImmediate(r))) };
    return runBackup(deps, backupSettings(), EVENT);
  };
  beforeEach(() => {
    fake = new FakeAws();
    fleet = buildFleet(fake);
  });

  it("two concurrent deliveries of one event give one snapshot set per instance and one backup per database", async () => {
    const [first, second] = await Promise.all([delivery(), delivery()]);
    for (const [instance, volumes] of fleet.gold.ec2) {
      const made = backups(fake.region(), RUN_ID).filter((b) => b.source === instance);
      expect(made, instance).to.have.length(volumes.length);
      expect(sorted(made.map((b) => b.volumeId)), instance).to.deep.equal(sorted(volumes));
      // Both deliveries report the same set: one made it, the other found it.
      const reported = [first, second].map((m) => m.sources.find((o) => o.source === instance));
      expect(sorted(reported.map((o) => o?.status))).to.deep.equal(["created", "skipped"]);
      expect(sorted(reported[0]?.snapshotIds ?? [])).to.deep.equal(sorted(reported[1]?.snapshotIds ?? []));
    }
    for (const source of [...fleet.gold.rds, ...fleet.gold.aurora]) {
      expect(backups(fake.region(), RUN_ID).filter((b) => b.source === source), source).to.have.length(1);
    }
    expect(first.counts.failed + second.counts.failed).to.equal(0);
    expect(first.counts.created + second.counts.created).to.equal(goldSources(fleet).length);
  });

  it("a claim left by a delivery that crashed before creating is taken over once its lease has passed", async () => {
    const [instance] = fleet.gold.ec2.keys();
    const run = planRun("backup-dr/test", backupSettings().plans[0], new Date(EVENT.scheduledTime));
    const crashed = { holder: "crashed", at: NOW.toISOString() };
    fake.region().buckets.get(VAULT_BUCKET)?.set(claimKey(run, instance), JSON.stringify(crashed));
    // Lambda retries the failed event a minute or two later: the retry waits out the rest of the lease, then backs up.
    const retry = await delivery(new Date(NOW.getTime() + 60_000));
    expect(retry.sources.find((o) => o.source === instance)).to.deep.include({ status: "created" });
    expect(backups(fake.region(), RUN_ID).filter((b) => b.source === instance)).to.have.length(fleet.gold.ec2.get(instance)?.length ?? 0);
    const record = JSON.parse(fake.region().buckets.get(VAULT_BUCKET)?.get(claimKey(run, instance)) ?? "{}") as { snapshotIds?: string[] };
    expect(sorted(record.snapshotIds ?? [])).to.deep.equal(sorted(retry.sources.find((o) => o.source === instance)?.snapshotIds ?? []));
  });

  it("a claim left by a delivery that crashed after creating is recorded with that set, not made again", async () => {
    await delivery();
    const [instance] = fleet.gold.ec2.keys();
    const run = planRun("backup-dr/test", backupSettings().plans[0], new Date(EVENT.scheduledTime));
    const before = sorted(backups(fake.region(), RUN_ID).map((b) => b.id));
    // As if the holder died between CreateSnapshots and recording the set, and the listing had not shown it yet.
    fake.region().buckets.get(VAULT_BUCKET)?.set(claimKey(run, instance), JSON.stringify({ holder: "crashed", at: NOW.toISOString() }));
    const snapshots = fake.region().snapshots;
    const hidden = [...snapshots].filter(([, s]) => s.tags["backup-dr:source"] === instance);
    for (const [id] of hidden) snapshots.delete(id);
    fake.beforeHandle = (call) => {
      // The run's listing (two tag filters) misses the set, as EC2's eventual consistency may; the claim's own look
      // (run, stack and source filters) comes after the lease, when the set is listed.
      if (call.action === "DescribeSnapshots" && call.params.get("Filter.3.Name") !== undefined) for (const [id, s] of hidden) snapshots.set(id, s);
    };
    const retry = await delivery(new Date(NOW.getTime() + CLAIM_LEASE_MS + 1_000));
    expect(retry.sources.find((o) => o.source === instance)).to.deep.include({ status: "skipped", reason: "already exists" });
    expect(sorted(backups(fake.region(), RUN_ID).map((b) => b.id))).to.deep.equal(before);
  });
});
