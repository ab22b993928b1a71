// Locks the snapshots of one source's backup until their expiry when the stack locks snapshots (vaultLock GOVERNANCE
// or COMPLIANCE) and its kind has locks: the ones this run made and, on a rerun, the ones an earlier run of the slot
// made. Part of that source's work (handlers/backup/run.ts), so an invocation's stop check covers its locks too.
import type { KindClients } from "../kinds/clients";
import { backupKind } from "../kinds/registry";
import { describeError } from "../lib/errors";
import type { LockResult, SnapshotLockMode } from "../lib/snapshot-lock";
import type { BackupRun, SourceOutcome } from "./types";

/**
 * The outcome with the lock result of every snapshot it names, when its kind has locks and it did not fail; unchanged
 * otherwise or when locking is off. Never throws. One lock at a time, so a source never has more than one call out.
 */
export async function lockOutcome(clients: KindClients, mode: SnapshotLockMode, run: BackupRun, outcome: SourceOutcome, now: () => Date): Promise<SourceOutcome> {
  const locks = backupKind(outcome.kind).locks;
  if (mode === "off" || locks === undefined || outcome.status === "failed" || outcome.snapshotIds.length === 0) return outcome;
  const results: LockResult[] = [];
  for (const snapshotId of outcome.snapshotIds) {
    try {
      results.push(await locks.lock(clients, snapshotId, mode, run.expires, now()));
    } catch (error) {
      results.push({ snapshotId, status: "failed", mode: mode === "COMPLIANCE" ? "compliance" : "governance", error: describeError(error) });
    }
  }
  return { ...outcome, locks: results };
}
