// KMS policies on synthetic keys: rotation, deletion window (stricter in prod), no `*` principal.
import { expect } from "chai";
import { kmsKeyDeletionWindow, kmsKeyPolicyNoWildcardPrincipal, kmsKeyRotation } from "../../policies/kms";
import { ACCOUNT, check, json, provider, resource, withProps } from "./harness";

const KEY = "aws:kms/key:Key";
const label = `primary-key (${KEY})`;
const root = { AWS: `arn:aws:iam::${ACCOUNT}:root` };

const keyPolicy = (...extra: unknown[]) =>
  json({ Version: "2012-10-17", Statement: [{ Sid: "AccountAdministersKey", Effect: "Allow", Principal: root, Action: ["kms:Describe*"], Resource: "*" }, ...extra] });

function stack(environment: string, keyInputs: Record<string, unknown> = {}) {
  const primary = provider("primary", "us-east-1", { "backup-dr:stack": "backup-dr/x", environment });
  const key = resource(
    KEY,
    "primary-key",
    { enableKeyRotation: true, deletionWindowInDays: 30, customerMasterKeySpec: "SYMMETRIC_DEFAULT", keyUsage: "ENCRYPT_DECRYPT", policy: keyPolicy(), ...keyInputs },
    { provider: primary },
  );
  return [primary, key];
}

describe("policies: KMS", () => {
  describe("kms-key-rotation", () => {
    it("passes a rotated key, and skips an asymmetric key", async () => {
      expect(await check(kmsKeyRotation, stack("prod"))).to.deep.equal([]);
      expect(await check(kmsKeyRotation, stack("prod", { enableKeyRotation: false, customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" }))).to.deep.equal([]);
    });

    for (const [variant, inputs] of [
      ["rotation off", { enableKeyRotation: false }],
      ["rotation unset", { enableKeyRotation: undefined }],
    ] as const) {
      it(`reports a key with ${variant}`, async () => {
        const [p, key] = stack("dev");
        expect(await check(kmsKeyRotation, [p, withProps(key, inputs)])).to.deep.equal([`${label}: KMS key rotation is off: set enableKeyRotation: true on the key.`]);
      });
    }
  });

  describe("kms-key-deletion-window", () => {
    it("passes 30 days in prod, 7 days in dev, and an unset window (AWS's 30)", async () => {
      expect(await check(kmsKeyDeletionWindow, stack("prod"))).to.deep.equal([]);
      expect(await check(kmsKeyDeletionWindow, stack("dev", { deletionWindowInDays: 7 }))).to.deep.equal([]);
      expect(await check(kmsKeyDeletionWindow, stack("prod", { deletionWindowInDays: undefined }))).to.deep.equal([]);
    });

    it("reports 7 days in prod, where 30 is required", async () => {
      expect(await check(kmsKeyDeletionWindow, stack("prod", { deletionWindowInDays: 7 }))).to.deep.equal([
        `${label}: KMS key deletion window is 7 days, below the minimum of 30 for environment "prod": set deletionWindowInDays (backup-dr:kmsDeletionWindowDays) to at least 30.`,
      ]);
    });

    it("reports a window below the configured minimum in any environment", async () => {
      expect(await check(kmsKeyDeletionWindow, stack("dev", { deletionWindowInDays: 10 }), { minimumDays: 14 })).to.deep.equal([
        `${label}: KMS key deletion window is 10 days, below the minimum of 14: set deletionWindowInDays (backup-dr:kmsDeletionWindowDays) to at least 14.`,
      ]);
    });

    it("takes the strict environments from config", async () => {
      expect(await check(kmsKeyDeletionWindow, stack("staging", { deletionWindowInDays: 20 }), { strictEnvironments: ["staging"], strictMinimumDays: 21 })).to.deep.equal([
        `${label}: KMS key deletion window is 20 days, below the minimum of 21 for environment "staging": set deletionWindowInDays (backup-dr:kmsDeletionWindowDays) to at least 21.`,
      ]);
    });
  });

  describe("kms-key-policy-no-wildcard-principal", () => {
    const fix = 'allows the principal "*": name the account root, a role or a service principal instead.';

    it("passes a policy naming the account, a Deny with *, and no policy at all", async () => {
      const deny = { Sid: "DenyAll", Effect: "Deny", Principal: "*", Action: "kms:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } };
      expect(await check(kmsKeyPolicyNoWildcardPrincipal, stack("prod", { policy: keyPolicy(deny) }))).to.deep.equal([]);
      expect(await check(kmsKeyPolicyNoWildcardPrincipal, stack("prod", { policy: undefined }))).to.deep.equal([]);
    });

    it('reports Principal "*", by Sid', async () => {
      const open = { Sid: "Everyone", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" };
      expect(await check(kmsKeyPolicyNoWildcardPrincipal, stack("prod", { policy: keyPolicy(open) }))).to.deep.equal([`${label}: KMS key policy statement "Everyone" ${fix}`]);
    });

    it('reports { AWS: ["*"] } in a statement without a Sid, by position', async () => {
      const open = { Effect: "Allow", Principal: { AWS: [root.AWS, "*"] }, Action: "kms:Encrypt", Resource: "*" };
      expect(await check(kmsKeyPolicyNoWildcardPrincipal, stack("prod", { policy: keyPolicy(open) }))).to.deep.equal([`${label}: KMS key policy statement #2 ${fix}`]);
    });
  });
});
