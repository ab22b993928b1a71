// Bucket policies on a synthetic stack of a vault and its access-log bucket, each a Bucket with its
// v7 standalone settings, then with one setting weakened or removed at a time.
import { expect } from "chai";
import {
  s3BucketKmsEncryption,
  s3BucketPublicAccessBlock,
  s3BucketTlsOnly,
  s3BucketVersioning,
  s3VaultLifecycle,
  s3VaultObjectLock,
} from "../../policies/buckets";
import type { StackResource } from "../../tools/policy-check/model";
import { ACCOUNT, check, json, provider, replace, resource, urnOf, withProps } from "./harness";

const T = {
  bucket: "aws:s3/bucket:Bucket",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
  lock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  logging: "aws:s3/bucketLogging:BucketLogging",
};
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/primary-key-key-id`;
const VAULT = "backup-dr-primary-vault";
const LOGS = "backup-dr-primary-vault-access-logs";
const physical = (name: string) => `${name}-1a2b3c4`;
const vaultLabel = `${VAULT} (${T.bucket})`;
const logsLabel = `${LOGS} (${T.bucket})`;

const tlsOnly = (name: string) =>
  json({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [`arn:aws:s3:::${physical(name)}`, `arn:aws:s3:::${physical(name)}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });

/** A bucket and its settings, as infra/bucket.ts hardens it; `kms` false means SSE-S3. */
function hardened(name: string, kms: boolean, objectLock: boolean, p: StackResource): StackResource[] {
  const bucket = physical(name);
  const opts = { provider: p };
  return [
    resource(T.bucket, name, { objectLockEnabled: objectLock, forceDestroy: false }, { ...opts, computed: { bucket, arn: `arn:aws:s3:::${bucket}` } }),
    resource(T.versioning, `${name}-versioning`, { bucket, versioningConfiguration: { status: "Enabled" } }, opts),
    resource(
      T.encryption,
      `${name}-encryption`,
      { bucket, rules: [{ applyServerSideEncryptionByDefault: kms ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN } : { sseAlgorithm: "AES256" }, bucketKeyEnabled: kms }] },
      opts,
    ),
    resource(T.publicAccess, `${name}-public-access`, { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, opts),
    resource(T.policy, `${name}-policy`, { bucket, policy: tlsOnly(name) }, opts),
  ];
}

function stack(): StackResource[] {
  const p = provider("primary", "us-east-1");
  const vault = physical(VAULT);
  return [
    p,
    ...hardened(VAULT, true, true, p),
    ...hardened(LOGS, false, false, p),
    resource(T.lock, "primary-vault-object-lock", { bucket: vault, objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: "COMPLIANCE", days: 35 } } }, { provider: p }),
    resource(T.lifecycle, "primary-vault-lifecycle", { bucket: vault, rules: [{ id: "tiers", status: "Enabled", filter: {} }] }, { provider: p }),
    resource(T.logging, "primary-vault-logging", { bucket: vault, targetBucket: physical(LOGS), targetPrefix: "vault/" }, { provider: p }),
  ];
}

const find = (resources: StackResource[], type: string, name: string): StackResource => {
  const found = resources.find((r) => r.urn === urnOf(type, name));
  if (found === undefined) throw new Error(`fixture has no ${type} ${name}`);
  return found;
};

/** The stack with one resource's props changed (or the resource removed). */
function weakened(type: string, name: string, changes: Record<string, unknown> | "remove"): StackResource[] {
  const resources = stack();
  const target = find(resources, type, name);
  return replace(resources, target.urn, changes === "remove" ? undefined : withProps(target, changes));
}

