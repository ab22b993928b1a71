// IAM statements of the restore function and its state machine (one of each per region), as pure functions.
// Issue 17 item 7: create only with the restore tags, tag only on create, launch only into the configured subnets,
// keys only through EBS/EC2 and RDS, delete nothing but the images a restore registered, pass only the configured
// instance profile's role, manifests only under runs/restore/ (the base statements of every function).
import { TAG_RESTORE_ID, TAG_STACK } from "../handlers/catalog";
import type { RestoreNetwork } from "../handlers/restore/contract";
import type { AccountScope } from "./iam";
import type { PolicyStatement } from "./policy-documents";

export interface RestoreScope extends AccountScope {
  /** Value of `backup-dr:stack`: every create carries it, every snapshot read from carries it. */
  stackTag: string;
  /** The region's restore network (config backup-dr:restore), as the function gets it. */
  network: RestoreNetwork;
  /** The role of the configured instance profile (looked up at deploy); absent: no iam:PassRole. */
  instanceProfileRoleArn?: string;
}

/** The statement that creates and tags DB instances and clusters: the drill role narrows its resources to the drill's names. */
export const DATABASE_CREATE_SID = "CreateDatabasesOnlyWithRestoreTags";

/** The EC2 calls whose created resources may be tagged (ec2:CreateAction): tags only ever go on at creation. */
export const RESTORE_CREATE_ACTIONS = ["CreateVolume", "RegisterImage", "RunInstances"];

/** Reads: Describe calls have no resource-level permissions (DescribeSubnets: the EC2 zone default, the first restore subnet's zone). */
export const RESTORE_READ_ACTIONS = [
  "ec2:DescribeVolumes",
  "ec2:DescribeImages",
  "ec2:DescribeInstances",
  "ec2:DescribeInstanceStatus",
  "ec2:DescribeSnapshots",
  "ec2:DescribeSubnets",
  "rds:DescribeDBInstances",
  "rds:DescribeDBClusters",
  "rds:DescribeDBSnapshots",
  "rds:DescribeDBClusterSnapshots",
];

/** What EBS and RDS need of a key to restore from a snapshot encrypted with it and to encrypt what they create. */
export const RESTORE_KEY_ACTIONS = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext"];

/**
 * The restore function of one region. Every create is conditioned on the request carrying `backup-dr:stack` = this
 * stack and a `backup-dr:restore-id`; what it creates from (snapshots) must carry this stack's tag; the only delete
 * is ec2:DeregisterImage of an image carrying a restore id of this stack.
 */
export function restoreStatements(s: RestoreScope): PolicyStatement[] {
  const ec2 = (resource: string, account = s.accountId) => `arn:${s.partition}:ec2:${s.region}:${account}:${resource}`;
  const rds = (resource: string) => `arn:${s.partition}:rds:${s.region}:${s.accountId}:${resource}`;
  const withRestoreTags = {
    StringEquals: { [`aws:RequestTag/${TAG_STACK}`]: s.stackTag },
    Null: { [`aws:RequestTag/${TAG_RESTORE_ID}`]: "false" },
  };
  const launches = s.network.subnetIds.length > 0;
  const snapshot = ec2("snapshot/*", "");
  const image = ec2("image/*", "");
  const statements: PolicyStatement[] = [
    { Sid: "ReadForRestore", Effect: "Allow", Action: RESTORE_READ_ACTIONS, Resource: "*" },
    {
      // Finding what a restore created, and a clash's owner: RDS reads tags per resource.
      Sid: "ReadDatabaseTags",
      Effect: "Allow",
      Action: "rds:ListTagsForResource",
      Resource: [rds("db:*"), rds("cluster:*"), rds("snapshot:*"), rds("cluster-snapshot:*")],
    },
    {
      Sid: "CreateFromThisStacksSnapshots",
      Effect: "Allow",
      Action: ["ec2:CreateVolume", "ec2:RegisterImage", ...(launches ? ["ec2:RunInstances"] : [])],
      Resource: snapshot,
      Condition: { StringEquals: { [`aws:ResourceTag/${TAG_STACK}`]: s.stackTag } },
    },
    { Sid: "CreateVolumesOnlyWithRestoreTags", Effect: "Allow", Action: "ec2:CreateVolume", Resource: ec2("volume/*"), Condition: withRestoreTags },
    { Sid: "RegisterImagesOnlyWithRestoreTags", Effect: "Allow", Action: "ec2:RegisterImage", Resource: image, Condition: withRestoreTags },
    {
      Sid: "TagOnlyAtCreation",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: [ec2("volume/*"), image, ec2("instance/*")],
      Condition: { StringEquals: { "ec2:CreateAction": RESTORE_CREATE_ACTIONS.filter((a) => launches || a !== "RunInstances"), [`aws:RequestTag/${TAG_STACK}`]: s.stackTag } },
    },
    {
      Sid: "DeregisterOnlyRestoredImages",
      Effect: "Allow",
      Action: "ec2:DeregisterImage",
      Resource: image,
      Condition: { StringEquals: { [`aws:ResourceTag/${TAG_STACK}`]: s.stackTag }, Null: { [`aws:ResourceTag/${TAG_RESTORE_ID}`]: "false" } },
    },
    ...(launches ? launchStatements(s, ec2, image) : []),
    ...databaseStatements(s, rds),
    ...restoreKeyStatements(s),
  ];
  if (s.instanceProfileRoleArn !== undefined) {
    statements.push({
      Sid: "PassOnlyTheRestoreInstanceProfileRole",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: s.instanceProfileRoleArn,
      Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
    });
  }
  return statements;
}

