// Locks each snapshot of the run until its expiry when the stack locks snapshots (vaultLock GOVERNANCE or
// COMPLIANCE) and its kind has locks: the ones this run made and, on a rerun, the ones an earlier run of the slot made.
import type { KindClients } from "../kinds/clients";
import { backupKind } from "../kinds/registry";
import { settleWithConcurrency } from "../lib/pool";
import type { LockResult, SnapshotLockMode } from "../lib/snapshot-lock";
import type { BackupRun, SourceOutcome } from "./types";

/** The outcomes, each of a kind with locks with the lock result of every snapshot it names; unchanged when locking is off. */
export async function lockBackups(clients: KindClients, mode: SnapshotLockMode, run: BackupRun, outcomes: readonly SourceOutcome[], concurrency: number, now: () => Date): Promise<SourceOutcome[]> {
  if (mode === "off") return [...outcomes];
  const targets = outcomes.flatMap((outcome, index) => {
    const locks = backupKind(outcome.kind).locks;
    return locks !== undefined && outcome.status !== "failed" ? outcome.snapshotIds.map((snapshotId) => ({ index, snapshotId, locks })) : [];
  });
  const settled = await settleWithConcurrency(targets, concurrency, ({ snapshotId, locks }) => locks.lock(clients, snapshotId, mode, run.expires, now()));
  const locks = new Map<number, LockResult[]>();
  settled.forEach((result, i) => {
    const { index, snapshotId } = targets[i];
    const lock: LockResult =
      result.status === "fulfilled" ? result.value : { snapshotId, status: "failed", mode: mode === "COMPLIANCE" ? "compliance" : "governance", error: { name: "Error", message: String(result.reason) } };
    locks.set(index, [...(locks.get(index) ?? []), lock]);
  });
  return outcomes.map((outcome, index) => (locks.has(index) ? { ...outcome, locks: locks.get(index) } : outcome));
}
