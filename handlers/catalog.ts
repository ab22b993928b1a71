// The backup catalog is the tags: the names every backup and copy carries (a contract, see docs/backup.md).
// Shared by the infrastructure (default tags, IAM conditions) and the handlers (what they write and read).

import type { IntRange } from "./lib/shared-settings";
import { RESOURCE_KINDS, type ResourceKind } from "../policies/lib/plan-contract";

export const TAG_STACK = "backup-dr:stack";
export const TAG_PLAN = "backup-dr:plan";
export const TAG_SOURCE = "backup-dr:source";
export const TAG_RUN = "backup-dr:run";
export const TAG_TIER = "backup-dr:tier";
export const TAG_EXPIRES = "backup-dr:expires";
export const TAG_COPY_OF = "backup-dr:copy-of";
/**
 * When the recovery point's data was taken (ISO instant): on a backup, AWS's creation time; on a DR copy, the source
 * snapshot's creation time as AWS reported it when the copy was made. "Newest" and "age" always mean this.
 */
export const TAG_TAKEN = "backup-dr:taken";
/** On every snapshot of an EC2 backup set: how many volume snapshots the set had when it was created. */
export const TAG_SET_SIZE = "backup-dr:set-size";

/**
 * Restore facts: what a restore needs about the source that the snapshot does not hold, recorded at backup time and
 * carried to the DR copy. Each is one tag of `key=value` pairs separated by spaces (RDS tag values allow only letters,
 * digits, spaces and `_.:/=+-@`, so no JSON); encoded by handlers/lib/restore-facts.ts, read through catalog-record.ts. Recovery points
 * made before they were recorded lack them (read as absent).
 * - `backup-dr:instance` (every snapshot of an EC2 set): instance type, architecture, root device name, boot mode,
 *   virtualization type, availability zone.
 * - `backup-dr:network` (every snapshot of an EC2 set): the subnet and security groups, a hint for the same region.
 * - `backup-dr:volume` (each EC2 volume snapshot, tagged just after the set is created): its device name and whether
 *   it is the root device.
 * - `backup-dr:database` (RDS and Aurora): engine, engine version, instance class (Aurora: the writer's), port; RDS
 *   also Multi-AZ and storage type.
 */
export const TAG_INSTANCE_FACTS = "backup-dr:instance";
export const TAG_NETWORK_HINT = "backup-dr:network";
export const TAG_VOLUME_FACTS = "backup-dr:volume";
export const TAG_DATABASE_FACTS = "backup-dr:database";
/** Every restore-fact tag: the copy function carries them to the DR copy. */
export const RESTORE_FACT_TAGS = [TAG_INSTANCE_FACTS, TAG_NETWORK_HINT, TAG_VOLUME_FACTS, TAG_DATABASE_FACTS] as const;

/**
 * The most tags the stack itself puts on a backup or a DR copy: the catalog (stack, plan, source, run, tier, expires,
 * set-size; on a copy also taken and copy-of) and the restore facts (at most 3 on a snapshot). An EBS snapshot also
 * gets its volume's own tags (CreateSnapshots copies them), so a volume may carry at most 50 minus this many.
 */
export const MAX_STACK_SNAPSHOT_TAGS = 12;

/**
 * On every resource a restore creates (volumes, images, instances, DB instances and clusters): the restore's id (its
 * execution name), the source it restores, and the recovery point (snapshot id or identifier) it was made from. The
 * restore role may create only with these tags (IAM request-tag conditions) and delete only images carrying them.
 */
export const TAG_RESTORE_ID = "backup-dr:restore-id";
export const TAG_RESTORE_OF = "backup-dr:restore-of";
export const TAG_RESTORED_FROM = "backup-dr:restored-from";
/**
 * On every resource a DR drill's restore creates, beside the restore tags: the drill's id (its execution name). The
 * drill's cleanup deletes only resources carrying it with this drill's value and this stack's tag; its role may delete
 * only resources carrying it (IAM resource-tag conditions).
 */
export const TAG_DRILL_ID = "backup-dr:drill-id";

/** On a replica vault: the protected bucket it receives replicas of. */
export const TAG_REPLICA_OF = "backup-dr:replica-of";

/** Every RDS and Aurora snapshot identifier the stack derives starts with this (IAM scopes to it). */
export const RDS_SNAPSHOT_PREFIX = "bdr-";

/** The default tag every resource the stack creates carries, beside `backup-dr:stack`. */
export const TAG_ENVIRONMENT = "environment";

/**
 * The resource kinds a plan names in `resources` and the retention tiers, shortest first: defined once by the plan
 * contract (policies/lib/plan-contract.ts, which the self-contained pack carries). `handlers/kinds/registry.ts` maps
 * each kind name to the module that owns everything kind-specific.
 * ec2 = an instance (all its EBS volumes), rds = a DB instance, aurora = a DB cluster.
 */
export { RESOURCE_KINDS, TIERS, type ResourceKind, type Tier } from "../policies/lib/plan-contract";

/** What a kind's snapshots are called in the copy and cleanup manifests, logs and metrics. */
export const SNAPSHOT_KIND_OF = { ec2: "ebs", rds: "rds", aurora: "aurora" } as const satisfies Record<ResourceKind, string>;
/** ebs = an EBS snapshot (one volume of an instance backup), rds = a DB snapshot, aurora = a DB cluster snapshot. */
export type SnapshotKind = (typeof SNAPSHOT_KIND_OF)[ResourceKind];
export const SNAPSHOT_KINDS: readonly SnapshotKind[] = RESOURCE_KINDS.map((kind) => SNAPSHOT_KIND_OF[kind]);

/**
 * Copies in flight per DR region, per snapshot kind: the key of backup-dr:copy, the copy function's variable, and its
 * default and range (config and the function take the same). EBS's "Concurrent snapshot copies per destination Region"
 * is 20 and not adjustable (AWS's EBS quotas page); RDS allows 20 copies in
 * progress per destination region; Aurora cluster copies are held to 5.
 */
export const COPY_LIMITS = {
  ebs: { key: "maxEbsCopies", setting: "BACKUP_DR_MAX_EBS_COPIES", fallback: 20, min: 1, max: 20 },
  rds: { key: "maxRdsCopies", setting: "BACKUP_DR_MAX_RDS_COPIES", fallback: 20, min: 1, max: 20 },
  aurora: { key: "maxClusterCopies", setting: "BACKUP_DR_MAX_CLUSTER_COPIES", fallback: 5, min: 1, max: 5 },
} as const satisfies Record<SnapshotKind, CopyLimit>;

/** One kind's in-flight copy limit (COPY_LIMITS). */
export interface CopyLimit extends IntRange {
  /** The key of backup-dr:copy. */
  key: string;
  /** The copy function's environment variable. */
  setting: string;
}

/** Snapshot kinds whose manual snapshots count against a per-region quota (100 each): cleanup counts them, infra alarms. */
export const QUOTA_KINDS = ["rds", "aurora"] as const satisfies readonly SnapshotKind[];
export type QuotaKind = (typeof QUOTA_KINDS)[number];

/** The value of `backup-dr:stack`: `<pulumi project>/<stack>`. */
export function stackTagValue(project: string, stack: string): string {
  return `${project}/${stack}`;
}
