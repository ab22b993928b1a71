// Finds the RDS DB instances and Aurora clusters of a plan (RDS lists cannot filter on tags, so every page is read).
import { paginateDescribeDBClusters, paginateDescribeDBInstances, type RDSClient } from "@aws-sdk/client-rds";
import type { ResourceKind } from "../catalog";
import type { Selection, SourceOutcome } from "./types";

type TagList = { Key?: string; Value?: string }[] | undefined;

const tagged = (tags: TagList, key: string, value: string) => (tags ?? []).some((t) => t.Key === key && t.Value === value);

/** CreateDBSnapshot accepts only these DB instance states. */
const SNAPSHOTTABLE_INSTANCE = ["available", "storage-optimization"];

function skip(kind: ResourceKind, source: string, reason: string): SourceOutcome {
  return { kind, source, status: "skipped", snapshotIds: [], reason, durationMs: 0 };
}

/**
 * Tagged DB instances. Members of a DB cluster are skipped (the cluster snapshot covers them), and so is any
 * instance in a state CreateDBSnapshot refuses, each with the reason.
 */
export async function selectDbInstances(rds: RDSClient, tagKey: string, plan: string, clustersInPlan: boolean): Promise<Selection> {
  const selection: Selection = { sources: [], skipped: [] };
  for await (const page of paginateDescribeDBInstances({ client: rds, pageSize: 100 }, {})) {
    for (const db of page.DBInstances ?? []) {
      const id = db.DBInstanceIdentifier;
      if (id === undefined || !tagged(db.TagList, tagKey, plan)) continue;
      if (db.DBClusterIdentifier !== undefined) {
        const advice = clustersInPlan ? "the cluster snapshot covers it" : `add "aurora" to the plan's resources to back up the cluster`;
        selection.skipped.push(skip("rds", id, `member of DB cluster ${db.DBClusterIdentifier}; ${advice}`));
      } else if (!SNAPSHOTTABLE_INSTANCE.includes(db.DBInstanceStatus ?? "")) {
        selection.skipped.push(skip("rds", id, `status is "${db.DBInstanceStatus ?? "unknown"}"; RDS snapshots only available DB instances`));
      } else {
        selection.sources.push({ kind: "rds", id });
      }
    }
  }
  return selection;
}

/** Tagged DB clusters; one not "available" is skipped with its status, as CreateDBClusterSnapshot would refuse it. */
export async function selectDbClusters(rds: RDSClient, tagKey: string, plan: string): Promise<Selection> {
  const selection: Selection = { sources: [], skipped: [] };
  for await (const page of paginateDescribeDBClusters({ client: rds, pageSize: 100 }, {})) {
    for (const cluster of page.DBClusters ?? []) {
      const id = cluster.DBClusterIdentifier;
      if (id === undefined || !tagged(cluster.TagList, tagKey, plan)) continue;
      if (cluster.Status !== "available") {
        selection.skipped.push(skip("aurora", id, `status is "${cluster.Status ?? "unknown"}"; RDS snapshots only available DB clusters`));
      } else {
        selection.sources.push({ kind: "aurora", id });
      }
    }
  }
  return selection;
}
