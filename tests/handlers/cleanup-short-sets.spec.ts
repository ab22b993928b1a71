// Acceptance (issue 11 item 5): every EBS set records its size; a newest set with a member missing (deleted by a
// person in the primary region; its copy deferred, then never made, in DR) is not the newest whole backup, and the
// older full set stays in both regions. Backup, copy and cleanup functions run against the fake AWS.
import { expect } from "chai";
import { runBackup } from "../../handlers/backup/run";
import { TAG_COPY_OF, TAG_SET_SIZE } from "../../handlers/catalog";
import { runCleanup } from "../../handlers/cleanup/run";
import { runCopy } from "../../handlers/copy/run";
import { FakeAws } from "../helpers/aws-fake";
import { backupDeps, backupSettings } from "../helpers/backup-setup";
import { fakeClients } from "../helpers/aws-clients";
import { finishCopies, setCopyClock, setCopyLimits } from "../helpers/aws-fake-copy";
import { copyDeps, copySettings, DR, multiVolumeEvent, PRIMARY, primaryRegion, SWEEP } from "../helpers/copy-setup";
import { SELECTION_KEY } from "../helpers/backup-fleet";
import { cleanupDeps, cleanupManifests, cleanupSettings, prepareVault } from "../helpers/cleanup-setup";

const DAY = 86_400_000;
/** gold's 6-hourly slots in New York (00:00 there is 05:00 UTC in November). */
const slot = (day: number) => new Date(Date.UTC(2026, 10, day, 5, 0, 0));
const CLEANUP_NOW = new Date("2027-01-15T03:30:00Z");

describe("short EBS sets", () => {
  it("each set records its size; a newest set with a member missing keeps the older full set, in both regions", async () => {
    const fake = new FakeAws();
    primaryRegion(fake);
    prepareVault(fake);
    const primary = fake.region(PRIMARY);
    const dr = fake.region(DR);
    const instance = primary.addInstance("running", { [SELECTION_KEY]: "gold" }, [{}, {}, {}]);
    let clock = slot(18);
    setCopyClock(dr, () => clock);

    /** Runs the backup function for a day's slot; its snapshots complete two minutes after the slot. */
    const backup = async (day: number): Promise<string[]> => {
      clock = new Date(slot(day).getTime() + 60_000);
      const manifest = await runBackup(backupDeps(fakeClients(fake), () => clock), backupSettings(), { plan: "gold", scheduledTime: slot(day).toISOString() });
      const ids = manifest.sources.flatMap((s) => s.snapshotIds);
      for (const id of ids) {
        const s = primary.snapshots.get(id);
        if (s === undefined) throw new Error(`no snapshot ${id}`);
        Object.assign(s, { state: "completed", startTime: new Date(slot(day).getTime() + 120_000) });
      }
      return ids;
    };
    const copy = async (event: unknown) => {
      clock = new Date(clock.getTime() + 10 * 60_000);
      await runCopy(copyDeps(fake, () => clock), copySettings(), event);
    };
    const drCopiesOf = (ids: string[]) => [...dr.snapshots.values()].filter((s) => ids.includes(s.tags[TAG_COPY_OF] ?? "")).map((s) => s.id);

    const set0 = await backup(18);
    await copy(multiVolumeEvent(set0));
    const set1 = await backup(19);
    await copy(multiVolumeEvent(set1));
    finishCopies(dr);
    // Every snapshot of a set, and every DR copy of one, says how many the set had.
    for (const id of [...set0, ...set1]) expect(primary.snapshots.get(id)?.tags[TAG_SET_SIZE], id).to.equal("3");
    for (const id of drCopiesOf([...set0, ...set1])) expect(dr.snapshots.get(id)?.tags[TAG_SET_SIZE], id).to.equal("3");

    // The newest set: the DR region takes one more copy only, so two members' copies are deferred to the sweep;
    // before it runs, a person deletes one of them in the primary region.
    const set2 = await backup(20);
    setCopyLimits(dr, { ebs: 1 });
    await copy(multiVolumeEvent(set2));
    const [copied] = drCopiesOf(set2).map((id) => dr.snapshots.get(id)?.tags[TAG_COPY_OF]);
    const [deleted] = set2.filter((id) => id !== copied);
    primary.snapshots.delete(deleted);
    finishCopies(dr);
    setCopyLimits(dr, { ebs: 20 });
    clock = new Date(clock.getTime() + DAY);
    await copy(SWEEP);
    finishCopies(dr);
    const drSet1 = drCopiesOf(set1);
    const drSet2 = drCopiesOf(set2);
    expect(drSet2, "the deleted member has no copy").to.have.length(2);

    const settings = cleanupSettings({ BACKUP_DR_MAX_DELETE_FRACTION: "1" });
    await runCleanup(cleanupDeps(fake, { now: () => CLEANUP_NOW }), settings, { scheduledTime: "2027-01-15T03:30:00Z" });
    const [manifest] = [...cleanupManifests(fake).values()];

    // Primary: the oldest set goes; the older full set stays beside the short newest one.
    expect([...primary.snapshots.keys()].sort()).to.deep.equal([...set1, ...set2.filter((id) => id !== deleted)].sort());
    // DR: likewise, by the copies.
    expect([...dr.snapshots.keys()].sort()).to.deep.equal([...drSet1, ...drSet2].sort());
    for (const region of [PRIMARY, DR]) {
      const report = manifest.regions.find((r) => r.region === region);
      expect(report?.shortSets, region).to.deep.equal([{ kind: "ebs", source: instance.id, run: `gold@${slot(20).toISOString().replace(".000", "")}`, members: 2, size: 3 }]);
    }
    const reasons = manifest.snapshots.filter((o) => o.status === "kept").map((o) => o.reason);
    expect(reasons.filter((r) => r.includes("by when its data was taken"))).to.have.length(6);
    expect(reasons.filter((r) => r.includes("a short set (2 of 3 snapshots)"))).to.have.length(4);
  });

  it("sets made before the tag existed count as complete, as before", async () => {
    const fake = new FakeAws();
    prepareVault(fake);
    const primary = fake.region(PRIMARY);
    const tags = (day: number) => ({ "backup-dr:stack": "backup-dr/test", "backup-dr:plan": "gold", "backup-dr:source": "i-0old", "backup-dr:run": `gold@2026-11-${day}T05:00:00Z`, "backup-dr:tier": "daily", "backup-dr:expires": "2026-12-31T00:00:00Z" });
    const add = (day: number, volume: number) => {
      const id = primary.nextId("snap");
      primary.snapshots.set(id, { id, volumeId: `vol-${volume}`, state: "completed", description: "", tags: tags(day), startTime: slot(day) });
      return id;
    };
    const older = [add(18, 1), add(18, 2)];
    const newer = [add(19, 1)]; // a volume detached since: a set of one, with no size recorded
    await runCleanup(cleanupDeps(fake, { now: () => CLEANUP_NOW }), cleanupSettings({ BACKUP_DR_MAX_DELETE_FRACTION: "1" }), {});
    expect([...primary.snapshots.keys()]).to.deep.equal(newer);
    expect(older.every((id) => !primary.snapshots.has(id))).to.equal(true);
  });
});
