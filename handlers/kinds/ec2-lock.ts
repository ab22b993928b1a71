// EBS snapshot locks: placing one until a snapshot's expiry and reading which snapshots are under one (EC2
// LockSnapshot / DescribeLockedSnapshots; what a lock is and the lock mode: handlers/lib/snapshot-lock.ts).
import { DescribeLockedSnapshotsCommand, LockSnapshotCommand, type EC2Client, type Filter } from "@aws-sdk/client-ec2";
import { describeError } from "../lib/errors";
import { ACTIVE_LOCK_STATES, COOL_OFF_HOURS, isUnderLock, lockUntil, type LockResult, type SnapshotLock, type SnapshotLockMode } from "../lib/snapshot-lock";

/** Snapshot ids per DescribeLockedSnapshots request, like the EC2 filter-value limit the other listings keep to. */
const IDS_PER_REQUEST = 200;

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
