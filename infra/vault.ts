// The vault of one region: a locked, versioned, KMS-encrypted bucket for run manifests and S3 replicas,
// tiered to cold storage, with its server access logs in a bucket of their own.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RUNS_PREFIX } from "../handlers/lib/run-id";
import type { VaultLifecycle, VaultLock } from "./config";
import { hardenedBucket } from "./bucket";
import { accessLogBucketPolicy, vaultBucketPolicy, type Account } from "./policy-documents";

export interface VaultArgs {
  kmsKeyArn: pulumi.Input<string>;
  account: pulumi.Input<Account>;
  lock: VaultLock;
  lifecycle: VaultLifecycle;
  /** Days to keep server access logs. */
  accessLogDays: number;
  /** Destroyable (dev) or protected and retained on delete (prod). */
  destroyable: boolean;
  /** Tags for the vault bucket beside the default tags (e.g. what a replica vault replicates). */
  tags?: Record<string, string>;
  /**
   * The stack's own vault (primary or DR): its runs/ manifests expire after runsExpireDays. A replica vault holds a
   * protected bucket's objects, whose keys are the user's (a user's runs/ must never expire there): false.
   */
  runManifests: boolean;
}

/** Noncurrent-version transitions, in order, skipping tiers set to 0 days. */
export function noncurrentTransitions(lifecycle: VaultLifecycle): { noncurrentDays: number; storageClass: string }[] {
  const steps = [
    { noncurrentDays: lifecycle.glacierIrAfterDays, storageClass: "GLACIER_IR" },
    { noncurrentDays: lifecycle.glacierAfterDays, storageClass: "GLACIER" },
    { noncurrentDays: lifecycle.deepArchiveAfterDays, storageClass: "DEEP_ARCHIVE" },
  ];
  return steps.filter((s) => s.noncurrentDays > 0);
}

/**
 * Run manifests (runs/) expire after runsExpireDays: the current version gets a delete marker, and a version that is no
 * longer current goes a day later; where two rules' expirations overlap, S3 honours the shorter. Object Lock still
 * holds each version until its retention ends, and the marker-removal rule clears the markers left after that.
 */
export function runManifestExpiry(lifecycle: VaultLifecycle) {
  return {
    id: "expire-run-manifests",
    status: "Enabled",
    filter: { prefix: `${RUNS_PREFIX}/` },
    expiration: { days: lifecycle.runsExpireDays },
    noncurrentVersionExpiration: { noncurrentDays: 1 },
  };
}

export class Vault extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;
  readonly logBucketName: pulumi.Output<string>;
  /** Versioning of the vault bucket: replication into it, Object Lock and lifecycle need it in place first. */
  readonly versioning: pulumi.Resource;

  constructor(name: string, args: VaultArgs, opts?: pulumi.ComponentResourceOptions) {
    super("backup-dr:vault:Vault", name, {}, opts);
    const toJson = (doc: pulumi.Output<unknown>) => doc.apply((d) => JSON.stringify(d));

    const vault = hardenedBucket(
      name,
      {
        kmsKeyArn: args.kmsKeyArn,
        objectLockEnabled: args.lock.mode !== "off",
        policy: (arn) => toJson(arn.apply(vaultBucketPolicy)),
        destroyable: args.destroyable,
        tags: args.tags,
      },
      this,
    );
    // S3 delivers server access logs only to SSE-S3 buckets, so this one bucket has no KMS key.
    const logs = hardenedBucket(
      `${name}-access-logs`,
      {
        objectLockEnabled: false,
        policy: (arn) =>
          toJson(pulumi.all([arn, vault.bucket.arn, args.account]).apply(([logArn, vaultArn, account]) => accessLogBucketPolicy(logArn, [vaultArn], account))),
        destroyable: args.destroyable,
      },
      this,
    );
    if (args.lock.mode !== "off") {
      new aws.s3.BucketObjectLockConfiguration(
        `${name}-object-lock`,
        { bucket: vault.bucket.bucket, objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: args.lock.mode, days: args.lock.days } } },
        { parent: this, dependsOn: [vault.versioning] },
      );
    }
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: vault.bucket.bucket,
        rules: [
          {
            id: "noncurrent-versions-to-cold-storage",
            status: "Enabled",
            filter: {},
            noncurrentVersionTransitions: noncurrentTransitions(args.lifecycle),
            noncurrentVersionExpiration: { noncurrentDays: args.lifecycle.expireAfterDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
          { id: "remove-expired-delete-markers", status: "Enabled", filter: {}, expiration: { expiredObjectDeleteMarker: true } },
          ...(args.runManifests ? [runManifestExpiry(args.lifecycle)] : []),
        ],
      },
      { parent: this, dependsOn: [vault.versioning] },
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-access-logs-lifecycle`,
      {
        bucket: logs.bucket.bucket,
        rules: [
          {
            id: "expire-access-logs",
            status: "Enabled",
            filter: {},
            expiration: { days: args.accessLogDays },
            noncurrentVersionExpiration: { noncurrentDays: 1 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
          },
        ],
      },
      { parent: this, dependsOn: logs.ready },
    );
    new aws.s3.BucketLogging(
      `${name}-logging`,
      {
        bucket: vault.bucket.bucket,
        targetBucket: logs.bucket.bucket,
        targetPrefix: "vault/",
        targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
      },
      { parent: this, dependsOn: logs.ready },
    );

    this.bucketName = vault.bucket.bucket;
    this.bucketArn = vault.bucket.arn;
    this.logBucketName = logs.bucket.bucket;
    this.versioning = vault.versioning;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, logBucketName: this.logBucketName });
  }
}
