// IAM policies on synthetic role policies, managed policies and role inline policies.
import { expect } from "chai";
import { iamNoUnscopedDeleteOrTag, iamNoWildcardActions, mayDeleteOrTag } from "../../policies/iam";
import { check, json, provider, resource } from "./harness";

const p = provider("primary", "us-east-1");
const doc = (...Statement: Record<string, unknown>[]) => json({ Version: "2012-10-17", Statement });
const rolePolicy = (...statements: Record<string, unknown>[]) => [p, resource("aws:iam/rolePolicy:RolePolicy", "cleanup-policy", { role: "cleanup-role", policy: doc(...statements) }, { provider: p })];
const label = "cleanup-policy (aws:iam/rolePolicy:RolePolicy)";
const snapshots = `arn:aws:ec2:us-east-1::snapshot/*`;

describe("policies: IAM", () => {
  describe("iam-no-wildcard-actions", () => {
    it("passes listed actions, partial wildcards and Deny statements", async () => {
      const ok = rolePolicy(
        { Sid: "ReadFleet", Effect: "Allow", Action: ["ec2:DescribeInstances", "rds:Describe*"], Resource: "*" },
        { Sid: "NeverDelete", Effect: "Deny", Action: "*", Resource: "*" },
      );
      expect(await check(iamNoWildcardActions, ok)).to.deep.equal([]);
    });

    it('reports "*" and a service-wide wildcard', async () => {
      expect(await check(iamNoWildcardActions, rolePolicy({ Sid: "Admin", Effect: "Allow", Action: "*", Resource: "*" }, { Effect: "Allow", Action: ["s3:GetObject", "s3:*"], Resource: "*" }))).to.deep.equal([
        `${label}: Policy statement "Admin" allows every action ("*"): list only the actions the principal needs.`,
        `${label}: Policy statement #2 allows every s3 action ("s3:*"): list only the actions the principal needs.`,
      ]);
    });

    it("reports Allow with NotAction, in a managed policy given as an object", async () => {
      const policy = resource("aws:iam/policy:Policy", "broad", { policy: JSON.parse(doc({ Sid: "AllButIam", Effect: "Allow", NotAction: "iam:*", Resource: "*" })) as unknown }, { provider: p });
      expect(await check(iamNoWildcardActions, [p, policy])).to.deep.equal([
        `broad (aws:iam/policy:Policy): Policy statement "AllButIam" allows with NotAction, which allows every other action: list the allowed actions in Action instead.`,
      ]);
    });

    it("reads a role's inline policies", async () => {
      const role = resource("aws:iam/role:Role", "ops", { assumeRolePolicy: "{}", inlinePolicies: [{ name: "all", policy: doc({ Sid: "All", Effect: "Allow", Action: "*", Resource: "*" }) }] }, { provider: p });
      expect(await check(iamNoWildcardActions, [p, role])).to.deep.equal([`ops (aws:iam/role:Role): Policy statement "All" allows every action ("*"): list only the actions the principal needs.`]);
    });
  });

  describe("iam-no-unscoped-delete-or-tag", () => {
    const fix = "name the resources by ARN or add a Condition (e.g. on aws:ResourceTag/backup-dr:stack).";

    it("passes deletes scoped by ARN or by condition, and reads on *", async () => {
      const ok = rolePolicy(
        { Sid: "DeleteOwnSnapshots", Effect: "Allow", Action: "ec2:DeleteSnapshot", Resource: snapshots },
        { Sid: "DeleteTagged", Effect: "Allow", Action: ["rds:DeleteDBSnapshot"], Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/backup-dr:stack": "backup-dr/prod" } } },
        { Sid: "ReadFleet", Effect: "Allow", Action: ["ec2:DescribeSnapshots", "ec2:Describe*"], Resource: "*" },
      );
      expect(await check(iamNoUnscopedDeleteOrTag, ok)).to.deep.equal([]);
    });

    it("reports delete actions on * without a condition", async () => {
      expect(await check(iamNoUnscopedDeleteOrTag, rolePolicy({ Sid: "Delete", Effect: "Allow", Action: ["ec2:DeleteSnapshot", "rds:DeleteDBSnapshot", "ec2:DescribeSnapshots"], Resource: "*" }))).to.deep.equal([
        `${label}: Policy statement "Delete" allows ec2:DeleteSnapshot, rds:DeleteDBSnapshot on every resource with no condition: ${fix}`,
      ]);
    });

    it("reports tag actions and wildcards that include them, an empty condition counting as none", async () => {
      expect(await check(iamNoUnscopedDeleteOrTag, rolePolicy({ Sid: "Tag", Effect: "Allow", Action: ["ec2:CreateTags", "rds:AddTagsToResource", "ec2:*"], Resource: ["*"], Condition: {} }))).to.deep.equal([
        `${label}: Policy statement "Tag" allows ec2:CreateTags, rds:AddTagsToResource, ec2:* on every resource with no condition: ${fix}`,
      ]);
    });

    it("tells delete and tag patterns from others", () => {
      const destructive = ["*", "ec2:*", "ec2:Delete*", "ec2:D*", "ec2:*Snapshot", "ec2:CreateTags", "rds:RemoveTagsFromResource", "kms:TagResource", "kms:UntagResource", "s3:PutBucketTagging"];
      const harmless = ["ec2:Describe*", "ec2:CreateSnapshots", "rds:CopyDBSnapshot", "s3:GetObject", "kms:Decrypt", "lambda:InvokeFunction"];
      expect(destructive.filter((a) => !mayDeleteOrTag(a))).to.deep.equal([]);
      expect(harmless.filter(mayDeleteOrTag)).to.deep.equal([]);
    });

    it("does not apply to resource policies such as bucket policies", async () => {
      const bucketPolicy = resource("aws:s3/bucketPolicy:BucketPolicy", "vault-policy", { bucket: "b", policy: doc({ Effect: "Allow", Action: "s3:*", Resource: "*" }) }, { provider: p });
      expect(await check(iamNoUnscopedDeleteOrTag, [p, bucketPolicy])).to.deep.equal([]);
      expect(await check(iamNoWildcardActions, [p, bucketPolicy])).to.deep.equal([]);
    });
  });
});
