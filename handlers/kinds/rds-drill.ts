// The drill cleanup of the kinds on the RDS API: deletes what a drill's restore made in the region, without a final
// snapshot (a drill's restore is a copy of a recovery point: a final snapshot would only be one more snapshot to pay
// for). rds: DeleteDBInstance with SkipFinalSnapshot and DeleteAutomatedBackups. aurora: the cluster's instances that
// carry the tags first, then DeleteDBCluster with SkipFinalSnapshot once it has no members. Each resource is found by
// the restore-id tag, read again by its identifier just before its delete call, and deleted only when those tags name
// this restore, this drill and this stack; one with deletion protection on is refused (a restore never turns it on,
// and cleanup never turns it off). Never waits: "deleting" is what remains; not found is gone (a rerun after a lost
// answer carries on).
import { DeleteDBClusterCommand, DeleteDBInstanceCommand, type RDSClient } from "@aws-sdk/client-rds";
import { errorName } from "../lib/errors";
import type { CreatedResource } from "../restore/contract";
import { checkCleanup, deletionLog, eachInTurn, notThisDrills, type DeletionLog } from "./drill-guard";
import type { DrillCleanupContext, DrillDeletion, DrillKind, KindBase } from "./kind";
import type { DbKind } from "./rds-api";
import { CLUSTER_GONE, INSTANCE_GONE, readDbCluster, readDbInstance, restoredDbClusters, restoredDbInstances, type RestoredDb } from "./rds-restored";
import { restoredFrom } from "./restore-steps";

/** Seconds between cleanup calls while a DB instance or cluster is being deleted. */
export const DB_DELETE_POLL_SECONDS = 60;
/** Minutes until cleanup reports what remains: a DB instance; a cluster's writer, then the cluster. */
export const DB_DELETE_TIMEOUT_MINUTES: Readonly<Record<DbKind, number>> = { rds: 20, aurora: 30 };

/** RDS will not delete it in its state now (e.g. still creating, or a cluster with members): the next call tries again. */
const INSTANCE_BUSY = ["InvalidDBInstanceState", "InvalidDBInstanceStateFault"];
const CLUSTER_BUSY = ["InvalidDBClusterStateFault", "InvalidDBClusterState"];
/** What RDS answers a delete of a resource with deletion protection on (turned on after it was read). */
const PROTECTED = ["InvalidParameterCombination"];
const PROTECTED_REASON = "deletion protection is on; a drill's restore never turns it on and cleanup does not turn it off";

const asResource = (type: string, db: RestoredDb): CreatedResource => ({ type, id: db.id, state: db.status, ...restoredFrom(db.tags) });

/** The DB instance or cluster as read now, judged: undefined when it is gone, refused or being deleted (logged so). */
function deletable(type: string, found: RestoredDb, now: RestoredDb | undefined, ctx: DrillCleanupContext, restoreId: string, log: DeletionLog): RestoredDb | undefined {
  if (now === undefined) {
    log.gone({ ...asResource(type, found), state: "deleted" });
    return undefined;
  }
  const item = asResource(type, now);
  const why = notThisDrills(now.tags, ctx, restoreId) ?? (now.deletionProtection ? PROTECTED_REASON : undefined);
  if (why !== undefined) log.refused(item, why);
  else if (now.status === "deleting") log.deleting(item);
  else return now;
  return undefined;
}

/** Deletes one DB instance; a cluster's member keeps its automated backups with the cluster (they are the cluster's). */
async function deleteInstance(rds: RDSClient, ctx: DrillCleanupContext, restoreId: string, found: RestoredDb, log: DeletionLog): Promise<void> {
  const db = deletable("db-instance", found, await readDbInstance(rds, found.id), ctx, restoreId, log);
  if (db === undefined) return;
  const item = asResource("db-instance", db);
  try {
    const answer = await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: db.id, SkipFinalSnapshot: true, ...(db.clusterId === undefined ? { DeleteAutomatedBackups: true } : {}) }));
    log.deleting({ ...item, state: answer.DBInstance?.DBInstanceStatus ?? "deleting" });
  } catch (error) {
    const name = errorName(error);
    if (INSTANCE_GONE.includes(name)) log.gone({ ...item, state: "deleted" });
    else if (INSTANCE_BUSY.includes(name)) log.waiting(item);
    else if (PROTECTED.includes(name)) log.refused(item, `${PROTECTED_REASON} (${name})`);
    else throw error;
  }
}

/** Deletes one cluster once it has no members; a member that is not this drill's restore's keeps it (refused). */
async function deleteCluster(rds: RDSClient, ctx: DrillCleanupContext, restoreId: string, found: RestoredDb, ours: ReadonlySet<string>, log: DeletionLog): Promise<void> {
  const cluster = deletable("db-cluster", found, await readDbCluster(rds, found.id), ctx, restoreId, log);
  if (cluster === undefined) return;
  const item = asResource("db-cluster", cluster);
  const foreign = cluster.members.filter((m) => !ours.has(m));
  if (foreign.length > 0) return log.refused(item, `it has members that are not this drill's restore's (${foreign.join(", ")}): never deleted by cleanup`);
  if (cluster.members.length > 0) return log.waiting(item);
  try {
    const answer = await rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: cluster.id, SkipFinalSnapshot: true, DeleteAutomatedBackups: true }));
    log.deleting({ ...item, state: answer.DBCluster?.Status ?? "deleting" });
  } catch (error) {
    const name = errorName(error);
    if (CLUSTER_GONE.includes(name)) log.gone({ ...item, state: "deleted" });
    else if (CLUSTER_BUSY.includes(name)) log.waiting(item);
    else if (PROTECTED.includes(name)) log.refused(item, `${PROTECTED_REASON} (${name})`);
    else throw error;
  }
}

function deleteRestored(name: DbKind): DrillKind["deleteRestored"] {
  const clusters = name === "aurora";
  return async (ctx, restoreId): Promise<DrillDeletion> => {
    checkCleanup(ctx, restoreId);
    const rds = ctx.clients.rds;
    const log = deletionLog();
    const [instances, tagged] = await Promise.all([restoredDbInstances(rds, restoreId, clusters), clusters ? restoredDbClusters(rds, restoreId) : Promise.resolve([])]);
    const cleanClusters = () => {
      // The members this cleanup deletes (not refused): a cluster waits for them, and is refused for any other.
      const refused = new Set(log.result.refused.map((r) => r.id));
      const ours = new Set(instances.map((d) => d.id).filter((id) => !refused.has(id)));
      return eachInTurn(tagged, (c) => deleteCluster(rds, ctx, restoreId, c, ours, log));
    };
    const steps = [() => eachInTurn(instances, (d) => deleteInstance(rds, ctx, restoreId, d, log)), cleanClusters];
    await eachInTurn(steps, (step) => step());
    return log.result;
  };
}

/** The drill facet's actions of a kind on the RDS API. */
export function dbDrill(name: DbKind): Omit<DrillKind, keyof KindBase> {
  return { deleteRestored: deleteRestored(name), deletePollSeconds: DB_DELETE_POLL_SECONDS, deleteTimeoutMinutes: DB_DELETE_TIMEOUT_MINUTES[name] };
}
