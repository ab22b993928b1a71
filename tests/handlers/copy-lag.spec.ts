// Issue 10 item 7: the DR-lag metric (OldestUncopiedAgeSeconds) counts from when a copy could first start, and a copy
// in flight is progressing, not lagging, for a day; so a healthy first full copy of a large volume does not page.
import { expect } from "chai";
import { IN_FLIGHT_GRACE_MS } from "../../handlers/copy/lag";
import { runCopy } from "../../handlers/copy/run";
import { FakeAws } from "../helpers/aws-fake";
import { setCopyClock } from "../helpers/aws-fake-copy";
import { addEbsBackup, copiesOf, copyDeps, copySettings, DR, metricValues, primaryRegion, snapshotEvent, SWEEP } from "../helpers/copy-setup";

const NOW = new Date("2026-11-22T12:00:00Z");
const HOUR = 3_600_000;
const at = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * HOUR);

describe("copy: DR lag from when a copy could first start", () => {
  let fake: FakeAws;
  beforeEach(() => {
    fake = new FakeAws();
    primaryRegion(fake);
  });
  const sweepLag = async (now = NOW) => {
    const deps = copyDeps(fake, () => now);
    const { manifest } = await runCopy(deps, copySettings(), SWEEP);
    return { lag: metricValues(deps.recorded, "gold").OldestUncopiedAgeSeconds, manifest };
  };
  /** A large volume's backup: started `started` hours ago, completed `completed` hours ago. */
  const largeBackup = (started: number, completed: number) => {
    const backup = addEbsBackup(fake, { created: at(started) });
    backup.completedAt = at(completed);
    return backup;
  };
  /** The copy the completion event started `hoursAgo` hours ago (still in flight). */
  const copyStartedByEvent = async (id: string, hoursAgo: number) => {
    setCopyClock(fake.region(DR), () => at(hoursAgo));
    await runCopy(copyDeps(fake, () => at(hoursAgo)), copySettings(), snapshotEvent(id));
    expect(copiesOf(fake, id)).to.have.length(1);
    expect(copiesOf(fake, id)[0].state).to.equal("pending");
  };

  it("a backup with no copy yet waits from when it completed, not from when its snapshot started", async () => {
    largeBackup(5, 1);
    expect((await sweepLag()).lag).to.equal(1 * 3600);
  });

  it("day one: a first full copy in flight for hours is progressing and does not count", async () => {
    const backup = largeBackup(7, 5);
    await copyStartedByEvent(backup.id, 5);
    const { lag, manifest } = await sweepLag();
    expect(lag).to.equal(0);
    expect(manifest.counts).to.include({ started: 0, failed: 0 });
  });

  it("a copy still in flight after the grace period counts from the backup's completion, so a stuck copy pages", async () => {
    const graceHours = IN_FLIGHT_GRACE_MS / HOUR;
    const backup = largeBackup(graceHours + 3, graceHours + 2);
    await copyStartedByEvent(backup.id, graceHours + 1);
    expect((await sweepLag()).lag).to.equal((graceHours + 2) * 3600);
  });

  it("a failed copy counts from the backup's completion at once (and is replaced)", async () => {
    const backup = largeBackup(4, 3);
    await copyStartedByEvent(backup.id, 3);
    for (const s of fake.region(DR).snapshots.values()) s.state = "error";
    const { lag, manifest } = await sweepLag();
    expect(lag).to.equal(3 * 3600);
    expect(manifest.counts).to.include({ started: 1, replaced: 1 });
  });
});
