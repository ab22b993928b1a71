// How a recovery point's snapshots are encrypted (RecoveryPoint.encryption), read from the snapshots as listed: the one
// definition every kind's point listing shares.
import type { SnapshotRecord } from "../copy/types";
import type { RecoveryPoint } from "../restore/contract";

/**
 * `encrypted` only when every snapshot is (a set with one unencrypted volume is not); `kmsKeyIds` the distinct KmsKeyId
 * values AWS returned, sorted (empty when none is encrypted).
 */
export function pointEncryption(snapshots: ReadonlyArray<Pick<SnapshotRecord, "encrypted" | "kmsKeyId">>): NonNullable<RecoveryPoint["encryption"]> {
  const keys = snapshots.flatMap((s) => (s.kmsKeyId === undefined || s.kmsKeyId === "" ? [] : [s.kmsKeyId]));
  return { encrypted: snapshots.length > 0 && snapshots.every((s) => s.encrypted), kmsKeyIds: [...new Set(keys)].sort() };
}
