// The settings every bucket of the stack shares, as v7 standalone resources: versioning, default
// encryption, all four public-access blocks, BucketOwnerEnforced, and a policy.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface HardenedBucketArgs {
  /** A customer-managed key ARN for SSE-KMS; absent means SSE-S3 (only for the access-log bucket, which S3 requires). */
  kmsKeyArn?: pulumi.Input<string>;
  objectLockEnabled: boolean;
  /** The bucket's policy JSON, from its ARN. */
  policy: (bucketArn: pulumi.Output<string>) => pulumi.Input<string>;
  /** Destroyable (dev): empty the bucket on delete. Otherwise protected and retained on delete. */
  destroyable: boolean;
  /** Tags beside the providers' default tags. */
  tags?: Record<string, string>;
}

export interface HardenedBucket {
  bucket: aws.s3.Bucket;
  /** Lifecycle and Object Lock configurations need versioning first. */
  versioning: aws.s3.BucketVersioning;
  /** Resolves once versioning, encryption, ownership, public-access blocks and policy are in place. */
  ready: pulumi.Resource[];
}

/** Every bucket the stack creates is named `backup-dr-...`: config refuses to protect (replicate) one of them. */
export const OWN_BUCKET_PREFIX = "backup-dr-";

export function hardenedBucket(name: string, args: HardenedBucketArgs, parent: pulumi.Resource): HardenedBucket {
  const keep = args.destroyable ? {} : { protect: true, retainOnDelete: true };
  // Pulumi auto-names the bucket from its resource name plus a random suffix.
  const bucket = new aws.s3.Bucket(
    `${OWN_BUCKET_PREFIX}${name}`,
    { objectLockEnabled: args.objectLockEnabled, forceDestroy: args.destroyable, tags: args.tags },
    { parent, ...keep },
  );
  const opts = { parent };
  const versioning = new aws.s3.BucketVersioning(
    `${name}-versioning`,
    { bucket: bucket.bucket, versioningConfiguration: { status: "Enabled" } },
    opts,
  );
  const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-encryption`,
    {
      bucket: bucket.bucket,
      rules: [
        {
          applyServerSideEncryptionByDefault: args.kmsKeyArn
            ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }
            : { sseAlgorithm: "AES256" },
          bucketKeyEnabled: args.kmsKeyArn !== undefined,
          // Objects under a customer-provided key could not be read back by anyone else.
          blockedEncryptionTypes: ["SSE-C"],
        },
      ],
    },
    opts,
  );
  const publicAccess = new aws.s3.BucketPublicAccessBlock(
    `${name}-public-access`,
    { bucket: bucket.bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    opts,
  );
  const ownership = new aws.s3.BucketOwnershipControls(
    `${name}-ownership`,
    { bucket: bucket.bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
    opts,
  );
  const policy = new aws.s3.BucketPolicy(
    `${name}-policy`,
    { bucket: bucket.bucket, policy: args.policy(bucket.arn) },
    { parent, dependsOn: [publicAccess] },
  );
  return { bucket, versioning, ready: [versioning, encryption, publicAccess, ownership, policy] };
}