describe("policies: S3 buckets", () => {
  const all = [s3BucketVersioning, s3BucketKmsEncryption, s3BucketPublicAccessBlock, s3BucketTlsOnly, s3VaultObjectLock, s3VaultLifecycle];

  it("every bucket policy passes the hardened vault and its SSE-S3 access-log bucket", async () => {
    for (const policy of all) expect(await check(policy, stack()), policy.name).to.deep.equal([]);
  });

  describe("s3-bucket-versioning", () => {
    it("reports a bucket without versioning", async () => {
      expect(await check(s3BucketVersioning, weakened(T.versioning, `${LOGS}-versioning`, "remove"))).to.deep.equal([
        `${logsLabel}: The bucket has no versioning: add an aws.s3.BucketVersioning for it with versioningConfiguration.status "Enabled".`,
      ]);
    });

    it("reports suspended versioning", async () => {
      expect(await check(s3BucketVersioning, weakened(T.versioning, `${VAULT}-versioning`, { versioningConfiguration: { status: "Suspended" } }))).to.deep.equal([
        `${vaultLabel}: The bucket's versioning is "Suspended": set versioningConfiguration.status to "Enabled".`,
      ]);
    });
  });

  describe("s3-bucket-kms-encryption", () => {
    const sse = (d: Record<string, unknown>) => ({ rules: [{ applyServerSideEncryptionByDefault: d }] });

    it("reports a vault without default encryption", async () => {
      expect(await check(s3BucketKmsEncryption, weakened(T.encryption, `${VAULT}-encryption`, "remove"))).to.deep.equal([
        `${vaultLabel}: The bucket has no default encryption: add an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm "aws:kms" and kmsMasterKeyId set to the region's customer-managed key.`,
      ]);
    });

    it("reports SSE-S3 on a bucket that is not a log target", async () => {
      expect(await check(s3BucketKmsEncryption, weakened(T.encryption, `${VAULT}-encryption`, sse({ sseAlgorithm: "AES256" })))).to.deep.equal([
        `${vaultLabel}: The bucket's default encryption is "AES256": set sseAlgorithm "aws:kms" and kmsMasterKeyId to the region's customer-managed key.`,
      ]);
    });

    it("reports the AWS-managed key, by omission or by alias", async () => {
      const message = `${vaultLabel}: The bucket's default encryption uses the AWS-managed key aws/s3: set kmsMasterKeyId to the region's customer-managed key.`;
      expect(await check(s3BucketKmsEncryption, weakened(T.encryption, `${VAULT}-encryption`, sse({ sseAlgorithm: "aws:kms" })))).to.deep.equal([message]);
      expect(await check(s3BucketKmsEncryption, weakened(T.encryption, `${VAULT}-encryption`, sse({ sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/aws/s3" })))).to.deep.equal([message]);
    });

    it("reports SSE-KMS on a server-access-log target, and exempts it only while it is one", async () => {
      expect(await check(s3BucketKmsEncryption, weakened(T.encryption, `${LOGS}-encryption`, sse({ sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN })))).to.deep.equal([
        `${logsLabel}: The bucket receives S3 server access logs, which S3 delivers only to SSE-S3 buckets: set sseAlgorithm "AES256" (no KMS key).`,
      ]);
      expect(await check(s3BucketKmsEncryption, weakened(T.logging, "primary-vault-logging", "remove"))).to.deep.equal([
        `${logsLabel}: The bucket's default encryption is "AES256": set sseAlgorithm "aws:kms" and kmsMasterKeyId to the region's customer-managed key.`,
      ]);
    });
  });

  describe("s3-bucket-public-access-block", () => {
    it("reports a bucket without a public access block", async () => {
      expect(await check(s3BucketPublicAccessBlock, weakened(T.publicAccess, `${VAULT}-public-access`, "remove"))).to.deep.equal([
        `${vaultLabel}: The bucket has no public access block: add an aws.s3.BucketPublicAccessBlock for it with blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets all true.`,
      ]);
    });

    it("names the settings left off", async () => {
      expect(await check(s3BucketPublicAccessBlock, weakened(T.publicAccess, `${LOGS}-public-access`, { blockPublicPolicy: false }))).to.deep.equal([
        `${logsLabel}: The bucket's public access block leaves blockPublicPolicy off: set it to true.`,
      ]);
      expect(await check(s3BucketPublicAccessBlock, weakened(T.publicAccess, `${LOGS}-public-access`, { ignorePublicAcls: undefined, restrictPublicBuckets: false }))).to.deep.equal([
        `${logsLabel}: The bucket's public access block leaves ignorePublicAcls, restrictPublicBuckets off: set them to true.`,
      ]);
    });
  });

  describe("s3-bucket-tls-only", () => {
    const noTls = `${vaultLabel}: The bucket's policy does not refuse plain HTTP: add a Deny statement for principal "*", action "s3:*", the bucket and its objects, with condition Bool aws:SecureTransport "false".`;
    const statement = (changes: Record<string, unknown>) => {
      const doc = JSON.parse(tlsOnly(VAULT)) as { Statement: Record<string, unknown>[] };
      return json({ ...doc, Statement: [{ ...doc.Statement[0], ...changes }] });
    };

    it("reports a bucket without a policy", async () => {
      expect(await check(s3BucketTlsOnly, weakened(T.policy, `${VAULT}-policy`, "remove"))).to.deep.equal([
        `${vaultLabel}: The bucket has no bucket policy: add an aws.s3.BucketPolicy that denies "s3:*" on the bucket and its objects to principal "*" when aws:SecureTransport is "false".`,
      ]);
    });

    it("reports a policy whose deny misses the condition, the objects or the actions", async () => {
      expect(await check(s3BucketTlsOnly, weakened(T.policy, `${VAULT}-policy`, { policy: statement({ Condition: {} }) }))).to.deep.equal([noTls]);
      expect(await check(s3BucketTlsOnly, weakened(T.policy, `${VAULT}-policy`, { policy: statement({ Resource: `arn:aws:s3:::${physical(VAULT)}` }) }))).to.deep.equal([noTls]);
      expect(await check(s3BucketTlsOnly, weakened(T.policy, `${VAULT}-policy`, { policy: statement({ Action: "s3:GetObject" }) }))).to.deep.equal([noTls]);
    });

    it("accepts the policy as an object and a boolean condition value", async () => {
      const doc = JSON.parse(statement({ Condition: { Bool: { "aws:SecureTransport": false } } })) as unknown;
      expect(await check(s3BucketTlsOnly, weakened(T.policy, `${VAULT}-policy`, { policy: doc }))).to.deep.equal([]);
    });
  });

  describe("s3-vault-object-lock", () => {
    const noConfig = `${vaultLabel}: The vault bucket has no Object Lock configuration: add an aws.s3.BucketObjectLockConfiguration with a default retention (backup-dr:vaultLock).`;

    it("reports a vault without an Object Lock configuration", async () => {
      expect(await check(s3VaultObjectLock, weakened(T.lock, "primary-vault-object-lock", "remove"))).to.deep.equal([noConfig]);
    });

    it("reports a vault created without Object Lock (vault by its name)", async () => {
      const resources = replace(weakened(T.lock, "primary-vault-object-lock", "remove"), urnOf(T.bucket, VAULT), withProps(find(stack(), T.bucket, VAULT), { objectLockEnabled: false }));
      expect(await check(s3VaultObjectLock, resources)).to.deep.equal([
        `${vaultLabel}: The vault bucket was created without Object Lock: set objectLockEnabled: true on the bucket (backup-dr:vaultLock mode GOVERNANCE or COMPLIANCE; this replaces the bucket).`,
        noConfig,
      ]);
    });

    it("reports a configuration without a default retention", async () => {
      expect(await check(s3VaultObjectLock, weakened(T.lock, "primary-vault-object-lock", { rule: undefined }))).to.deep.equal([
        `${vaultLabel}: The vault bucket's Object Lock configuration has no default retention: set rule.defaultRetention with a mode and a number of days.`,
      ]);
    });

    it("holds a replica vault (tagged backup-dr:replica-of) to it too", async () => {
      const p = provider("dr", "us-west-2");
      const replica = resource(T.bucket, "backup-dr-replica-0a1b2c3d", { objectLockEnabled: false, tags: { "backup-dr:replica-of": "my-data" } }, { provider: p, computed: { bucket: "replica-1" } });
      const replicaLabel = `backup-dr-replica-0a1b2c3d (${T.bucket})`;
      expect(await check(s3VaultObjectLock, [p, replica])).to.deep.equal([
        `${replicaLabel}: The vault bucket was created without Object Lock: set objectLockEnabled: true on the bucket (backup-dr:vaultLock mode GOVERNANCE or COMPLIANCE; this replaces the bucket).`,
        `${replicaLabel}: The vault bucket has no Object Lock configuration: add an aws.s3.BucketObjectLockConfiguration with a default retention (backup-dr:vaultLock).`,
      ]);
    });
  });

  describe("s3-vault-lifecycle (advisory)", () => {
    it("reports a vault without a lifecycle configuration", async () => {
      expect(await check(s3VaultLifecycle, weakened(T.lifecycle, "primary-vault-lifecycle", "remove"))).to.deep.equal([
        `${vaultLabel}: The vault bucket has no lifecycle configuration: add an aws.s3.BucketLifecycleConfiguration that tiers and expires noncurrent versions (backup-dr:vaultLifecycle).`,
      ]);
    });

    it("reports a lifecycle whose rules are all disabled", async () => {
      expect(await check(s3VaultLifecycle, weakened(T.lifecycle, "primary-vault-lifecycle", { rules: [{ id: "tiers", status: "Disabled", filter: {} }] }))).to.deep.equal([
        `${vaultLabel}: The vault bucket's lifecycle rules are all disabled: set status "Enabled" on them.`,
      ]);
    });
  });
});
