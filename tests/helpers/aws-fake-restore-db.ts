// Fake AWS actions a restore needs, RDS half: RestoreDBInstanceFromDBSnapshot, RestoreDBClusterFromSnapshot and
// CreateDBInstance with AWS's errors (identifier taken, snapshot not found or not available, unknown DB subnet group
// or security group, a cluster not available); DescribeDBInstances and DescribeDBClusters are the built-in ones, after
// which every restored resource they showed moves to its next state (aws-fake-restore.ts's progress).
import type { ActionContext, FakeAction } from "./aws-fake-extensions";
import { checkRdsTags, dbClusterXml, dbInstanceXml, RDS_IDENTIFIER, rdsAction } from "./aws-fake-rds";
import { advance, fakeRestoreNetwork, progressTo, setProgress } from "./aws-fake-restore-state";
import type { FakeDbCluster, FakeDbInstance, FakeDbSnapshot, RegionState } from "./aws-fake-state";
import { AwsFault, listParam, requireParam, tagsParam, type Params } from "./aws-wire";

const RDS_ARN = /^arn:aws[a-z-]*:rds:([a-z0-9-]+):(\d{12}):(snapshot|cluster-snapshot):(.+)$/;
const DEFAULT_PORTS: Record<string, number> = { postgres: 5432, "aurora-postgresql": 5432, mysql: 3306, "aurora-mysql": 3306, mariadb: 3306 };

/** DB instance and cluster identifiers: RDS's rules, at most 63 characters. */
function checkIdentifier(id: string, parameter: string): string {
  if (!RDS_IDENTIFIER.test(id) || id.endsWith("-") || id.length > 63) throw new AwsFault("InvalidParameterValue", 400, `Invalid ${parameter}: ${id} is not a valid identifier.`);
  return id.toLowerCase();
}

/** The snapshot an identifier or an ARN of this region names. */
function snapshotNamed(region: RegionState, text: string, table: Map<string, FakeDbSnapshot>, arnType: string, notFound: string, badState: string): FakeDbSnapshot {
  const arn = RDS_ARN.exec(text);
  const id = (arn ? arn[4] : text).toLowerCase();
  const snapshot = arn !== null && (arn[1] !== region.name || arn[3] !== arnType) ? undefined : table.get(id);
  if (snapshot === undefined) throw new AwsFault(notFound, 404, `Snapshot ${text} not found in ${region.name}.`);
  if (snapshot.status !== "available") throw new AwsFault(badState, 400, `Snapshot ${text} is in state ${snapshot.status}; only an available snapshot can be restored.`);
  return snapshot;
}

/** The DB subnet group and security groups, as RDS checks them. */
function placement(params: Params, region: RegionState): { subnetGroup?: string; securityGroupIds?: string[] } {
  const network = fakeRestoreNetwork(region.name);
  const subnetGroup = params.get("DBSubnetGroupName");
  if (subnetGroup !== undefined && subnetGroup !== network.dbSubnetGroup) throw new AwsFault("DBSubnetGroupNotFoundFault", 404, `DBSubnetGroup ${subnetGroup} not found.`);
  const groups = listParam(params, "VpcSecurityGroupIds").map((g) => g.get("") ?? "");
  const unknown = groups.find((g) => !network.securityGroupIds.includes(g));
  if (unknown !== undefined) throw new AwsFault("InvalidParameterValue", 400, `Invalid security group , groupId= ${unknown}, groupName=.`);
  return { ...(subnetGroup === undefined ? {} : { subnetGroup }), ...(groups.length === 0 ? {} : { securityGroupIds: groups }) };
}

function restoreDbInstance({ params, region }: ActionContext): string {
  const id = checkIdentifier(requireParam(params, "DBInstanceIdentifier"), "DBInstanceIdentifier");
  const snapshot = snapshotNamed(region, requireParam(params, "DBSnapshotIdentifier"), region.dbSnapshots, "snapshot", "DBSnapshotNotFound", "InvalidDBSnapshotState");
  if (region.dbInstances.has(id)) throw new AwsFault("DBInstanceAlreadyExists", 400, `DB instance already exists`);
  const where = placement(params, region);
  const tags = checkRdsTags(tagsParam(params, "Tags"));
  const source = region.dbInstances.get(snapshot.source);
  const engine = params.get("Engine") ?? source?.engine ?? "postgres";
  const db: FakeDbInstance = {
    id,
    status: "creating",
    engine,
    tags,
    engineVersion: source?.engineVersion ?? "16.4",
    instanceClass: params.get("DBInstanceClass") ?? source?.instanceClass ?? "db.m6g.large",
    port: Number(params.get("Port") ?? DEFAULT_PORTS[engine] ?? 5432),
    multiAz: params.get("MultiAZ") === "true",
    storageType: params.get("StorageType") ?? "gp2",
    deletionProtection: params.get("DeletionProtection") === "true",
    ...where,
  };
  region.dbInstances.set(id, db);
  setProgress(db, progressTo(region, "creating", "available"));
  return dbInstanceXml(region, db);
}

