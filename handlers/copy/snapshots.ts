// Reads snapshots from AWS, in either region, as SnapshotRecords: every list paginated with the largest page allowed.
import { paginateDescribeSnapshots, type EC2Client, type Filter, type Snapshot } from "@aws-sdk/client-ec2";
import { paginateDescribeDBClusterSnapshots, paginateDescribeDBSnapshots, type DBClusterSnapshot, type DBSnapshot, type RDSClient } from "@aws-sdk/client-rds";
import type { SnapshotKind } from "../catalog";
import { errorName } from "../lib/errors";
import { tagRecord } from "../lib/tags";
import type { SnapshotRecord, SnapshotState } from "./types";

/** EC2 filters take at most 200 values each. */
const FILTER_VALUES = 200;
const DB_SNAPSHOT_GONE = ["DBSnapshotNotFound", "DBSnapshotNotFoundFault"];
const CLUSTER_SNAPSHOT_GONE = ["DBClusterSnapshotNotFound", "DBClusterSnapshotNotFoundFault"];

/** EBS: completed, pending, error (recoverable and recovering belong to the archive tier: other). */
function ebsState(status: string): SnapshotState {
  if (status === "completed") return "ready";
  if (status === "pending") return "in-progress";
  if (status === "error") return "failed";
  return "other";
}

/** RDS: available; creating, pending, copying; failed, error, incompatible-*; anything else (deleting, ...) is other. */
function rdsState(status: string): SnapshotState {
  if (status === "available") return "ready";
  if (["creating", "pending", "copying"].includes(status)) return "in-progress";
  if (status === "failed" || status === "error" || status.startsWith("incompatible")) return "failed";
  return "other";
}

function fromEbs(s: Snapshot): SnapshotRecord | undefined {
  if (s.SnapshotId === undefined) return undefined;
  const status = s.State ?? "";
  return { kind: "ebs", id: s.SnapshotId, state: ebsState(status), status, created: s.StartTime, ...(s.CompletionTime ? { completed: s.CompletionTime } : {}), encrypted: s.Encrypted ?? false, kmsKeyId: s.KmsKeyId, tags: tagRecord(s.Tags) };
}

function fromDb(s: DBSnapshot): SnapshotRecord | undefined {
  if (s.DBSnapshotIdentifier === undefined) return undefined;
  const status = s.Status ?? "";
  return { kind: "rds", id: s.DBSnapshotIdentifier, arn: s.DBSnapshotArn, state: rdsState(status), status, created: s.SnapshotCreateTime, encrypted: s.Encrypted ?? false, kmsKeyId: s.KmsKeyId, tags: tagRecord(s.TagList) };
}

function fromCluster(s: DBClusterSnapshot): SnapshotRecord | undefined {
  if (s.DBClusterSnapshotIdentifier === undefined) return undefined;
  const status = s.Status ?? "";
  return {
    kind: "aurora",
    id: s.DBClusterSnapshotIdentifier,
    arn: s.DBClusterSnapshotArn,
    state: rdsState(status),
    status,
    created: s.SnapshotCreateTime,
    encrypted: s.StorageEncrypted ?? false,
    kmsKeyId: s.KmsKeyId,
    tags: tagRecord(s.TagList),
  };
}

const defined = <T>(items: (T | undefined)[]): T[] => items.filter((i): i is T => i !== undefined);

/** EBS snapshots owned by this account matching the filters (a filter's values are sent 200 at a time). */
export async function describeEbsSnapshots(ec2: EC2Client, filters: Filter[], chunked?: Filter): Promise<SnapshotRecord[]> {
  const chunks: Filter[][] = [];
  if (chunked === undefined) chunks.push(filters);
  else for (let i = 0; i < (chunked.Values ?? []).length; i += FILTER_VALUES) chunks.push([...filters, { Name: chunked.Name, Values: (chunked.Values ?? []).slice(i, i + FILTER_VALUES) }]);
  const found: SnapshotRecord[] = [];
  for (const chunk of chunks) {
    for await (const page of paginateDescribeSnapshots({ client: ec2, pageSize: 1000 }, { OwnerIds: ["self"], Filters: chunk })) {
      found.push(...defined((page.Snapshots ?? []).map(fromEbs)));
    }
  }
  return found;
}

/** Every manual DB snapshot in the region (RDS cannot filter on tags: every page is read). */
export async function listDbSnapshots(rds: RDSClient): Promise<SnapshotRecord[]> {
  const found: SnapshotRecord[] = [];
  for await (const page of paginateDescribeDBSnapshots({ client: rds, pageSize: 100 }, { SnapshotType: "manual" })) found.push(...defined((page.DBSnapshots ?? []).map(fromDb)));
  return found;
}

/** Every manual DB cluster snapshot in the region. */
export async function listClusterSnapshots(rds: RDSClient): Promise<SnapshotRecord[]> {
  const found: SnapshotRecord[] = [];
  for await (const page of paginateDescribeDBClusterSnapshots({ client: rds, pageSize: 100 }, { SnapshotType: "manual" })) {
    found.push(...defined((page.DBClusterSnapshots ?? []).map(fromCluster)));
  }
  return found;
}

/** One RDS or Aurora snapshot by identifier; undefined when it does not exist. */
export async function describeRdsSnapshot(rds: RDSClient, kind: Exclude<SnapshotKind, "ebs">, identifier: string): Promise<SnapshotRecord | undefined> {
  try {
    if (kind === "rds") {
      const pages = paginateDescribeDBSnapshots({ client: rds, pageSize: 100 }, { DBSnapshotIdentifier: identifier });
      for await (const page of pages) for (const s of page.DBSnapshots ?? []) if (s.DBSnapshotIdentifier === identifier) return fromDb(s);
    } else {
      const pages = paginateDescribeDBClusterSnapshots({ client: rds, pageSize: 100 }, { DBClusterSnapshotIdentifier: identifier });
      for await (const page of pages) for (const s of page.DBClusterSnapshots ?? []) if (s.DBClusterSnapshotIdentifier === identifier) return fromCluster(s);
    }
    return undefined;
  } catch (error) {
    if ([...DB_SNAPSHOT_GONE, ...CLUSTER_SNAPSHOT_GONE].includes(errorName(error))) return undefined;
    throw error;
  }
}
