// Limits that grow with the config fail `pulumi preview` with a message naming the limit, before anything deploys.
import { expect } from "chai";
import { checkEnvironmentSize, checkInlinePolicySize, LAMBDA_ENVIRONMENT_BYTES, ROLE_INLINE_POLICY_CHARACTERS } from "../../infra/limits";
import type { PolicyDocument } from "../../infra/policy-documents";
import { deployStack } from "../helpers/deploy";
import { jsonInput, one } from "../helpers/resources";
import { stackValues } from "../helpers/stacks";

async function failure(run: Promise<unknown>): Promise<Error> {
  try {
    await run;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`not an Error: ${String(error)}`);
  }
  throw new Error("expected the program to fail");
}

const prodPlans = () => stackValues("prod")["backup-dr:plans"] as Record<string, unknown>[];
/** prod with `plans` in place of its own (the drill's targets name prod's plans: it drills these with the defaults). */
// Not scheduled: an enabled drill of that many plans is refused first (Step Functions' history budget, config-drill).
const prodWithPlans = (plans: Record<string, unknown>[]) => ({ ...stackValues("prod"), "backup-dr:plans": plans, "backup-dr:drill": { ...(stackValues("prod")["backup-dr:drill"] as object), plans: {}, enabled: false } });
const manyPlans = (count: number) => Array.from({ length: count }, (_, i) => ({ ...prodPlans()[i % 2], name: `plan-${String(i).padStart(2, "0")}` }));
const buckets = (count: number) => Array.from({ length: count }, (_, i) => `company-protected-data-bucket-${String(i).padStart(3, "0")}`);

describe("limits that grow with the config (checked at preview)", function () {
  this.timeout(120_000);

  it("a config whose plans overflow a function's 4 KB of environment variables fails naming the limit", async () => {
    const error = await failure(deployStack("prod", prodWithPlans(manyPlans(16))));
    expect(error.message).to.match(/environment variables would take about \d+ bytes, over Lambda's limit of 4 KB \(4096 bytes\)/);
    expect(error.message).to.include("BACKUP_DR_PLANS");
  });

  it("a config whose plans fit deploys, and every function's environment is within 4 KB", async () => {
    const run = await deployStack("prod", prodWithPlans(manyPlans(4)));
    for (const name of ["backup", "copy", "cleanup", "dr-drill"]) {
      const variables = (one(run.resources, "aws:lambda/function:Function", name).inputs.environment as { variables: Record<string, string> }).variables;
      const bytes = Object.entries(variables).reduce((sum, [k, v]) => sum + k.length + v.length, 0);
      expect(bytes, name).to.be.at.most(LAMBDA_ENVIRONMENT_BYTES);
    }
  });

  it("so many protected buckets that the replication role's inline policy passes 10,240 characters fails naming the limit", async () => {
    const error = await failure(deployStack("dev", { ...stackValues("dev"), "backup-dr:protectedBuckets": buckets(30) }));
    expect(error.message).to.match(/replication role's policy for 30 protected buckets would be \d+ characters, over IAM's limit of 10240 characters/);
  });

  it("protected buckets that fit deploy with a replication policy within 10,240 characters", async () => {
    const run = await deployStack("dev", { ...stackValues("dev"), "backup-dr:protectedBuckets": buckets(12) });
    const policy = jsonInput<PolicyDocument>(one(run.resources, "aws:iam/rolePolicy:RolePolicy", "s3-replication-policy"), "policy");
    expect(JSON.stringify(policy).length).to.be.at.most(ROLE_INLINE_POLICY_CHARACTERS);
  });

  it("counts values known only after deploy at a bound, and IAM characters without whitespace", () => {
    const arn = { apply: () => undefined };
    expect(() => checkEnvironmentSize("f", { A: "x".repeat(3900), B: arn })).to.throw(/over Lambda's limit of 4 KB/);
    expect(() => checkEnvironmentSize("f", { A: "x".repeat(3000), B: arn })).to.not.throw();
    const doc = (n: number): PolicyDocument => ({ Version: "2012-10-17", Statement: [{ Sid: "S", Effect: "Allow", Action: "s3:GetObject", Resource: "x".repeat(n) }] });
    expect(() => checkInlinePolicySize("p", doc(10_200), "")).to.throw(/over IAM's limit of 10240 characters/);
    expect(() => checkInlinePolicySize("p", doc(10_000), "")).to.not.throw();
  });
});
