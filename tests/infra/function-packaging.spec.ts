// The two packagings the bench compares: "default" is really Pulumi's own (every `dependencies` package whole,
// the full @aws-sdk tree, what computeCodePaths gives), and "lean", what deploys, differs from it only in
// node_modules: the same serialized `__index.js`.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { BUNDLE_PACKAGE } from "../../infra/function-archive";
import { archiveAssets } from "../../tools/bench-artifact/archive";
import { BENCH_FUNCTIONS, registeredFunctions } from "../../tools/bench-artifact/program";
import { ROOT } from "../helpers/stacks";

type Assets = Record<string, pulumi.asset.AssetMap>;

/**
 * The packages the runtime `dependencies` of package.json pull in, transitively, as installed at the top of
 * node_modules; Pulumi's own packages left out, as Pulumi's packaging leaves them out.
 */
function installedClosure(): string[] {
  const manifest = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
  const seen = new Set<string>();
  const visit = (names: string[]) => {
    for (const name of names) {
      const dir = path.join(ROOT, "node_modules", name);
      if (seen.has(name) || !fs.existsSync(dir)) continue;
      seen.add(name);
      visit(Object.keys(manifest(dir).dependencies ?? {}));
    }
  };
  visit(Object.keys(manifest(ROOT).dependencies ?? {}).filter((name) => !name.startsWith("@pulumi/")));
  return [...seen].sort();
}

async function entryText(assets: pulumi.asset.AssetMap): Promise<string> {
  const entry = assets["__index.js"];
  if (!(entry instanceof pulumi.asset.StringAsset)) throw new Error("__index.js is not a StringAsset");
  return entry.text;
}

describe("function packaging (prod): the default the bench measures against, and the lean archive", function () {
  this.timeout(120_000);
  const assets: Record<"lean" | "default", Assets> = { lean: {}, default: {} };

  before(async () => {
    for (const packaging of ["default", "lean"] as const) {
      const fns = await registeredFunctions("prod", packaging);
      for (const name of BENCH_FUNCTIONS) assets[packaging][name] = await archiveAssets(fns[name]);
    }
  });

  it("default: each archive is __index.js plus exactly Pulumi's computeCodePaths, whole package folders", async () => {
    // As CallbackFunction calls it: the v2 `aws-sdk` excluded (the runtime had it), nothing else.
    const codePaths = [...(await pulumi.runtime.computeCodePaths({ extraExcludePackages: ["aws-sdk"] })).keys()].sort();
    expect(codePaths).to.include("node_modules/@aws-sdk/client-ec2");
    for (const name of BENCH_FUNCTIONS) {
      expect(Object.keys(assets.default[name]).sort(), name).to.deep.equal(["__index.js", ...codePaths].sort());
      expect(assets.default[name]["node_modules/@aws-sdk/client-ec2"], name).to.be.instanceOf(pulumi.asset.FileArchive);
    }
  });

  it("default: each archive carries the full @aws-sdk tree the dependencies install, and no bundle", () => {
    const sdk = installedClosure().filter((p) => p.startsWith("@aws-sdk/"));
    expect(sdk).to.include.members(["@aws-sdk/client-ec2", "@aws-sdk/client-rds", "@aws-sdk/client-s3", "@aws-sdk/client-sns", "@aws-sdk/core"]);
    for (const name of BENCH_FUNCTIONS) {
      expect(Object.keys(assets.default[name]), name).to.include.members(sdk.map((p) => `node_modules/${p}`));
      expect(Object.keys(assets.default[name]).filter((k) => k.includes(BUNDLE_PACKAGE)), name).to.deep.equal([]);
    }
  });

  it("lean: the same __index.js, capturing nothing of Pulumi, and in place of the package folders one bundle and one-line modules", async () => {
    for (const name of BENCH_FUNCTIONS) {
      const text = await entryText(assets.lean[name]);
      expect(text, name).to.equal(await entryText(assets.default[name]));
      // Nothing of Pulumi captured: no package path, no serialized Output or Resource (their `__pulumi…` markers).
      expect(text, name).not.to.match(/@pulumi\/|__pulumi/);
      const lean = Object.keys(assets.lean[name]);
      expect(lean, name).to.include(`node_modules/${BUNDLE_PACKAGE}/index.js`);
      expect(lean.filter((k) => k !== "__index.js").every((k) => k.startsWith("node_modules/") && k.endsWith(".js")), name).to.equal(true);
      expect(lean, name).not.to.include("node_modules/@aws-sdk/client-ec2");
    }
  });
});
