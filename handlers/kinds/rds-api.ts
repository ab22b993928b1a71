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
import { tagRecord, type Tag, type TagList } from "../lib/tags";
import type { CopyTarget, StartedCopy } from "./kind";
import { defined, validDate } from "../lib/values";

/** The two RDS kinds: DB snapshots of DB instances, DB cluster snapshots of Aurora clusters. */
export type DbKind = "rds" | "aurora";

const DB_SNAPSHOT_GONE = ["DBSnapshotNotFound", "DBSnapshotNotFoundFault"];
const CLUSTER_SNAPSHOT_GONE = ["DBClusterSnapshotNotFound", "DBClusterSnapshotNotFoundFault"];
/** The snapshot identifier is taken (SDK class names and wire codes of both snapshot kinds): backup and copy. */
export const DB_SNAPSHOT_EXISTS_ERRORS = ["DBSnapshotAlreadyExists", "DBSnapshotAlreadyExistsFault", "DBClusterSnapshotAlreadyExists", "DBClusterSnapshotAlreadyExistsFault"];
/** Already gone: deleting it again is done. */
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

/** A DB snapshot or a DB cluster snapshot, as either API describes it: what copy and cleanup read of both. */
interface DbSnapshotView {
  id: string;
  arn?: string;
  status: string;
  created?: Date;
  encrypted: boolean;
  kmsKeyId?: string;
  tagList: TagList;
  snapshotType?: string;
}

function viewOfDb(s: DBSnapshot): DbSnapshotView | undefined {
  if (s.DBSnapshotIdentifier === undefined) return undefined;
  return { id: s.DBSnapshotIdentifier, arn: s.DBSnapshotArn, status: s.Status ?? "", created: s.SnapshotCreateTime, encrypted: s.Encrypted ?? false, kmsKeyId: s.KmsKeyId, tagList: s.TagList, snapshotType: s.SnapshotType };
}

function viewOfCluster(s: DBClusterSnapshot): DbSnapshotView | undefined {
  if (s.DBClusterSnapshotIdentifier === undefined) return undefined;
  return {
    id: s.DBClusterSnapshotIdentifier,
    arn: s.DBClusterSnapshotArn,
    status: s.Status ?? "",
    created: s.SnapshotCreateTime,
    encrypted: s.StorageEncrypted ?? false,
    kmsKeyId: s.KmsKeyId,
    tagList: s.TagList,
    snapshotType: s.SnapshotType,
  };
}

/** The kind's snapshots: every manual one of the region, or the one with `identifier` (every page read either way). */
async function describeViews(rds: RDSClient, kind: DbKind, identifier?: string): Promise<DbSnapshotView[]> {
  const views: (DbSnapshotView | undefined)[] = [];
  if (kind === "rds") {
    const input = identifier === undefined ? { SnapshotType: "manual" } : { DBSnapshotIdentifier: identifier };
    for await (const page of paginateDescribeDBSnapshots({ client: rds, pageSize: 100 }, input)) views.push(...(page.DBSnapshots ?? []).map(viewOfDb));
  } else {
    const input = identifier === undefined ? { SnapshotType: "manual" } : { DBClusterSnapshotIdentifier: identifier };
    for await (const page of paginateDescribeDBClusterSnapshots({ client: rds, pageSize: 100 }, input)) views.push(...(page.DBClusterSnapshots ?? []).map(viewOfCluster));
  }
  return defined(views);
}

function toRecord(kind: DbKind, v: DbSnapshotView): SnapshotRecord {
  return { kind, id: v.id, arn: v.arn, state: rdsState(v.status), status: v.status, created: v.created, encrypted: v.encrypted, kmsKeyId: v.kmsKeyId, tags: tagRecord(v.tagList) };
}

/** Every manual snapshot of the kind in the region (RDS cannot filter on tags: every page is read). */
export async function listDbSnapshots(rds: RDSClient, kind: DbKind): Promise<SnapshotRecord[]> {
  return (await describeViews(rds, kind)).map((v) => toRecord(kind, v));
}

/** One snapshot by identifier; undefined when it does not exist. */
export async function describeDbSnapshot(rds: RDSClient, kind: DbKind, identifier: string): Promise<SnapshotRecord | undefined> {
  try {
    const found = (await describeViews(rds, kind, identifier)).find((v) => v.id === identifier);
    return found === undefined ? undefined : toRecord(kind, found);
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
  return (await describeViews(rds, kind)).map((v) => ({ kind, id: v.id, state: v.status, created: validDate(v.created), tags: tagRecord(v.tagList), snapshotType: v.snapshotType }));
}
