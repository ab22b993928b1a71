// The restore actions of the kinds on the RDS API. rds: RestoreDBInstanceFromDBSnapshot into the region's DB subnet
// group and security groups, with the recorded class (or the one given), Multi-AZ, storage type and port. aurora:
// RestoreDBClusterFromSnapshot, then, once the cluster is available, CreateDBInstance for its writer
// (`<name>-writer`) with the recorded class. Every create carries the restore tags. A rerun finds its own resource:
// "already exists" with this restore's id tag is done; without it, the name is someone else's (RestoreNameTakenError).
import { CreateDBInstanceCommand, RestoreDBClusterFromSnapshotCommand, RestoreDBInstanceFromDBSnapshotCommand } from "@aws-sdk/client-rds";
import { TAG_RESTORE_ID } from "../catalog";
import { errorName, restoredResourceFailedError, restoreNameTakenError, restoreStateIncompleteError } from "../lib/errors";
import type { RestoreState } from "../restore/contract";
import type { RestoreActions, RestoreContext } from "./kind";
import type { DbKind } from "./rds-api";
import { findDbCreated, isRestoredBy, readDbCluster, readDbInstance, type RestoredDb } from "./rds-restored";
import { available, check, createdOf, failed, inProgress, validation, withCreated } from "./restore-steps";

/** Seconds between polls: a DB restore takes tens of minutes. Minutes until RestoreTimedOut (large databases take hours). */
export const DB_RESTORE_POLL_SECONDS = 60;
export const DB_RESTORE_TIMEOUT_MINUTES = 180;
/** DB identifiers are at most 63 characters. */
const DB_IDENTIFIER_MAX = 63;
const WRITER_SUFFIX = "-writer";

/** Storage types RDS restores without an Iops value. */
const STORAGE_WITHOUT_IOPS = ["gp2", "gp3", "standard"];

const INSTANCE_EXISTS = ["DBInstanceAlreadyExists", "DBInstanceAlreadyExistsFault"];
const CLUSTER_EXISTS = ["DBClusterAlreadyExists", "DBClusterAlreadyExistsFault"];

/** RDS states from which a DB instance or cluster does not become available by itself. */
export function dbStatusFailed(status: string): boolean {
  return ["failed", "restore-error", "storage-full", "deleting", "migration-failed"].includes(status) || status.startsWith("incompatible-") || status.startsWith("inaccessible-");
}

/** The writer of cluster `name`: `<name>-writer`, the name cut so the whole stays a DB identifier. */
export function writerIdentifier(name: string): string {
  return `${name.slice(0, DB_IDENTIFIER_MAX - WRITER_SUFFIX.length).replace(/-+$/, "")}${WRITER_SUFFIX}`;
}

function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw restoreStateIncompleteError(field);
  return value;
}

/** The name is held by a DB instance or cluster of another restore, or of none: the refusal says whose. */
function nameTaken(name: string, resource: string, held: RestoredDb | undefined): ReturnType<typeof restoreNameTakenError> {
  return restoreNameTakenError(name, resource, `${TAG_RESTORE_ID}=${held?.tags[TAG_RESTORE_ID] ?? "(none)"}`);
}

/**
 * Sends a create unless the name is held already: by this restore (a rerun: done) or by anything else (taken: refused
 * before any call names it, e.g. a name given that is the source's own). "Already exists" after the send (two sends at
 * once) is read the same way.
 */
async function createOnceByName(send: () => Promise<unknown>, exists: readonly string[], read: () => Promise<RestoredDb | undefined>, restoreId: string, name: string, resource: string): Promise<void> {
  const held = await read();
  if (held !== undefined) {
    if (!isRestoredBy(held, restoreId)) throw nameTaken(name, resource, held);
    return;
  }
  try {
    await send();
  } catch (error) {
    if (!exists.includes(errorName(error))) throw error;
    const there = await read();
    if (!isRestoredBy(there, restoreId)) throw nameTaken(name, resource, there);
  }
}

const network = (state: RestoreState) => ({ DBSubnetGroupName: required(state.dbSubnetGroup, "dbSubnetGroup"), VpcSecurityGroupIds: required(state.securityGroupIds, "securityGroupIds") });