/** ec2:RunInstances: only into the configured subnets and security groups, only from restored images, only tagged. */
function launchStatements(s: RestoreScope, ec2: (resource: string, account?: string) => string, image: string): PolicyStatement[] {
  return [
    { Sid: "LaunchOnlyIntoRestoreSubnets", Effect: "Allow", Action: "ec2:RunInstances", Resource: s.network.subnetIds.map((id) => ec2(`subnet/${id}`)) },
    {
      Sid: "LaunchOnlyWithRestoreTags",
      Effect: "Allow",
      Action: "ec2:RunInstances",
      Resource: [ec2("instance/*"), ec2("volume/*")],
      Condition: {
        StringEquals: { [`aws:RequestTag/${TAG_STACK}`]: s.stackTag },
        Null: { [`aws:RequestTag/${TAG_RESTORE_ID}`]: "false" },
      },
    },
    {
      Sid: "LaunchOnlyFromRestoredImages",
      Effect: "Allow",
      Action: "ec2:RunInstances",
      Resource: image,
      Condition: { StringEquals: { [`aws:ResourceTag/${TAG_STACK}`]: s.stackTag }, Null: { [`aws:ResourceTag/${TAG_RESTORE_ID}`]: "false" } },
    },
    {
      // The network interface RunInstances creates in the subnet, with the configured security groups only.
      Sid: "LaunchWithRestoreNetwork",
      Effect: "Allow",
      Action: "ec2:RunInstances",
      Resource: [ec2("network-interface/*"), ...s.network.securityGroupIds.map((id) => ec2(`security-group/${id}`))],
    },
  ];
}

/**
 * RDS and Aurora: restore and create DB instances and clusters only with the restore tags (RDS authorizes tags on
 * create as rds:AddTagsToResource), only from this stack's DB (cluster) snapshots, and only into the configured DB
 * subnet group (none configured: no database restore at all).
 */
function databaseStatements(s: RestoreScope, rds: (resource: string) => string): PolicyStatement[] {
  if (s.network.dbSubnetGroup === undefined) return [];
  const restores = ["rds:RestoreDBInstanceFromDBSnapshot", "rds:RestoreDBClusterFromSnapshot", "rds:CreateDBInstance"];
  return [
    {
      Sid: DATABASE_CREATE_SID,
      Effect: "Allow",
      Action: [...restores, "rds:AddTagsToResource"],
      Resource: [rds("db:*"), rds("cluster:*")],
      Condition: {
        StringEquals: { [`aws:RequestTag/${TAG_STACK}`]: s.stackTag },
        Null: { [`aws:RequestTag/${TAG_RESTORE_ID}`]: "false" },
      },
    },
    {
      Sid: "RestoreFromThisStacksDbSnapshots",
      Effect: "Allow",
      Action: "rds:RestoreDBInstanceFromDBSnapshot",
      Resource: rds("snapshot:*"),
      Condition: { StringEquals: { [`rds:snapshot-tag/${TAG_STACK}`]: s.stackTag } },
    },
    {
      Sid: "RestoreFromThisStacksClusterSnapshots",
      Effect: "Allow",
      Action: "rds:RestoreDBClusterFromSnapshot",
      Resource: rds("cluster-snapshot:*"),
      Condition: { StringEquals: { [`rds:cluster-snapshot-tag/${TAG_STACK}`]: s.stackTag } },
    },
    {
      // RDS stores subnet group names in lowercase; option and parameter groups are the engine's (default) ones.
      Sid: "RestoreIntoRestoreDbSubnetGroup",
      Effect: "Allow",
      Action: restores,
      Resource: [rds(`subgrp:${s.network.dbSubnetGroup.toLowerCase()}`), rds("og:*"), rds("pg:*"), rds("cluster-pg:*")],
    },
  ];
}

/**
 * Keys, only through EBS/EC2 and RDS in this region: any key of the account there (a backup keeps its source's key, a
 * DR copy has the DR key), for reading snapshots and encrypting what is restored; grants only for the services' use.
 */
function restoreKeyStatements(s: RestoreScope): PolicyStatement[] {
  const keys = `arn:${s.partition}:kms:${s.region}:${s.accountId}:key/*`;
  const via = { "kms:ViaService": ["ec2", "rds"].map((service) => `${service}.${s.region}.amazonaws.com`) };
  return [
    { Sid: "UseKeysOnlyThroughEbsAndRds", Effect: "Allow", Action: RESTORE_KEY_ACTIONS, Resource: keys, Condition: { StringEquals: via } },
    {
      Sid: "GrantKeysOnlyToEbsAndRds",
      Effect: "Allow",
      Action: "kms:CreateGrant",
      Resource: keys,
      Condition: { StringEquals: via, Bool: { "kms:GrantIsForAWSResource": "true" } },
    },
  ];
}

/**
 * The state machine's role: invoke the restore function (and its versions) only, and deliver its logs (CloudWatch
 * Logs' log delivery API has no resource-level permissions: the Step Functions guide's statement, on `*`), without
 * logs:DeleteLogDelivery: the policy pack refuses an unconditioned delete on `*`, and the machine's logging is never
 * removed by the program (a person removing it deletes the delivery with their own rights).
 */
export function restoreMachineStatements(functionArn: string): PolicyStatement[] {
  return [
    { Sid: "InvokeRestoreFunctionOnly", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: [functionArn, `${functionArn}:*`] },
    {
      Sid: "DeliverExecutionLogs",
      Effect: "Allow",
      Action: [
        "logs:CreateLogDelivery",
        "logs:GetLogDelivery",
        "logs:UpdateLogDelivery",
        "logs:ListLogDeliveries",
        "logs:PutResourcePolicy",
        "logs:DescribeResourcePolicies",
        "logs:DescribeLogGroups",
      ],
      Resource: "*",
    },
  ];
}
