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

/** Retention tiers, shortest first (defined by the plan contract). */
export { TIERS, type Tier } from "../policies/lib/plan-contract";

/** The value of `backup-dr:stack`: `<pulumi project>/<stack>`. */
export function stackTagValue(project: string, stack: string): string {
  return `${project}/${stack}`;
}
