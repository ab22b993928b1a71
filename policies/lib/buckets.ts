// The stack's buckets as the bucket policies see them. In AWS provider v7 a bucket's settings are
// standalone resources (BucketVersioning, BucketServerSideEncryptionConfiguration, ...) that name the
// bucket by its physical name in `bucket`; this module joins them to their aws:s3/bucket:Bucket.
import * as aws from "@pulumi/aws";
import type { PolicyResource } from "@pulumi/policy";
import type * as pulumi from "@pulumi/pulumi";
import { TAG_REPLICA_OF } from "./names";
import { ofClass, stringMap, type ResourceClass, type Typed } from "./resources";

export interface BucketView {
  resource: PolicyResource;
  /** The physical bucket name, which its configurations reference; unknown if the bucket has none. */
  name: string | undefined;
  /**
   * A vault keeps backups: Object Lock on, or named `*-vault` (primary-vault, dr-vault), or a replica
   * vault (tagged backup-dr:replica-of). Naming counts so that a vault whose lock was turned off is
   * still held to the vault rules.
   */
  vault: boolean;
  /** Receives S3 server access logs (is the `targetBucket` of a BucketLogging). */
  logTarget: boolean;
}

const VAULT_NAME = /-vault$/;

export function bucketsOf(resources: PolicyResource[]): BucketView[] {
  const logTargets = new Set(ofClass(resources, aws.s3.BucketLogging).map((l) => l.props.targetBucket));
  return ofClass(resources, aws.s3.Bucket).map(({ resource, props }) => {
    const name = typeof props.bucket === "string" && props.bucket !== "" ? props.bucket : undefined;
    return {
      resource,
      name,
      vault: props.objectLockEnabled === true || VAULT_NAME.test(resource.name) || TAG_REPLICA_OF in stringMap(props.tags),
      logTarget: name !== undefined && logTargets.has(name),
    };
  });
}

/** The configurations of one class that apply to the bucket (their `bucket` is its name). */
export function configurationsOf<T extends pulumi.Resource, A>(resources: PolicyResource[], cls: ResourceClass<T, A>, bucket: BucketView): Typed<T>[] {
  if (bucket.name === undefined) return [];
  return ofClass(resources, cls).filter((c) => bucketNameOf(c.resource) === bucket.name);
}

function bucketNameOf(resource: PolicyResource): unknown {
  const props: Record<string, unknown> = resource.props;
  return props.bucket;
}
