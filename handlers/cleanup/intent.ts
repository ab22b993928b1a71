// The cleanup's intent record: before an invocation deletes, it writes the snapshots it is about to delete to the
// vault, at a key its retry will read again (the same cursor's next part key, `.intent.json`; a first turn, which has
// no cursor: under the run machine, its execution's `<manifest>.part-1-<execution start>.intent.json`, else the run's
// `<manifest>.part-1.intent.json`). A retried turn (Lambda killed the first attempt after AWS deleted some, or its
// answer was lost) reads it first: what it names and is no longer listed was deleted by the earlier attempt, so it
// counts toward maxDeletionsPerRun and is reported `deleted`. An execution's record is never read by another
// execution; the run's record (a bare event, invoked by hand) is emptied when its first turn ends normally, so a
// later rerun of the slot does not count that run's deletions as its own.
import type { S3Client } from "@aws-sdk/client-s3";
import type { RunCursorBase } from "../lib/cursor";
import { partKey } from "../lib/cursor";
import { errorName } from "../lib/errors";
import { readJson, writeManifest } from "../lib/manifest";
import type { ListingFailure, RegionListing, SnapshotOutcome } from "./types";

/** What the record holds: the run, and the outcome each snapshot will have once deleted. */
export interface CleanupIntent {
  function: "cleanup";
  runId: string;
  /** The invocation (1 for the first) that is about to delete them. */
  invocation: number;
  snapshots: SnapshotOutcome[];
}

/** The reason of a deletion a killed earlier attempt of this invocation made. */
export const KILLED_ATTEMPT = "expired; deleted by an earlier attempt of this invocation (stopped before it answered): recorded as about to be deleted, no longer listed";

/** Where the record of the invocation after `cursor` (the first: no cursor; `execution`, the run machine's start) is. */
export function intentKey(manifestKey: string, cursor: RunCursorBase | undefined, execution?: Date): string {
  const first = execution === undefined ? manifestKey.replace(/\.json$/, ".part-1.json") : partKey(manifestKey, 1, execution.toISOString());
  const part = cursor === undefined ? first : partKey(manifestKey, cursor.invocation + 1, cursor.startedAt);
  return part.replace(/\.json$/, ".intent.json");
}

/**
 * The snapshots an earlier attempt recorded; none when there is no record. S3 answers a GetObject of a missing key
 * with AccessDenied to a reader without s3:ListBucket (the function has GetObject only), so that is none too: the
 * function then behaves as it would without the record.
 */
export async function readIntent(s3: S3Client, bucket: string, key: string, runId: string): Promise<SnapshotOutcome[]> {
  try {
    const value = await readJson(s3, bucket, key);
    const intent = typeof value === "object" && value !== null ? (value as Partial<CleanupIntent>) : {};
    return intent.function === "cleanup" && intent.runId === runId && Array.isArray(intent.snapshots) ? intent.snapshots : [];
  } catch (error) {
    if (["NoSuchKey", "AccessDenied"].includes(errorName(error))) return [];
    throw error;
  }
}

/** Writes the record (an empty list empties it). */
export async function writeIntent(s3: S3Client, bucket: string, key: string, intent: CleanupIntent): Promise<void> {
  await writeManifest(s3, bucket, key, intent);
}

/** What an earlier attempt's record comes to now. */
export interface EarlierAttempt {
  /** Recorded and no longer listed: deleted by that attempt (reported `deleted`). */
  gone: SnapshotOutcome[];
  /** Recorded, of a kind whose listing failed in its region now: maybe deleted; counted toward the cap, not reported. */
  unknown: number;
}

/** Of what an earlier attempt recorded, what is gone from the listings (deleted by that attempt) and what cannot be told. */
export function earlierAttempt(recorded: readonly SnapshotOutcome[], listings: readonly RegionListing[], failures: readonly ListingFailure[]): EarlierAttempt {
  const listed = new Set(listings.flatMap((l) => l.snapshots.map((s) => `${l.region}\u0000${s.kind}\u0000${s.id}`)));
  const failed = new Set(failures.map((f) => `${f.region}\u0000${f.listing}`));
  const notListed = recorded.filter((o) => !listed.has(`${o.region}\u0000${o.kind}\u0000${o.id}`));
  const unknown = notListed.filter((o) => failed.has(`${o.region}\u0000${o.kind}`));
  const gone = notListed.filter((o) => !failed.has(`${o.region}\u0000${o.kind}`)).map((o): SnapshotOutcome => ({ ...o, status: "deleted", reason: KILLED_ATTEMPT }));
  return { gone, unknown: unknown.length };
}
