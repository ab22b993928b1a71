// The rds kind: a DB instance, backed up as a manual DB snapshot (members of a DB cluster are the cluster's).
import { COPY_LIMITS } from "../catalog";
import type { Kind } from "./kind";
import { dbKind } from "./rds-kind";
import { selectDbInstances } from "./rds-backup";

/** AWS's limit per destination region: 20 DB snapshot copies in flight. */
export const rdsKind: Kind = dbKind("rds", selectDbInstances, COPY_LIMITS.rds);
