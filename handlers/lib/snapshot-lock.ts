// Snapshot lock (issue 10 item 6): the lock mode the stack's vaultLock sets, and what a lock is and how long it runs.
// Only a kind with `locks` (handlers/kinds/kind.ts) places and reads locks; the calls live in its module.
//
// AWS (LockSnapshot / DescribeLockedSnapshots; "Snapshot lock concepts"): pending
// and completed snapshots can be locked; a lock ends at ExpirationDate (or after LockDuration, 1-36500 days); a
// compliance lock may have a cooling-off period of 1-72 hours, during which it can still be unlocked; after it, the
// lock can only be extended, and a request that names a cooling-off period or shortens the lock fails. Governance
// locks take effect at once and take no cooling-off period.
import { oneOfSetting, type Env } from "./env";

/** The environment variable infra sets from `backup-dr:vaultLock.mode` on the backup and copy functions. */
export const SNAPSHOT_LOCK_SETTING = "BACKUP_DR_SNAPSHOT_LOCK";
export const SNAPSHOT_LOCK_MODES = ["off", "GOVERNANCE", "COMPLIANCE"] as const;
export type SnapshotLockMode = (typeof SNAPSHOT_LOCK_MODES)[number];

/** Compliance locks get a day to be undone (a wrong retention caught by the first run's checks), then are final. */
export const COOL_OFF_HOURS = 24;
/** AWS's shortest lock is one day (LockDuration's minimum): a backup expiring sooner stays locked a little longer. */
const MIN_LOCK_MS = 86_400_000;
/** Lock states under which a snapshot cannot be deleted (`expired` is the fourth state). */
export const ACTIVE_LOCK_STATES = ["compliance-cooloff", "governance", "compliance"];

/** Reads BACKUP_DR_SNAPSHOT_LOCK: off (the default), GOVERNANCE or COMPLIANCE, as in the stack's vaultLock.mode. */
export function readSnapshotLockMode(env: Env): SnapshotLockMode {
  return oneOfSetting(env, SNAPSHOT_LOCK_SETTING, SNAPSHOT_LOCK_MODES, "off");
}

/** A snapshot's lock as DescribeLockedSnapshots reports it. */
export interface SnapshotLock {
  snapshotId: string;
  /** compliance-cooloff, governance, compliance or expired. */
  state: string;
  /** ISO instant the lock ends; absent while a duration lock waits for its pending snapshot to complete. */
  expiresOn?: string;
}

/** What locking one snapshot came to; reported in the manifests, a failure fails the run. */
export interface LockResult {
  snapshotId: string;
  status: "locked" | "already-locked" | "failed";
  mode: "governance" | "compliance";
  /** When the lock ends (as AWS reports it, else as requested). */
  until?: string;
  error?: { name: string; message: string };
}

/** The lock's end: the snapshot's expiry, but never less than AWS's one-day minimum from now. */
export function lockUntil(expires: Date, now: Date): Date {
  return new Date(Math.max(expires.getTime(), now.getTime() + MIN_LOCK_MS));
}

/** Still protecting at `now`: an active state and an end in the future (or none yet). */
export function isUnderLock(lock: SnapshotLock, now: Date): boolean {
  if (!ACTIVE_LOCK_STATES.includes(lock.state)) return false;
  return lock.expiresOn === undefined || new Date(lock.expiresOn).getTime() > now.getTime();
}

/** One line per failed lock, for the thrown error and the notification. */
export function lockFailureLine(what: string, result: LockResult): string {
  return `${what}: locking ${result.snapshotId} (${result.mode}): ${result.error?.name ?? "Error"}: ${result.error?.message ?? ""}`;
}
