// The protected buckets' replication to their replica vaults as S3 reports it (primary region), for the report's
// replication section. Read-only; a bucket that cannot be read is status "error" with the error, never thrown.
import { GetBucketReplicationCommand, type ReplicationRule, type S3Client } from "@aws-sdk/client-s3";
import { describeError, errorName } from "../lib/errors";
import { settleWithConcurrency } from "../lib/pool";
import type { ReportOptions } from "./contract";
import type { ReplicationState } from "./schema";

/** S3's answer for a bucket with no replication configuration at all: nothing replicates, status "missing". */
const NO_REPLICATION = "ReplicationConfigurationNotFoundError";
/** Buckets read at once (S3 allows far more; the report is daily and small). */
const CONCURRENCY = 5;

/** The ARN a replication rule names its destination by (config gives the replica vault's name), in the stack's partition. */
export function bucketArn(bucket: string, partition: string): string {
  return bucket.startsWith("arn:") ? bucket : `arn:${partition}:s3:::${bucket}`;
}

/** Each protected bucket's replication to its replica vault, in the order given (partition: the stack's, e.g. aws-cn). */
export async function readReplication(s3: S3Client, buckets: ReportOptions["protectedBuckets"], partition: string): Promise<ReplicationState[]> {
  const settled = await settleWithConcurrency(buckets, CONCURRENCY, (pair) => readOne(s3, pair, partition));
  // readOne records every failure in its state, so nothing rejects; a rejection would still be reported, not thrown.
  return settled.map((result, i) => (result.status === "fulfilled" ? result.value : { ...buckets[i], status: "error", timeControl: false, error: describeError(result.reason) }));
}

async function readOne(s3: S3Client, { bucket, replica }: { bucket: string; replica: string }, partition: string): Promise<ReplicationState> {
  const base = { bucket, replica };
  try {
    const { ReplicationConfiguration: config } = await s3.send(new GetBucketReplicationCommand({ Bucket: bucket }));
    return { ...base, ...ruleState(config?.Rules ?? [], bucketArn(replica, partition)) };
  } catch (error) {
    if (errorName(error) === NO_REPLICATION) return { ...base, status: "missing", timeControl: false };
    return { ...base, status: "error", timeControl: false, error: describeError(error) };
  }
}

/** A rule that applies to every object of the bucket: no prefix and no tag, neither in its Filter nor (V1) on the rule. */
function wholeBucket(rule: ReplicationRule): boolean {
  const filter = rule.Filter;
  const and = filter?.And;
  const noPrefix = (prefix: string | undefined): boolean => prefix === undefined || prefix === "";
  return noPrefix(rule.Prefix) && noPrefix(filter?.Prefix) && filter?.Tag === undefined && (and === undefined || (noPrefix(and.Prefix) && (and.Tags ?? []).length === 0));
}

/**
 * The replica's rules: enabled when an Enabled one covers the whole bucket (its RTC counts), partial when Enabled ones
 * cover only part of it (a prefix or tag filter), disabled when all are Disabled, missing when none names the replica.
 */
function ruleState(rules: readonly ReplicationRule[], replicaArn: string): Pick<ReplicationState, "status" | "timeControl"> {
  const toReplica = rules.filter((rule) => rule.Destination?.Bucket === replicaArn);
  const enabled = toReplica.filter((rule) => rule.Status === "Enabled");
  const whole = enabled.filter(wholeBucket);
  if (whole.length > 0) return { status: "enabled", timeControl: whole.some((rule) => rule.Destination?.ReplicationTime?.Status === "Enabled") };
  if (enabled.length > 0) return { status: "partial", timeControl: enabled.some((rule) => rule.Destination?.ReplicationTime?.Status === "Enabled") };
  if (toReplica.length > 0) return { status: "disabled", timeControl: false };
  return { status: "missing", timeControl: false };
}
