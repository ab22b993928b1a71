// dr-storage-protected on a synthetic stack: two keys, two vaults, a replica vault and a non-vault
// bucket (access logs), protected or not one at a time.
import { expect } from "chai";
import type { StackResource } from "../../tools/policy-check/model";
import { drStorageProtected } from "../../policies/protection";
import { check, provider, replace, resource, urnOf, withProtect } from "./harness";

const T = { key: "aws:kms/key:Key", bucket: "aws:s3/bucket:Bucket" };

function stack(environment = "prod"): StackResource[] {
  const tags = { "backup-dr:stack": `backup-dr/${environment}`, environment };
  const primary = provider("primary", "us-east-1", tags);
  const dr = provider("dr", "us-west-2", tags);
  const bucket = (name: string, p: StackResource, inputs: Record<string, unknown>, protect: boolean) =>
    resource(T.bucket, name, inputs, { provider: p, protect, computed: { bucket: `${name}-1a2b3c4` } });
  return [
    primary,
    dr,
    resource(T.key, "primary-key", { enableKeyRotation: true }, { provider: primary, protect: true }),
    resource(T.key, "dr-key", { enableKeyRotation: true }, { provider: dr, protect: true }),
    bucket("backup-dr-primary-vault", primary, { objectLockEnabled: true }, true),
    bucket("backup-dr-dr-vault", dr, { objectLockEnabled: true }, true),
    bucket("backup-dr-replica-data-a", dr, { objectLockEnabled: true, tags: { "backup-dr:replica-of": "data-a" } }, true),
    // Not a vault: nothing to protect.
    bucket("backup-dr-primary-access-logs", primary, {}, false),
  ];
}

function unprotected(resources: StackResource[], type: string, name: string): StackResource[] {
  const target = resources.find((r) => r.urn === urnOf(type, name));
  if (target === undefined) throw new Error(`fixture has no ${type} ${name}`);
  return replace(resources, target.urn, withProtect(target, false));
}

const FIX = 'environment "prod" requires keys and vaults protected: set backup-dr:protectStorage to true (protect and retainOnDelete).';

describe("policies: storage protection", () => {
  describe("dr-storage-protected", () => {
    it("passes a strict stack whose keys and vaults are protected, and does not apply to dev", async () => {
      expect(await check(drStorageProtected, stack())).to.deep.equal([]);
      const dev = stack("dev").map((r) => withProtect(r, false));
      expect(await check(drStorageProtected, dev)).to.deep.equal([]);
    });

    it("reports an unprotected key", async () => {
      expect(await check(drStorageProtected, unprotected(stack(), T.key, "dr-key"))).to.deep.equal([
        `dr-key (${T.key}): The KMS key is not protected, so pulumi destroy deletes it; ${FIX}`,
      ]);
    });

    it("reports unprotected vaults, replica vaults included", async () => {
      const resources = unprotected(unprotected(stack(), T.bucket, "backup-dr-primary-vault"), T.bucket, "backup-dr-replica-data-a");
      expect(await check(drStorageProtected, resources)).to.deep.equal([
        `backup-dr-primary-vault (${T.bucket}): The vault bucket is not protected, so pulumi destroy deletes it; ${FIX}`,
        `backup-dr-replica-data-a (${T.bucket}): The vault bucket is not protected, so pulumi destroy deletes it; ${FIX}`,
      ]);
    });

    it("takes strict environments from config", async () => {
      const staging = unprotected(stack("staging"), T.key, "primary-key");
      expect(await check(drStorageProtected, staging)).to.deep.equal([]);
      expect(await check(drStorageProtected, staging, { strictEnvironments: ["staging"] })).to.deep.equal([
        `primary-key (${T.key}): The KMS key is not protected, so pulumi destroy deletes it; ${FIX.replace('"prod"', '"staging"')}`,
      ]);
    });
  });
});
