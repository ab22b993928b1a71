// What may be deleted: a pure function of the listed snapshots, the clock and the settings (property-tested).
//
// In each region a snapshot is a candidate only when ALL hold:
//   1. backup-dr:stack equals this stack, and AWS Backup did not make it (no aws:backup:* tag, not its description
//      or identifier), and, for a kind whose listing returns every manual one, it is a manual snapshot;
//   2. backup-dr:expires is a valid ISO-8601 instant (with a zone) before now (missing or malformed: kept, reported);
//   3. it is at least minAgeDays old by its creation time in the region (AWS's time, which no tag edit can change);
//   4. it is complete, as its kind judges it (handlers/kinds/: isComplete);
//   5. it names its source (backup-dr:source), and is not part of a newest completed backup of that source in
//      that region (a backup = the snapshots of one source and run: all volumes of an instance from one
//      CreateSnapshots; completed = every one of them complete). Kept: the newest whole backup by when its data was
//      taken (handlers/taken.ts; a short set, fewer members than backup-dr:set-size, is never it) AND the newest by
//      creation time in the region (the rule before the taken tag, so no tag edit deletes more); ties all kept;
//   6. for a kind whose snapshots back images: no image (AMI) of this account uses it, and that listing succeeded;
//   7. for a kind with locks: it is not under a snapshot lock (DescribeLockedSnapshots; kept and reported with the lock's end), and
//      the lock listing succeeded. (Checked right after the expiry: an expired but locked snapshot says so.)
// Then, per region: more candidates than maxDeleteFraction of the stack's backups there stops all deletion in the
// region (mass-deletion stop). Across both regions the oldest candidates are deleted first, at most maxDeletions
// for the whole run (less what the run's earlier invocations deleted, `deletedBefore`);
// the rest are deferred to the next run.
import { TAG_EXPIRES, TAG_RUN, TAG_SOURCE, TAG_TAKEN } from "../catalog";
import { cleanupKind } from "../kinds/registry";
import { readCatalog, recordedSetSize } from "../lib/catalog-record";
import { isUnderLock, type SnapshotLock } from "../lib/snapshot-lock";
import { takenTime, type Taken, type TakenBasis } from "../taken";
import { parseInstant } from "../lib/instant";
import type { CleanupPlan, CleanupPolicy, Decision, ListedSnapshot, LockFields, RegionDecision, RegionListing, ShortSet } from "./types";

const DAY_MS = 86_400_000;

/** Its kind's snapshots can be locked. */
const lockable = (s: ListedSnapshot) => cleanupKind(s.kind).locks !== undefined;

/** Tags AWS Backup puts on what it makes; no one else may use the `aws:` prefix. */
const AWS_BACKUP_TAG_PREFIX = "aws:backup:";
/** AWS Backup's snapshot description and snapshot identifier prefix. */
const AWS_BACKUP_DESCRIPTION = "This snapshot is created by the AWS Backup service";
const AWS_BACKUP_ID_PREFIX = "awsbackup:";

/** The one state in which a snapshot of each kind is complete (and deletable). */
export function isComplete(snapshot: Pick<ListedSnapshot, "kind" | "state">): boolean {
  return cleanupKind(snapshot.kind).isComplete(snapshot.state);
}

/** Made by AWS Backup, whatever tags were copied onto it: never ours to delete. */
export function madeByAwsBackup(snapshot: ListedSnapshot): boolean {
  return (
    Object.keys(snapshot.tags).some((key) => key.toLowerCase().startsWith(AWS_BACKUP_TAG_PREFIX)) ||
    snapshot.snapshotType === "awsbackup" ||
    snapshot.id.toLowerCase().startsWith(AWS_BACKUP_ID_PREFIX) ||
    (snapshot.description ?? "").startsWith(AWS_BACKUP_DESCRIPTION)
  );
}

const validTime = (date: Date | undefined): date is Date => date !== undefined && !Number.isNaN(date.getTime());

/** Source key within a region: kinds never share a source (an instance id is not a DB id). */
const sourceKey = (s: ListedSnapshot, source: string) => `${s.kind}\u0000${source}`;

