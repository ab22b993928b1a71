// The layout the repository promises: test code stays in tests/ (the offline policy check and the
// mock-program harness live in tools/, so nothing outside tests/ needs a test helper), and policies/
// holds only the pack, a self-contained package that imports nothing of the program.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { importEdges, importsOf, packageOf, sourceFiles } from "../helpers/imports";

const ROOT = path.resolve(__dirname, "..", "..");
const inside = (dir: string, target: string) => target === dir || target.startsWith(`${dir}/`);

describe("layout: imports", () => {
  it("reads every form of import the sources use", () => {
    const source = [
      'import { a } from "./a";',
      'import type { B } from "../b";',
      'export { c } from "../../tests/helpers/c";',
      'import "./side-effect";',
      'const d = require("@scope/d/sub");',
      'const e = await import("e");',
    ].join("\n");
    expect(importsOf(source)).to.deep.equal(["./a", "../b", "../../tests/helpers/c", "./side-effect", "@scope/d/sub", "e"]);
    expect(packageOf("@scope/d/sub")).to.equal("@scope/d");
    expect(packageOf("js-yaml")).to.equal("js-yaml");
  });

  it("nothing outside tests/ imports from tests/", () => {
    const files = sourceFiles(ROOT).filter((f) => !inside("tests", f));
    expect(files, "the scan sees the program, the handlers, the pack and the tools").to.include.members(["index.ts", "tools/policy-check/cli.ts", "policies/index.ts"]);
    const intoTests = importEdges(ROOT, files).filter((e) => e.target !== undefined && inside("tests", e.target));
    expect(intoTests.map((e) => `${e.file} imports ${e.specifier}`)).to.deep.equal([]);
  });

  it("policies/ holds only the pack: it imports only itself and the packages of its own package.json", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "policies", "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    const allowed = Object.keys(manifest.dependencies ?? {});
    expect(allowed).to.have.members(["@pulumi/aws", "@pulumi/policy", "@pulumi/pulumi"]);
    const files = sourceFiles(ROOT, "policies");
    expect(files).to.include.members(["policies/index.ts", "policies/all.ts", "policies/lib/bounds.ts"]);
    expect(files.filter((f) => inside("policies/offline", f)), "the offline check lives in tools/policy-check").to.deep.equal([]);
    const outside = importEdges(ROOT, files).filter((e) => (e.target === undefined ? !allowed.includes(packageOf(e.specifier)) : !inside("policies", e.target)));
    expect(outside.map((e) => `${e.file} imports ${e.specifier}`)).to.deep.equal([]);
  });
});
