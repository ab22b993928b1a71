// RDS backups, for the rds (DB instance) and aurora (DB cluster) kinds: the plan's databases (RDS lists cannot filter
// on tags, so every page is read), a snapshot per database with catalog tags set at creation, and, when RDS says the
// derived identifier is taken, whether the snapshot there is this very backup.
import {
  CreateDBClusterSnapshotCommand,
  CreateDBSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBSnapshotsCommand,
  paginateDescribeDBClusters,
  paginateDescribeDBInstances,
  type DBCluster,
  type DBInstance,
  type RDSClient,
} from "@aws-sdk/client-rds";
import type { BackupRun, Selection, Source, SourceOutcome } from "../backup/types";
import { TAG_PLAN, TAG_RUN, TAG_SOURCE, TAG_STACK } from "../catalog";
import { catalogTags, restoreFactTags, type DatabaseFacts, type RestoreFacts } from "../lib/catalog-record";
import { describeError, errorName, snapshotIdentifierTakenError } from "../lib/errors";
import { hasTag, type TagList } from "../lib/tags";
import type { BackupContext, BackupFields, SelectContext } from "./kind";
import { DB_SNAPSHOT_EXISTS_ERRORS, type DbKind } from "./rds-api";
import { rdsSnapshotIdentifier } from "./rds-identifier";

/** The source was deleted after it was listed (SDK class names and RDS wire codes both). */
export const DB_SOURCE_GONE = ["DBInstanceNotFoundFault", "DBInstanceNotFound", "DBClusterNotFoundFault"];
/** CreateDBSnapshot accepts only these DB instance states. */
const SNAPSHOTTABLE_INSTANCE = ["available", "storage-optimization"];

function skip(kind: DbKind, source: string, reason: string): SourceOutcome {
  return { kind, source, status: "skipped", snapshotIds: [], reason, durationMs: 0 };
}

/**
 * The DB cluster the instance is a member of, or undefined for a DB instance of its own: a member is never the rds
 * kind's source (the cluster's snapshot covers it; the aurora kind). The one definition backup and report share.
 */
export function clusterOf(db: Pick<DBInstance, "DBClusterIdentifier">): string | undefined {
  return db.DBClusterIdentifier === undefined || db.DBClusterIdentifier === "" ? undefined : db.DBClusterIdentifier;
}

/** Why the backup skips a DB instance of its own (a state CreateDBSnapshot refuses), or undefined: backup and report share it. */
export function dbInstanceSkip(db: Pick<DBInstance, "DBInstanceStatus">): string | undefined {
  return SNAPSHOTTABLE_INSTANCE.includes(db.DBInstanceStatus ?? "") ? undefined : `status is "${db.DBInstanceStatus ?? "unknown"}"; RDS snapshots only available DB instances`;
}

/** Why the backup skips a DB cluster (not "available": CreateDBClusterSnapshot would refuse it), or undefined. */
export function dbClusterSkip(cluster: Pick<DBCluster, "Status">): string | undefined {
  return cluster.Status === "available" ? undefined : `status is "${cluster.Status ?? "unknown"}"; RDS snapshots only available DB clusters`;
}

/**
 * Database states held on purpose, in which the data cannot change: stopped, and the moves into and out of it. A backup
 * skipped in one of these is not a missed one (the report's "skipped-by-backup": `reason` when `status` is one, else
 * undefined); a backup skipped in any other state (storage-full, failed, incompatible-..., inaccessible-encryption-
 * credentials) is missed, and the report judges the source by its newest point's age like any other.
 */
const AT_REST = ["stopped", "stopping", "starting"];
export function skippedAtRest(status: string | undefined, reason: string | undefined): string | undefined {
  return reason !== undefined && AT_REST.includes(status ?? "") ? reason : undefined;
}

/**
 * Tagged DB instances. Members of a DB cluster are skipped (the cluster snapshot covers them), and so is any
 * instance in a state CreateDBSnapshot refuses, each with the reason.
 */
