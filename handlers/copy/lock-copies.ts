// Locks DR copies (of kinds with locks) until their DR expiry when the stack locks snapshots (vaultLock GOVERNANCE or COMPLIANCE): each
// copy this run started, and every live copy the run found (so a lock that failed before is placed by the next run or
// sweep). Found copies are looked up first (one DescribeLockedSnapshots per 200) and only unprotected ones are locked.
import type { SnapshotKind } from "../catalog";
import type { KindClients } from "../kinds/clients";
import type { KindLocks } from "../kinds/kind";
import { copyKind } from "../kinds/registry";
import { describeError } from "../lib/errors";
import { settleWithConcurrency } from "../lib/pool";
import { isUnderLock, type LockResult, type SnapshotLock, type SnapshotLockMode } from "../lib/snapshot-lock";
import type { CopyOutcome } from "./types";
import type { LiveCopy, Work } from "./work";

/** A lock placed (or attempted) on a DR copy that existed before this run. */
export interface RelockedCopy extends LockResult {
  kind: SnapshotKind;
  source: string;
  plan: string;
}

/** The locks of a kind that has them (callers filter on `locks` first). */
function locksOf(kind: SnapshotKind): KindLocks {
  const locks = copyKind(kind).locks;
  if (locks === undefined) throw new Error(`${kind} snapshots cannot be locked`);
  return locks;
}

export async function lockCopies(clients: KindClients, mode: SnapshotLockMode, work: Work, now: () => Date, concurrency: number): Promise<void> {
  if (mode === "off") return;
  const lockMode = mode;
  const fail = (snapshotId: string, reason: unknown): LockResult => ({ snapshotId, status: "failed", mode: mode === "COMPLIANCE" ? "compliance" : "governance", error: describeError(reason) });

  const started = work.copies.filter((c): c is CopyOutcome & { copyId: string; expires: string } => copyKind(c.kind).locks !== undefined && c.status === "started" && c.copyId !== undefined && c.expires !== undefined);
  const settled = await settleWithConcurrency(started, concurrency, (c) => locksOf(c.kind).lock(clients, c.copyId, lockMode, new Date(c.expires), now()));
  settled.forEach((result, i) => (started[i].lock = result.status === "fulfilled" ? result.value : fail(started[i].copyId, result.reason)));

  const live = work.live.filter((l) => !started.some((s) => s.copyId === l.copyId));
  if (live.length === 0) return;
  const locks = new Map<string, SnapshotLock>();
  for (const kind of [...new Set(live.map((l) => l.kind))]) {
    const ofKind = live.filter((l) => l.kind === kind);
    try {
      for (const [id, lock] of await locksOf(kind).describe(clients, ofKind.map((l) => l.copyId))) locks.set(id, lock);
    } catch (error) {
      work.problems.push({ what: `reading the locks of ${ofKind.length} DR copies`, error: describeError(error) });
      return;
    }
  }
  const at = now();
  const unprotected = live.filter((l: LiveCopy) => {
    const lock = locks.get(l.copyId);
    const strictEnough = mode !== "COMPLIANCE" || lock?.state !== "governance";
    return !(lock !== undefined && isUnderLock(lock, at) && strictEnough && lock.expiresOn !== undefined && new Date(lock.expiresOn).getTime() >= l.expires.getTime());
  });
  const relocked = await settleWithConcurrency(unprotected, concurrency, (l) => locksOf(l.kind).lock(clients, l.copyId, lockMode, l.expires, now()));
  relocked.forEach((result, i) => {
    const { kind, source, plan, copyId } = unprotected[i];
    work.relocked.push({ kind, source, plan, ...(result.status === "fulfilled" ? result.value : fail(copyId, result.reason)) });
  });
}
