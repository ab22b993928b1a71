// S3 protection in the primary region: versioning on each protected bucket, native cross-region
// replication with Replication Time Control into its replica vault, one least-privilege replication
// role, alarms on failed and late replication, and replication events to the topic.
import { createHash } from "crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { S3ReplicationSettings } from "./config";
import { rolePolicy, trustPolicy } from "./iam";
import { batchReplicationStatements, replicationStatements } from "./iam-replication";
import { checkInlinePolicySize } from "./limits";
import type { Account } from "./policy-documents";

/** The one rule of each replication configuration; also the RuleId dimension of its metrics. */
export const REPLICATION_RULE_ID = "backup-dr-to-dr-region";
export const REPLICATION_EVENTS = ["s3:Replication:OperationFailedReplication", "s3:Replication:OperationMissedThreshold"];

/** The replica vault's resource name for a protected bucket: stable, and short enough for any bucket name. */
export function replicaVaultName(bucket: string): string {
  return `replica-${createHash("sha256").update(bucket).digest("hex").slice(0, 8)}`;
}

export interface ProtectedBucket {
  /** The user's existing bucket in the primary region. */
  bucket: string;
  replicaBucketName: pulumi.Input<string>;
  replicaBucketArn: pulumi.Input<string>;
  /** The replica vault's versioning: S3 refuses a replication destination without it (whatever the vault lock mode). */
  replicaVersioning: pulumi.Resource;
}

export interface S3ReplicationArgs {
  buckets: ProtectedBucket[];
  settings: S3ReplicationSettings;
  account: pulumi.Input<Account>;
  region: string;
  drRegion: string;
  drKeyArn: pulumi.Input<string>;
  topicArn: pulumi.Input<string>;
  /** The topic's policy, which must let S3 publish before a bucket notification can name the topic. */
  topicPolicy: pulumi.Resource;
  /** Batch Replication reports go under `runs/batch-replication/` of this (primary) vault. */
  reportVaultArn: pulumi.Input<string>;
  reportKeyArn: pulumi.Input<string>;
}

export class S3Replication extends pulumi.ComponentResource {
  readonly roleArn: pulumi.Output<string>;
  readonly batchRoleArn: pulumi.Output<string>;