export async function selectDbInstances(ctx: SelectContext): Promise<Selection> {
  const selection: Selection = { sources: [], skipped: [] };
  const clustersInPlan = ctx.resources.includes("aurora");
  for await (const page of paginateDescribeDBInstances({ client: ctx.clients.rds, pageSize: 100 }, {})) {
    for (const db of page.DBInstances ?? []) {
      const id = db.DBInstanceIdentifier;
      if (id === undefined || !hasTag(db.TagList, ctx.tagKey, ctx.plan)) continue;
      const cluster = clusterOf(db);
      const reason = dbInstanceSkip(db);
      if (cluster !== undefined) {
        const advice = clustersInPlan ? "the cluster snapshot covers it" : `add "aurora" to the plan's resources to back up the cluster`;
        selection.skipped.push(skip("rds", id, `member of DB cluster ${cluster}; ${advice}`));
      } else if (reason !== undefined) {
        selection.skipped.push(skip("rds", id, reason));
      } else {
        selection.sources.push({ kind: "rds", id, facts: { database: dbInstanceFacts(db) } });
      }
    }
  }
  return selection;
}

/** Tagged DB clusters; one not "available" is skipped with its status, as CreateDBClusterSnapshot would refuse it. */
export async function selectDbClusters(ctx: SelectContext): Promise<Selection> {
  const selection: Selection = { sources: [], skipped: [] };
  const writers = new Map<string, string>();
  for await (const page of paginateDescribeDBClusters({ client: ctx.clients.rds, pageSize: 100 }, {})) {
    for (const cluster of page.DBClusters ?? []) {
      const id = cluster.DBClusterIdentifier;
      if (id === undefined || !hasTag(cluster.TagList, ctx.tagKey, ctx.plan)) continue;
      const reason = dbClusterSkip(cluster);
      if (reason !== undefined) {
        selection.skipped.push(skip("aurora", id, reason));
      } else {
        const writer = cluster.DBClusterMembers?.find((m) => m.IsClusterWriter === true)?.DBInstanceIdentifier;
        if (writer !== undefined) writers.set(id, writer);
        selection.sources.push({ kind: "aurora", id, facts: { database: dbClusterFacts(cluster) } });
      }
    }
  }
  const classes = writers.size === 0 ? new Map<string, string>() : await instanceClasses(ctx.clients.rds);
  for (const source of selection.sources) {
    const instanceClass = classes.get(writers.get(source.id) ?? "");
    if (instanceClass !== undefined && source.facts?.database !== undefined) source.facts = { database: { ...source.facts.database, instanceClass } };
  }
  return selection;
}

/** A DB instance's restore facts, from its listing. The port is the endpoint's (DbInstancePort is 0 outside clusters). */
function dbInstanceFacts(db: DBInstance): DatabaseFacts {
  return { engine: db.Engine, engineVersion: db.EngineVersion, instanceClass: db.DBInstanceClass, port: db.Endpoint?.Port, multiAz: db.MultiAZ, storageType: db.StorageType };
}

/** A DB cluster's restore facts, from its listing; the writer's instance class is added from the instances' listing. */
function dbClusterFacts(cluster: DBCluster): DatabaseFacts {
  return { engine: cluster.Engine, engineVersion: cluster.EngineVersion, port: cluster.Port };
}

/**
 * Each DB instance's class, by identifier: one listing of every page for all clusters of the plan (RDS filters
 * cannot select several clusters' writers, and a call per cluster would grow with the fleet).
 */
async function instanceClasses(rds: RDSClient): Promise<Map<string, string>> {
  const classes = new Map<string, string>();
  for await (const page of paginateDescribeDBInstances({ client: rds, pageSize: 100 }, {})) {
    for (const db of page.DBInstances ?? []) {
      if (db.DBInstanceIdentifier !== undefined && db.DBInstanceClass !== undefined) classes.set(db.DBInstanceIdentifier, db.DBInstanceClass);
    }
  }
  return classes;
}

