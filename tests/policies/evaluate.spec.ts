// The in-process analyzer behaves like the policy SDK's server: levels and settings from the pack
// config, disabled policies skipped, notApplicable quiet, a throwing policy an error, providers,
// parents and dependencies resolved.
import * as aws from "@pulumi/aws";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { expect } from "chai";
import { evaluate } from "../../tools/policy-check/evaluate";
import { provider, resource } from "./harness";

const p = provider("primary", "eu-west-1");
const key = resource("aws:kms/key:Key", "k", { enableKeyRotation: false }, { provider: p, computed: { arn: "arn:k" } });
const alias = { ...resource("aws:kms/alias:Alias", "k-alias", { targetKeyId: "k-id" }, { provider: p, parent: key.urn }), dependencies: [key.urn], propertyDependencies: { targetKeyId: [key.urn] } };

const onKeys: ResourceValidationPolicy = {
  name: "on-keys",
  description: "Reports every key with its provider's region and its settings.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    if (!args.isType(aws.kms.Key)) args.notApplicable();
    const props = args.asType(aws.kms.Key);
    report(`${String(props?.enableKeyRotation)} in ${String(args.provider?.props.region)} with ${JSON.stringify(args.getConfig())}`);
  },
};

const onStack: StackValidationPolicy = {
  name: "on-stack",
  description: "Reports how the alias is linked.",
  validateStack: (args, report) => {
    const a = args.resources.find((r) => r.isType(aws.kms.Alias));
    report(`parent ${a?.parent?.name} deps ${a?.dependencies.map((d) => d.name).join()} target ${a?.propertyDependencies.targetKeyId.map((d) => d.name).join()} outputs ${String(a?.parent?.props.arn)}`, a?.urn);
  },
};

describe("offline evaluator", () => {
  it("runs resource policies on inputs with the provider, and stack policies on outputs with links", async () => {
    expect(await evaluate([onKeys, onStack], [p, key, alias])).to.deep.equal([
      { policy: "on-keys", level: "mandatory", urn: key.urn, message: "false in eu-west-1 with {}" },
      { policy: "on-stack", level: "advisory", urn: alias.urn, message: "parent k deps k target k outputs arn:k" },
    ]);
  });

  it("takes levels and settings from the pack config, and skips disabled policies", async () => {
    const violations = await evaluate([onKeys, onStack], [p, key, alias], { packConfig: { "on-keys": { enforcementLevel: "advisory", limit: 3 }, "on-stack": "disabled" } });
    expect(violations).to.deep.equal([{ policy: "on-keys", level: "advisory", urn: key.urn, message: 'false in eu-west-1 with {"limit":3}' }]);
    expect((await evaluate([onKeys], [key], { packConfig: { "on-keys": "remediate" } }))[0].level).to.equal("mandatory");
  });

  it("fails, naming the policy and resource, when a policy throws", async () => {
    const broken: ResourceValidationPolicy = { name: "broken", description: "Throws.", validateResource: () => { throw new Error("boom"); } };
    let error: unknown;
    try {
      await evaluate([broken], [key]);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(Error).with.property("message", `policy broken failed on ${key.urn}: boom`);
  });
});
