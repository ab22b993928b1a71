// The aurora kind: a DB cluster, backed up as a manual DB cluster snapshot; an unencrypted one is copied unencrypted.
import { COPY_LIMITS } from "../catalog";
import type { Kind } from "./kind";
import { dbKind } from "./rds-kind";
import { selectDbClusters } from "./rds-backup";

/** Cluster snapshot copies take longer and share the RDS copy limit: treated as 5 in flight. */
export const auroraKind: Kind = dbKind("aurora", selectDbClusters, COPY_LIMITS.aurora);
