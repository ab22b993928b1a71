// The cleanup function's vocabulary: listed snapshots, the decision about each, and what the run did with it.
import type { SnapshotKind } from "../catalog";
import type { ErrorInfo } from "../lib/errors";
import type { NotifyOn } from "../lib/shared-settings";
import type { SnapshotLock } from "../lib/snapshot-lock";
import type { SnapshotRate } from "../lib/snapshot-rate";
import type { TakenBasis } from "../taken";

export type { ErrorInfo, SnapshotKind };

/** One snapshot as a listing returned it, reduced to what the rules read. */
export interface ListedSnapshot {
  kind: SnapshotKind;
  id: string;
  /** The state or status as AWS reports it (completed, pending, available, creating, ...); the kind judges it. */
  state: string;
  /** When it was made in this region (AWS's start or create time); undefined when AWS did not say. */
  created?: Date;
  tags: Readonly<Record<string, string>>;
  /** The snapshot type (manual, automated, awsbackup, ...), for kinds whose snapshots have one. */
  snapshotType?: string;
  /** The description, for kinds whose snapshots have one (AWS Backup writes its own). */
  description?: string;
}

/** An image (AMI) of this account and a snapshot behind it. */
export interface ImageUse {
  snapshotId: string;
  imageId: string;
}

/** What was listed in one region. A kind whose listing failed has no snapshots here (and nothing of it is deleted). */
export interface RegionListing {
  region: string;
  snapshots: readonly ListedSnapshot[];
  /** Every snapshot behind an image of this account; undefined when that listing failed (no snapshot of such a kind may go). */
  images?: readonly ImageUse[];
  /** Snapshot locks of the region, of the kinds with locks; absent: none. */
  locks?: readonly SnapshotLock[];
  /** The lock listing failed: no snapshot of a kind with locks may go (a locked one would be refused anyway, failing the run). */
  locksUnknown?: true;
}

/** A snapshot's lock as the manifest reports it: its state and when it ends. */
export interface LockFields {
  state: string;
  until?: string;
}

/** The settings the rules depend on. */
export interface CleanupPolicy {
  /** Value of `backup-dr:stack`: only snapshots carrying exactly this are ours. */
  stackTag: string;
  /** A snapshot younger than this many days (by its creation time in the region) is kept whatever its tags say. */
  minAgeDays: number;
  /** In a region, if the candidates are more than this share of the stack's backups there, nothing there is deleted. */
  maxDeleteFraction: number;
  /** Deletions per run, both regions together; the rest is deferred to the next run. */
  maxDeletions: number;
}

/** delete: this run deletes it; defer: it may go but waits for a later run; keep: it stays. */
export type Verdict = "delete" | "defer" | "keep";

export interface Decision {
  region: string;
  kind: SnapshotKind;
  id: string;
  /** backup-dr:source, when present. */
  source?: string;
  /** Creation time, ISO. */
  created?: string;
  /** backup-dr:expires as tagged (possibly malformed). */
  expires?: string;
  /** When its data was taken (handlers/taken.ts), ISO, and from what: the rule for "newest" reads this. */
  taken?: string;
  takenFrom?: TakenBasis;
  /** A backup-dr:taken tag that was present but not used, and why. */
  takenTagIgnored?: string;
  /** A kind with locks: the snapshot's lock, when it is under one. */
  lock?: LockFields;
  verdict: Verdict;
  reason: string;
  /** Kept for a reason a person should look at (bad or missing tags, AWS Backup-made, in use by an AMI, mass-deletion stop). */
  notice: boolean;
}

export interface RegionDecision {
  region: string;
  /** Snapshots of this stack in the region (carrying the stack tag, not made by AWS Backup). */
  backups: number;
  /** Of those, how many every rule allows to be deleted. */
  candidates: number;
  /** The candidates exceed maxDeleteFraction of the backups: nothing in the region is deleted and the run fails. */
  massDeletionStop: boolean;
  /** Sets with fewer snapshots here than backup-dr:set-size says: never the newest whole backup of their source. */
  shortSets: ShortSet[];
}

/** A backup set with members missing in a region (deleted by a person; in DR, a member's copy deferred or failed). */
export interface ShortSet {
  kind: SnapshotKind;
  source: string;
  /** Its backup-dr:run. */
  run: string;
  /** Distinct snapshots of the set in the region. */
  members: number;
  /** backup-dr:set-size: the snapshots the set had when it was made. */
  size: number;
}

export interface CleanupPlan {
  /** One per snapshot of this stack (carrying its tag), in deletion order first, then by region, kind and id. */
  decisions: Decision[];
  regions: RegionDecision[];
}

export type OutcomeStatus = "deleted" | "would-delete" | "deferred" | "kept" | "failed";

/** What the run did with one snapshot of this stack. */
export interface SnapshotOutcome {
  region: string;
  kind: SnapshotKind;
  id: string;
  source?: string;
  created?: string;
  expires?: string;
  taken?: string;
  takenFrom?: TakenBasis;
  takenTagIgnored?: string;
  lock?: LockFields;
  status: OutcomeStatus;
  reason: string;
  /** Kept for a reason a person should look at (see Decision.notice). */
  notice?: boolean;
  error?: ErrorInfo;
}

/** A listing that failed (after the SDK's retries): nothing of that kind is deleted in that region this run. */
export interface ListingFailure {
  region: string;
  listing: SnapshotKind | "images" | "locks";
  error: ErrorInfo;
}

export interface CleanupSettings {
  stackTag: string;
  primaryRegion: string;
  drRegion: string;
  vaultBucket: string;
  topicArn: string;
  notifyOn: NotifyOn;
  dryRun: boolean;
  maxDeletions: number;
  minAgeDays: number;
  maxDeleteFraction: number;
  concurrency: number;
  /** The pace of the paced kinds' snapshot deletes (AWS's own bucket by default). */
  snapshotRate: SnapshotRate;
  /** A run starts no deletion this many minutes after its slot (handlers/lib/run-deadline.ts). */
  runDeadlineMinutes: number;
}