async function startInstance(ctx: RestoreContext, state: RestoreState): Promise<RestoreState> {
  const rds = ctx.clients.rds;
  const facts = state.database ?? {};
  const command = new RestoreDBInstanceFromDBSnapshotCommand({
    DBInstanceIdentifier: state.name,
    DBSnapshotIdentifier: state.point.arn ?? state.point.id,
    DBInstanceClass: required(state.instanceClass, "instanceClass"),
    ...network(state),
    ...(facts.multiAz === undefined ? {} : { MultiAZ: facts.multiAz }),
    // Provisioned-IOPS types need Iops with them, which is not recorded: those keep the snapshot's storage and IOPS.
    ...(facts.storageType === undefined || !STORAGE_WITHOUT_IOPS.includes(facts.storageType) ? {} : { StorageType: facts.storageType }),
    // Without it RDS uses the engine's default port, not the source's.
    ...(facts.port === undefined ? {} : { Port: facts.port }),
    PubliclyAccessible: false,
    CopyTagsToSnapshot: false,
    // A restored copy is for a person to check and keep or delete: nothing stops its deletion.
    DeletionProtection: false,
    Tags: ctx.tags,
  });
  await createOnceByName(() => rds.send(command), INSTANCE_EXISTS, () => readDbInstance(rds, state.name), state.restoreId, state.name, "DB instance");
  return inProgress(withCreated(state, [{ type: "db-instance", id: state.name, state: "creating" }]), "db-instance", DB_RESTORE_POLL_SECONDS);
}

/** The writer is created only once the cluster is available: a writer name someone else holds is refused before the cluster is restored. */
async function refuseTakenWriter(rds: RestoreContext["clients"]["rds"], state: RestoreState): Promise<void> {
  const writer = writerIdentifier(state.name);
  const there = await readDbInstance(rds, writer);
  if (there !== undefined && !isRestoredBy(there, state.restoreId)) throw nameTaken(writer, "DB instance", there);
}

async function startCluster(ctx: RestoreContext, state: RestoreState): Promise<RestoreState> {
  const rds = ctx.clients.rds;
  const facts = state.database ?? {};
  await refuseTakenWriter(rds, state);
  const command = new RestoreDBClusterFromSnapshotCommand({
    DBClusterIdentifier: state.name,
    SnapshotIdentifier: state.point.arn ?? state.point.id,
    Engine: required(facts.engine, "database.engine"),
    ...(facts.engineVersion === undefined ? {} : { EngineVersion: facts.engineVersion }),
    ...network(state),
    ...(facts.port === undefined ? {} : { Port: facts.port }),
    CopyTagsToSnapshot: false,
    DeletionProtection: false,
    // No KmsKeyId: the cluster keeps the snapshot's encryption and key.
    Tags: ctx.tags,
  });
  await createOnceByName(() => rds.send(command), CLUSTER_EXISTS, () => readDbCluster(rds, state.name), state.restoreId, state.name, "DB cluster");
  return inProgress(withCreated(state, [{ type: "db-cluster", id: state.name, state: "creating" }]), "cluster", DB_RESTORE_POLL_SECONDS);
}

/** The cluster's writer, sent once the cluster is available (RDS adds instances only to an available cluster). */
async function createWriter(ctx: RestoreContext, state: RestoreState): Promise<RestoreState> {
  const rds = ctx.clients.rds;
  const writer = writerIdentifier(state.name);
  const command = new CreateDBInstanceCommand({
    DBInstanceIdentifier: writer,
    DBClusterIdentifier: state.name,
    DBInstanceClass: required(state.instanceClass, "instanceClass"),
    Engine: required(state.database?.engine, "database.engine"),
    PubliclyAccessible: false,
    Tags: ctx.tags,
  });
  await createOnceByName(() => rds.send(command), INSTANCE_EXISTS, () => readDbInstance(rds, writer), state.restoreId, writer, "DB instance");
  return inProgress(withCreated(state, [{ type: "db-instance", id: writer, state: "creating" }]), "writer", DB_RESTORE_POLL_SECONDS);
}

const asCreated = (type: string, db: RestoredDb) => ({ type, id: db.id, state: db.status });

async function pollInstance(ctx: RestoreContext, state: RestoreState): Promise<RestoreState> {
  const db = await readDbInstance(ctx.clients.rds, state.name);
  if (db === undefined) return inProgress(state, "db-instance", DB_RESTORE_POLL_SECONDS);
  const next = withCreated(state, [asCreated("db-instance", db)]);
  if (dbStatusFailed(db.status)) return failed(next, restoredResourceFailedError("DB instance", db.id, db.status));
  return db.status === "available" && db.endpoint !== undefined ? available(next, db.endpoint, ctx.now()) : inProgress(next, "db-instance", DB_RESTORE_POLL_SECONDS);
}

