// RDS backups: a DB snapshot per DB instance, a cluster snapshot per Aurora cluster, catalog tags set at creation.
import { CreateDBClusterSnapshotCommand, CreateDBSnapshotCommand, type RDSClient } from "@aws-sdk/client-rds";
import { catalogTags, rdsSnapshotIdentifier } from "./catalog-tags";
import type { BackupRun } from "./types";

/** Creates the DB snapshot; returns its identifier. A rerun fails with DBSnapshotAlreadyExists(Fault). */
export async function snapshotDbInstance(rds: RDSClient, run: BackupRun, dbInstanceId: string): Promise<string> {
  const identifier = rdsSnapshotIdentifier(run, "rds", dbInstanceId);
  const result = await rds.send(
    new CreateDBSnapshotCommand({ DBSnapshotIdentifier: identifier, DBInstanceIdentifier: dbInstanceId, Tags: catalogTags(run, dbInstanceId) }),
  );
  return result.DBSnapshot?.DBSnapshotIdentifier ?? identifier;
}

/** Creates the cluster snapshot; returns its identifier. A rerun fails with DBClusterSnapshotAlreadyExistsFault. */
export async function snapshotDbCluster(rds: RDSClient, run: BackupRun, clusterId: string): Promise<string> {
  const identifier = rdsSnapshotIdentifier(run, "aurora", clusterId);
  const result = await rds.send(
    new CreateDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: identifier, DBClusterIdentifier: clusterId, Tags: catalogTags(run, clusterId) }),
  );
  return result.DBClusterSnapshot?.DBClusterSnapshotIdentifier ?? identifier;
}
