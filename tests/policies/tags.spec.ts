// The tag policy on synthetic resources: provider default tags count, a resource's own tags too.
import { expect } from "chai";
import { requiredTags } from "../../policies/tags";
import { check, provider, resource } from "./harness";

const KEY = "aws:kms/key:Key";

describe("policies: tags", () => {
  describe("required-tags (advisory)", () => {
    it("passes a resource tagged through its provider's default tags, and skips untaggable types", async () => {
      const p = provider("primary", "us-east-1", { "backup-dr:stack": "backup-dr/prod", environment: "prod" });
      expect(await check(requiredTags, [p, resource(KEY, "primary-key", {}, { provider: p })])).to.deep.equal([]);
      expect(await check(requiredTags, [p, resource("aws:kms/alias:Alias", "primary-key-alias", { name: "alias/x" })])).to.deep.equal([]);
    });

    it("passes tags set on the resource itself", async () => {
      const p = provider("primary", "us-east-1", { environment: "prod" });
      expect(await check(requiredTags, [p, resource(KEY, "k", { tags: { "backup-dr:stack": "backup-dr/prod" } }, { provider: p })])).to.deep.equal([]);
    });

    it("reports a resource with neither tag", async () => {
      const p = provider("primary", "us-east-1", { "cost-center": "platform" });
      expect(await check(requiredTags, [p, resource("aws:sqs/queue:Queue", "q", {}, { provider: p })])).to.deep.equal([
        "q (aws:sqs/queue:Queue): The resource lacks the tags backup-dr:stack, environment: set them in its provider's defaultTags (or its own tags).",
      ]);
    });

    it("reports a missing or empty tag, and takes the required keys from config", async () => {
      const p = provider("primary", "us-east-1", { "backup-dr:stack": "backup-dr/prod", environment: "" });
      const fn = resource("aws:lambda/function:Function", "backup", {}, { provider: p });
      expect(await check(requiredTags, [p, fn])).to.deep.equal([
        "backup (aws:lambda/function:Function): The resource lacks the tag environment: set it in its provider's defaultTags (or its own tags).",
      ]);
      expect(await check(requiredTags, [p, fn], { requiredTags: ["backup-dr:stack", "owner"] })).to.deep.equal([
        "backup (aws:lambda/function:Function): The resource lacks the tag owner: set it in its provider's defaultTags (or its own tags).",
      ]);
    });
  });
});
