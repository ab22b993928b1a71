// IAM statements of the report function (issue 19), beyond every function's base (its logs, on-failure queue,
// runs/report/ manifests, sns:Publish on the primary topic and the primary key's GenerateDataKey/Decrypt, which
// encrypts the vault and the topic): read-only inventory and recovery points in both regions, the compliance report
// written only under reports/compliance/ of the primary vault, both vaults' Object Lock, the protected buckets'
// replication, and Cost Explorer. Nothing is created, changed or deleted anywhere else.
import { REPORT_FOLDER } from "../handlers/report/contract";
import type { PolicyStatement } from "./policy-documents";

export interface ReportScope {
  partition: string;
  region: string;
  drRegion: string;
  /** The primary vault (the report goes there) and the DR vault (its lock is reported). */
  vaultArn: string;
  drVaultArn: string;
  /** The protected buckets (names, in the primary region): their replication configuration is reported. */
  protectedBuckets: readonly string[];
}

/** The kinds' inventory (handlers/kinds/*-report.ts): the primary region only. No resource-level permissions. */
export const REPORT_INVENTORY_ACTIONS = ["ec2:DescribeInstances", "rds:DescribeDBInstances", "rds:DescribeDBClusters"] as const;
/** The kinds' listPoints (handlers/kinds/*-points.ts): both regions. No resource-level permissions. */
export const REPORT_POINT_ACTIONS = ["ec2:DescribeSnapshots", "rds:DescribeDBSnapshots", "rds:DescribeDBClusterSnapshots"] as const;

export function reportStatements(s: ReportScope): PolicyStatement[] {
  const bucketArn = (bucket: string) => `arn:${s.partition}:s3:::${bucket}`;
  const statements: PolicyStatement[] = [
    { Sid: "ReadInventoryInPrimaryRegion", Effect: "Allow", Action: [...REPORT_INVENTORY_ACTIONS], Resource: "*", Condition: { StringEquals: { "aws:RequestedRegion": s.region } } },
    { Sid: "ReadPointsInBothRegions", Effect: "Allow", Action: [...REPORT_POINT_ACTIONS], Resource: "*", Condition: { StringEquals: { "aws:RequestedRegion": [s.region, s.drRegion] } } },
    { Sid: "WriteComplianceReports", Effect: "Allow", Action: "s3:PutObject", Resource: `${s.vaultArn}/${REPORT_FOLDER}/*` },
    { Sid: "ReadVaultLocks", Effect: "Allow", Action: "s3:GetBucketObjectLockConfiguration", Resource: [s.vaultArn, s.drVaultArn] },
    // GetCostAndUsage has no resource-level permissions.
    { Sid: "ReadSnapshotCost", Effect: "Allow", Action: "ce:GetCostAndUsage", Resource: "*" },
  ];
  if (s.protectedBuckets.length > 0) {
    statements.push({ Sid: "ReadProtectedBucketsReplication", Effect: "Allow", Action: "s3:GetReplicationConfiguration", Resource: s.protectedBuckets.map(bucketArn) });
  }
  return statements;
}
