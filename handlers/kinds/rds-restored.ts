// What a DB restore created, read back: one DB instance or cluster by identifier (undefined while RDS does not show it
// yet), and everything tagged with a restore id (RDS lists cannot filter on tags: every page is read, TagList checked).
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, paginateDescribeDBClusters, paginateDescribeDBInstances, type DBCluster, type DBInstance, type RDSClient } from "@aws-sdk/client-rds";
import { TAG_RESTORE_ID } from "../catalog";
import { errorName } from "../lib/errors";
import { tagRecord, type Tags } from "../lib/tags";
import type { CreatedResource } from "../restore/contract";
import { restoredFrom } from "./restore-steps";

/** A DB instance or cluster as a restore reads it. */
export interface RestoredDb {
  id: string;
  status: string;
  tags: Tags;
  /** host:port, once RDS has one. */
  endpoint?: string;
  instanceClass?: string;
  clusterId?: string;
  subnetGroup?: string;
  securityGroupIds: string[];
  /** A cluster's writer instance, and every member instance. */
  writer?: string;
  members: string[];
  /** RDS refuses to delete it while on (a restore never turns it on). */
  deletionProtection: boolean;
}

export const INSTANCE_GONE = ["DBInstanceNotFound", "DBInstanceNotFoundFault"];
export const CLUSTER_GONE = ["DBClusterNotFound", "DBClusterNotFoundFault"];

/** The VPC security group ids RDS lists for an instance or a cluster. */
const groupIds = (groups: ReadonlyArray<{ VpcSecurityGroupId?: string }> | undefined) => (groups ?? []).flatMap((g) => (g.VpcSecurityGroupId === undefined ? [] : [g.VpcSecurityGroupId]));

const hostPort = (host: string | undefined, port: number | undefined) => (host === undefined ? undefined : `${host}:${String(port ?? "")}`);

function ofInstance(d: DBInstance): RestoredDb | undefined {
  if (d.DBInstanceIdentifier === undefined) return undefined;
  return {
    id: d.DBInstanceIdentifier,
    status: d.DBInstanceStatus ?? "",
    tags: tagRecord(d.TagList),
    endpoint: hostPort(d.Endpoint?.Address, d.Endpoint?.Port),
    instanceClass: d.DBInstanceClass,
    clusterId: d.DBClusterIdentifier,
    subnetGroup: d.DBSubnetGroup?.DBSubnetGroupName,
    securityGroupIds: groupIds(d.VpcSecurityGroups),
    members: [],
    deletionProtection: d.DeletionProtection ?? false,
  };
}

function ofCluster(c: DBCluster): RestoredDb | undefined {
  if (c.DBClusterIdentifier === undefined) return undefined;
  return {
    id: c.DBClusterIdentifier,
    status: c.Status ?? "",
    tags: tagRecord(c.TagList),
    endpoint: hostPort(c.Endpoint, c.Port),
    subnetGroup: c.DBSubnetGroup,
    securityGroupIds: groupIds(c.VpcSecurityGroups),
    writer: c.DBClusterMembers?.find((m) => m.IsClusterWriter === true)?.DBInstanceIdentifier,
    members: (c.DBClusterMembers ?? []).flatMap((m) => (m.DBInstanceIdentifier === undefined ? [] : [m.DBInstanceIdentifier])),
    deletionProtection: c.DeletionProtection ?? false,
  };
}

/** The DB instance `id`; undefined when RDS has none (yet). */
export async function readDbInstance(rds: RDSClient, id: string): Promise<RestoredDb | undefined> {
  try {
    const answer = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
    return (answer.DBInstances ?? []).map(ofInstance).find((d) => d?.id === id);
  } catch (error) {
    if (INSTANCE_GONE.includes(errorName(error))) return undefined;
    throw error;
  }
}

/** The DB cluster `id`; undefined when RDS has none (yet). */
export async function readDbCluster(rds: RDSClient, id: string): Promise<RestoredDb | undefined> {
  try {
    const answer = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }));
    return (answer.DBClusters ?? []).map(ofCluster).find((c) => c?.id === id);
  } catch (error) {
    if (CLUSTER_GONE.includes(errorName(error))) return undefined;
    throw error;
  }
}

/** Whether the resource carries this restore's id. */
export const isRestoredBy = (db: RestoredDb | undefined, restoreId: string): boolean => db?.tags[TAG_RESTORE_ID] === restoreId;

/** The region's DB clusters tagged with the restore id (every page read). */
export async function restoredDbClusters(rds: RDSClient, restoreId: string): Promise<RestoredDb[]> {
  const found: RestoredDb[] = [];
  for await (const page of paginateDescribeDBClusters({ client: rds, pageSize: 100 }, {})) {
    for (const c of (page.DBClusters ?? []).map(ofCluster)) if (c !== undefined && isRestoredBy(c, restoreId)) found.push(c);
  }
  return found;
}

/** The region's DB instances tagged with the restore id: those inside a cluster when `clusters`, else those outside one. */
export async function restoredDbInstances(rds: RDSClient, restoreId: string, clusters: boolean): Promise<RestoredDb[]> {
  const found: RestoredDb[] = [];
  for await (const page of paginateDescribeDBInstances({ client: rds, pageSize: 100 }, {})) {
    for (const d of (page.DBInstances ?? []).map(ofInstance)) if (d !== undefined && isRestoredBy(d, restoreId) && (d.clusterId !== undefined) === clusters) found.push(d);
  }
  return found;
}

/**
 * Everything tagged with the restore id: clusters too when `clusters`; DB instances outside a cluster, or with
 * `clusters` only those inside one (so the two kinds never both report one writer).
 */
export async function findDbCreated(rds: RDSClient, restoreId: string, clusters: boolean): Promise<CreatedResource[]> {
  const found = [...(clusters ? await restoredDbClusters(rds, restoreId) : []).map((c) => ({ type: "db-cluster", db: c })), ...(await restoredDbInstances(rds, restoreId, clusters)).map((d) => ({ type: "db-instance", db: d }))];
  return found.map(({ type, db }) => ({ type, id: db.id, state: db.status, ...restoredFrom(db.tags) }));
}
