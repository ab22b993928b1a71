// Locks each EBS snapshot of the run until its expiry when the stack locks snapshots (vaultLock GOVERNANCE or
// COMPLIANCE): the ones this run made and, on a rerun, the ones an earlier run of the slot made. RDS has no lock.
import type { EC2Client } from "@aws-sdk/client-ec2";
import { settleWithConcurrency } from "../lib/pool";
import { lockSnapshot, type LockResult, type SnapshotLockMode } from "../lib/snapshot-lock";
import type { BackupRun, SourceOutcome } from "./types";

/** The outcomes, each EC2 one with the lock result of every snapshot it names; unchanged when locking is off. */
export async function lockBackups(ec2: EC2Client, mode: SnapshotLockMode, run: BackupRun, outcomes: readonly SourceOutcome[], concurrency: number, now: () => Date): Promise<SourceOutcome[]> {
  if (mode === "off") return [...outcomes];
  const targets = outcomes.flatMap((outcome, index) => (outcome.kind === "ec2" && outcome.status !== "failed" ? outcome.snapshotIds.map((snapshotId) => ({ index, snapshotId })) : []));
  const settled = await settleWithConcurrency(targets, concurrency, ({ snapshotId }) => lockSnapshot(ec2, snapshotId, mode, run.expires, now()));
  const locks = new Map<number, LockResult[]>();
  settled.forEach((result, i) => {
    const { index, snapshotId } = targets[i];
    const lock: LockResult =
      result.status === "fulfilled" ? result.value : { snapshotId, status: "failed", mode: mode === "COMPLIANCE" ? "compliance" : "governance", error: { name: "Error", message: String(result.reason) } };
    locks.set(index, [...(locks.get(index) ?? []), lock]);
  });
  return outcomes.map((outcome, index) => (locks.has(index) ? { ...outcome, locks: locks.get(index) } : outcome));
}
