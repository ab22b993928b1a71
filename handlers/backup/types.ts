// The backup function's vocabulary: plans, sources, per-source outcomes and the run they belong to.
import type { Tier } from "../catalog";
import type { ErrorInfo } from "../lib/errors";
import type { RestoreFacts, VolumeFacts } from "../lib/catalog-record";
import type { ResourceKind, RunPlan } from "../plan";
import type { LockResult, SnapshotLockMode } from "../lib/snapshot-lock";
import type { NotifyOn } from "../lib/shared-settings";
import type { SnapshotRate } from "../lib/snapshot-rate";

/** A plan as the functions read it (the plan contract, handlers/plan.ts). */
export type BackupPlan = RunPlan;

export interface BackupSettings {
  /** Value of the `backup-dr:stack` tag: `<project>/<stack>`. */
  stackTag: string;
  plans: BackupPlan[];
  selectionTagKey: string;
  vaultBucket: string;
  topicArn: string;
  notifyOn: NotifyOn;
  concurrency: number;
  /** Snapshot lock (from vaultLock.mode), for kinds whose snapshots can be locked: off, GOVERNANCE or COMPLIANCE. */
  snapshotLock: SnapshotLockMode;
  /** The pace of the paced kinds' snapshot creates (AWS's own bucket by default). */
  snapshotRate: SnapshotRate;
  /** A run starts no new work this many minutes after its slot, or after its first invocation started if later. */
  runDeadlineMinutes: number;
}

/** One plan's run for one slot: what every backup of the run is tagged with. */
export interface BackupRun {
  stackTag: string;
  plan: string;
  slot: Date;
  runId: string;
  tier: Tier;
  expires: Date;
}

/** A resource the run backs up. */
export interface Source {
  kind: ResourceKind;
  id: string;
  /** A source backed up as a set: how many snapshots the set has (recorded on it as backup-dr:set-size). */
  setSize?: number;
  /** The snapshots this run already made of it, when the listing found them (a rerun): nothing is made again. */
  existing?: string[];
  /** Restore facts the listing read (recorded on every snapshot of the source; handlers/catalog.ts). */
  facts?: RestoreFacts;
  /** A set: each volume's facts by volume id (recorded on that volume's snapshot). */
  volumes?: Record<string, VolumeFacts>;
}

/**
 * What happened to one source: created (snapshot ids), skipped (reason, ids if they already exist), failed, or
 * deferred (not started: the run's deadline passed; a failure of the run).
 */
export interface SourceOutcome {
  kind: ResourceKind;
  source: string;
  status: "created" | "skipped" | "failed" | "deferred";
  snapshotIds: string[];
  reason?: string;
  error?: ErrorInfo;
  durationMs: number;
  /** A kind with snapshot locks, when snapshots are locked: the lock of each snapshot (a failed lock fails the run; the snapshot stays). */
  locks?: LockResult[];
}

/** The sources a listing found, and those it found but cannot back up. */
export interface Selection {
  sources: Source[];
  skipped: SourceOutcome[];
}

/** A listing that failed: that kind of resource could not be backed up this run. */
export interface SelectionFailure {
  kind: ResourceKind;
  error: ErrorInfo;
}
