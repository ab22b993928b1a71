// Locks EBS DR copies until their DR expiry when the stack locks snapshots (vaultLock GOVERNANCE or COMPLIANCE): each
// copy this run started, and every live copy the run found (so a lock that failed before is placed by the next run or
// sweep). Found copies are looked up first (one DescribeLockedSnapshots per 200) and only unprotected ones are locked.
import type { EC2Client } from "@aws-sdk/client-ec2";
import { describeError } from "../lib/errors";
import { settleWithConcurrency } from "../lib/pool";
import { describeLocks, isUnderLock, lockSnapshot, type LockResult, type SnapshotLockMode } from "../lib/snapshot-lock";
import type { CopyOutcome } from "./types";
import type { LiveCopy, Work } from "./work";

/** A lock placed (or attempted) on a DR copy that existed before this run. */
export interface RelockedCopy extends LockResult {
  source: string;
  plan: string;
}

export async function lockCopies(ec2: EC2Client, mode: SnapshotLockMode, work: Work, now: () => Date, concurrency: number): Promise<void> {
  if (mode === "off") return;
  const lockMode = mode;
  const fail = (snapshotId: string, reason: unknown): LockResult => ({ snapshotId, status: "failed", mode: mode === "COMPLIANCE" ? "compliance" : "governance", error: describeError(reason) });

  const started = work.copies.filter((c): c is CopyOutcome & { copyId: string; expires: string } => c.kind === "ebs" && c.status === "started" && c.copyId !== undefined && c.expires !== undefined);
  const settled = await settleWithConcurrency(started, concurrency, (c) => lockSnapshot(ec2, c.copyId, lockMode, new Date(c.expires), now()));
  settled.forEach((result, i) => (started[i].lock = result.status === "fulfilled" ? result.value : fail(started[i].copyId, result.reason)));

  const live = work.live.filter((l) => !started.some((s) => s.copyId === l.copyId));
  if (live.length === 0) return;
  let locks;
  try {
    locks = await describeLocks(ec2, live.map((l) => l.copyId));
  } catch (error) {
    work.problems.push({ what: `reading the locks of ${live.length} DR copies`, error: describeError(error) });
    return;
  }
  const at = now();
  const unprotected = live.filter((l: LiveCopy) => {
    const lock = locks.get(l.copyId);
    const strictEnough = mode !== "COMPLIANCE" || lock?.state !== "governance";
    return !(lock !== undefined && isUnderLock(lock, at) && strictEnough && lock.expiresOn !== undefined && new Date(lock.expiresOn).getTime() >= l.expires.getTime());
  });
  const relocked = await settleWithConcurrency(unprotected, concurrency, (l) => lockSnapshot(ec2, l.copyId, lockMode, l.expires, now()));
  relocked.forEach((result, i) => {
    const { source, plan, copyId } = unprotected[i];
    work.relocked.push({ source, plan, ...(result.status === "fulfilled" ? result.value : fail(copyId, result.reason)) });
  });
}