/**
 * Creates the snapshot of the database under the identifier derived from the run. When the identifier is taken, the
 * backup is done only if the snapshot there carries this run's tags; otherwise the source fails visibly.
 */
export async function backupDb(kind: DbKind, ctx: BackupContext, source: Source): Promise<BackupFields> {
  try {
    return { status: "created", snapshotIds: [await createDbSnapshot(ctx.clients.rds, ctx.run, kind, source.id, source.facts)] };
  } catch (error) {
    if (!DB_SNAPSHOT_EXISTS_ERRORS.includes(errorName(error))) throw error;
    try {
      const identifier = await confirmOwnDbSnapshot(ctx.clients.rds, ctx.run, kind, source.id, rdsSnapshotIdentifier(ctx.run, kind, source.id));
      return { status: "skipped", snapshotIds: [identifier], reason: "already exists" };
    } catch (confirming) {
      return { status: "failed", snapshotIds: [], error: describeError(confirming) };
    }
  }
}

/** Creates the DB (cluster) snapshot; returns its identifier. A rerun fails with DB(Cluster)SnapshotAlreadyExists(Fault). */
export async function createDbSnapshot(rds: RDSClient, run: BackupRun, kind: DbKind, sourceId: string, facts?: RestoreFacts): Promise<string> {
  const identifier = rdsSnapshotIdentifier(run, kind, sourceId);
  const tags = [...catalogTags(run, sourceId), ...restoreFactTags(facts)];
  if (kind === "rds") {
    const result = await rds.send(new CreateDBSnapshotCommand({ DBSnapshotIdentifier: identifier, DBInstanceIdentifier: sourceId, Tags: tags }));
    return result.DBSnapshot?.DBSnapshotIdentifier ?? identifier;
  }
  const result = await rds.send(new CreateDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: identifier, DBClusterIdentifier: sourceId, Tags: tags }));
  return result.DBClusterSnapshot?.DBClusterSnapshotIdentifier ?? identifier;
}

/**
 * Returns the identifier when the snapshot under it carries this run's stack, plan, source and run tags (a rerun
 * or a concurrent delivery made it); throws snapshotIdentifierTakenError otherwise, so the source fails visibly
 * instead of being reported as backed up by someone else's snapshot.
 */
export async function confirmOwnDbSnapshot(rds: RDSClient, run: BackupRun, kind: DbKind, source: string, identifier: string): Promise<string> {
  const tags = await tagsOf(rds, kind, identifier);
  const expected: Record<string, string> = { [TAG_STACK]: run.stackTag, [TAG_PLAN]: run.plan, [TAG_SOURCE]: source, [TAG_RUN]: run.runId };
  const found = Object.fromEntries((tags ?? []).flatMap((t) => (t.Key === undefined ? [] : [[t.Key, t.Value ?? ""]])));
  const differing = Object.keys(expected).filter((key) => found[key] !== expected[key]);
  if (tags !== undefined && differing.length === 0) return identifier;
  const seen = tags === undefined ? "it could not be read back" : differing.map((key) => `${key}=${JSON.stringify(found[key] ?? null)}`).join(", ");
  throw snapshotIdentifierTakenError(identifier, `expected ${run.runId} of ${run.stackTag} for ${source}; ${seen}`);
}

/** The snapshot's tags (one identifier: a single page), or undefined when it is not found. */
async function tagsOf(rds: RDSClient, kind: DbKind, identifier: string): Promise<TagList | undefined> {
  if (kind === "rds") {
    const result = await rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: identifier }));
    const found = result.DBSnapshots?.find((s) => s.DBSnapshotIdentifier === identifier);
    return found && (found.TagList ?? []);
  }
  const result = await rds.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: identifier }));
  const found = result.DBClusterSnapshots?.find((s) => s.DBClusterSnapshotIdentifier === identifier);
  return found && (found.TagList ?? []);
}
