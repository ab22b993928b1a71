// Fake AWS actions a drill's cleanup needs: TerminateInstances and DeleteVolume (EC2), DeleteDBInstance and
// DeleteDBCluster (RDS), with AWS's rules and errors; DeregisterImage is the restore fake's. A deleted resource moves on
// like a created one (aws-fake-restore-state.ts): "shutting-down" or "deleting" for the region's number of describes,
// then terminated (its volumes released: aws-fake-restore.ts) or gone from every listing. The calls and their
// parameters are in FakeAws.calls (e.g. SkipFinalSnapshot).
import { regionImages } from "./aws-fake-cleanup";
import type { ActionContext, FakeActions } from "./aws-fake-extensions";
import { dbClusterXml, dbInstanceXml } from "./aws-fake-rds";
import { restoreTables } from "./aws-fake-restore";
import { progressTo, setProgress } from "./aws-fake-restore-state";
import type { FakeInstance, RegionState } from "./aws-fake-state";
import { AwsFault, el, leaf, listParam, requireParam, type Params } from "./aws-wire";

const STATE_CODES: Record<string, number> = { pending: 0, running: 16, "shutting-down": 32, terminated: 48, stopping: 64, stopped: 80 };
const stateXml = (name: string, state: string) => el(name, leaf("code", STATE_CODES[state]), leaf("name", state));

/** All or nothing, as EC2: an unknown id, or a protected instance, refuses the whole call. */
function terminateInstances({ params, region }: ActionContext): string {
  const ids = listParam(params, "InstanceId").map((r) => r.get("") ?? "");
  if (ids.length === 0) throw new AwsFault("MissingParameter", 400, "The request must contain the parameter InstanceId");
  const unknown = ids.find((id) => !region.instances.has(id));
  if (unknown !== undefined) throw new AwsFault("InvalidInstanceID.NotFound", 400, `The instance ID '${unknown}' does not exist`);
  const instances = ids.map((id) => region.instances.get(id)).filter((i): i is FakeInstance => i !== undefined);
  const protectedOne = instances.find((i) => i.terminationProtected === true && i.state !== "terminated");
  if (protectedOne !== undefined) throw new AwsFault("OperationNotPermitted", 400, `The instance '${protectedOne.id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`);
  const items = instances.map((i) => {
    const previous = i.state;
    if (i.state !== "terminated" && i.state !== "shutting-down") {
      i.state = "shutting-down";
      setProgress(i, progressTo(region, "shutting-down", "terminated"));
    }
    return el("item", leaf("instanceId", i.id), stateXml("currentState", i.state), stateXml("previousState", previous));
  });
  return el("instancesSet", ...items);
}

function deleteVolume({ params, region }: ActionContext): string {
  const id = requireParam(params, "VolumeId");
  const volume = restoreTables(region).volumes.get(id);
  if (volume === undefined) throw new AwsFault("InvalidVolume.NotFound", 400, `The volume '${id}' does not exist.`);
  if (volume.attachedTo !== undefined) throw new AwsFault("VolumeInUse", 400, `Volume ${id} is currently attached to ${volume.attachedTo.instanceId}`);
  if (!["available", "error"].includes(volume.state)) throw new AwsFault("IncorrectState", 400, `The volume '${id}' is '${volume.state}'`);
  volume.state = "deleting";
  setProgress(volume, progressTo(region, "deleting", "deleted"));
  return leaf("return", true) ?? "";
}

/** RDS's rules for the final snapshot: skip it, or name it (never both); an Aurora member's is the cluster's. */
function finalSnapshot(params: Params, member: boolean): string | undefined {
  const skip = params.get("SkipFinalSnapshot") === "true";
  const finalId = params.get("FinalDBSnapshotIdentifier") ?? params.get("FinalDBClusterSnapshotIdentifier");
  if (skip && finalId !== undefined) throw new AwsFault("InvalidParameterCombination", 400, "FinalDBSnapshotIdentifier can not be specified when SkipFinalSnapshot is enabled.");
  if (member && finalId !== undefined) throw new AwsFault("InvalidParameterCombination", 400, "A final snapshot of a DB cluster's instance cannot be taken: snapshot the cluster.");
  if (!skip && !member && finalId === undefined) throw new AwsFault("InvalidParameterCombination", 400, "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.");
  return finalId?.toLowerCase();
}

