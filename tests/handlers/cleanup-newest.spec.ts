// Acceptance (issue 12): cleanup keeps the copy of the newest DATA of a source in the DR region when copies were made
// out of order (the newer backup copied first by its event, the older later by the sweep, a failed copy replaced
// later still), with the copy and cleanup functions run against the fake AWS; and no edit of the taken tag makes it
// keep less than the rule before the tag (newest by creation time in the region).
import { expect } from "chai";
import { TAG_TAKEN } from "../../handlers/catalog";
import { runCleanup } from "../../handlers/cleanup/run";
import type { CleanupManifest } from "../../handlers/cleanup/report";
import type { SnapshotOutcome } from "../../handlers/cleanup/types";
import { runCopy } from "../../handlers/copy/run";
import { FakeAws } from "../helpers/aws-fake";
import { finishCopies, setCopyClock } from "../helpers/aws-fake-copy";
import type { RegionState, Tags } from "../helpers/aws-fake-state";
import { addDbBackup, addEbsBackup, clusterSnapshotEvent, copiesOf, copyDeps, copySettings, dbSnapshotEvent, DR, PRIMARY, primaryRegion, snapshotEvent, SWEEP } from "../helpers/copy-setup";
import { cleanupDeps, cleanupManifests, cleanupSettings, prepareVault } from "../helpers/cleanup-setup";

type Kind = "ebs" | "rds" | "aurora";
const KINDS: Kind[] = ["ebs", "rds", "aurora"];
const DAY = 86_400_000;
const slot = (day: number) => new Date(Date.UTC(2026, 10, day, 5, 0, 0));
/** Long after every backup and copy expired (gold keeps 14 days in the primary, 30 in DR). */
const CLEANUP_NOW = new Date("2027-01-15T03:30:00Z");

interface Point {
  /** The backup in the primary region, and how its DR copy is found (copy-of value). */
  backup: string;
  copyOf: string;
}

/** A snapshot of either region as the test reads it back, whatever its kind. */
function table(region: RegionState, kind: Kind): Map<string, { tags: Tags; state?: string; status?: string }> {
  return kind === "ebs" ? region.snapshots : kind === "rds" ? region.dbSnapshots : region.dbClusterSnapshots;
}

function addBackup(fake: FakeAws, kind: Kind, day: number): Point {
  const o = { slot: slot(day), source: kind === "ebs" ? "i-0feed" : kind === "rds" ? "orders-db" : "ledger" };
  if (kind === "ebs") {
    const s = addEbsBackup(fake, o);
    return { backup: s.id, copyOf: s.id };
  }
  const s = addDbBackup(fake, kind, o);
  return { backup: s.id, copyOf: s.arn };
}

const eventOf = (kind: Kind, p: Point) => (kind === "ebs" ? snapshotEvent(p.backup) : kind === "rds" ? dbSnapshotEvent(p.backup) : clusterSnapshotEvent(p.backup));

/** The one DR copy of a backup (its id). */
function copyId(fake: FakeAws, p: Point): string {
  const copies = copiesOf(fake, p.copyOf);
  expect(copies, p.copyOf).to.have.length(1);
  return copies[0].id;
}

function setState(fake: FakeAws, kind: Kind, id: string, state: "completed" | "error" | "available" | "failed"): void {
  const s = table(fake.region(DR), kind).get(id);
  if (s === undefined) throw new Error(`no DR snapshot ${id}`);
  if (kind === "ebs") s.state = state;
  else s.status = state;
}

interface Story {
  fake: FakeAws;
  kind: Kind;
  /** Backups: oldest (its copy fails and is replaced last), older (copied by the sweep), newest (copied first). */
  b0: Point;
  b1: Point;
  b2: Point;
  /** DR copies as they end: c2 made first, c1 by the sweep, c0 the replacement of a failed copy, made last. */
  c0: string;
  c1: string;
  c2: string;
}

/** Runs the copy function through the story, one kind, on a clock that moves a day a step. */
async function tellStory(kind: Kind): Promise<Story> {
  const fake = new FakeAws();
  primaryRegion(fake);
  prepareVault(fake);
  let clock = slot(18);
  setCopyClock(fake.region(DR), () => clock);
  const copy = (event: unknown) => runCopy(copyDeps(fake, () => clock), copySettings(), event);

  const b0 = addBackup(fake, kind, 18);
  clock = new Date(slot(18).getTime() + 10 * 60_000);
  await copy(eventOf(kind, b0)); // c0 starts, and will fail
  const b1 = addBackup(fake, kind, 19); // its event is lost
  const b2 = addBackup(fake, kind, 20);
  clock = new Date(slot(20).getTime() + 10 * 60_000);
  await copy(eventOf(kind, b2)); // the newer backup is copied first
  const c2 = copyId(fake, b2);
  setState(fake, kind, c2, kind === "ebs" ? "completed" : "available");
  clock = new Date(clock.getTime() + DAY);
  await copy(SWEEP); // the older later, by the sweep (c0 still in flight)
  const c1 = copyId(fake, b1);
  setState(fake, kind, c1, kind === "ebs" ? "completed" : "available");
  const failed = copyId(fake, b0);
  setState(fake, kind, failed, kind === "ebs" ? "error" : "failed");
  clock = new Date(clock.getTime() + DAY);
  await copy(SWEEP).catch(() => undefined); // the failed copy replaced, later still
  const c0 = copyId(fake, b0);
  expect(c0 === failed && kind === "ebs", "EBS replacement has a new id").to.equal(false);
  finishCopies(fake.region(DR));
  return { fake, kind, b0, b1, b2, c0, c1, c2 };
}

