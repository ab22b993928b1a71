// IAM trust and role policies, as pure functions, with concrete expected statements.
import { expect } from "chai";
import { functionBaseStatements, schedulerStatements, trustPolicy } from "../../infra/iam";
import { batchReplicationStatements, replicationStatements } from "../../infra/iam-replication";
import { backupClaimStatements, backupStatements, cleanupStatements, copyStatements } from "../../infra/iam-snapshots";
import type { PolicyStatement } from "../../infra/policy-documents";

const scope = { partition: "aws", region: "eu-west-1", accountId: "111122223333" };
const sid = (statements: PolicyStatement[], name: string) => {
  const s = statements.find((x) => x.Sid === name);
  if (!s) throw new Error(`no statement ${name}`);
  return s;
};
const actions = (statements: PolicyStatement[]) => statements.flatMap((s) => [s.Action].flat());

describe("IAM policies", () => {
  it("trustPolicy lets one service assume the role only on behalf of this account", () => {
    expect(trustPolicy("lambda.amazonaws.com", "111122223333")).to.deep.equal({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ServiceOfThisAccountAssumes",
          Effect: "Allow",
          Principal: { Service: "lambda.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
        },
      ],
    });
  });

  it("functionBaseStatements scope logs, queue, manifests, topic and key to the named resources", () => {
    const s = functionBaseStatements({
      logGroupArn: "arn:aws:logs:eu-west-1:111122223333:log-group:/backup-dr/dev/backup",
      deadLetterQueueArn: "arn:aws:sqs:eu-west-1:111122223333:q",
      keyArn: "arn:aws:kms:eu-west-1:111122223333:key/k",
      vaultArn: "arn:aws:s3:::vault",
      manifestFolder: "backup",
      topicArn: "arn:aws:sns:eu-west-1:111122223333:t",
    });
    expect(sid(s, "WriteOwnLogs").Resource).to.equal("arn:aws:logs:eu-west-1:111122223333:log-group:/backup-dr/dev/backup:*");
    expect(sid(s, "WriteRunManifests")).to.deep.include({ Action: "s3:PutObject", Resource: "arn:aws:s3:::vault/runs/backup/*" });
    expect(sid(s, "SendToOnFailureQueue").Resource).to.equal("arn:aws:sqs:eu-west-1:111122223333:q");
    expect(sid(s, "PublishRunSummaries").Resource).to.equal("arn:aws:sns:eu-west-1:111122223333:t");
    expect(sid(s, "UseKeyForQueueVaultAndTopic").Resource).to.equal("arn:aws:kms:eu-west-1:111122223333:key/k");
    for (const st of s) expect(st.Resource, st.Sid).to.not.equal("*");
  });

  it("schedulerStatements invoke one function (and its versions) and dead-letter to one queue", () => {
    const s = schedulerStatements("arn:aws:lambda:eu-west-1:111122223333:function:backup", "arn:aws:sqs:eu-west-1:111122223333:q", "arn:aws:kms:eu-west-1:111122223333:key/k");
    expect(sid(s, "InvokeFunction").Resource).to.deep.equal(["arn:aws:lambda:eu-west-1:111122223333:function:backup", "arn:aws:lambda:eu-west-1:111122223333:function:backup:*"]);
    expect(actions(s)).to.deep.equal(["lambda:InvokeFunction", "sqs:SendMessage", "kms:GenerateDataKey", "kms:Decrypt"]);
  });

  it("backup claims: read and write only under locks/backup/ of the vault, never delete", () => {
    const s = backupClaimStatements("arn:aws:s3:::vault");
    expect(s).to.deep.equal([{ Sid: "ClaimInstancesPerRun", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: "arn:aws:s3:::vault/locks/backup/*" }]);
  });

  describe("backupStatements", () => {
    const s = backupStatements({ ...scope, stackTag: "backup-dr/prod", rdsSnapshotPrefix: "backup-dr-" });

    it("has no * action and no delete action", () => {
      for (const a of actions(s)) expect(a).to.not.match(/\*|Delete/);
    });

    it("tags EC2 snapshots only as part of CreateSnapshots", () => {
      expect(sid(s, "TagSnapshotsOnlyAtCreation")).to.deep.equal({
        Sid: "TagSnapshotsOnlyAtCreation",
        Effect: "Allow",
        Action: "ec2:CreateTags",
        Resource: "arn:aws:ec2:eu-west-1::snapshot/*",
        Condition: { StringEquals: { "ec2:CreateAction": "CreateSnapshots" } },
      });
    });

    it("tags EC2 snapshots after creation only with the volume restore fact, only on snapshots of this stack", () => {
      expect(sid(s, "TagOwnSnapshotsWithVolumeFacts")).to.deep.equal({
        Sid: "TagOwnSnapshotsWithVolumeFacts",
        Effect: "Allow",
        Action: "ec2:CreateTags",
        Resource: "arn:aws:ec2:eu-west-1::snapshot/*",
        Condition: {
          StringEquals: { "aws:ResourceTag/backup-dr:stack": "backup-dr/prod" },
          "ForAllValues:StringEquals": { "aws:TagKeys": ["backup-dr:volume"] },
          Null: { "aws:TagKeys": "false" },
        },
      });
      const tagging = s.filter((st) => ([] as string[]).concat(st.Action).includes("ec2:CreateTags"));
      expect(tagging.map((st) => st.Sid)).to.deep.equal(["TagSnapshotsOnlyAtCreation", "TagOwnSnapshotsWithVolumeFacts"]);
    });

    it("tags RDS snapshots only on its own snapshot names, only with this stack's tag", () => {
      expect(sid(s, "TagDatabaseSnapshotsOnlyAtCreation")).to.deep.equal({
        Sid: "TagDatabaseSnapshotsOnlyAtCreation",
        Effect: "Allow",
        Action: "rds:AddTagsToResource",
        Resource: ["arn:aws:rds:eu-west-1:111122223333:snapshot:backup-dr-*", "arn:aws:rds:eu-west-1:111122223333:cluster-snapshot:backup-dr-*"],
        Condition: { StringEquals: { "aws:RequestTag/backup-dr:stack": "backup-dr/prod" } },
      });
    });

    it("creates snapshots only of this region and account, and only describe calls use *", () => {
      expect(sid(s, "SnapshotInstanceVolumes").Resource).to.deep.equal([
        "arn:aws:ec2:eu-west-1:111122223333:instance/*",
        "arn:aws:ec2:eu-west-1:111122223333:volume/*",
        "arn:aws:ec2:eu-west-1::snapshot/*",
      ]);
      expect(sid(s, "SnapshotDatabases").Resource).to.deep.equal(["arn:aws:rds:eu-west-1:111122223333:db:*", "arn:aws:rds:eu-west-1:111122223333:snapshot:backup-dr-*"]);
      expect(sid(s, "SnapshotClusters").Resource).to.deep.equal(["arn:aws:rds:eu-west-1:111122223333:cluster:*", "arn:aws:rds:eu-west-1:111122223333:cluster-snapshot:backup-dr-*"]);
      const wildcard = s.filter((st) => st.Resource === "*");
      expect(wildcard.map((st) => st.Sid)).to.deep.equal(["ReadFleet"]);
      for (const a of actions(wildcard)) expect(a).to.match(/:Describe/);
    });
  });

  describe("replicationStatements", () => {
    const s = replicationStatements({
      ...scope,
      drRegion: "eu-central-1",
      drKeyArn: "arn:aws:kms:eu-central-1:111122223333:key/dr",
      pairs: [{ sourceArn: "arn:aws:s3:::orders", replicaArn: "arn:aws:s3:::backup-dr-replica-1" }],
    });

    it("reads the source bucket and its versions, writes replicas, and never deletes", () => {
      expect(sid(s, "ReadSourceReplicationConfiguration").Resource).to.deep.equal(["arn:aws:s3:::orders"]);
      expect(sid(s, "ReadSourceVersions").Resource).to.deep.equal(["arn:aws:s3:::orders/*"]);
      expect(sid(s, "WriteReplicasNeverDeletes")).to.deep.include({ Action: ["s3:ReplicateObject", "s3:ReplicateTags"], Resource: ["arn:aws:s3:::backup-dr-replica-1/*"] });
      expect(actions(s)).to.not.include("s3:ReplicateDelete");
      for (const a of actions(s)) expect(a).to.not.match(/\*/);
    });

    it("decrypts sources only through S3 in the primary region for those buckets", () => {
      expect(sid(s, "DecryptSourceObjects")).to.deep.equal({
        Sid: "DecryptSourceObjects",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: "arn:aws:kms:eu-west-1:111122223333:key/*",
        Condition: {
          StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" },
          StringLike: { "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::orders", "arn:aws:s3:::orders/*"] },
        },
      });
    });

    it("encrypts replicas only with the DR key, through S3 in the DR region, for the replica vaults", () => {
      expect(sid(s, "EncryptReplicasWithDrKey")).to.deep.equal({
        Sid: "EncryptReplicasWithDrKey",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
        Resource: "arn:aws:kms:eu-central-1:111122223333:key/dr",
        Condition: {
          StringEquals: { "kms:ViaService": "s3.eu-central-1.amazonaws.com" },
          StringLike: { "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::backup-dr-replica-1", "arn:aws:s3:::backup-dr-replica-1/*"] },
        },
      });
    });
  });

  it("batchReplicationStatements start replication of the protected buckets and report into the vault's runs/", () => {
    const s = batchReplicationStatements({ ...scope, sourceArns: ["arn:aws:s3:::orders"], reportBucketArn: "arn:aws:s3:::vault", keyArn: "arn:aws:kms:eu-west-1:111122223333:key/k" });
    expect(sid(s, "InitiateReplication")).to.deep.include({ Action: "s3:InitiateReplication", Resource: ["arn:aws:s3:::orders/*"] });
    expect(sid(s, "WriteCompletionReport").Resource).to.equal("arn:aws:s3:::vault/runs/batch-replication/*");
    expect(sid(s, "EncryptCompletionReport").Condition).to.deep.equal({ StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } });
  });

  describe("copyStatements", () => {
    const s = copyStatements({ ...scope, drRegion: "eu-central-1", drKeyArn: "arn:aws:kms:eu-central-1:111122223333:key/dr", stackTag: "backup-dr/prod", rdsSnapshotPrefix: "bdr-" });

    it("copies into the DR region and tags only as part of the copy", () => {
      expect(sid(s, "CopyEbsSnapshotsIntoDr").Resource).to.deep.equal(["arn:aws:ec2:eu-west-1::snapshot/*", "arn:aws:ec2:eu-central-1::snapshot/*"]);
      expect(sid(s, "TagEbsCopiesOnlyAtCreation")).to.deep.include({ Resource: "arn:aws:ec2:eu-central-1::snapshot/*", Condition: { StringEquals: { "ec2:CreateAction": "CopySnapshot" } } });
      expect(sid(s, "TagRdsCopiesOnlyAtCreation")).to.deep.include({
        Resource: ["arn:aws:rds:eu-central-1:111122223333:snapshot:bdr-*", "arn:aws:rds:eu-central-1:111122223333:cluster-snapshot:bdr-*"],
        Condition: { StringEquals: { "aws:RequestTag/backup-dr:stack": "backup-dr/prod" } },
      });
    });

    it("deletes only this stack's copies, only in the DR region", () => {
      const deletes = s.filter((st) => [st.Action].flat().some((a) => /Delete/.test(a)));
      expect(deletes.map((st) => [st.Resource, st.Condition])).to.deep.equal([
        ["arn:aws:ec2:eu-central-1::snapshot/*", { StringEquals: { "aws:ResourceTag/backup-dr:stack": "backup-dr/prod" } }],
        ["arn:aws:rds:eu-central-1:111122223333:snapshot:bdr-*", { StringEquals: { "rds:snapshot-tag/backup-dr:stack": "backup-dr/prod" } }],
        ["arn:aws:rds:eu-central-1:111122223333:cluster-snapshot:bdr-*", { StringEquals: { "rds:cluster-snapshot-tag/backup-dr:stack": "backup-dr/prod" } }],
      ]);
    });

    it("uses any source key (customer or aws/ebs, aws/rds) only through EBS and RDS of the primary region, the DR key only in the DR region", () => {
      const ebsGuide = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"];
      const source = sid(s, "UseSourceKeysThroughEbsAndRds");
      expect(source.Resource).to.equal("arn:aws:kms:eu-west-1:111122223333:key/*");
      expect(source.Action).to.include.members(ebsGuide);
      expect(source.Condition).to.deep.equal({ StringEquals: { "kms:ViaService": ["ec2.eu-west-1.amazonaws.com", "rds.eu-west-1.amazonaws.com"] } });
      const dr = sid(s, "UseDrKeyThroughEbsAndRds");
      expect(dr.Action).to.include.members([...ebsGuide, "kms:Encrypt", "kms:GenerateDataKey"]);
      expect(dr).to.deep.include({
        Resource: "arn:aws:kms:eu-central-1:111122223333:key/dr",
        Condition: { StringEquals: { "kms:ViaService": ["ec2.eu-central-1.amazonaws.com", "rds.eu-central-1.amazonaws.com"] } },
      });
      for (const a of actions(s)) expect(a).to.not.match(/\*$/);
    });

    it("creates grants on source and DR keys only for the services' own use (kms:GrantIsForAWSResource)", () => {
      const granting = s.filter((st) => [st.Action].flat().includes("kms:CreateGrant"));
      expect(granting.map((st) => st.Sid)).to.deep.equal(["GrantKeysOnlyToEbsAndRdsForTheCopy"]);
      expect(granting[0].Resource).to.deep.equal(["arn:aws:kms:eu-west-1:111122223333:key/*", "arn:aws:kms:eu-central-1:111122223333:key/dr"]);
      expect(granting[0].Condition).to.deep.equal({
        StringEquals: { "kms:ViaService": ["ec2.eu-west-1.amazonaws.com", "rds.eu-west-1.amazonaws.com", "ec2.eu-central-1.amazonaws.com", "rds.eu-central-1.amazonaws.com"] },
        Bool: { "kms:GrantIsForAWSResource": "true" },
      });
    });
  });

  describe("cleanupStatements", () => {
    const s = cleanupStatements({ ...scope, drRegion: "eu-central-1", stackTag: "backup-dr/prod" });

    it("deletes, in both regions, only snapshots tagged with this stack", () => {
      const deletes = s.filter((st) => [st.Action].flat().some((a) => /Delete/.test(a)));
      expect(deletes).to.have.length(3);
      for (const st of deletes) {
        expect(st.Condition, st.Sid).to.not.equal(undefined);
        const [key] = Object.keys(st.Condition?.StringEquals ?? {});
        expect(key, st.Sid).to.match(/^(aws:ResourceTag|rds:snapshot-tag|rds:cluster-snapshot-tag)\/backup-dr:stack$/);
        expect(st.Condition?.StringEquals[key], st.Sid).to.equal("backup-dr/prod");
        const resources = [st.Resource ?? []].flat();
        expect(resources.some((r) => r.includes("eu-central-1")), st.Sid).to.equal(true);
        expect(resources.some((r) => r.includes("eu-west-1")), st.Sid).to.equal(true);
      }
    });

    it("creates, copies and tags nothing", () => {
      for (const a of actions(s)) expect(a).to.match(/:(Describe|Delete)/);
    });
  });
});
