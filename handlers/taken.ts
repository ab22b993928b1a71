// Reads the catalog for when a recovery point's data was taken: the one definition behind every "newest", "latest"
// and "age of the last recovery point" (cleanup's newest backup, the DR-lag metric, and whatever comes to read them).
//
// A backup (no backup-dr:copy-of): AWS's creation time in its region; when AWS did not say, its slot.
// A DR copy: its backup-dr:taken tag (the source's creation time, written by the copy function); without a valid
// one, its slot (from backup-dr:run); then its own creation time. A tag or slot later than the copy's own creation
// time cannot be when its data was taken (the copy came after the data), so it is passed over.
import { TAG_TAKEN } from "./catalog";
import { readCatalog } from "./lib/catalog-record";
import { parseInstant } from "./lib/instant";
import { timeOfRunId } from "./lib/run-id";

/** Where the time came from: the manifests say which. */
export type TakenBasis = "created" | "taken-tag" | "slot" | "copy-created";

export interface Taken {
  at: Date;
  from: TakenBasis;
  /** Set when a backup-dr:taken tag was present but not used, and why. */
  ignoredTag?: string;
}

/** What the reader needs of a snapshot, as either flow lists it. */
export interface RecoveryPoint {
  /** AWS's creation time in the snapshot's own region (its start or create time). */
  created?: Date;
  tags: Readonly<Record<string, string>>;
}

const valid = (date: Date | undefined): date is Date => date instanceof Date && !Number.isNaN(date.getTime());

/** The slot a `backup-dr:run` value names (`<plan>@<ISO slot>`), or undefined. */
export function slotOfRun(run: string | undefined): Date | undefined {
  return run === undefined ? undefined : timeOfRunId(run);
}

/** A DR copy is a snapshot that names what it is a copy of. */
export function isCopy(point: RecoveryPoint): boolean {
  return readCatalog(point.tags).copyOf !== undefined;
}

/** When the recovery point's data was taken, and from what; undefined when nothing tells. */
export function takenTime(point: RecoveryPoint): Taken | undefined {
  const created = valid(point.created) ? point.created : undefined;
  const slot = slotOfRun(readCatalog(point.tags).run);
  if (!isCopy(point)) {
    if (created) return { at: created, from: "created" };
    return slot ? { at: slot, from: "slot" } : undefined;
  }
  const notAfterCopy = (at: Date) => created === undefined || at.getTime() <= created.getTime();
  const tag = readCatalog(point.tags).taken;
  let ignoredTag: string | undefined;
  if (tag !== undefined) {
    const at = parseInstant(tag);
    if (at !== undefined && notAfterCopy(at)) return { at, from: "taken-tag" };
    ignoredTag = at === undefined ? `${TAG_TAKEN} is not an ISO-8601 instant` : `${TAG_TAKEN} is later than the copy was made`;
  }
  const note = ignoredTag === undefined ? {} : { ignoredTag };
  if (slot && notAfterCopy(slot)) return { at: slot, from: "slot", ...note };
  return created ? { at: created, from: "copy-created", ...note } : undefined;
}