async function pollCluster(ctx: RestoreContext, state: RestoreState): Promise<RestoreState> {
  const rds = ctx.clients.rds;
  const cluster = await readDbCluster(rds, state.name);
  if (cluster === undefined) return inProgress(state, state.phase, DB_RESTORE_POLL_SECONDS);
  let next = withCreated(state, [asCreated("db-cluster", cluster)]);
  if (dbStatusFailed(cluster.status)) return failed(next, restoredResourceFailedError("DB cluster", cluster.id, cluster.status));
  if (cluster.status !== "available") return inProgress(next, state.phase, DB_RESTORE_POLL_SECONDS);
  if (state.phase === "cluster") return createWriter(ctx, next);
  const writer = await readDbInstance(rds, writerIdentifier(state.name));
  if (writer === undefined) return inProgress(next, "writer", DB_RESTORE_POLL_SECONDS);
  next = withCreated(next, [asCreated("db-instance", writer)]);
  if (dbStatusFailed(writer.status)) return failed(next, restoredResourceFailedError("DB instance", writer.id, writer.status));
  return writer.status === "available" && cluster.endpoint !== undefined ? available(next, cluster.endpoint, ctx.now()) : inProgress(next, "writer", DB_RESTORE_POLL_SECONDS);
}

const sameGroups = (db: RestoredDb, state: RestoreState) => (state.securityGroupIds ?? []).every((g) => db.securityGroupIds.includes(g));

async function validateInstance(ctx: RestoreContext, state: RestoreState): Promise<NonNullable<RestoreState["validation"]>> {
  const db = await readDbInstance(ctx.clients.rds, createdOf(state, "db-instance")?.id ?? state.name);
  if (db === undefined || !isRestoredBy(db, state.restoreId)) return validation([check(`DB instance ${state.name}`, false, "not found with the restore id")]);
  return validation([
    check(`${db.id} available`, db.status === "available", db.status),
    check(`${db.id} is ${String(state.instanceClass)}`, db.instanceClass === state.instanceClass, db.instanceClass),
    check(`${db.id} has an endpoint`, db.endpoint !== undefined, db.endpoint),
    check(`${db.id} in DB subnet group ${String(state.dbSubnetGroup)}`, db.subnetGroup === state.dbSubnetGroup, db.subnetGroup),
    check(`${db.id} in the security groups`, sameGroups(db, state), db.securityGroupIds.join(", ")),
  ]);
}

async function validateCluster(ctx: RestoreContext, state: RestoreState): Promise<NonNullable<RestoreState["validation"]>> {
  const rds = ctx.clients.rds;
  const cluster = await readDbCluster(rds, state.name);
  if (cluster === undefined || !isRestoredBy(cluster, state.restoreId)) return validation([check(`DB cluster ${state.name}`, false, "not found with the restore id")]);
  const writerId = writerIdentifier(state.name);
  const writer = await readDbInstance(rds, writerId);
  return validation([
    check(`${cluster.id} available`, cluster.status === "available", cluster.status),
    check(`${cluster.id} has an endpoint`, cluster.endpoint !== undefined, cluster.endpoint),
    check(`${cluster.id} in DB subnet group ${String(state.dbSubnetGroup)}`, cluster.subnetGroup === state.dbSubnetGroup, cluster.subnetGroup),
    check(`${cluster.id} in the security groups`, sameGroups(cluster, state), cluster.securityGroupIds.join(", ")),
    check(`${writerId} available`, writer?.status === "available", writer?.status ?? "not found"),
    check(`${writerId} is the cluster's writer`, cluster.writer === writerId, cluster.writer ?? "no writer"),
    check(`${writerId} is ${String(state.instanceClass)}`, writer?.instanceClass === state.instanceClass, writer?.instanceClass),
  ]);
}

/** What a DB restore lacks: the class, the network, and (a cluster) the engine, which RDS needs to restore one. */
function missingOf(name: DbKind): RestoreActions["missing"] {
  return (state) => [
    ...(state.instanceClass === undefined ? ["option:instanceClass"] : []),
    ...(name === "aurora" && state.database?.engine === undefined ? ["option:database.engine"] : []),
    ...(state.dbSubnetGroup === undefined ? ["network:dbSubnetGroup"] : []),
    ...((state.securityGroupIds ?? []).length === 0 ? ["network:securityGroupIds"] : []),
  ];
}

export function dbRestore(name: DbKind): RestoreActions {
  const clusters = name === "aurora";
  return {
    pollSeconds: DB_RESTORE_POLL_SECONDS,
    timeoutMinutes: DB_RESTORE_TIMEOUT_MINUTES,
    missing: missingOf(name),
    start: clusters ? startCluster : startInstance,
    poll: clusters ? pollCluster : pollInstance,
    validate: clusters ? validateCluster : validateInstance,
    findCreated: (clients, restoreId) => findDbCreated(clients.rds, restoreId, clusters),
  };
}

