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
