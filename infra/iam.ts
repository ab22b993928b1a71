// IAM trust and role policies for the functions and schedules, as pure functions over plain strings.
import { TAG_STACK } from "../handlers/catalog";
import type { PolicyDocument, PolicyStatement } from "./policy-documents";

/** Lets one AWS service, acting for this account, assume the role. */
export function trustPolicy(service: string, accountId: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ServiceOfThisAccountAssumes",
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  };
}

export function rolePolicy(statements: PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

export interface FunctionBaseArgs {
  logGroupArn: string;
  deadLetterQueueArn: string;
  /** The key that encrypts the log group, the queue, the vault and the topic. */
  keyArn: string;
  vaultArn: string;
  /** Run manifests go under `runs/<manifestFolder>/`. */
  manifestFolder: string;
  topicArn: string;
}

/** What every function needs: its logs, its on-failure queue, its manifests, the topic, and the key for those. */
export function functionBaseStatements(a: FunctionBaseArgs): PolicyStatement[] {
  return [
    { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${a.logGroupArn}:*` },
    { Sid: "SendToOnFailureQueue", Effect: "Allow", Action: "sqs:SendMessage", Resource: a.deadLetterQueueArn },
    { Sid: "WriteRunManifests", Effect: "Allow", Action: "s3:PutObject", Resource: `${a.vaultArn}/runs/${a.manifestFolder}/*` },
    { Sid: "PublishRunSummaries", Effect: "Allow", Action: "sns:Publish", Resource: a.topicArn },
    { Sid: "UseKeyForQueueVaultAndTopic", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: a.keyArn },
  ];
}

/** The scheduler's role: invoke one function, and dead-letter undeliverable events to one queue. */
export function schedulerStatements(functionArn: string, deadLetterQueueArn: string, keyArn: string): PolicyStatement[] {
  return [
    { Sid: "InvokeFunction", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: [functionArn, `${functionArn}:*`] },
    { Sid: "SendToDeadLetterQueue", Effect: "Allow", Action: "sqs:SendMessage", Resource: deadLetterQueueArn },
    { Sid: "UseKeyForQueue", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: keyArn },
  ];
}

export interface AccountScope {
  partition: string;
  region: string;
  accountId: string;
}

export interface BackupScope extends AccountScope {
  /** Value of `backup-dr:stack`: tags are only ever written with it. */
  stackTag: string;
  /** Every RDS and Aurora snapshot identifier the function derives starts with this. */
  rdsSnapshotPrefix: string;
}

/**
 * The backup function: read the fleet, create snapshots, and tag snapshots only as part of creating
 * them (EC2: `ec2:CreateAction`; RDS: only its own snapshot names, only with this stack's tag).
 */
export function backupStatements(s: BackupScope): PolicyStatement[] {
  const ec2 = (resource: string, account = s.accountId) => `arn:${s.partition}:ec2:${s.region}:${account}:${resource}`;
  const rds = (resource: string) => `arn:${s.partition}:rds:${s.region}:${s.accountId}:${resource}`;
  return [
    {
      // Describe calls support no resource-level permissions.
      Sid: "ReadFleet",
      Effect: "Allow",
      Action: ["ec2:DescribeInstances", "ec2:DescribeSnapshots", "rds:DescribeDBInstances", "rds:DescribeDBClusters"],
      Resource: "*",
    },
    {
      Sid: "SnapshotInstanceVolumes",
      Effect: "Allow",
      Action: "ec2:CreateSnapshots",
      Resource: [ec2("instance/*"), ec2("volume/*"), ec2("snapshot/*", "")],
    },
    {
      Sid: "TagSnapshotsOnlyAtCreation",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: ec2("snapshot/*", ""),
      Condition: { StringEquals: { "ec2:CreateAction": "CreateSnapshots" } },
    },
    {
      Sid: "SnapshotDatabases",
      Effect: "Allow",
      Action: "rds:CreateDBSnapshot",
      Resource: [rds("db:*"), rds(`snapshot:${s.rdsSnapshotPrefix}*`)],
    },
    {
      Sid: "SnapshotClusters",
      Effect: "Allow",
      Action: "rds:CreateDBClusterSnapshot",
      Resource: [rds("cluster:*"), rds(`cluster-snapshot:${s.rdsSnapshotPrefix}*`)],
    },
    {
      // RDS authorizes tags on create as AddTagsToResource; allow it only on our own new snapshots.
      Sid: "TagDatabaseSnapshotsOnlyAtCreation",
      Effect: "Allow",
      Action: "rds:AddTagsToResource",
      Resource: [rds(`snapshot:${s.rdsSnapshotPrefix}*`), rds(`cluster-snapshot:${s.rdsSnapshotPrefix}*`)],
      Condition: { StringEquals: { [`aws:RequestTag/${TAG_STACK}`]: s.stackTag } },
    },
  ];
}

export interface ReplicationScope extends AccountScope {
  drRegion: string;
  /** Protected source bucket ARN -> its replica vault ARN. */
  pairs: { sourceArn: string; replicaArn: string }[];
  drKeyArn: string;
}

const objectsOf = (arns: string[]) => arns.map((a) => `${a}/*`);
/** SSE-KMS encryption context is the object ARN, or the bucket ARN under S3 bucket keys. */
const s3Context = (arns: string[]) => ({ "kms:EncryptionContext:aws:s3:arn": arns.flatMap((a) => [a, `${a}/*`]) });

/**
 * S3 replication: read versions of the protected buckets, write replicas (never deletes) into their
 * replica vaults, decrypt sources with any key of this account through S3 for those buckets only,
 * and encrypt replicas with the DR key through S3 in the DR region only.
 */
export function replicationStatements(s: ReplicationScope): PolicyStatement[] {
  const sources = s.pairs.map((p) => p.sourceArn);
  const replicas = s.pairs.map((p) => p.replicaArn);
  return [
    { Sid: "ReadSourceReplicationConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: sources },
    {
      Sid: "ReadSourceVersions",
      Effect: "Allow",
      Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging", "s3:GetObjectRetention", "s3:GetObjectLegalHold"],
      Resource: objectsOf(sources),
    },
    { Sid: "WriteReplicasNeverDeletes", Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateTags"], Resource: objectsOf(replicas) },
    {
      Sid: "DecryptSourceObjects",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: `arn:${s.partition}:kms:${s.region}:${s.accountId}:key/*`,
      Condition: { StringEquals: { "kms:ViaService": `s3.${s.region}.amazonaws.com` }, StringLike: s3Context(sources) },
    },
    {
      Sid: "EncryptReplicasWithDrKey",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:GenerateDataKey"],
      Resource: s.drKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `s3.${s.drRegion}.amazonaws.com` }, StringLike: s3Context(replicas) },
    },
  ];
}

/** S3 Batch Operations backfilling existing objects: start replication of the protected buckets, report to the vault. */
export function batchReplicationStatements(s: AccountScope & { sourceArns: string[]; reportBucketArn: string; keyArn: string }): PolicyStatement[] {
  return [
    { Sid: "InitiateReplication", Effect: "Allow", Action: "s3:InitiateReplication", Resource: objectsOf(s.sourceArns) },
    {
      Sid: "GenerateManifestFromSource",
      Effect: "Allow",
      Action: ["s3:GetReplicationConfiguration", "s3:PutInventoryConfiguration", "s3:ListBucket"],
      Resource: s.sourceArns,
    },
    { Sid: "WriteCompletionReport", Effect: "Allow", Action: "s3:PutObject", Resource: `${s.reportBucketArn}/runs/batch-replication/*` },
    {
      Sid: "EncryptCompletionReport",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: s.keyArn,
      Condition: { StringEquals: { "kms:ViaService": `s3.${s.region}.amazonaws.com` } },
    },
  ];
}

export interface CopyScope extends BackupScope {
  drRegion: string;
  drKeyArn: string;
}

/**
 * The DR copy function (its clients run in the DR region): read snapshots in both regions, copy our
 * snapshots into the DR region only, tag only as part of the copy, replace failed copies of this stack,
 * decrypt sources through EBS/RDS in the primary region and encrypt copies with the DR key in the DR region.
 */
export function copyStatements(s: CopyScope): PolicyStatement[] {
  const ec2Snapshots = (region: string) => `arn:${s.partition}:ec2:${region}::snapshot/*`;
  const rds = (region: string, resource: string) => `arn:${s.partition}:rds:${region}:${s.accountId}:${resource}${s.rdsSnapshotPrefix}*`;
  const ours = { [`aws:ResourceTag/${TAG_STACK}`]: s.stackTag };
  const via = (region: string) => ["ec2", "rds"].map((service) => `${service}.${region}.amazonaws.com`);
  return [
    {
      Sid: "ReadSnapshots",
      Effect: "Allow",
      Action: ["ec2:DescribeSnapshots", "rds:DescribeDBSnapshots", "rds:DescribeDBClusterSnapshots"],
      Resource: "*",
    },
    { Sid: "CopyEbsSnapshotsIntoDr", Effect: "Allow", Action: "ec2:CopySnapshot", Resource: [ec2Snapshots(s.region), ec2Snapshots(s.drRegion)] },
    {
      Sid: "TagEbsCopiesOnlyAtCreation",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: ec2Snapshots(s.drRegion),
      Condition: { StringEquals: { "ec2:CreateAction": "CopySnapshot" } },
    },
    {
      Sid: "CopyRdsSnapshotsIntoDr",
      Effect: "Allow",
      Action: ["rds:CopyDBSnapshot", "rds:CopyDBClusterSnapshot"],
      Resource: [rds(s.region, "snapshot:"), rds(s.drRegion, "snapshot:"), rds(s.region, "cluster-snapshot:"), rds(s.drRegion, "cluster-snapshot:")],
    },
    {
      Sid: "TagRdsCopiesOnlyAtCreation",
      Effect: "Allow",
      Action: "rds:AddTagsToResource",
      Resource: [rds(s.drRegion, "snapshot:"), rds(s.drRegion, "cluster-snapshot:")],
      Condition: { StringEquals: { [`aws:RequestTag/${TAG_STACK}`]: s.stackTag } },
    },
    {
      Sid: "ReplaceFailedEbsCopiesOfThisStack",
      Effect: "Allow",
      Action: "ec2:DeleteSnapshot",
      Resource: ec2Snapshots(s.drRegion),
      Condition: { StringEquals: ours },
    },
    {
      Sid: "ReplaceFailedRdsCopiesOfThisStack",
      Effect: "Allow",
      Action: "rds:DeleteDBSnapshot",
      Resource: rds(s.drRegion, "snapshot:"),
      Condition: { StringEquals: { [`rds:snapshot-tag/${TAG_STACK}`]: s.stackTag } },
    },
    {
      Sid: "ReplaceFailedClusterCopiesOfThisStack",
      Effect: "Allow",
      Action: "rds:DeleteDBClusterSnapshot",
      Resource: rds(s.drRegion, "cluster-snapshot:"),
      Condition: { StringEquals: { [`rds:cluster-snapshot-tag/${TAG_STACK}`]: s.stackTag } },
    },
    {
      Sid: "DecryptSourcesThroughEbsAndRds",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:DescribeKey", "kms:CreateGrant"],
      Resource: `arn:${s.partition}:kms:${s.region}:${s.accountId}:key/*`,
      Condition: { StringEquals: { "kms:ViaService": via(s.region) } },
    },
    {
      Sid: "EncryptCopiesWithDrKey",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey", "kms:CreateGrant"],
      Resource: s.drKeyArn,
      Condition: { StringEquals: { "kms:ViaService": via(s.drRegion) } },
    },
  ];
}

export interface CleanupScope extends AccountScope {
  drRegion: string;
  stackTag: string;
}

/** The cleanup function: read snapshots and images in both regions; delete only snapshots tagged with this stack. */
export function cleanupStatements(s: CleanupScope): PolicyStatement[] {
  const regions = [s.region, s.drRegion];
  return [
    {
      Sid: "ReadSnapshotsAndImages",
      Effect: "Allow",
      Action: ["ec2:DescribeSnapshots", "ec2:DescribeImages", "rds:DescribeDBSnapshots", "rds:DescribeDBClusterSnapshots"],
      Resource: "*",
    },
    {
      Sid: "DeleteOnlyThisStacksEbsSnapshots",
      Effect: "Allow",
      Action: "ec2:DeleteSnapshot",
      Resource: regions.map((r) => `arn:${s.partition}:ec2:${r}::snapshot/*`),
      Condition: { StringEquals: { [`aws:ResourceTag/${TAG_STACK}`]: s.stackTag } },
    },
    {
      Sid: "DeleteOnlyThisStacksRdsSnapshots",
      Effect: "Allow",
      Action: "rds:DeleteDBSnapshot",
      Resource: regions.map((r) => `arn:${s.partition}:rds:${r}:${s.accountId}:snapshot:*`),
      Condition: { StringEquals: { [`rds:snapshot-tag/${TAG_STACK}`]: s.stackTag } },
    },
    {
      Sid: "DeleteOnlyThisStacksClusterSnapshots",
      Effect: "Allow",
      Action: "rds:DeleteDBClusterSnapshot",
      Resource: regions.map((r) => `arn:${s.partition}:rds:${r}:${s.accountId}:cluster-snapshot:*`),
      Condition: { StringEquals: { [`rds:cluster-snapshot-tag/${TAG_STACK}`]: s.stackTag } },
    },
  ];
}