async function cleanUp(fake: FakeAws): Promise<CleanupManifest> {
  const settings = cleanupSettings({ BACKUP_DR_MAX_DELETE_FRACTION: "1" });
  await runCleanup(cleanupDeps(fake, { now: () => CLEANUP_NOW }), settings, { scheduledTime: "2027-01-15T03:30:00Z" });
  const [manifest] = [...cleanupManifests(fake).values()];
  return manifest;
}

const remaining = (fake: FakeAws, kind: Kind, region: string) => [...table(fake.region(region), kind).keys()].sort();
const outcome = (m: CleanupManifest, region: string, id: string): SnapshotOutcome | undefined => m.snapshots.find((o) => o.region === region && o.id === id);

describe("cleanup keeps the newest data of a source when DR copies were made out of order", () => {
  for (const kind of KINDS) {
    it(`${kind}: the copy of the newest backup stays in DR, with the newest copy made there; the manifest says why`, async () => {
      const story = await tellStory(kind);
      const { fake, b2, c0, c1, c2 } = story;
      // The copies were made in the order c2, c1, c0: the copy of the newest data is the OLDEST copy in DR.
      const manifest = await cleanUp(fake);
      expect(remaining(fake, kind, PRIMARY)).to.deep.equal([b2.backup]);
      expect(remaining(fake, kind, DR)).to.deep.equal([c0, c2].sort());
      expect(outcome(manifest, DR, c1)?.status).to.equal("deleted");

      const newest = outcome(manifest, DR, c2);
      expect(newest).to.deep.include({ status: "kept", takenFrom: "taken-tag", taken: "2026-11-20T05:02:00.000Z" });
      expect(newest?.reason).to.match(/^newest completed backup of \S+ by when its data was taken \(2026-11-20T05:02:00.000Z, from the copy's backup-dr:taken tag\)$/);
      expect(outcome(manifest, DR, c0)?.reason).to.match(/^the newest completed backup of \S+ made in this region \(by creation time\)$/);
      expect(outcome(manifest, PRIMARY, b2.backup)?.reason).to.match(/by when its data was taken \(2026-11-20T05:02:00.000Z, from its creation time\); also the newest completed backup of \S+ made in this region/);
    });
  }

  // Today's rule alone (newest copy by creation time in DR) keeps c0; whatever is done to the taken tags, at least
  // that stays, and with the tags removed the slot still finds the newest data.
  const edits: { name: string; edit: (s: Story, tags: (id: string) => Tags) => void; keeps: (s: Story) => string[] }[] = [
    { name: "removed", edit: (s, tags) => [s.c0, s.c1, s.c2].forEach((id) => delete tags(id)[TAG_TAKEN]), keeps: (s) => [s.c0, s.c2] },
    { name: "not a time", edit: (s, tags) => [s.c0, s.c1, s.c2].forEach((id) => (tags(id)[TAG_TAKEN] = "yesterday")), keeps: (s) => [s.c0, s.c2] },
    { name: "set in the future on an old copy", edit: (s, tags) => (tags(s.c1)[TAG_TAKEN] = "2030-01-01T00:00:00Z"), keeps: (s) => [s.c0, s.c2] },
    { name: "moved back on the newest data", edit: (s, tags) => (tags(s.c2)[TAG_TAKEN] = "2020-01-01T00:00:00Z"), keeps: (s) => [s.c0, s.c1] },
    { name: "all made equal", edit: (s, tags) => [s.c0, s.c1, s.c2].forEach((id) => (tags(id)[TAG_TAKEN] = "2026-11-19T00:00:00Z")), keeps: (s) => [s.c0, s.c1, s.c2] },
  ];
  for (const { name, edit, keeps } of edits) {
    it(`the taken tag ${name}: every kind keeps at least what the creation-time rule keeps`, async () => {
      for (const kind of KINDS) {
        const story = await tellStory(kind);
        edit(story, (id) => {
          const s = table(story.fake.region(DR), kind).get(id);
          if (s === undefined) throw new Error(`no DR snapshot ${id}`);
          return s.tags;
        });
        const manifest = await cleanUp(story.fake);
        const left = remaining(story.fake, kind, DR);
        expect(left, kind).to.include(story.c0);
        expect(left, kind).to.deep.equal(keeps(story).sort());
        if (name === "removed") expect(outcome(manifest, DR, story.c2)).to.deep.include({ takenFrom: "slot", taken: "2026-11-20T05:00:00.000Z" });
        if (name === "set in the future on an old copy") expect(outcome(manifest, DR, story.c1)?.takenTagIgnored).to.equal("backup-dr:taken is later than the copy was made");
      }
    });
  }
});
