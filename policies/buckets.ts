// S3 buckets, checked across the stack (each setting is its own v7 resource): every bucket is
// versioned, encrypted with a customer-managed key (server-access-log targets with SSE-S3 instead,
// the only encryption S3 log delivery supports), fully blocks public access and refuses plain HTTP;
// vault buckets also have Object Lock with a default retention and a lifecycle configuration.
import * as aws from "@pulumi/aws";
import type { ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { bucketsOf, configurationsOf, type BucketView } from "./lib/buckets";
import { conditionValue, isEveryone, listOf, statementsOf, type Statement } from "./lib/documents";
import { isCustomerManagedKey } from "./lib/keys";

type BucketCheck = (bucket: BucketView, resources: StackValidationArgs["resources"]) => string[];

/** A stack validation that runs `check` on each bucket (or each vault) and reports on that bucket. */
function eachBucket(scope: "all" | "vaults", check: BucketCheck) {
  return (args: StackValidationArgs, reportViolation: ReportViolation): void => {
    for (const bucket of bucketsOf(args.resources)) {
      if (scope === "vaults" && !bucket.vault) continue;
      for (const message of check(bucket, args.resources)) reportViolation(message, bucket.resource.urn);
    }
  };
}

export const s3BucketVersioning: StackValidationPolicy = {
  name: "s3-bucket-versioning",
  description: "Every S3 bucket has versioning enabled.",
  enforcementLevel: "mandatory",
  validateStack: eachBucket("all", (bucket, resources) => {
    const configs = configurationsOf(resources, aws.s3.BucketVersioning, bucket);
    if (configs.length === 0) {
      return ['The bucket has no versioning: add an aws.s3.BucketVersioning for it with versioningConfiguration.status "Enabled".'];
    }
    return configs
      .map((c) => c.props.versioningConfiguration?.status)
      .filter((status) => status !== "Enabled")
      .map((status) => `The bucket's versioning is ${JSON.stringify(status ?? "unset")}: set versioningConfiguration.status to "Enabled".`);
  }),
};

const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

export const s3BucketKmsEncryption: StackValidationPolicy = {
  name: "s3-bucket-kms-encryption",
  description: "Every S3 bucket encrypts by default with a customer-managed KMS key; server-access-log targets use SSE-S3, as S3 log delivery requires.",
  enforcementLevel: "mandatory",
  validateStack: eachBucket("all", (bucket, resources) => {
    const defaults = configurationsOf(resources, aws.s3.BucketServerSideEncryptionConfiguration, bucket)
      .flatMap((c) => c.props.rules ?? [])
      .map((rule) => rule.applyServerSideEncryptionByDefault)
      .filter((d) => d !== undefined);
    if (bucket.logTarget) {
      // No configuration is fine here: S3 encrypts every new object with SSE-S3 anyway.
      return defaults.some((d) => KMS_ALGORITHMS.includes(d.sseAlgorithm ?? ""))
        ? ['The bucket receives S3 server access logs, which S3 delivers only to SSE-S3 buckets: set sseAlgorithm "AES256" (no KMS key).']
        : [];
    }
    if (defaults.length === 0) {
      return [
        "The bucket has no default encryption: add an aws.s3.BucketServerSideEncryptionConfiguration with " +
          'sseAlgorithm "aws:kms" and kmsMasterKeyId set to the region\'s customer-managed key.',
      ];
    }
    return defaults.flatMap((d) => {
      if (!KMS_ALGORITHMS.includes(d.sseAlgorithm ?? "")) {
        return [`The bucket's default encryption is ${JSON.stringify(d.sseAlgorithm ?? "unset")}: set sseAlgorithm "aws:kms" and kmsMasterKeyId to the region's customer-managed key.`];
      }
      if (!isCustomerManagedKey(d.kmsMasterKeyId)) {
        return ["The bucket's default encryption uses the AWS-managed key aws/s3: set kmsMasterKeyId to the region's customer-managed key."];
      }
      return [];
    });
  }),
};

const PUBLIC_ACCESS_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

export const s3BucketPublicAccessBlock: StackValidationPolicy = {
  name: "s3-bucket-public-access-block",
  description: "Every S3 bucket has a public access block with all four settings on.",
  enforcementLevel: "mandatory",
  validateStack: eachBucket("all", (bucket, resources) => {
    const blocks = configurationsOf(resources, aws.s3.BucketPublicAccessBlock, bucket);
    if (blocks.length === 0) {
      return [`The bucket has no public access block: add an aws.s3.BucketPublicAccessBlock for it with ${PUBLIC_ACCESS_FLAGS.join(", ")} all true.`];
    }
    return blocks.flatMap((block) => {
      const off = PUBLIC_ACCESS_FLAGS.filter((flag) => block.props[flag] !== true);
      return off.length === 0 ? [] : [`The bucket's public access block leaves ${off.join(", ")} off: set ${off.length === 1 ? "it" : "them"} to true.`];
    });
  }),
};

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A statement that denies everyone every S3 action on the bucket and its objects without TLS. */
function deniesPlainHttp(statement: Statement, bucketName: string): boolean {
  if (statement.Effect !== "Deny" || !isEveryone(statement.Principal)) return false;
  const actions = listOf(statement.Action);
  if (!actions.includes("s3:*") && !actions.includes("*")) return false;
  const secureTransport = conditionValue(statement, "Bool", "aws:SecureTransport");
  if (secureTransport !== false && !listOf(secureTransport).includes("false")) return false;
  const resources = listOf(statement.Resource);
  if (resources.includes("*")) return true;
  const arn = `^arn:[^:]+:s3:::${escape(bucketName)}`;
  return resources.some((r) => new RegExp(`${arn}$`).test(r)) && resources.some((r) => new RegExp(`${arn}/\\*$`).test(r));
}

export const s3BucketTlsOnly: StackValidationPolicy = {
  name: "s3-bucket-tls-only",
  description: "Every S3 bucket's policy denies requests that do not use TLS.",
  enforcementLevel: "mandatory",
  validateStack: eachBucket("all", (bucket, resources) => {
    const policies = configurationsOf(resources, aws.s3.BucketPolicy, bucket);
    if (policies.length === 0) {
      return ['The bucket has no bucket policy: add an aws.s3.BucketPolicy that denies "s3:*" on the bucket and its objects to principal "*" when aws:SecureTransport is "false".'];
    }
    const name = bucket.name ?? "";
    const ok = policies.some((p) => (statementsOf(p.props.policy) ?? []).some((s) => deniesPlainHttp(s, name)));
    return ok
      ? []
      : ['The bucket\'s policy does not refuse plain HTTP: add a Deny statement for principal "*", action "s3:*", the bucket and its objects, with condition Bool aws:SecureTransport "false".'];
  }),
};

export const s3VaultObjectLock: StackValidationPolicy = {
  name: "s3-vault-object-lock",
  description: "Every vault bucket has Object Lock on with a default retention.",
  enforcementLevel: "mandatory",
  validateStack: eachBucket("vaults", (bucket, resources) => {
    const problems: string[] = [];
    if (bucket.resource.props.objectLockEnabled !== true) {
      problems.push("The vault bucket was created without Object Lock: set objectLockEnabled: true on the bucket (backup-dr:vaultLock mode GOVERNANCE or COMPLIANCE; this replaces the bucket).");
    }
    const locks = configurationsOf(resources, aws.s3.BucketObjectLockConfiguration, bucket);
    if (locks.length === 0) {
      problems.push("The vault bucket has no Object Lock configuration: add an aws.s3.BucketObjectLockConfiguration with a default retention (backup-dr:vaultLock).");
    } else if (!locks.some((l) => (l.props.objectLockEnabled ?? "Enabled") === "Enabled" && hasDefaultRetention(l.props.rule?.defaultRetention))) {
      problems.push("The vault bucket's Object Lock configuration has no default retention: set rule.defaultRetention with a mode and a number of days.");
    }
    return problems;
  }),
};

function hasDefaultRetention(retention: { mode?: string; days?: number; years?: number } | undefined): boolean {
  return retention?.mode !== undefined && ((retention.days ?? 0) > 0 || (retention.years ?? 0) > 0);
}

export const s3VaultLifecycle: StackValidationPolicy = {
  name: "s3-vault-lifecycle",
  description: "Every vault bucket has an enabled lifecycle configuration, so noncurrent versions move to cold storage and expire.",
  enforcementLevel: "advisory",
  validateStack: eachBucket("vaults", (bucket, resources) => {
    const lifecycles = configurationsOf(resources, aws.s3.BucketLifecycleConfiguration, bucket);
    if (lifecycles.length === 0) {
      return ["The vault bucket has no lifecycle configuration: add an aws.s3.BucketLifecycleConfiguration that tiers and expires noncurrent versions (backup-dr:vaultLifecycle)."];
    }
    const enabled = lifecycles.some((l) => (l.props.rules ?? []).some((r) => r.status === "Enabled"));
    return enabled ? [] : ['The vault bucket\'s lifecycle rules are all disabled: set status "Enabled" on them.'];
  }),
};

export const BUCKET_POLICIES = [s3BucketVersioning, s3BucketKmsEncryption, s3BucketPublicAccessBlock, s3BucketTlsOnly, s3VaultObjectLock, s3VaultLifecycle];
