// EBS snapshot lock (issue 10 item 6): the lock mode the stack's vaultLock sets, locking a snapshot until its
// backup-dr:expires, and reading which snapshots are under a lock. RDS has no snapshot lock.
//
// AWS (EC2 API reference, LockSnapshot / DescribeLockedSnapshots; EBS user guide, "Snapshot lock concepts"): pending
// and completed snapshots can be locked; a lock ends at ExpirationDate (or after LockDuration, 1-36500 days); a
// compliance lock may have a cooling-off period of 1-72 hours, during which it can still be unlocked; after it, the
// lock can only be extended, and a request that names a cooling-off period or shortens the lock fails. Governance
// locks take effect at once and take no cooling-off period.
import { DescribeLockedSnapshotsCommand, LockSnapshotCommand, type EC2Client, type Filter } from "@aws-sdk/client-ec2";
import { describeError } from "./errors";
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
/** Snapshot ids per DescribeLockedSnapshots request, like the EC2 filter-value limit the other listings keep to. */
const IDS_PER_REQUEST = 200;

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

/**
 * Active locks by snapshot id: of the given snapshots, or of every snapshot of the account in the region. Every page
 * is read (MaxResults 1000 when listing the region; id lists are sent 200 at a time, following NextToken).
 */
export async function describeLocks(ec2: EC2Client, snapshotIds?: readonly string[]): Promise<Map<string, SnapshotLock>> {
  const filters: Filter[] = [{ Name: "lock-state", Values: ACTIVE_LOCK_STATES }];
  const requests: { SnapshotIds?: string[]; MaxResults?: number }[] = [];
  if (snapshotIds === undefined) requests.push({ MaxResults: 1000 });
  else for (let i = 0; i < snapshotIds.length; i += IDS_PER_REQUEST) requests.push({ SnapshotIds: snapshotIds.slice(i, i + IDS_PER_REQUEST) });
  const locks = new Map<string, SnapshotLock>();
  for (const request of requests) {
    let token: string | undefined;
    do {
      const page = await ec2.send(new DescribeLockedSnapshotsCommand({ ...request, Filters: filters, NextToken: token }));
      for (const info of page.Snapshots ?? []) {
        if (info.SnapshotId === undefined || info.LockState === undefined) continue;
        locks.set(info.SnapshotId, { snapshotId: info.SnapshotId, state: info.LockState, ...(info.LockExpiresOn ? { expiresOn: info.LockExpiresOn.toISOString() } : {}) });
      }
      token = page.NextToken || undefined;
    } while (token !== undefined);
  }
  return locks;
}

/** A lock that already protects the snapshot as asked: at least as strict a mode, until at least its expiry. */
function satisfies(lock: SnapshotLock, mode: LockResult["mode"], expires: Date, now: Date): boolean {
  if (!isUnderLock(lock, now) || lock.expiresOn === undefined) return false;
  if (mode === "compliance" && lock.state === "governance") return false;
  return new Date(lock.expiresOn).getTime() >= expires.getTime();
}

/**
 * Locks the snapshot until its expiry; never throws. Rerun-safe: the same request again re-locks; when AWS refuses
 * (a compliance lock past its cooling-off period takes no cooling-off period and cannot be shortened) the lock is
 * read, and one that already protects the snapshot until its expiry counts as done ("already-locked").
 */
export async function lockSnapshot(ec2: EC2Client, snapshotId: string, setting: Exclude<SnapshotLockMode, "off">, expires: Date, now: Date): Promise<LockResult> {
  const mode = setting === "COMPLIANCE" ? "compliance" : "governance";
  const until = lockUntil(expires, now);
  try {
    const result = await ec2.send(
      new LockSnapshotCommand({ SnapshotId: snapshotId, LockMode: mode, ExpirationDate: until, ...(mode === "compliance" ? { CoolOffPeriod: COOL_OFF_HOURS } : {}) }),
    );
    return { snapshotId, status: "locked", mode, until: (result.LockExpiresOn ?? until).toISOString() };
  } catch (error) {
    const refused = describeError(error);
    try {
      const existing = (await describeLocks(ec2, [snapshotId])).get(snapshotId);
      if (existing !== undefined && satisfies(existing, mode, expires, now)) return { snapshotId, status: "already-locked", mode, ...(existing.expiresOn ? { until: existing.expiresOn } : {}) };
    } catch (lookUp) {
      const { name, message } = describeError(lookUp);
      return { snapshotId, status: "failed", mode, error: { name: refused.name, message: `${refused.message}; reading its lock failed too (${name}: ${message})` } };
    }
    return { snapshotId, status: "failed", mode, error: refused };
  }
}

/** One line per failed lock, for the thrown error and the notification. */
export function lockFailureLine(what: string, result: LockResult): string {
  return `${what}: locking ${result.snapshotId} (${result.mode}): ${result.error?.name ?? "Error"}: ${result.error?.message ?? ""}`;
}
