// IAM statements of the three snapshot functions (backup, DR copy, cleanup), as pure functions.
import { TAG_STACK, TAG_VOLUME_FACTS } from "../handlers/catalog";
import type { SnapshotLockMode } from "../handlers/lib/snapshot-lock";
import type { AccountScope } from "./iam";
import type { PolicyStatement } from "./policy-documents";

export interface BackupScope extends AccountScope {
  /** Value of `backup-dr:stack`: tags are only ever written with it. */
  stackTag: string;
  /** Every RDS and Aurora snapshot identifier the function derives starts with this. */
  rdsSnapshotPrefix: string;
  /** vaultLock.mode: GOVERNANCE or COMPLIANCE lets the function lock this stack's EBS snapshots; off (default) does not. */
  snapshotLock?: SnapshotLockMode;
}

/**
 * Locking EBS snapshots (EBS user guide, "Control access to Amazon EBS snapshot lock"): ec2:LockSnapshot only on
 * snapshots tagged with this stack, in the given region (they are tagged at creation, before the lock); reading locks
 * has no resource-level permission. Nothing when locking is off. No ec2:UnlockSnapshot, ever.
 */
export function snapshotLockStatements(s: { partition: string; stackTag: string; snapshotLock?: SnapshotLockMode }, region: string): PolicyStatement[] {
  if (s.snapshotLock === undefined || s.snapshotLock === "off") return [];
  return [
    { Sid: "ReadSnapshotLocks", Effect: "Allow", Action: "ec2:DescribeLockedSnapshots", Resource: "*" },
    {
      Sid: "LockOnlyThisStacksEbsSnapshots",
      Effect: "Allow",
      Action: "ec2:LockSnapshot",
      Resource: `arn:${s.partition}:ec2:${region}::snapshot/*`,
      Condition: { StringEquals: { [`aws:ResourceTag/${TAG_STACK}`]: s.stackTag } },
    },
  ];
}

/**
 * The backup function: read the fleet, create snapshots, and tag snapshots only as part of creating
 * them (EC2: `ec2:CreateAction`; RDS: only its own snapshot names, only with this stack's tag). One exception: each
 * EBS snapshot of a set gets its volume's device facts just after CreateSnapshots (which tags every snapshot of the
 * set alike), only that one tag key, only on snapshots already carrying this stack's tag.
 */
export function backupStatements(s: BackupScope): PolicyStatement[] {
  const ec2 = (resource: string, account = s.accountId) => `arn:${s.partition}:ec2:${s.region}:${account}:${resource}`;
  const rds = (resource: string) => `arn:${s.partition}:rds:${s.region}:${s.accountId}:${resource}`;
  return [
    {
      // Describe calls support no resource-level permissions. DB (cluster) snapshots: read back the tags of one whose
      // identifier is taken, to tell this backup's rerun from a clash.
      Sid: "ReadFleet",
      Effect: "Allow",
      Action: ["ec2:DescribeInstances", "ec2:DescribeSnapshots", "rds:DescribeDBInstances", "rds:DescribeDBClusters", "rds:DescribeDBSnapshots", "rds:DescribeDBClusterSnapshots"],
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
      Sid: "TagOwnSnapshotsWithVolumeFacts",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: ec2("snapshot/*", ""),
      Condition: {
        StringEquals: { [`aws:ResourceTag/${TAG_STACK}`]: s.stackTag },
        "ForAllValues:StringEquals": { "aws:TagKeys": [TAG_VOLUME_FACTS] },
        Null: { "aws:TagKeys": "false" },
      },
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
    ...snapshotLockStatements(s, s.region),
  ];
}

/**
 * The backup function's claims on instances (handlers/kinds/ec2-claim.ts): conditional PutObject and GetObject
 * under `locks/backup/` of the vault only; never a delete (the claims are overwritten as new versions).
 */
export function backupClaimStatements(vaultArn: string): PolicyStatement[] {
  return [{ Sid: "ClaimInstancesPerRun", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: `${vaultArn}/locks/backup/*` }];
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
    ...copyKeyStatements(s, via),
    ...snapshotLockStatements(s, s.drRegion),
  ];
}

/** What EBS and RDS need to re-encrypt a copy (docs: EBS "Requirements for Amazon EBS encryption", RDS "AWS KMS key management"). */
export const COPY_KEY_ACTIONS = ["kms:Decrypt", "kms:DescribeKey", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKeyWithoutPlaintext"];

/**
 * Keys of a cross-region copy, used only through EBS/EC2 and RDS: any key of this account in the primary region
 * (customer keys and the AWS managed aws/ebs and aws/rds alike: both are `key/<id>` ARNs) decrypts the source; the
 * DR key encrypts the copy. Grants only for the services' own use (kms:GrantIsForAWSResource), as the EBS guide advises.
 */
function copyKeyStatements(s: CopyScope, via: (region: string) => string[]): PolicyStatement[] {
  const sourceKeys = `arn:${s.partition}:kms:${s.region}:${s.accountId}:key/*`;
  return [
    { Sid: "UseSourceKeysThroughEbsAndRds", Effect: "Allow", Action: COPY_KEY_ACTIONS, Resource: sourceKeys, Condition: { StringEquals: { "kms:ViaService": via(s.region) } } },
    {
      Sid: "UseDrKeyThroughEbsAndRds",
      Effect: "Allow",
      Action: [...COPY_KEY_ACTIONS, "kms:Encrypt", "kms:GenerateDataKey"],
      Resource: s.drKeyArn,
      Condition: { StringEquals: { "kms:ViaService": via(s.drRegion) } },
    },
    {
      Sid: "GrantKeysOnlyToEbsAndRdsForTheCopy",
      Effect: "Allow",
      Action: "kms:CreateGrant",
      Resource: [sourceKeys, s.drKeyArn],
      Condition: { StringEquals: { "kms:ViaService": [...via(s.region), ...via(s.drRegion)] }, Bool: { "kms:GrantIsForAWSResource": "true" } },
    },
  ];
}

export interface CleanupScope extends AccountScope {
  drRegion: string;
  stackTag: string;
}

/** The cleanup function: read snapshots, images and snapshot locks in both regions; delete only snapshots tagged with this stack. */
export function cleanupStatements(s: CleanupScope): PolicyStatement[] {
  const regions = [s.region, s.drRegion];
  return [
    {
      Sid: "ReadSnapshotsAndImages",
      Effect: "Allow",
      Action: ["ec2:DescribeSnapshots", "ec2:DescribeImages", "ec2:DescribeLockedSnapshots", "rds:DescribeDBSnapshots", "rds:DescribeDBClusterSnapshots"],
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
