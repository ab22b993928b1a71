// S3 protection under mocks: two protected buckets, each replicated natively (with RTC) into its
// own locked replica vault in the DR region, with alarms, events and a least-privilege role.
import { expect } from "chai";
import type { BackupDrConfig } from "../../infra/config";
import { replicationStatements } from "../../infra/iam-replication";
import type { PolicyDocument } from "../../infra/policy-documents";
import { REPLICATION_RULE_ID, replicaVaultName } from "../../infra/replication";
import { deployStack, type Deployed } from "../helpers/deploy";
import { ACCOUNT_ID, promiseOf, type Registered } from "../helpers/program";
import { jsonInput, ofType, one, providerName } from "../helpers/resources";
import { stackValues } from "../helpers/stacks";

const BUCKETS = ["orders-data", "invoices.archive"];
const replicaName = (bucket: string) => `backup-dr-${replicaVaultName(bucket)}-1a2b3c4`;
const drKey = (region: string) => `arn:aws:kms:${region}:${ACCOUNT_ID}:key/dr-key-key-id`;

describe("S3 protection (prod with two protected buckets)", () => {
  let run: Deployed;
  let resources: Registered[];
  let config: BackupDrConfig;

  before(async () => {
    const values = { ...stackValues("prod"), "backup-dr:protectedBuckets": BUCKETS, "backup-dr:s3Replication": { storageClass: "GLACIER_IR", latencyAlarmSeconds: 1200 } };
    run = await deployStack("prod", values);
    resources = run.resources;
    config = run.result.config;
  });

  it("turns on versioning of each protected bucket, and keeps it on if the stack lets go", () => {
    for (const bucket of BUCKETS) {
      const v = one(resources, "aws:s3/bucketVersioning:BucketVersioning", `s3-replication-${bucket}-versioning`);
      expect(v.inputs).to.deep.equal({ bucket, versioningConfiguration: { status: "Enabled" } });
      expect(v.retainOnDelete).to.equal(true);
      expect(providerName(v)).to.equal("primary");
    }
  });

  it("gives each bucket its own locked, versioned, KMS-encrypted replica vault in the DR region", () => {
    for (const bucket of BUCKETS) {
      const vault = one(resources, "aws:s3/bucket:Bucket", `backup-dr-${replicaVaultName(bucket)}`);
      expect(vault.inputs).to.deep.include({ objectLockEnabled: true, tags: { "backup-dr:replica-of": bucket } });
      expect(providerName(vault)).to.equal("dr");
      const name = replicaVaultName(bucket);
      expect(one(resources, "aws:s3/bucketVersioning:BucketVersioning", `${name}-versioning`).inputs.versioningConfiguration).to.deep.equal({ status: "Enabled" });
      expect(one(resources, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", `${name}-object-lock`).inputs.rule).to.deep.equal({
        defaultRetention: { mode: "COMPLIANCE", days: config.vaultLock.days },
      });
      const sse = one(resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", `${name}-encryption`);
      expect(sse.inputs.rules).to.deep.equal([
        { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: drKey(config.drRegion) }, bucketKeyEnabled: true, blockedEncryptionTypes: ["SSE-C"] },
      ]);
      const lifecycle = one(resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", `${name}-lifecycle`).inputs.rules as Record<string, unknown>[];
      expect(lifecycle[0].noncurrentVersionTransitions).to.deep.equal([
        { noncurrentDays: 30, storageClass: "GLACIER_IR" },
        { noncurrentDays: 90, storageClass: "GLACIER" },
        { noncurrentDays: 180, storageClass: "DEEP_ARCHIVE" },
      ]);
      expect(lifecycle[0].noncurrentVersionExpiration).to.deep.equal({ noncurrentDays: config.vaultLifecycle.expireAfterDays });
      // The bucket's own keys: a user's runs/ is replicated and kept like any other object, never expired as manifests.
      expect(lifecycle.map((rule) => rule.id)).to.deep.equal(["noncurrent-versions-to-cold-storage", "remove-expired-delete-markers"]);
    }
  });

  it("replicates the whole bucket with RTC and metrics, re-encrypted with the DR key, deletes not replicated", () => {
    for (const bucket of BUCKETS) {
      const rc = one(resources, "aws:s3/bucketReplicationConfig:BucketReplicationConfig", `s3-replication-${bucket}`);
      expect(providerName(rc)).to.equal("primary");
      expect(rc.inputs).to.deep.equal({
        bucket,
        role: `arn:aws:iam::${ACCOUNT_ID}:role/s3-replication-role`,
        rules: [
          {
            id: REPLICATION_RULE_ID,
            status: "Enabled",
            priority: 0,
            filter: {},
            deleteMarkerReplication: { status: "Disabled" },
            sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
            destination: {
              bucket: `arn:aws:s3:::${replicaName(bucket)}`,
              storageClass: "GLACIER_IR",
              encryptionConfiguration: { replicaKmsKeyId: drKey(config.drRegion) },
              replicationTime: { status: "Enabled", time: { minutes: 15 } },
              metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
            },
          },
        ],
      });
      expect(rc.dependsOn.some((urn) => urn.endsWith(`::s3-replication-${bucket}-versioning`))).to.equal(true);
    }
  });

  it("uses one replication role, assumable by S3 of this account, with no * action and only the named resources", () => {
    expect(ofType(resources, "aws:iam/role:Role").filter((r) => r.name === "s3-replication-role")).to.have.length(1);
    const trust = jsonInput<PolicyDocument>(one(resources, "aws:iam/role:Role", "s3-replication-role"), "assumeRolePolicy");
    expect(trust.Statement[0]).to.deep.include({ Principal: { Service: "s3.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } } });
    const policy = jsonInput<PolicyDocument>(one(resources, "aws:iam/rolePolicy:RolePolicy", "s3-replication-policy"), "policy");
    const sources = BUCKETS.map((b) => `arn:aws:s3:::${b}`);
    const replicas = BUCKETS.map((b) => `arn:aws:s3:::${replicaName(b)}`);
    expect(policy.Statement).to.deep.equal(
      replicationStatements({ partition: "aws", region: config.region, accountId: ACCOUNT_ID, drRegion: config.drRegion, drKeyArn: drKey(config.drRegion), pairs: sources.map((sourceArn, i) => ({ sourceArn, replicaArn: replicas[i] })) }),
    );
    for (const s of policy.Statement) {
      for (const action of [s.Action].flat()) expect(action, s.Sid).to.not.match(/\*/);
      for (const resource of [s.Resource ?? []].flat()) {
        const allowed = [...sources, ...replicas].some((arn) => resource === arn || resource === `${arn}/*`) || resource.startsWith(`arn:aws:kms:${config.region}:${ACCOUNT_ID}:key/`) || resource === drKey(config.drRegion);
        expect(allowed, `${s.Sid} ${resource}`).to.equal(true);
      }
    }
    expect(policy.Statement.flatMap((s) => [s.Action].flat())).to.not.include("s3:ReplicateDelete");
  });

  it("alarms to the topic on failed replication and on latency above the configured seconds, per bucket", () => {
    const topicArn = `arn:aws:sns:${config.region}:${ACCOUNT_ID}:notifications`;
    for (const bucket of BUCKETS) {
      const dimensions = { SourceBucket: bucket, DestinationBucket: replicaName(bucket), RuleId: REPLICATION_RULE_ID };
      const failed = one(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", `s3-replication-${bucket}-failed-replication`);
      expect(failed.inputs).to.deep.include({ namespace: "AWS/S3", metricName: "OperationsFailedReplication", statistic: "Sum", threshold: 0, comparisonOperator: "GreaterThanThreshold", dimensions, alarmActions: [topicArn] });
      const latency = one(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", `s3-replication-${bucket}-replication-latency`);
      expect(latency.inputs).to.deep.include({ namespace: "AWS/S3", metricName: "ReplicationLatency", statistic: "Maximum", threshold: 1200, comparisonOperator: "GreaterThanThreshold", dimensions, alarmActions: [topicArn] });
    }
  });

  it("sends replication failure and missed-threshold events of each bucket to the topic, which S3 may publish to", () => {
    const topicArn = `arn:aws:sns:${config.region}:${ACCOUNT_ID}:notifications`;
    for (const bucket of BUCKETS) {
      expect(one(resources, "aws:s3/bucketNotification:BucketNotification", `s3-replication-${bucket}-events`).inputs).to.deep.equal({
        bucket,
        topics: [{ topicArn, events: ["s3:Replication:OperationFailedReplication", "s3:Replication:OperationMissedThreshold"] }],
      });
    }
    const topicPolicy = jsonInput<PolicyDocument>(one(resources, "aws:sns/topicPolicy:TopicPolicy", "notifications-policy"), "policy");
    const publish = topicPolicy.Statement.find((s) => s.Sid === "AwsServicesOfThisAccountPublish");
    expect(publish?.Principal).to.deep.include({ Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com", "s3.amazonaws.com"] });
    const keyPolicy = jsonInput<PolicyDocument>(one(resources, "aws:kms/key:Key", "primary-key"), "policy");
    const encrypt = keyPolicy.Statement.find((s) => s.Sid === "ServicesPublishToEncryptedTopics");
    expect(encrypt?.Principal).to.deep.equal({ Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com", "s3.amazonaws.com"] });
    // As in the S3 and SNS guides' key policies: SNS calls KMS for the service, with no aws:SourceAccount to match.
    expect(encrypt).to.deep.include({ Action: ["kms:GenerateDataKey*", "kms:Decrypt"], Resource: "*" });
    expect(encrypt?.Condition).to.equal(undefined);
  });

  it("has a Batch Replication role for backfills, reporting into the primary vault", () => {
    const policy = jsonInput<PolicyDocument>(one(resources, "aws:iam/rolePolicy:RolePolicy", "s3-replication-batch-policy"), "policy");
    expect(policy.Statement.find((s) => s.Sid === "InitiateReplication")?.Resource).to.deep.equal(BUCKETS.map((b) => `arn:aws:s3:::${b}/*`));
    expect(policy.Statement.find((s) => s.Sid === "WriteCompletionReport")?.Resource).to.equal("arn:aws:s3:::backup-dr-primary-vault-1a2b3c4/runs/batch-replication/*");
  });

  it("exports each bucket's replica vault and both role ARNs", async () => {
    const o = run.result.outputs;
    const replicas: Record<string, string> = {};
    for (const [bucket, name] of Object.entries(o.replicaBuckets)) replicas[bucket] = await promiseOf(name);
    expect(replicas).to.deep.equal(Object.fromEntries(BUCKETS.map((b) => [b, replicaName(b)])));
    if (!o.s3BatchReplicationRoleArn || !o.s3ReplicationRoleArn) throw new Error("role outputs missing");
    expect(await promiseOf(o.s3ReplicationRoleArn)).to.equal(`arn:aws:iam::${ACCOUNT_ID}:role/s3-replication-role`);
    expect(await promiseOf(o.s3BatchReplicationRoleArn)).to.equal(`arn:aws:iam::${ACCOUNT_ID}:role/s3-replication-batch-role`);
  });
});

describe("S3 protection on a first deploy (vault lock off)", () => {
  let resources: Registered[];
  const dependsOn = (r: Registered, name: string) => r.dependsOn.some((urn) => urn.endsWith(`::${name}`));

  before(async () => {
    const values = { ...stackValues("dev"), "backup-dr:protectedBuckets": BUCKETS, "backup-dr:vaultLock": { mode: "off" } };
    resources = (await deployStack("dev", values)).resources;
  });

  it("sets replication only after the replica vault's versioning is on", () => {
    for (const bucket of BUCKETS) {
      expect(ofType(resources, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration")).to.deep.equal([]);
      const rc = one(resources, "aws:s3/bucketReplicationConfig:BucketReplicationConfig", `s3-replication-${bucket}`);
      expect(dependsOn(rc, `${replicaVaultName(bucket)}-versioning`), bucket).to.equal(true);
    }
  });

  it("sets the bucket notification only after the topic policy lets S3 publish", () => {
    for (const bucket of BUCKETS) {
      const events = one(resources, "aws:s3/bucketNotification:BucketNotification", `s3-replication-${bucket}-events`);
      expect(dependsOn(events, "notifications-policy"), bucket).to.equal(true);
    }
  });
});

describe("S3 protection switches", () => {
  it("with eventNotifications off, leaves the buckets' notification configuration alone", async () => {
    const values = { ...stackValues("dev"), "backup-dr:protectedBuckets": ["orders-data"], "backup-dr:s3Replication": { eventNotifications: false } };
    const run = await deployStack("dev", values);
    expect(ofType(run.resources, "aws:s3/bucketNotification:BucketNotification")).to.deep.equal([]);
    expect(ofType(run.resources, "aws:s3/bucketReplicationConfig:BucketReplicationConfig")).to.have.length(1);
  });
});