function restoreDbCluster({ params, region }: ActionContext): string {
  const id = checkIdentifier(requireParam(params, "DBClusterIdentifier"), "DBClusterIdentifier");
  const engine = requireParam(params, "Engine");
  snapshotNamed(region, requireParam(params, "SnapshotIdentifier"), region.dbClusterSnapshots, "cluster-snapshot", "DBClusterSnapshotNotFoundFault", "InvalidDBClusterSnapshotStateFault");
  if (region.dbClusters.has(id)) throw new AwsFault("DBClusterAlreadyExistsFault", 400, `DB Cluster already exists`);
  const where = placement(params, region);
  const cluster: FakeDbCluster = { id, status: "creating", engine, tags: checkRdsTags(tagsParam(params, "Tags")), engineVersion: params.get("EngineVersion") ?? "16.4", port: Number(params.get("Port") ?? DEFAULT_PORTS[engine] ?? 5432), deletionProtection: params.get("DeletionProtection") === "true", ...where };
  region.dbClusters.set(id, cluster);
  setProgress(cluster, progressTo(region, "creating", "available"));
  return dbClusterXml(region, cluster);
}

function createDbInstance({ params, region }: ActionContext): string {
  const id = checkIdentifier(requireParam(params, "DBInstanceIdentifier"), "DBInstanceIdentifier");
  const clusterId = params.get("DBClusterIdentifier");
  if (clusterId === undefined) throw new AwsFault("InvalidParameterValue", 400, "This fake creates only cluster members (DBClusterIdentifier).");
  const instanceClass = requireParam(params, "DBInstanceClass");
  const engine = requireParam(params, "Engine");
  const cluster = region.dbClusters.get(clusterId.toLowerCase());
  if (cluster === undefined) throw new AwsFault("DBClusterNotFoundFault", 404, `DBCluster ${clusterId} not found.`);
  if (region.dbInstances.has(id)) throw new AwsFault("DBInstanceAlreadyExists", 400, `DB instance already exists`);
  if (cluster.status !== "available") throw new AwsFault("InvalidDBClusterStateFault", 400, `DBCluster ${clusterId} is in state ${cluster.status}.`);
  if (engine !== cluster.engine) throw new AwsFault("InvalidParameterCombination", 400, `The engine ${engine} does not match the cluster's ${cluster.engine}.`);
  const writer = ![...region.dbInstances.values()].some((d) => d.clusterId === cluster.id && d.writer === true);
  const db: FakeDbInstance = { id, status: "creating", engine, clusterId: cluster.id, tags: checkRdsTags(tagsParam(params, "Tags")), engineVersion: cluster.engineVersion, instanceClass, port: cluster.port, multiAz: false, storageType: "aurora", deletionProtection: params.get("DeletionProtection") === "true", ...(writer ? { writer } : {}) };
  region.dbInstances.set(id, db);
  setProgress(db, progressTo(region, "creating", "available"));
  return dbInstanceXml(region, db);
}

/** The built-in listing, then each resource it showed moves on ("deleted": it is gone, as RDS no longer lists it). */
function describeThenAdvance(action: "DescribeDBInstances" | "DescribeDBClusters"): FakeAction {
  return ({ params, region, cap }) => {
    const xml = rdsAction(action, params, region, cap);
    const table: Map<string, FakeDbInstance | FakeDbCluster> = action === "DescribeDBInstances" ? region.dbInstances : region.dbClusters;
    const element = action === "DescribeDBInstances" ? "DBInstanceIdentifier" : "DBClusterIdentifier";
    for (const r of [...table.values()]) if (xml.includes(`<${element}>${r.id}</${element}>`)) advance(r, (s) => (s === "deleted" ? table.delete(r.id) : (r.status = s)));
    return xml;
  };
}

export const RESTORE_DB_ACTIONS: Record<string, FakeAction> = {
  RestoreDBInstanceFromDBSnapshot: restoreDbInstance,
  RestoreDBClusterFromSnapshot: restoreDbCluster,
  CreateDBInstance: createDbInstance,
  DescribeDBInstances: describeThenAdvance("DescribeDBInstances"),
  DescribeDBClusters: describeThenAdvance("DescribeDBClusters"),
};

