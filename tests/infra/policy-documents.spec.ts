// The resource policy documents, as pure functions.
import { expect } from "chai";
import {
  KEY_ADMIN_ACTIONS,
  KEY_USE_ACTIONS,
  accessLogBucketPolicy,
  keyPolicy,
  topicPolicy,
  vaultBucketPolicy,
  type PolicyStatement,
} from "../../infra/policy-documents";

const account = { accountId: "111122223333", partition: "aws-us-gov", dnsSuffix: "amazonaws.com" };
const bySid = (statements: PolicyStatement[], sid: string) => {
  const found = statements.find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
};

describe("policy documents", () => {
  describe("keyPolicy", () => {
    const policy = keyPolicy({ ...account, region: "us-gov-west-1", topicPublishers: ["cloudwatch.amazonaws.com"] });

    it("lets the account administer the key, in its own partition", () => {
      const admin = bySid(policy.Statement, "AccountAdministersKey");
      expect(admin).to.deep.include({ Effect: "Allow", Principal: { AWS: "arn:aws-us-gov:iam::111122223333:root" }, Action: KEY_ADMIN_ACTIONS });
      expect(admin.Action).to.not.include("kms:Decrypt");
      expect(admin.Action).to.not.include("kms:*");
    });

    it("grants CreateGrant only for AWS resources through the backup services, never in the admin statement", () => {
      const allows = (pattern: string, action: string) => new RegExp(`^${pattern.replace(/\*/g, ".*")}$`).test(action);
      const granting = policy.Statement.filter((s) => [s.Action].flat().some((a) => allows(a, "kms:CreateGrant")));
      expect(granting.map((s) => s.Sid)).to.deep.equal(["AccountGrantsKeyOnlyToBackupServices"]);
      expect(granting[0].Condition).to.deep.equal({
        StringEquals: {
          "kms:ViaService": ["ec2", "rds", "s3", "sns", "sqs"].map((s) => `${s}.us-gov-west-1.amazonaws.com`),
          "kms:CallerAccount": "111122223333",
        },
        Bool: { "kms:GrantIsForAWSResource": "true" },
      });
    });

    it("lets the account's principals use the key only through the backup services of this region", () => {
      const use = bySid(policy.Statement, "AccountUsesKeyThroughBackupServices");
      expect(use.Action).to.deep.equal(KEY_USE_ACTIONS);
      expect(use.Condition).to.deep.equal({
        StringEquals: {
          "kms:ViaService": ["ec2", "rds", "s3", "sns", "sqs"].map((s) => `${s}.us-gov-west-1.amazonaws.com`),
          "kms:CallerAccount": "111122223333",
        },
      });
    });

    it("lets CloudWatch Logs encrypt this account's log groups in this region only", () => {
      const logs = bySid(policy.Statement, "CloudWatchLogsEncryptsThisAccountsLogs");
      expect(logs.Principal).to.deep.equal({ Service: "logs.us-gov-west-1.amazonaws.com" });
      expect(logs.Condition).to.deep.equal({ ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws-us-gov:logs:us-gov-west-1:111122223333:*" } });
    });

    it("lets the named publishers encrypt messages for an encrypted topic, as the S3 and SNS guides' key policies do", () => {
      const publish = bySid(policy.Statement, "ServicesPublishToEncryptedTopics");
      expect(publish).to.deep.include({ Principal: { Service: ["cloudwatch.amazonaws.com"] }, Action: ["kms:GenerateDataKey*", "kms:Decrypt"] });
      expect(publish.Condition).to.equal(undefined);
    });

    it("has no publisher statement without publishers, and never a * principal or Deny", () => {
      const dr = keyPolicy({ ...account, region: "us-gov-east-1", topicPublishers: [] });
      expect(dr.Statement.map((s) => s.Sid)).to.deep.equal([
        "AccountAdministersKey",
        "AccountUsesKeyThroughBackupServices",
        "AccountGrantsKeyOnlyToBackupServices",
        "CloudWatchLogsEncryptsThisAccountsLogs",
      ]);
      for (const s of [...dr.Statement, ...policy.Statement]) {
        expect(s.Principal, s.Sid).to.not.equal("*");
        expect(JSON.stringify(s.Principal), s.Sid).to.not.include('"*"');
      }
    });
  });

  it("vaultBucketPolicy denies non-TLS requests to the bucket and its objects", () => {
    expect(vaultBucketPolicy("arn:aws:s3:::v")).to.deep.equal({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: ["arn:aws:s3:::v", "arn:aws:s3:::v/*"],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    });
  });

  it("accessLogBucketPolicy admits S3 log delivery only from the named buckets of this account", () => {
    const policy = accessLogBucketPolicy("arn:aws:s3:::logs", ["arn:aws:s3:::v1", "arn:aws:s3:::v2"], account);
    expect(policy.Statement.map((s) => s.Sid)).to.deep.equal(["DenyInsecureTransport", "S3ServerAccessLogDelivery"]);
    expect(bySid(policy.Statement, "S3ServerAccessLogDelivery")).to.deep.equal({
      Sid: "S3ServerAccessLogDelivery",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: "arn:aws:s3:::logs/*",
      Condition: { ArnLike: { "aws:SourceArn": ["arn:aws:s3:::v1", "arn:aws:s3:::v2"] }, StringEquals: { "aws:SourceAccount": "111122223333" } },
    });
  });

  it("topicPolicy lets the account manage, the named services of this account publish, and denies non-TLS publishing", () => {
    const arn = "arn:aws:sns:us-east-1:111122223333:t";
    const policy = topicPolicy(arn, ["events.amazonaws.com"], account);
    expect(bySid(policy.Statement, "AccountManagesTopic").Principal).to.deep.equal({ AWS: "arn:aws-us-gov:iam::111122223333:root" });
    expect(bySid(policy.Statement, "AwsServicesOfThisAccountPublish")).to.deep.include({
      Principal: { Service: ["events.amazonaws.com"] },
      Action: "sns:Publish",
      Resource: arn,
      Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
    });
    expect(bySid(policy.Statement, "DenyInsecureTransport")).to.deep.include({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    for (const s of policy.Statement.filter((x) => x.Effect === "Allow")) expect(s.Action, s.Sid).to.not.equal("sns:*");
  });
});
