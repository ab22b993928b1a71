// The aurora kind: a DB cluster, backed up as a manual DB cluster snapshot; an unencrypted one is copied unencrypted.
import type { Kind } from "./kind";
import { dbKind } from "./rds-kind";
import { selectDbClusters } from "./rds-backup";

/** Cluster snapshot copies take longer and share the RDS copy limit: treated as 5 in flight. */
export const auroraKind: Kind = dbKind("aurora", selectDbClusters, { setting: "BACKUP_DR_MAX_CLUSTER_COPIES", defaultValue: 5 });