/** Why a snapshot is part of a newest backup of its source (both may hold: both are said). */
interface NewestWhy {
  /** Newest completed whole backup by when its data was taken (the catalog's definition, handlers/taken.ts). */
  byTaken?: Taken;
  /** Newest completed backup by its creation time in this region (the rule before the taken tag; still kept). */
  byCreated?: true;
  /** Its time (taken or created) is unknown: kept, as it cannot be ordered. */
  unknown?: true;
  short?: ShortSet;
}

/** `backup-dr:set-size` of a listed snapshot (the catalog's reading). */
function setSizeOf(s: ListedSnapshot): number | undefined {
  return recordedSetSize(readCatalog(s.tags));
}

/** A set whose members are fewer than its recorded size: a member deleted, or its DR copy not made (yet). */
function shortSet(members: readonly ListedSnapshot[], source: string): ShortSet | undefined {
  const sizes = members.map(setSizeOf).filter((n): n is number => n !== undefined);
  if (sizes.length === 0) return undefined;
  const size = Math.max(...sizes);
  // Distinct volumes: two DR copies of one volume snapshot are one member, not two.
  const present = new Set(members.map((m) => readCatalog(m.tags).copyOf ?? m.id)).size;
  return present < size ? { kind: members[0].kind, source, run: readCatalog(members[0].tags).run ?? "", members: present, size } : undefined;
}

/**
 * The snapshots of the newest completed backup of each source, with why; and the short sets. Kept: the newest whole
 * backup by when its data was taken, AND (as before the taken tag) the newest by creation time in the region, so no
 * tag edit makes cleanup delete more than it did; ties all kept; completed backups whose time is unknown kept.
 */
function newestCompleted(snapshots: readonly ListedSnapshot[]): { newest: Map<ListedSnapshot, NewestWhy>; short: ShortSet[] } {
  // source -> backup (run tag, or the snapshot alone when it has none) -> its snapshots
  const bySource = new Map<string, { source: string; backups: Map<string, ListedSnapshot[]> }>();
  for (const s of snapshots) {
    const source = readCatalog(s.tags).source;
    if (!source) continue;
    const run = readCatalog(s.tags).run;
    const backupKey = run ? `run\u0000${run}` : `id\u0000${s.id}`;
    const entry = bySource.get(sourceKey(s, source)) ?? { source, backups: new Map<string, ListedSnapshot[]>() };
    entry.backups.set(backupKey, [...(entry.backups.get(backupKey) ?? []), s]);
    bySource.set(sourceKey(s, source), entry);
  }
  const newest = new Map<ListedSnapshot, NewestWhy>();
  const short: ShortSet[] = [];
  const mark = (members: readonly ListedSnapshot[], why: NewestWhy) => members.forEach((m) => newest.set(m, { ...newest.get(m), ...why }));
  for (const { source, backups } of bySource.values()) {
    const gaps = new Map([...backups.values()].map((members) => [members, shortSet(members, source)]));
    for (const gap of gaps.values()) if (gap) short.push(gap);
    const completed = [...backups.values()].filter((members) => members.every(isComplete));
    // As before: newest by creation time in this region, whatever the tags say.
    const createdOf = (members: ListedSnapshot[]) => (members.every((m) => validTime(m.created)) ? Math.min(...members.map((m) => (m.created as Date).getTime())) : undefined);
    const newestCreated = Math.max(...completed.map(createdOf).filter((t): t is number => t !== undefined));
    for (const members of completed) {
      const time = createdOf(members);
      if (time === undefined) mark(members, { unknown: true });
      else if (time === newestCreated) mark(members, { byCreated: true });
    }
    // Newest whole backup by when its data was taken; a short set is never it.
    const whole: { members: ListedSnapshot[]; taken?: Taken }[] = [];
    for (const members of completed) {
      const gap = gaps.get(members);
      if (gap) {
        mark(members, { short: gap });
        continue;
      }
      // A backup's data was taken when its earliest member's was; unknown if any member's is.
      const times = members.map(takenTime);
      const known = times.filter((t): t is Taken => t !== undefined);
      const earliest = known.length === times.length ? known.reduce((a, t) => (t.at.getTime() < a.at.getTime() ? t : a)) : undefined;
      whole.push({ members, ...(earliest ? { taken: earliest } : {}) });
    }
    const newestTaken = Math.max(...whole.flatMap((w) => (w.taken ? [w.taken.at.getTime()] : [])));
    for (const w of whole) {
      if (w.taken === undefined) mark(w.members, { unknown: true });
      else if (w.taken.at.getTime() === newestTaken) mark(w.members, { byTaken: w.taken });
    }
  }
  // A short set's members that are not kept for a reason above carry the gap only: drop them from the newest.
  for (const [s, why] of newest) if (!why.byTaken && !why.byCreated && !why.unknown) newest.delete(s);
  return { newest, short };
}

