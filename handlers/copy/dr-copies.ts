// The DR region's side: which backups already have a copy there, how many copies are in flight, removing failed copies.
import { DeleteSnapshotCommand, type EC2Client } from "@aws-sdk/client-ec2";
import { DeleteDBClusterSnapshotCommand, DeleteDBSnapshotCommand, type RDSClient } from "@aws-sdk/client-rds";
import { TAG_COPY_OF, TAG_STACK, type SnapshotKind } from "../catalog";
import { errorName } from "../lib/errors";
import { describeEbsSnapshots, listClusterSnapshots, listDbSnapshots } from "./snapshots";
import type { Candidate, SnapshotRecord } from "./types";

/** Already gone: deleting it again is done. */
const COPY_GONE = ["InvalidSnapshot.NotFound", "DBSnapshotNotFound", "DBSnapshotNotFoundFault", "DBClusterSnapshotNotFound", "DBClusterSnapshotNotFoundFault"];

/** What the DR region holds of one kind. */
export interface DrIndex {
  kind: SnapshotKind;
  /** Copies this stack made (stack tag and copy-of tag). */
  copies: SnapshotRecord[];
  /** Of those, the ones still being copied: they count against the limit. */
  inFlight: number;
  /** The DR snapshots that are (or block) a copy of the backup: same copy-of, or for RDS the same identifier. */
  copiesOf(candidate: Candidate): SnapshotRecord[];
}

export function indexCopies(kind: SnapshotKind, records: readonly SnapshotRecord[], stackTag: string): DrIndex {
  const unique = [...new Map(records.map((r) => [r.id, r])).values()];
  const copies = unique.filter((r) => r.tags[TAG_STACK] === stackTag && r.tags[TAG_COPY_OF] !== undefined);
  const byCopyOf = new Map<string, SnapshotRecord[]>();
  for (const copy of copies) byCopyOf.set(copy.tags[TAG_COPY_OF], [...(byCopyOf.get(copy.tags[TAG_COPY_OF]) ?? []), copy]);
  const byId = new Map(unique.map((r) => [r.id, r]));
  return {
    kind,
    copies,
    inFlight: copies.filter((c) => c.state === "in-progress").length,
    copiesOf(candidate) {
      const found = [...(byCopyOf.get(candidate.copyOf) ?? [])];
      const sameId = kind === "ebs" ? undefined : byId.get(candidate.source.id);
      if (sameId !== undefined && !found.includes(sameId)) found.push(sameId);
      return found;
    },
  };
}

/** EBS copies of ours in the DR region: of the given backups plus every one still pending (or all, when no ids). */
export async function ebsCopies(ec2: EC2Client, stackTag: string, copyOf?: readonly string[]): Promise<SnapshotRecord[]> {
  const ours = [{ Name: `tag:${TAG_STACK}`, Values: [stackTag] }];
  if (copyOf === undefined) return describeEbsSnapshots(ec2, [...ours, { Name: "tag-key", Values: [TAG_COPY_OF] }]);
  const [of, pending] = await Promise.all([
    copyOf.length === 0 ? Promise.resolve([]) : describeEbsSnapshots(ec2, ours, { Name: `tag:${TAG_COPY_OF}`, Values: [...copyOf] }),
    describeEbsSnapshots(ec2, [...ours, { Name: "tag-key", Values: [TAG_COPY_OF] }, { Name: "status", Values: ["pending"] }]),
  ]);
  return [...of, ...pending];
}

/** Everything of one kind in the DR region that the index needs. */
export async function readDr(clients: { ec2: EC2Client; rds: RDSClient }, kind: SnapshotKind, stackTag: string, ebsCopyOf?: readonly string[]): Promise<DrIndex> {
  switch (kind) {
    case "ebs":
      return indexCopies(kind, await ebsCopies(clients.ec2, stackTag, ebsCopyOf), stackTag);
    case "rds":
      return indexCopies(kind, await listDbSnapshots(clients.rds), stackTag);
    case "aurora":
      return indexCopies(kind, await listClusterSnapshots(clients.rds), stackTag);
  }
}

/** Deletes a (failed) DR copy; one already gone counts as deleted. */
export async function deleteCopy(clients: { ec2: EC2Client; rds: RDSClient }, copy: SnapshotRecord): Promise<void> {
  try {
    switch (copy.kind) {
      case "ebs":
        await clients.ec2.send(new DeleteSnapshotCommand({ SnapshotId: copy.id }));
        return;
      case "rds":
        await clients.rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: copy.id }));
        return;
      case "aurora":
        await clients.rds.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: copy.id }));
        return;
    }
  } catch (error) {
    if (!COPY_GONE.includes(errorName(error))) throw error;
  }
}