  constructor(name: string, args: S3ReplicationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("backup-dr:replication:S3Replication", name, {}, opts);
    const parent = { parent: this };
    checkReplicationPolicySize(args);
    const scope = pulumi.output(args.account).apply((a) => ({ partition: a.partition, accountId: a.accountId, region: args.region }));
    const sourceArns = scope.apply((s) => args.buckets.map((b) => `arn:${s.partition}:s3:::${b.bucket}`));
    const pairs = pulumi
      .all([sourceArns, pulumi.all(args.buckets.map((b) => b.replicaBucketArn))])
      .apply(([sources, replicas]) => sources.map((sourceArn, i) => ({ sourceArn, replicaArn: replicas[i] })));

    const role = new aws.iam.Role(
      `${name}-role`,
      { description: "backup-dr: S3 replication of protected buckets", assumeRolePolicy: scope.apply((s) => JSON.stringify(trustPolicy("s3.amazonaws.com", s.accountId))) },
      parent,
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.id,
        policy: pulumi
          .all([scope, pairs, args.drKeyArn])
          .apply(([s, p, drKeyArn]) => JSON.stringify(rolePolicy(replicationStatements({ ...s, drRegion: args.drRegion, pairs: p, drKeyArn })))),
      },
      parent,
    );
    const batchRole = new aws.iam.Role(
      `${name}-batch-role`,
      {
        description: "backup-dr: S3 Batch Replication of objects written before replication was on",
        assumeRolePolicy: scope.apply((s) => JSON.stringify(trustPolicy("batchoperations.s3.amazonaws.com", s.accountId))),
      },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-batch-policy`,
      {
        role: batchRole.id,
        policy: pulumi
          .all([scope, sourceArns, args.reportVaultArn, args.reportKeyArn])
          .apply(([s, sources, reportBucketArn, keyArn]) => JSON.stringify(rolePolicy(batchReplicationStatements({ ...s, sourceArns: sources, reportBucketArn, keyArn })))),
      },
      parent,
    );

    for (const b of args.buckets) {
      const id = `${name}-${b.bucket}`;
      // Retained on delete: removing protection must not suspend versioning of the user's bucket.
      const versioning = new aws.s3.BucketVersioning(
        `${id}-versioning`,
        { bucket: b.bucket, versioningConfiguration: { status: "Enabled" } },
        { parent: this, retainOnDelete: true },
      );
      new aws.s3.BucketReplicationConfig(
        id,
        {
          bucket: b.bucket,
          role: role.arn,
          rules: [
            {
              id: REPLICATION_RULE_ID,
              status: "Enabled",
              priority: 0,
              filter: {},
              // A deletion at the source must never reach the backup.
              deleteMarkerReplication: { status: "Disabled" },
              sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
              destination: {
                bucket: b.replicaBucketArn,
                storageClass: args.settings.storageClass,
                encryptionConfiguration: { replicaKmsKeyId: args.drKeyArn },
                replicationTime: { status: "Enabled", time: { minutes: 15 } },
                metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
              },
            },
          ],
        },
        { parent: this, dependsOn: [versioning, b.replicaVersioning, policy] },
      );
      const dimensions = { SourceBucket: b.bucket, DestinationBucket: b.replicaBucketName, RuleId: REPLICATION_RULE_ID };
      const alarm = { namespace: "AWS/S3", period: 300, evaluationPeriods: 1, dimensions, treatMissingData: "notBreaching", alarmActions: [args.topicArn], okActions: [args.topicArn] };
      new aws.cloudwatch.MetricAlarm(
        `${id}-failed-replication`,
        { ...alarm, alarmDescription: `backup-dr: objects of ${b.bucket} failed to replicate to the DR region.`, metricName: "OperationsFailedReplication", statistic: "Sum", threshold: 0, comparisonOperator: "GreaterThanThreshold" },
        parent,
      );
      new aws.cloudwatch.MetricAlarm(
        `${id}-replication-latency`,
        {
          ...alarm,
          alarmDescription: `backup-dr: replication of ${b.bucket} to the DR region is slower than ${args.settings.latencyAlarmSeconds} s.`,
          metricName: "ReplicationLatency",
          statistic: "Maximum",
          threshold: args.settings.latencyAlarmSeconds,
          comparisonOperator: "GreaterThanThreshold",
        },
        parent,
      );
      if (args.settings.eventNotifications) {
        new aws.s3.BucketNotification(
          `${id}-events`,
          { bucket: b.bucket, topics: [{ topicArn: args.topicArn, events: REPLICATION_EVENTS }] },
          { parent: this, dependsOn: [args.topicPolicy] },
        );
      }
    }

    this.roleArn = role.arn;
    this.batchRoleArn = batchRole.arn;
    this.registerOutputs({ roleArn: this.roleArn, batchRoleArn: this.batchRoleArn });
  }
}

/**
 * The replication role's inline policy grows with every protected bucket; checked at preview with the longest values
 * the deployed policy can hold (the longest partition, auto-named replica vaults, a key id) so `pulumi up` cannot fail on it.
 */
export function checkReplicationPolicySize(args: Pick<S3ReplicationArgs, "buckets" | "region" | "drRegion">): void {
  const partition = "aws-us-gov";
  const pairs = args.buckets.map((b) => ({
    sourceArn: `arn:${partition}:s3:::${b.bucket}`,
    // Pulumi names a replica vault backup-dr-<replicaVaultName>-<7 random characters>.
    replicaArn: `arn:${partition}:s3:::backup-dr-${replicaVaultName(b.bucket)}-xxxxxxx`,
  }));
  const drKeyArn = `arn:${partition}:kms:${args.drRegion}:000000000000:key/00000000-0000-0000-0000-000000000000`;
  const policy = rolePolicy(replicationStatements({ partition, accountId: "000000000000", region: args.region, drRegion: args.drRegion, pairs, drKeyArn }));
  checkInlinePolicySize(
    `The S3 replication role's policy for ${args.buckets.length} protected buckets`,
    policy,
    "Protect fewer buckets in this stack (split protectedBuckets across stacks), or replicate prefixes of one bucket instead of many buckets.",
  );
}