const BASIS: Record<TakenBasis, string> = {
  created: "its creation time",
  "taken-tag": `the copy's ${TAG_TAKEN} tag`,
  slot: `its slot (${TAG_RUN})`,
  "copy-created": "the copy's own creation time",
};

/** Why a newest backup's snapshot stays, as a sentence. */
function newestReason(source: string, why: NewestWhy): string {
  const parts: string[] = [];
  if (why.byTaken) parts.push(`newest completed backup of ${source} by when its data was taken (${why.byTaken.at.toISOString()}, from ${BASIS[why.byTaken.from]})`);
  if (why.byCreated) parts.push(`${parts.length > 0 ? "also " : ""}the newest completed backup of ${source} made in this region (by creation time)`);
  if (why.unknown) parts.push(`a completed backup of ${source} whose time is unknown`);
  if (why.short) parts.push(`a short set (${why.short.members} of ${why.short.size} snapshots), never counted as the newest whole backup`);
  return parts.join("; ");
}

/** Why a snapshot of this stack must stay (and whether a person should look), or undefined when it may go. */
function keepReason(
  s: ListedSnapshot,
  now: Date,
  policy: CleanupPolicy,
  newest: ReadonlyMap<ListedSnapshot, NewestWhy>,
  images: ReadonlyMap<string, string[]> | undefined,
  lock: LockFields | undefined | "unknown",
): { reason: string; notice: boolean } | undefined {
  const expires = readCatalog(s.tags).expires;
  if (expires === undefined || expires.trim() === "") return { reason: `no ${TAG_EXPIRES} tag`, notice: true };
  const expiry = parseInstant(expires);
  if (expiry === undefined) return { reason: `${TAG_EXPIRES} is not an ISO-8601 instant: ${JSON.stringify(expires.slice(0, 64))}`, notice: true };
  if (expiry.getTime() >= now.getTime()) return { reason: "not expired", notice: false };
  if (lock === "unknown") return { reason: "lock listing failed: cannot tell whether it is locked", notice: true };
  if (lock !== undefined) return { reason: `expired, but locked (${lock.state}) until ${lock.until ?? "its pending snapshot completes and the lock duration ends"}`, notice: false };
  if (!validTime(s.created)) return { reason: "creation time unknown", notice: true };
  if (now.getTime() - s.created.getTime() < policy.minAgeDays * DAY_MS) return { reason: `younger than the minimum age of ${policy.minAgeDays} days`, notice: false };
  if (!isComplete(s)) return { reason: `not complete (${s.state || "no state"})`, notice: false };
  const source = readCatalog(s.tags).source;
  if (!source) return { reason: `no ${TAG_SOURCE} tag`, notice: true };
  const why = newest.get(s);
  if (why) return { reason: newestReason(source, why), notice: false };
  if (cleanupKind(s.kind).imageUses !== undefined) {
    if (images === undefined) return { reason: "AMI listing failed: cannot tell whether an AMI uses it", notice: true };
    const using = images.get(s.id);
    if (using !== undefined) return { reason: `in use by ${using.join(", ")}`, notice: true };
  }
  return undefined;
}

/** What the manifest says of when a snapshot's data was taken, and from what (only for the stack's own). */
function takenFields(s: ListedSnapshot): Pick<Decision, "taken" | "takenFrom" | "takenTagIgnored"> {
  const taken = takenTime(s);
  if (taken === undefined) return {};
  return { taken: taken.at.toISOString(), takenFrom: taken.from, ...(taken.ignoredTag ? { takenTagIgnored: taken.ignoredTag } : {}) };
}

const byShortSet = (a: ShortSet, b: ShortSet) => a.kind.localeCompare(b.kind) || a.source.localeCompare(b.source) || a.run.localeCompare(b.run);

/** 0.5 -> "50%", 0.333 -> "33.3%". */
const percent = (fraction: number) => `${Math.round(fraction * 1000) / 10}%`;

