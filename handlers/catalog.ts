// The backup catalog is the tags: the names every backup and copy carries (a contract, see docs/backup.md).
// Shared by the infrastructure (default tags, IAM conditions) and the handlers (what they write and read).

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

/** On a replica vault: the protected bucket it receives replicas of. */
export const TAG_REPLICA_OF = "backup-dr:replica-of";

/** Every RDS and Aurora snapshot identifier the stack derives starts with this (IAM scopes to it). */
export const RDS_SNAPSHOT_PREFIX = "bdr-";

/** The default tag every resource the stack creates carries, beside `backup-dr:stack`. */
export const TAG_ENVIRONMENT = "environment";

/**
 * The resource kinds a plan names in `resources`: the one list of kind names. Infra (config, IAM, alarms) and the
 * handlers import it; `handlers/kinds/registry.ts` maps each name to the module that owns everything kind-specific.
 * ec2 = an instance (all its EBS volumes), rds = a DB instance, aurora = a DB cluster.
 */
export const RESOURCE_KINDS = ["ec2", "rds", "aurora"] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** What a kind's snapshots are called in the copy and cleanup manifests, logs and metrics. */
export const SNAPSHOT_KIND_OF = { ec2: "ebs", rds: "rds", aurora: "aurora" } as const satisfies Record<ResourceKind, string>;
/** ebs = an EBS snapshot (one volume of an instance backup), rds = a DB snapshot, aurora = a DB cluster snapshot. */
export type SnapshotKind = (typeof SNAPSHOT_KIND_OF)[ResourceKind];
export const SNAPSHOT_KINDS: readonly SnapshotKind[] = RESOURCE_KINDS.map((kind) => SNAPSHOT_KIND_OF[kind]);

/** Snapshot kinds whose manual snapshots count against a per-region quota (100 each): cleanup counts them, infra alarms. */
export const QUOTA_KINDS = ["rds", "aurora"] as const satisfies readonly SnapshotKind[];
export type QuotaKind = (typeof QUOTA_KINDS)[number];

/** Retention tiers, shortest first. */
export const TIERS = ["hourly", "daily", "weekly", "monthly", "yearly"] as const;
export type Tier = (typeof TIERS)[number];

/** The value of `backup-dr:stack`: `<pulumi project>/<stack>`. */
export function stackTagValue(project: string, stack: string): string {
  return `${project}/${stack}`;
}
