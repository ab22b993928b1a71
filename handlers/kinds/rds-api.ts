// The RDS API that the rds (DB instance) and aurora (DB cluster) kinds share: their snapshots read as records (every
// list paginated with the largest page allowed), copied to the DR region, deleted, and listed for cleanup.
//
// RDS: CopyDBSnapshot from the source ARN, KmsKeyId (SDK v3 presigns for the region the ARN names; its input has no
// SourceRegion); the copy keeps the source's identifier (bdr-...).
// Aurora: CopyDBClusterSnapshot likewise; an unencrypted cluster snapshot cannot be encrypted by a copy, so it is
// copied as it is and flagged.
import {
  CopyDBClusterSnapshotCommand,
  CopyDBSnapshotCommand,
  DeleteDBClusterSnapshotCommand,
  DeleteDBSnapshotCommand,
  paginateDescribeDBClusterSnapshots,
  paginateDescribeDBSnapshots,
  type DBClusterSnapshot,
  type DBSnapshot,
  type RDSClient,
} from "@aws-sdk/client-rds";
import type { ListedSnapshot } from "../cleanup/types";
import type { Candidate, SnapshotRecord, SnapshotState } from "../copy/types";
import { createOnce } from "../lib/create-once";
import { errorName } from "../lib/errors";
import { tagRecord, type Tag } from "../lib/tags";
import type { CopyTarget, StartedCopy } from "./kind";
import { defined, validDate } from "../lib/values";

/** The two RDS kinds: DB snapshots of DB instances, DB cluster snapshots of Aurora clusters. */
export type DbKind = "rds" | "aurora";

const DB_SNAPSHOT_GONE = ["DBSnapshotNotFound", "DBSnapshotNotFoundFault"];
const CLUSTER_SNAPSHOT_GONE = ["DBClusterSnapshotNotFound", "DBClusterSnapshotNotFoundFault"];
/** Already gone: deleting it again is done. */
/** The snapshot identifier is taken (SDK class names and wire codes of both snapshot kinds): backup and copy. */
export const DB_SNAPSHOT_EXISTS_ERRORS = ["DBSnapshotAlreadyExists", "DBSnapshotAlreadyExistsFault", "DBClusterSnapshotAlreadyExists", "DBClusterSnapshotAlreadyExistsFault"];
export const DB_SNAPSHOT_GONE_ERRORS = [...DB_SNAPSHOT_GONE, ...CLUSTER_SNAPSHOT_GONE];
/** AWS refuses to delete it now (e.g. a copy from it is in progress). */
export const DB_SNAPSHOT_IN_USE_ERRORS = ["InvalidDBSnapshotState", "InvalidDBSnapshotStateFault", "InvalidDBClusterSnapshotStateFault", "InvalidDBClusterSnapshotState"];

/** RDS: available; creating, pending, copying; failed, error, incompatible-*; anything else (deleting, ...) is other. */
function rdsState(status: string): SnapshotState {
  if (status === "available") return "ready";
  if (["creating", "pending", "copying"].includes(status)) return "in-progress";
  if (status === "failed" || status === "error" || status.startsWith("incompatible")) return "failed";
  return "other";
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


/** Every manual snapshot of the kind in the region (RDS cannot filter on tags: every page is read). */
export async function listDbSnapshots(rds: RDSClient, kind: DbKind): Promise<SnapshotRecord[]> {
  const found: SnapshotRecord[] = [];
  if (kind === "rds") {
    for await (const page of paginateDescribeDBSnapshots({ client: rds, pageSize: 100 }, { SnapshotType: "manual" })) found.push(...defined((page.DBSnapshots ?? []).map(fromDb)));
  } else {
    for await (const page of paginateDescribeDBClusterSnapshots({ client: rds, pageSize: 100 }, { SnapshotType: "manual" })) {
      found.push(...defined((page.DBClusterSnapshots ?? []).map(fromCluster)));
    }
  }
  return found;
}

/** One snapshot by identifier; undefined when it does not exist. */
export async function describeDbSnapshot(rds: RDSClient, kind: DbKind, identifier: string): Promise<SnapshotRecord | undefined> {
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
    if (DB_SNAPSHOT_GONE_ERRORS.includes(errorName(error))) return undefined;
    throw error;
  }
}

