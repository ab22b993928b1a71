// The DR copy function's vocabulary: plans with their DR retention, snapshots as read from AWS, copy outcomes.
import type { RunPlan } from "../plan";
import type { SnapshotKind, Tier } from "../catalog";
import type { ErrorInfo } from "../lib/errors";
import type { Tags } from "../lib/tags";
import type { LockResult, SnapshotLockMode } from "../lib/snapshot-lock";
import type { NotifyOn } from "../lib/shared-settings";

/** A plan as the copy function sees it: the same normalised plan as the backup function's (drKeep, copyToDr included). */
export type CopyPlan = RunPlan;

/** Copies in flight per DR region and kind that the function starts at most (AWS refuses more). */
export type Limits = Record<SnapshotKind, number>;

export interface CopySettings {
  /** Value of the `backup-dr:stack` tag: `<project>/<stack>`. */
  stackTag: string;
  plans: CopyPlan[];
  primaryRegion: string;
  drRegion: string;
  /** The DR region's customer-managed key: every copy that can be encrypted is encrypted with it. */
  drKeyArn: string;
  vaultBucket: string;
  topicArn: string;
  notifyOn: NotifyOn;
  limits: Limits;
  concurrency: number;
  /** Snapshot lock of the DR copies of kinds with locks (from vaultLock.mode): off, GOVERNANCE or COMPLIANCE. */
  snapshotLock: SnapshotLockMode;
}

/**
 * Where a snapshot is in its life, whatever the service calls it: `ready` (completed, available),
 * `in-progress` (pending, creating, copying), `failed` (error, failed), `other` (anything else, e.g. deleting).
 */
export type SnapshotState = "ready" | "in-progress" | "failed" | "other";

/** A snapshot as read from AWS, in either region. */
export interface SnapshotRecord {
  kind: SnapshotKind;
  /** The snapshot id or identifier. */
  id: string;
  /** The ARN, for kinds whose snapshots are named by ARN across regions. */
  arn?: string;
  state: SnapshotState;
  /** The service's own status word. */
  status: string;
  /** When the snapshot was taken (AWS's start or create time). */
  created?: Date;
  /** When the snapshot completed, when AWS reports it (not every kind does). */
  completed?: Date;
  encrypted: boolean;
  kmsKeyId?: string;
  /** A volume snapshot: the size of the volume it was taken of (GiB), when AWS reports it. */
  sizeGiB?: number;
  tags: Tags;
}

/** A backup of ours that the DR region should hold a copy of, with everything the copy is tagged with. */
export interface Candidate {
  source: SnapshotRecord;
  plan: CopyPlan;
  /** The value of the copy's `backup-dr:copy-of` tag: the snapshot id or ARN, as its kind says. */
  copyOf: string;
  /** The backup's slot: from its `backup-dr:run` tag, else when it was taken. */
  slot: Date;
  tier: Tier;
  /** The copy's `backup-dr:expires`: the slot plus the plan's drKeep for its tier (GFS, as in the primary). */
  expires: Date;
  /** A failed DR copy of the same backup, deleted so this copy replaces it. */
  replaces?: string;
}

export type CopyStatus = "started" | "skipped" | "deferred" | "failed" | "ignored";

/** What happened to one backup: copy started, skipped (with the reason), deferred (limits), failed, or ignored (not ours). */
export interface CopyOutcome {
  kind: SnapshotKind;
  /** The source snapshot id or identifier. */
  source: string;
  sourceArn?: string;
  plan?: string;
  status: CopyStatus;
  /** The DR copy: started now, or the one that already exists. */
  copyId?: string;
  /** The key the copy is encrypted with; absent for an unencrypted copy. */
  kmsKeyId?: string;
  /** Set when the copy could not be encrypted (a kind whose unencrypted source is copied as it is). */
  unencrypted?: true;
  /** The copy's `backup-dr:expires`. */
  expires?: string;
  /** A failed DR copy deleted before this copy was started. */
  replaced?: string;
  reason?: string;
  error?: ErrorInfo;
  /** A copy of a kind with locks started by this run, when copies are locked: its lock (a failed lock fails the run; the copy stays). */
  lock?: LockResult;
}

/** A failed DR copy found and deleted (or not) so that its backup is copied again. */
export interface ReplacedCopy {
  kind: SnapshotKind;
  plan: string;
  copyId: string;
  copyOf: string;
  status: string;
  deleted: boolean;
  error?: ErrorInfo;
}

/** A listing or count that failed: the copies it would have decided could not be made this run. */
export interface Problem {
  what: string;
  error: ErrorInfo;
}
