// IAM statements of S3 replication and of Batch Replication backfills, as pure functions.
import type { AccountScope } from "./iam";
import type { PolicyStatement } from "./policy-documents";

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
