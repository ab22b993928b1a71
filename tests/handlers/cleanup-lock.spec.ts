// Issue 10 item 6: cleanup keeps an expired EBS snapshot that is still under a snapshot lock and reports the lock's
// end; an expired lock does not keep it; a failed lock listing keeps every EBS snapshot of the region and fails the run.
import { expect } from "chai";
import { DeleteSnapshotCommand } from "@aws-sdk/client-ec2";
import { runCleanup } from "../../handlers/cleanup/run";
import { FakeAws } from "../helpers/aws-fake";
import { regionLocks, setLockClock } from "../helpers/aws-fake-lock";
import { fakeClients } from "../helpers/aws-clients";
import { AwsFault } from "../helpers/aws-wire";
import { DR, NOW, PRIMARY, cleanupDeps, cleanupSettings, rejection, snapshotIds } from "../helpers/cleanup-setup";
import { buildScenario, type Scenario } from "../helpers/cleanup-scenario";

const DAY = 86_400_000;
const EVENT = { scheduledTime: "2026-11-22T03:30:00Z" };

describe("cleanup: locked EBS snapshots", () => {
  let fake: FakeAws;
  let scenario: Scenario;
  beforeEach(() => {
    fake = new FakeAws();
    scenario = buildScenario(fake);
    for (const region of [PRIMARY, DR]) setLockClock(fake.region(region), () => NOW);
  });
  const deletableEbs = (region: string) => scenario.deletable.filter((p) => p.startsWith(`${region} snap-`)).map((p) => p.split(" ")[1]);
  const lock = (region: string, id: string, mode: "compliance" | "governance", expiresOn: Date) =>
    regionLocks(fake.region(region)).set(id, { mode, createdOn: new Date(NOW.getTime() - 10 * DAY), expiresOn, ...(mode === "compliance" ? { coolOffHours: 24, coolOffExpiresOn: new Date(NOW.getTime() - 9 * DAY) } : {}) });

  it("keeps an expired snapshot still under lock, reports the lock's end, and deletes the rest", async () => {
    const [locked, other] = deletableEbs(DR);
    const until = new Date(NOW.getTime() + 5 * DAY);
    lock(DR, locked, "compliance", until);
    const [governed] = deletableEbs(PRIMARY);
    lock(PRIMARY, governed, "governance", new Date(NOW.getTime() + DAY));

    const manifest = await runCleanup(cleanupDeps(fake), cleanupSettings(), EVENT);
    expect(snapshotIds(fake.region(DR))).to.include(locked);
    expect(snapshotIds(fake.region(DR))).to.not.include(other);
    expect(snapshotIds(fake.region(PRIMARY))).to.include(governed);
    const outcome = manifest.snapshots.find((o) => o.region === DR && o.id === locked);
    expect(outcome).to.deep.include({ status: "kept", lock: { state: "compliance", until: until.toISOString() } });
    expect(outcome?.reason).to.equal(`expired, but locked (compliance) until ${until.toISOString()}`);
    expect(manifest.snapshots.find((o) => o.region === PRIMARY && o.id === governed)).to.deep.include({ status: "kept", lock: { state: "governance", until: new Date(NOW.getTime() + DAY).toISOString() } });
    expect(manifest.counts.failed).to.equal(0);
    // No delete was even tried on a locked snapshot.
    const deletes = fake.handled("DeleteSnapshot").map((c) => `${c.region} ${c.params.get("SnapshotId") ?? ""}`);
    expect(deletes).to.not.include.members([`${DR} ${locked}`, `${PRIMARY} ${governed}`]);
  });

  it("deletes an expired snapshot whose lock has ended", async () => {
    const [id] = deletableEbs(DR);
    lock(DR, id, "governance", new Date(NOW.getTime() - DAY));
    const manifest = await runCleanup(cleanupDeps(fake), cleanupSettings(), EVENT);
    expect(snapshotIds(fake.region(DR))).to.not.include(id);
    expect(manifest.snapshots.find((o) => o.region === DR && o.id === id)).to.deep.include({ status: "deleted" });
  });

  it("a failed lock listing keeps every EBS snapshot of that region, names the failure and fails the run", async () => {
    fake.permanent = (call) => (call.action === "DescribeLockedSnapshots" && call.region === DR ? new AwsFault("UnauthorizedOperation", 403, "You are not authorized to perform this operation.") : undefined);
    const before = deletableEbs(DR);
    const error = await rejection(runCleanup(cleanupDeps(fake), cleanupSettings(), EVENT));
    expect(error.name).to.equal("RunFailedError");
    expect(error.message).to.contain(`${DR}: listing locks: UnauthorizedOperation`);
    expect(snapshotIds(fake.region(DR))).to.include.members(before);
    expect(snapshotIds(fake.region(PRIMARY))).to.not.include.members(deletableEbs(PRIMARY));
  });

  it("the fake refuses DeleteSnapshot on a locked snapshot, as AWS does", async () => {
    const [id] = deletableEbs(DR);
    lock(DR, id, "compliance", new Date(NOW.getTime() + DAY));
    const refused = await rejection(fakeClients(fake, { region: DR }).ec2.send(new DeleteSnapshotCommand({ SnapshotId: id })));
    expect(refused.name).to.equal("SnapshotLocked");
    expect(snapshotIds(fake.region(DR))).to.include(id);
  });
});