const byDeletionOrder = (a: Decision, b: Decision) =>
  (a.created ?? "").localeCompare(b.created ?? "") || a.region.localeCompare(b.region) || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id);
const byPlace = (a: Decision, b: Decision) => a.region.localeCompare(b.region) || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id);

/** Decides, for every snapshot of this stack in every region listed, whether this run deletes, defers or keeps it. */
export function decideCleanup(listings: readonly RegionListing[], now: Date, policy: CleanupPolicy, deletedBefore = 0): CleanupPlan {
  const decisions: Decision[] = [];
  const regions: RegionDecision[] = [];
  for (const listing of listings) {
    const tagged = listing.snapshots.filter((s) => readCatalog(s.tags).stack === policy.stackTag);
    const foreignMade = tagged.filter((s) => madeByAwsBackup(s) || (cleanupKind(s.kind).manualOnly && s.snapshotType !== "manual"));
    const ours = tagged.filter((s) => !foreignMade.includes(s));
    const { newest, short } = newestCompleted(ours);
    let images: Map<string, string[]> | undefined;
    if (listing.images !== undefined) {
      images = new Map();
      for (const use of listing.images) images.set(use.snapshotId, [...(images.get(use.snapshotId) ?? []), use.imageId]);
    }
    const locks = new Map((listing.locks ?? []).filter((l) => isUnderLock(l, now)).map((l: SnapshotLock) => [l.snapshotId, l]));
    const lockOf = (s: ListedSnapshot): LockFields | undefined => {
      const lock = lockable(s) ? locks.get(s.id) : undefined;
      return lock === undefined ? undefined : { state: lock.state, ...(lock.expiresOn ? { until: lock.expiresOn } : {}) };
    };
    const decide = (s: ListedSnapshot, verdict: Decision["verdict"], reason: string, notice: boolean): Decision => ({
      region: listing.region,
      kind: s.kind,
      id: s.id,
      ...(readCatalog(s.tags).source ? { source: readCatalog(s.tags).source } : {}),
      ...(validTime(s.created) ? { created: s.created.toISOString() } : {}),
      ...takenFields(s),
      ...(readCatalog(s.tags).expires !== undefined ? { expires: readCatalog(s.tags).expires } : {}),
      ...(lockOf(s) ? { lock: lockOf(s) } : {}),
      verdict,
      reason,
      notice,
    });
    const regional: Decision[] = foreignMade.map((s) =>
      decide(s, "keep", madeByAwsBackup(s) ? "made by AWS Backup, not by this stack" : `not a manual snapshot (${s.snapshotType ?? "no type"})`, true),
    );
    const candidates: Decision[] = [];
    for (const s of ours) {
      const keep = keepReason(s, now, policy, newest, images, lockable(s) && listing.locksUnknown ? "unknown" : lockOf(s));
      if (keep) regional.push(decide(s, "keep", keep.reason, keep.notice));
      else candidates.push(decide(s, "delete", "expired", false));
    }
    const massDeletionStop = ours.length > 0 && candidates.length / ours.length > policy.maxDeleteFraction;
    if (massDeletionStop) {
      const reason = `mass-deletion stop: ${candidates.length} of ${ours.length} backups in ${listing.region} would be deleted, more than ${percent(policy.maxDeleteFraction)} (maxDeleteFraction)`;
      for (const c of candidates) Object.assign(c, { verdict: "keep", reason, notice: true });
    }
    decisions.push(...regional, ...candidates);
    regions.push({ region: listing.region, backups: ours.length, candidates: candidates.length, massDeletionStop, shortSets: short.sort(byShortSet) });
  }
  // Oldest first across both regions, up to the per-run budget; the rest waits for the next run.
  const deletable = decisions.filter((d) => d.verdict === "delete").sort(byDeletionOrder);
  deletable.slice(Math.max(0, policy.maxDeletions - deletedBefore)).forEach((d) => Object.assign(d, { verdict: "defer", reason: `expired; deferred, maxDeletionsPerRun (${policy.maxDeletions}) reached` }));
  const rest = decisions.filter((d) => d.verdict !== "delete").sort(byPlace);
  return { decisions: [...deletable.filter((d) => d.verdict === "delete"), ...rest], regions };
}
