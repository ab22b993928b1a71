// The program under mocks, for each shipped stack: providers, keys, vaults, topic and outputs,
// with every input that matters and the provider (region) each resource is created with.
import { expect } from "chai";
import { parseConfig, type BackupDrConfig } from "../../infra/config";
import { manifestKey } from "../../handlers/lib/run-id";
import type { PolicyDocument } from "../../infra/policy-documents";
import { deployStack, type Deployed } from "../helpers/deploy";
import { ACCOUNT_ID, promiseOf, type Registered } from "../helpers/program";
import { jsonInput, ofType, one, providerName } from "../helpers/resources";
import { stackValues } from "../helpers/stacks";

const T = {
  provider: "pulumi:providers:aws",
  key: "aws:kms/key:Key",
  alias: "aws:kms/alias:Alias",
  bucket: "aws:s3/bucket:Bucket",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  objectLock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  logging: "aws:s3/bucketLogging:BucketLogging",
  topic: "aws:sns/topic:Topic",
  topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
};

const keyArn = (name: string, region: string) => `arn:aws:kms:${region}:${ACCOUNT_ID}:key/${name}-key-id`;

for (const stack of ["dev", "prod"]) {
  describe(`stack ${stack} (Pulumi.${stack}.yaml under mocks)`, () => {
    let run: Deployed;
    let config: BackupDrConfig;
    let resources: Registered[];
    const regions = () => ({ primary: config.region, dr: config.drRegion });

    before(async () => {
      run = await deployStack(stack);
      config = run.result.config;
      resources = run.resources;
    });

    it("reads the stack file it was given", () => {
      expect(config).to.deep.equal(parseConfig(stackValues(stack), { project: "backup-dr", stack }));
    });

    it("creates a primary and a DR provider, in their regions, with the default tags", () => {
      const providers = ofType(resources, T.provider);
      expect(providers.map((p) => p.name).sort()).to.deep.equal(["dr", "primary"]);
      const tags = { ...config.tags, "backup-dr:stack": `backup-dr/${stack}`, environment: stack };
      for (const p of providers) {
        expect(p.inputs.region).to.equal(regions()[p.name as "primary" | "dr"]);
        expect(JSON.parse(String(p.inputs.defaultTags))).to.deep.equal({ tags });
      }
    });

    it("makes only the data-source calls it needs, through the primary provider", () => {
      expect(run.calls.map((c) => c.replace(/@.*::pulumi:providers:aws::(\w+)::.*$/, "@$1")).sort()).to.deep.equal([
        "aws:index/getCallerIdentity:getCallerIdentity@primary",
        "aws:index/getPartition:getPartition@primary",
      ]);
    });

    it("puts every resource of a DR component on the DR provider and every other on the primary", () => {
      const regional = resources.filter((r) => r.type.startsWith("aws:"));
      expect(regional.length).to.be.greaterThan(30);
      for (const r of regional) {
        const expected = r.parent.includes("::dr-") ? "dr" : "primary";
        expect(providerName(r), `${r.type} ${r.name}`).to.equal(expected);
      }
    });

    for (const side of ["primary", "dr"] as const) {
      describe(`${side} key`, () => {
        it("is a rotated symmetric key with the configured deletion window and an alias", () => {
          const key = one(resources, T.key, `${side}-key`);
          expect(key.inputs).to.deep.include({
            enableKeyRotation: true,
            deletionWindowInDays: stack === "prod" ? 30 : 7,
            keyUsage: "ENCRYPT_DECRYPT",
            customerMasterKeySpec: "SYMMETRIC_DEFAULT",
            multiRegion: false,
          });
          expect(providerName(key)).to.equal(side);
          const alias = one(resources, T.alias, `${side}-key-alias`);
          expect(alias.inputs).to.deep.include({ name: `alias/backup-dr/${stack}`, targetKeyId: `${side}-key-key-id` });
        });

        it("has a policy for this account and region that names no * principal", () => {
          const policy = jsonInput<PolicyDocument>(one(resources, T.key, `${side}-key`), "policy");
          const region = regions()[side];
          expect(policy.Statement.map((s) => s.Sid)).to.include.members([
            "AccountAdministersKey",
            "AccountUsesKeyThroughBackupServices",
            "CloudWatchLogsEncryptsThisAccountsLogs",
          ]);
          for (const s of policy.Statement) expect(s.Principal, s.Sid).to.not.equal("*");
          const use = policy.Statement.find((s) => s.Sid === "AccountUsesKeyThroughBackupServices");
          expect(use?.Condition?.StringEquals["kms:ViaService"]).to.include.members([`ec2.${region}.amazonaws.com`, `rds.${region}.amazonaws.com`, `s3.${region}.amazonaws.com`]);
          expect(use?.Principal).to.deep.equal({ AWS: `arn:aws:iam::${ACCOUNT_ID}:root` });
          // Each key encrypts its region's topic: the primary one takes alarms, rules and S3 events; the DR one alarms only.
          expect(policy.Statement.find((s) => s.Sid === "ServicesPublishToEncryptedTopics")?.Principal).to.deep.equal({
            Service: side === "primary" ? ["cloudwatch.amazonaws.com", "events.amazonaws.com", "s3.amazonaws.com"] : ["cloudwatch.amazonaws.com"],
          });
        });

        it(stack === "prod" ? "is protected and retained on delete" : "is destroyable", () => {
          const key = one(resources, T.key, `${side}-key`);
          expect([key.protect, key.retainOnDelete]).to.deep.equal(stack === "prod" ? [true, true] : [false, false]);
        });
      });

      describe(`${side} vault`, () => {
        const name = `${side}-vault`;
        const bucketName = `backup-dr-${name}-1a2b3c4`;

        it("is a bucket with Object Lock, destroyable in dev and protected in prod", () => {
          const bucket = one(resources, T.bucket, `backup-dr-${name}`);
          expect(bucket.inputs.objectLockEnabled).to.equal(true);
          expect(bucket.inputs.forceDestroy).to.equal(stack === "dev");
          expect([bucket.protect, bucket.retainOnDelete]).to.deep.equal(stack === "prod" ? [true, true] : [false, false]);
          expect(providerName(bucket)).to.equal(side);
        });

        it("is versioned, SSE-KMS with its region's key and bucket keys, SSE-C blocked", () => {
          expect(one(resources, T.versioning, `${name}-versioning`).inputs).to.deep.include({ bucket: bucketName, versioningConfiguration: { status: "Enabled" } });
          expect(one(resources, T.encryption, `${name}-encryption`).inputs).to.deep.equal({
            bucket: bucketName,
            rules: [
              {
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn(`${side}-key`, regions()[side]) },
                bucketKeyEnabled: true,
                blockedEncryptionTypes: ["SSE-C"],
              },
            ],
          });
        });

        it("blocks all public access and enforces bucket-owner ownership", () => {
          expect(one(resources, T.publicAccess, `${name}-public-access`).inputs).to.deep.equal({
            bucket: bucketName,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
          });
          expect(one(resources, T.ownership, `${name}-ownership`).inputs).to.deep.equal({ bucket: bucketName, rule: { objectOwnership: "BucketOwnerEnforced" } });
        });

        it("denies every request that is not over TLS", () => {
          const policy = jsonInput<PolicyDocument>(one(resources, T.bucketPolicy, `${name}-policy`), "policy");
          expect(policy.Statement).to.deep.equal([
            {
              Sid: "DenyInsecureTransport",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: [`arn:aws:s3:::${bucketName}`, `arn:aws:s3:::${bucketName}/*`],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
          ]);
        });

        it("locks every object version by default, per vaultLock", () => {
          const lock = one(resources, T.objectLock, `${name}-object-lock`);
          expect(lock.inputs).to.deep.equal({
            bucket: bucketName,
            objectLockEnabled: "Enabled",
            rule: { defaultRetention: { mode: config.vaultLock.mode, days: config.vaultLock.days } },
          });
          expect(lock.dependsOn.some((urn) => urn.endsWith(`::${name}-versioning`))).to.equal(true);
        });

        it("tiers noncurrent versions to cold storage and expires them, and expires run manifests (runs/), per vaultLifecycle", () => {
          const lifecycle = one(resources, T.lifecycle, `${name}-lifecycle`);
          const l = config.vaultLifecycle;
          const transitions = [
            { noncurrentDays: l.glacierIrAfterDays, storageClass: "GLACIER_IR" },
            { noncurrentDays: l.glacierAfterDays, storageClass: "GLACIER" },
            { noncurrentDays: l.deepArchiveAfterDays, storageClass: "DEEP_ARCHIVE" },
          ].filter((t) => t.noncurrentDays > 0);
          expect(lifecycle.inputs.rules).to.deep.equal([
            {
              id: "noncurrent-versions-to-cold-storage",
              status: "Enabled",
              filter: {},
              noncurrentVersionTransitions: transitions,
              noncurrentVersionExpiration: { noncurrentDays: l.expireAfterDays },
              abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            },
            { id: "remove-expired-delete-markers", status: "Enabled", filter: {}, expiration: { expiredObjectDeleteMarker: true } },
            { id: "expire-run-manifests", status: "Enabled", filter: { prefix: "runs/" }, expiration: { days: l.runsExpireDays }, noncurrentVersionExpiration: { noncurrentDays: 1 } },
          ]);
          // The prefix is the one every manifest key starts with.
          expect(manifestKey("copy", new Date("2026-11-22T00:00:00Z"), "sweep@x").startsWith("runs/")).to.equal(true);
        });

        it("logs access to its own SSE-S3 log bucket, which accepts S3 log delivery for the vault only", () => {
          const logs = `${name}-access-logs`;
          const logBucket = one(resources, T.bucket, `backup-dr-${logs}`);
          expect(logBucket.inputs.objectLockEnabled).to.equal(false);
          expect(providerName(logBucket)).to.equal(side);
          expect(one(resources, T.logging, `${name}-logging`).inputs).to.deep.include({ bucket: bucketName, targetBucket: `backup-dr-${logs}-1a2b3c4`, targetPrefix: "vault/" });
          expect(one(resources, T.encryption, `${logs}-encryption`).inputs.rules).to.deep.equal([
            { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: false, blockedEncryptionTypes: ["SSE-C"] },
          ]);
          expect(one(resources, T.versioning, `${logs}-versioning`).inputs.versioningConfiguration).to.deep.equal({ status: "Enabled" });
          expect(one(resources, T.publicAccess, `${logs}-public-access`).inputs).to.deep.include({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
          expect(one(resources, T.ownership, `${logs}-ownership`).inputs.rule).to.deep.equal({ objectOwnership: "BucketOwnerEnforced" });
          const policy = jsonInput<PolicyDocument>(one(resources, T.bucketPolicy, `${logs}-policy`), "policy");
          const delivery = policy.Statement.find((s) => s.Sid === "S3ServerAccessLogDelivery");
          expect(delivery?.Condition).to.deep.equal({
            ArnLike: { "aws:SourceArn": [`arn:aws:s3:::${bucketName}`] },
            StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
          });
          expect(policy.Statement.some((s) => s.Sid === "DenyInsecureTransport")).to.equal(true);
          const expiry = one(resources, T.lifecycle, `${logs}-lifecycle`).inputs.rules as { expiration: unknown }[];
          expect(expiry[0].expiration).to.deep.equal({ days: config.logRetentionDays });
        });
      });
    }

    it("publishes to a topic encrypted with the primary key, with one email subscription per address", () => {
      const topic = one(resources, T.topic, "notifications");
      expect(topic.inputs.kmsMasterKeyId).to.equal(keyArn("primary-key", config.region));
      expect(providerName(topic)).to.equal("primary");
      const subscriptions = ofType(resources, T.subscription).filter((s) => providerName(s) === "primary");
      expect(subscriptions.map((s) => s.inputs.endpoint).sort()).to.deep.equal([...config.notifyEmails].sort());
      for (const s of subscriptions) expect(s.inputs).to.deep.include({ protocol: "email", topic: `arn:aws:sns:${config.region}:${ACCOUNT_ID}:notifications` });
      const policy = jsonInput<PolicyDocument>(one(resources, T.topicPolicy, "notifications-policy"), "policy");
      expect(policy.Statement.find((s) => s.Sid === "AwsServicesOfThisAccountPublish")?.Principal).to.deep.equal({
        Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com", "s3.amazonaws.com"],
      });
    });

    it("has a DR topic encrypted with the DR key, with the same subscriptions, that only CloudWatch alarms publish to", () => {
      const topic = one(resources, T.topic, "dr-notifications");
      expect(topic.inputs.kmsMasterKeyId).to.equal(keyArn("dr-key", config.drRegion));
      expect(providerName(topic)).to.equal("dr");
      const subscriptions = ofType(resources, T.subscription).filter((s) => providerName(s) === "dr");
      expect(subscriptions.map((s) => s.inputs.endpoint).sort()).to.deep.equal([...config.notifyEmails].sort());
      for (const s of subscriptions) expect(s.inputs).to.deep.include({ protocol: "email", topic: `arn:aws:sns:${config.drRegion}:${ACCOUNT_ID}:dr-notifications` });
      const policy = jsonInput<PolicyDocument>(one(resources, T.topicPolicy, "dr-notifications-policy"), "policy");
      expect(policy.Statement.find((s) => s.Sid === "AwsServicesOfThisAccountPublish")?.Principal).to.deep.equal({ Service: ["cloudwatch.amazonaws.com"] });
    });

    it("exports regions, key ARNs, vault bucket names and the topic ARN", async () => {
      const o = run.result.outputs;
      expect({
        primaryRegion: o.primaryRegion,
        drRegion: o.drRegion,
        primaryKeyArn: await promiseOf(o.primaryKeyArn),
        drKeyArn: await promiseOf(o.drKeyArn),
        primaryVaultBucket: await promiseOf(o.primaryVaultBucket),
        drVaultBucket: await promiseOf(o.drVaultBucket),
        topicArn: await promiseOf(o.topicArn),
      }).to.deep.equal({
        primaryRegion: config.region,
        drRegion: config.drRegion,
        primaryKeyArn: keyArn("primary-key", config.region),
        drKeyArn: keyArn("dr-key", config.drRegion),
        primaryVaultBucket: "backup-dr-primary-vault-1a2b3c4",
        drVaultBucket: "backup-dr-dr-vault-1a2b3c4",
        topicArn: `arn:aws:sns:${config.region}:${ACCOUNT_ID}:notifications`,
      });
    });
  });
}

describe("stack variants", () => {
  it("with vaultLock off, creates no Object Lock on either vault", async () => {
    const run = await deployStack("dev", { ...stackValues("dev"), "backup-dr:vaultLock": { mode: "off" } });
    expect(ofType(run.resources, T.objectLock)).to.deep.equal([]);
    expect(one(run.resources, T.bucket, "backup-dr-primary-vault").inputs.objectLockEnabled).to.equal(false);
    expect(one(run.resources, T.bucket, "backup-dr-dr-vault").inputs.objectLockEnabled).to.equal(false);
  });

  it("with no protected buckets, creates no replication, replica vault or S3 notification", async () => {
    const run = await deployStack("dev", { ...stackValues("dev"), "backup-dr:protectedBuckets": [] });
    for (const type of ["aws:s3/bucketReplicationConfig:BucketReplicationConfig", "aws:s3/bucketNotification:BucketNotification", "backup-dr:replication:S3Replication"]) {
      expect(ofType(run.resources, type), type).to.deep.equal([]);
    }
    expect(ofType(run.resources, T.bucket).map((b) => b.name).sort()).to.deep.equal([
      "backup-dr-dr-vault",
      "backup-dr-dr-vault-access-logs",
      "backup-dr-primary-vault",
      "backup-dr-primary-vault-access-logs",
    ]);
    expect(run.result.outputs.replicaBuckets).to.deep.equal({});
    expect(run.result.outputs.s3ReplicationRoleArn).to.equal(undefined);
  });

  it("with no addresses, creates the two topics and no subscription", async () => {
    const run = await deployStack("dev", { ...stackValues("dev"), "backup-dr:notifyEmails": [] });
    expect(ofType(run.resources, T.topic).map((t) => t.name).sort()).to.deep.equal(["dr-notifications", "notifications"]);
    expect(ofType(run.resources, T.subscription)).to.deep.equal([]);
  });
});