/** States RDS does not delete a DB instance in (this fake's choice: those a restore passes through before available). */
const INSTANCE_BUSY = ["creating", "modifying", "rebooting", "backing-up"];

function deleteDbInstance({ params, region }: ActionContext): string {
  const id = requireParam(params, "DBInstanceIdentifier").toLowerCase();
  const db = region.dbInstances.get(id);
  if (db === undefined) throw new AwsFault("DBInstanceNotFound", 404, `DBInstance ${id} not found.`);
  const finalId = finalSnapshot(params, db.clusterId !== undefined);
  if (db.deletionProtection === true) throw new AwsFault("InvalidParameterCombination", 400, "Cannot delete protected DB Instance, please disable deletion protection and try again.");
  if (db.status === "deleting") throw new AwsFault("InvalidDBInstanceState", 400, `Instance ${id} is already being deleted.`);
  if (INSTANCE_BUSY.includes(db.status)) throw new AwsFault("InvalidDBInstanceState", 400, `Instance ${id} is not in available state (${db.status}).`);
  if (finalId !== undefined) region.dbSnapshots.set(finalId, { id: finalId, source: id, status: "creating", tags: {} });
  db.status = "deleting";
  setProgress(db, progressTo(region, "deleting", "deleted"));
  return dbInstanceXml(region, db);
}

function deleteDbCluster({ params, region }: ActionContext): string {
  const id = requireParam(params, "DBClusterIdentifier").toLowerCase();
  const cluster = region.dbClusters.get(id);
  if (cluster === undefined) throw new AwsFault("DBClusterNotFoundFault", 404, `DBCluster ${id} not found.`);
  const finalId = finalSnapshot(params, false);
  if (cluster.deletionProtection === true) throw new AwsFault("InvalidParameterCombination", 400, "Cannot delete protected Cluster, please disable deletion protection and try again.");
  if (cluster.status === "deleting") throw new AwsFault("InvalidDBClusterStateFault", 400, `Cluster ${id} is already being deleted.`);
  if (cluster.status !== "available" && !cluster.status.startsWith("inaccessible") && cluster.status !== "failed") throw new AwsFault("InvalidDBClusterStateFault", 400, `DBCluster ${id} is in state ${cluster.status}.`);
  if ([...region.dbInstances.values()].some((d) => d.clusterId === id && d.status !== "deleting")) throw new AwsFault("InvalidDBClusterStateFault", 400, "Cluster cannot be deleted, it still contains DB instances in non-deleting state.");
  if (finalId !== undefined) region.dbClusterSnapshots.set(finalId, { id: finalId, source: id, status: "creating", tags: {} });
  cluster.status = "deleting";
  setProgress(cluster, progressTo(region, "deleting", "deleted"));
  return dbClusterXml(region, cluster);
}

export const DRILL_ACTIONS: FakeActions = {
  ec2: { TerminateInstances: terminateInstances, DeleteVolume: deleteVolume },
  rds: { DeleteDBInstance: deleteDbInstance, DeleteDBCluster: deleteDbCluster },
};

/** Every resource of the region's tables, by id: what a test compares before and after a cleanup. */
export function everything(region: RegionState): string[] {
  return [...region.instances.keys(), ...restoreTables(region).volumes.keys(), ...region.snapshots.keys(), ...region.dbInstances.keys(), ...region.dbClusters.keys(), ...region.dbSnapshots.keys(), ...region.dbClusterSnapshots.keys(), ...regionImages(region).keys()].sort();
}