/** The snapshots an event names, with the event's ARN when AWS's answer has none. */
export async function readDbSnapshots(rds: RDSClient, kind: DbKind, ids: readonly string[], arn?: string): Promise<SnapshotRecord[]> {
  const found = await Promise.all(ids.map((id) => describeDbSnapshot(rds, kind, id)));
  return defined(found).map((record) => ({ ...record, arn: record.arn ?? arn }));
}

function sourceArn(candidate: Candidate): string {
  if (candidate.source.arn === undefined) throw Object.assign(new Error(`AWS returned no ARN for ${candidate.source.id}`), { name: "MissingSnapshotArn" });
  return candidate.source.arn;
}

/** Starts the DR copy under the source's identifier, through createOnce (after a lost answer the copy is looked up). */
export async function copyDbSnapshot(
  kind: DbKind,
  target: CopyTarget,
  candidate: Candidate,
  tags: Tag[],
  isCopyOf: (record: SnapshotRecord | undefined) => record is SnapshotRecord,
): Promise<StartedCopy> {
  const { source } = candidate;
  const rds = target.clients.rds;
  const what = `the DR copy of ${source.id} in ${target.drRegion}`;
  const lookUp = async () => {
    const found = await describeDbSnapshot(rds, kind, source.id);
    return isCopyOf(found) ? found.id : undefined;
  };
  if (kind === "rds") {
    const command = new CopyDBSnapshotCommand({ SourceDBSnapshotIdentifier: sourceArn(candidate), TargetDBSnapshotIdentifier: source.id, KmsKeyId: target.drKeyArn, CopyTags: false, Tags: tags });
    const created = await createOnce({
      action: "CopyDBSnapshot",
      what,
      command,
      send: async () => (await rds.send(command)).DBSnapshot?.DBSnapshotIdentifier ?? source.id,
      lookUp,
      retryStrategy: rds.config.retryStrategy,
    });
    return { created };
  }
  const unencrypted = !source.encrypted;
  const command = new CopyDBClusterSnapshotCommand({
    SourceDBClusterSnapshotIdentifier: sourceArn(candidate),
    TargetDBClusterSnapshotIdentifier: source.id,
    ...(unencrypted ? {} : { KmsKeyId: target.drKeyArn }),
    CopyTags: false,
    Tags: tags,
  });
  const created = await createOnce({
    action: "CopyDBClusterSnapshot",
    what,
    command,
    send: async () => (await rds.send(command)).DBClusterSnapshot?.DBClusterSnapshotIdentifier ?? source.id,
    lookUp,
    retryStrategy: rds.config.retryStrategy,
  });
  return { created, ...(unencrypted ? { unencrypted: "the Aurora cluster snapshot is not encrypted; AWS cannot encrypt a cluster snapshot by copying it" } : {}) };
}

export async function deleteDbSnapshot(rds: RDSClient, kind: DbKind, id: string): Promise<void> {
  if (kind === "rds") await rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: id }));
  else await rds.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: id }));
}


/** Every manual DB (rds) or cluster (aurora) snapshot of the region, for cleanup: all of them count against the quota. */
export async function listManualDbSnapshots(rds: RDSClient, kind: DbKind): Promise<ListedSnapshot[]> {
  const found: ListedSnapshot[] = [];
  if (kind === "rds") {
    for await (const page of paginateDescribeDBSnapshots({ client: rds, pageSize: 100 }, { SnapshotType: "manual" })) {
      for (const s of page.DBSnapshots ?? []) {
        if (s.DBSnapshotIdentifier === undefined) continue;
        found.push({ kind, id: s.DBSnapshotIdentifier, state: s.Status ?? "", created: validDate(s.SnapshotCreateTime), tags: tagRecord(s.TagList), snapshotType: s.SnapshotType });
      }
    }
  } else {
    for await (const page of paginateDescribeDBClusterSnapshots({ client: rds, pageSize: 100 }, { SnapshotType: "manual" })) {
      for (const s of page.DBClusterSnapshots ?? []) {
        if (s.DBClusterSnapshotIdentifier === undefined) continue;
        found.push({ kind, id: s.DBClusterSnapshotIdentifier, state: s.Status ?? "", created: validDate(s.SnapshotCreateTime), tags: tagRecord(s.TagList), snapshotType: s.SnapshotType });
      }
    }
  }
  return found;
}
