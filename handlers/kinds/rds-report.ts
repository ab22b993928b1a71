// The report facet of the kinds on the RDS API: every DB instance the rds kind's backup would consider (not a DB
// cluster's members: clusterOf, the backup's own rule) or every DB cluster (aurora, as its backup lists them), with
// its selection tag, creation time and why the backup skips it when the database is at rest (stopped: the backup's own reason, skippedAtRest); and this stack's points (the restore facet's listing, with their encryption).
// RDS lists cannot filter on tags: every page is read. Read-only.
import { paginateDescribeDBClusters, paginateDescribeDBInstances, type RDSClient, type Tag as RdsTag } from "@aws-sdk/client-rds";
import { TAG_RESTORE_ID } from "../catalog";
import type { InventoryItem } from "../report/contract";
import { tagRecord } from "../lib/tags";
import { validDate } from "../lib/values";
import type { KindBase, ReportKind } from "./kind";
import type { DbKind } from "./rds-api";
import { clusterOf, dbClusterSkip, dbInstanceSkip, skippedAtRest } from "./rds-backup";
import { dbPoints } from "./rds-points";

function item(kind: DbKind, id: string, tagList: RdsTag[] | undefined, created: Date | undefined, skip: string | undefined, tagKey: string): InventoryItem {
  const tags = tagRecord(tagList);
  const at = validDate(created);
  const restoreId = tags[TAG_RESTORE_ID];
  return {
    kind,
    id,
    name: id,
    ...(Object.hasOwn(tags, tagKey) ? { selection: tags[tagKey] } : {}),
    ...(at === undefined ? {} : { createdAt: at.toISOString() }),
    ...(restoreId === undefined ? {} : { restoreId }),
    ...(skip === undefined ? {} : { skip }),
  };
}

/** The region's DB instances that are not members of a DB cluster (rds) or its DB clusters (aurora), sorted by identifier. */
export async function dbInventory(kind: DbKind, rds: RDSClient, tagKey: string): Promise<InventoryItem[]> {
  const items = new Map<string, InventoryItem>();
  if (kind === "rds") {
    for await (const page of paginateDescribeDBInstances({ client: rds, pageSize: 100 }, {})) {
      for (const db of page.DBInstances ?? []) {
        if (db.DBInstanceIdentifier !== undefined && clusterOf(db) === undefined) items.set(db.DBInstanceIdentifier, item(kind, db.DBInstanceIdentifier, db.TagList, db.InstanceCreateTime, skippedAtRest(db.DBInstanceStatus, dbInstanceSkip(db)), tagKey));
      }
    }
  } else {
    for await (const page of paginateDescribeDBClusters({ client: rds, pageSize: 100 }, {})) {
      for (const cluster of page.DBClusters ?? []) {
        if (cluster.DBClusterIdentifier !== undefined) items.set(cluster.DBClusterIdentifier, item(kind, cluster.DBClusterIdentifier, cluster.TagList, cluster.ClusterCreateTime, skippedAtRest(cluster.Status, dbClusterSkip(cluster)), tagKey));
      }
    }
  }
  return [...items.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** The report half of a kind on the RDS API (the facet without its base). */
export function dbReport(kind: DbKind): Omit<ReportKind, keyof KindBase> {
  const points = dbPoints(kind);
  return {
    inventory: (clients, tagKey) => dbInventory(kind, clients.rds, tagKey),
    listPoints: (clients, stackTag) => points.listPoints(clients, stackTag),
  };
}
