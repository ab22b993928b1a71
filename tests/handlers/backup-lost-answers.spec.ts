// Acceptance (issue 15): AWS performs a create and its answer is lost, beneath the SDK's retry; no duplicate backup set.
import { expect } from "chai";
import { runBackup } from "../../handlers/backup/run";
import { FakeAws } from "../helpers/aws-fake";
import { backupDeps, backupSettings } from "../helpers/backup-setup";
import { fakeClients } from "../helpers/aws-clients";
import { buildFleet, goldSources, type Fleet } from "../helpers/backup-fleet";
import { backups, sorted } from "../helpers/aws-inspect";
import { AwsFault } from "../helpers/aws-wire";

const EVENT = { plan: "gold", scheduledTime: "2026-11-22T11:00:00Z" };
const RUN_ID = "gold@2026-11-22T11:00:00Z";

/** Every gold source has exactly one backup of the run: EC2 one snapshot of each volume, in one set. */
function expectOneSetEach(fake: FakeAws, fleet: Fleet): void {
  const made = backups(fake.region(), RUN_ID);
  for (const source of goldSources(fleet)) {
    const volumes = fleet.gold.ec2.get(source);
    const mine = made.filter((b) => b.source === source);
    if (volumes) expect(sorted(mine.map((b) => b.volumeId)), source).to.deep.equal(sorted(volumes));
    else expect(mine, source).to.have.length(1);
  }
}

describe("backup when AWS's answer is lost", () => {
  let fake: FakeAws;
  let fleet: Fleet;
  beforeEach(() => {
    fake = new FakeAws();
    fake.pageCap.ec2 = 5;
    fleet = buildFleet(fake, 3);
  });

  it("with 30% of mutating answers lost after AWS acted (plus transient faults), one snapshot set per source and slot, across reruns", async () => {
    const loser = fake.loseAnswers({ rate: 0.3, kinds: ["timeout", "500"], seed: 15 });
    fake.injectFaults({ rate: 0.15, kinds: ["throttle", "500", "timeout"], seed: 1115 });
    const deps = backupDeps(fakeClients(fake));
    const first = await runBackup(deps, backupSettings(), EVENT);
    expect(first.counts.failed).to.equal(0);
    expectOneSetEach(fake, fleet);
    // Answers were lost on CreateSnapshots after the sets were made, beneath the SDK's retry.
    expect(loser?.lost.CreateSnapshots ?? 0).to.be.greaterThan(3);
    expect(fake.handled("CreateSnapshots").filter((c) => c.lost !== undefined).length).to.be.greaterThan(3);
    for (let rerun = 0; rerun < 2; rerun += 1) {
      const again = await runBackup(deps, backupSettings(), EVENT);
      expect(again.counts, `rerun ${rerun}`).to.include({ created: 0, failed: 0 });
      expectOneSetEach(fake, fleet);
    }
    // A set found by the look-up is reported as created by the run that made it.
    const instances = [...fleet.gold.ec2.keys()];
    expect(first.sources.filter((o) => instances.includes(o.source)).every((o) => o.status === "created")).to.be.true;
  });

  it("a look-up that fails after a lost answer fails that source without a second set; the rerun finds the set", async () => {
    const [instance] = fleet.gold.ec2.keys();
    fake.loseAnswers({ rate: 1, kinds: ["timeout"], seed: 1, actions: ["CreateSnapshots"] });
    let lostOnce = false;
    fake.beforeHandle = (call) => {
      if (call.action === "CreateSnapshots" && call.params.get("InstanceSpecification.InstanceId") === instance) lostOnce = true;
    };
    // The look-up is the one listing filtered by source; it is refused once an answer was lost.
    fake.permanent = (call) => (lostOnce && call.action === "DescribeSnapshots" && [...call.params.values()].includes(instance) ? new AwsFault("UnauthorizedOperation", 403, "not authorized to perform ec2:DescribeSnapshots") : undefined);
    const error = await runBackup(backupDeps(fakeClients(fake)), backupSettings({ BACKUP_DR_CONCURRENCY: "1" }), EVENT).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).message).to.include(`ec2 ${instance}: LookUpFailedError`);
    expect(backups(fake.region(), RUN_ID).filter((b) => b.source === instance)).to.have.length(fleet.gold.ec2.get(instance)?.length ?? -1);

    fake.loseAnswers(undefined);
    fake.permanent = undefined;
    const rerun = await runBackup(backupDeps(fakeClients(fake)), backupSettings(), EVENT);
    expect(rerun.sources.find((o) => o.source === instance)).to.include({ status: "skipped", reason: "already exists" });
    expectOneSetEach(fake, fleet);
  });
});
