// Acceptance: reruns of a plan and slot are idempotent; a rerun completes what an earlier run left undone.
import { expect } from "chai";
import { runBackup } from "../../handlers/backup/run";
import { FakeAws } from "../helpers/aws-fake";
import { backupDeps, backupSettings } from "../helpers/backup-setup";
import { fakeClients } from "../helpers/aws-clients";
import { buildFleet, goldSources, type Fleet } from "../helpers/backup-fleet";
import { backups, sorted } from "../helpers/aws-inspect";
import { AwsFault } from "../helpers/aws-wire";

const EVENT = { plan: "gold", scheduledTime: "2026-11-22T11:00:00Z" };

describe("backup reruns", () => {
  let fake: FakeAws;
  let fleet: Fleet;
  beforeEach(() => {
    fake = new FakeAws();
    fleet = buildFleet(fake);
  });

  it("replaying the same event three times creates nothing after the first run", async () => {
    const first = await runBackup(backupDeps(fakeClients(fake)), backupSettings(), EVENT);
    const made = sorted(backups(fake.region()).map((b) => b.id));
    const ec2Creates = fake.handled("CreateSnapshots").length;
    expect(first.counts.created).to.equal(goldSources(fleet).length);

    for (let replay = 0; replay < 3; replay += 1) {
      const again = await runBackup(backupDeps(fakeClients(fake)), backupSettings(), EVENT);
      expect(again.counts).to.deep.equal({ created: 0, skipped: goldSources(fleet).length + fleet.goldSkipped.size, failed: 0 });
      for (const outcome of first.sources.filter((o) => o.status === "created")) {
        const rerun = again.sources.find((o) => o.source === outcome.source);
        expect(rerun, outcome.source).to.deep.include({ status: "skipped", reason: "already exists" });
        expect(sorted(rerun?.snapshotIds ?? []), outcome.source).to.deep.equal(sorted(outcome.snapshotIds));
      }
    }
    expect(sorted(backups(fake.region()).map((b) => b.id))).to.deep.equal(made);
    // EC2 reruns find the run's snapshots by tag and never call CreateSnapshots again.
    expect(fake.handled("CreateSnapshots")).to.have.length(ec2Creates);
  });

  it("a rerun after a partly failed run makes only the missing backups", async () => {
    const [failingInstance] = fleet.gold.ec2.keys();
    fake.permanent = (call) =>
      (call.action === "CreateSnapshots" && call.params.get("InstanceSpecification.InstanceId") === failingInstance) ||
      (call.action === "CreateDBClusterSnapshot" && call.params.get("DBClusterIdentifier") === "gold-aurora-1")
        ? new AwsFault("InternalError", 500, "We encountered an internal error.")
        : undefined;
    const failed = await runBackup(backupDeps(fakeClients(fake)), backupSettings(), EVENT).then(() => undefined, (e: unknown) => e);
    expect(failed).to.have.property("name", "RunFailedError");

    fake.permanent = undefined;
    const rerun = await runBackup(backupDeps(fakeClients(fake)), backupSettings(), EVENT);
    expect(sorted(rerun.sources.filter((o) => o.status === "created").map((o) => o.source))).to.deep.equal(sorted([failingInstance, "gold-aurora-1"]));
    const made = backups(fake.region());
    for (const source of goldSources(fleet)) {
      const expected = fleet.gold.ec2.get(source)?.length ?? 1;
      expect(made.filter((b) => b.source === source), source).to.have.length(expected);
    }
  });

  it("an EC2 snapshot of the run that ended in error does not count as done", async () => {
    await runBackup(backupDeps(fakeClients(fake)), backupSettings(), EVENT);
    const [instance] = fleet.gold.ec2.keys();
    const broken = [...fake.region().snapshots.values()].filter((s) => s.tags["backup-dr:source"] === instance);
    for (const s of broken) s.state = "error";
    const rerun = await runBackup(backupDeps(fakeClients(fake)), backupSettings(), EVENT);
    expect(rerun.sources.find((o) => o.source === instance)).to.deep.include({ status: "created" });
    expect(rerun.counts.created).to.equal(1);
  });

  it("another slot of the same plan is a new run with its own backups", async () => {
    await runBackup(backupDeps(fakeClients(fake)), backupSettings(), EVENT);
    const next = await runBackup(backupDeps(fakeClients(fake)), backupSettings(), { plan: "gold", scheduledTime: "2026-11-22T17:00:00Z" });
    expect(next.counts.created).to.equal(goldSources(fleet).length);
    expect(backups(fake.region(), "gold@2026-11-22T17:00:00Z").length).to.equal(backups(fake.region(), "gold@2026-11-22T11:00:00Z").length);
  });
});
