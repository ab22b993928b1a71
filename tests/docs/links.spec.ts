// The README and the docs pages stay connected: every relative link and #anchor resolves, and every
// config key the program accepts (read from infra/config-schema.ts) is on docs/configuration.md.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { configSchema } from "../../infra/config-schema";
import { configKeys, undocumentedKeys } from "./config-keys";
import { anchorsOf, brokenLinks, linksOf, slugOf } from "./markdown-links";

const ROOT = path.resolve(__dirname, "..", "..");

/** README.md, every page of docs/, and the policy pack's own page (it links to docs/policies.md). */
function pages(): string[] {
  const docs = fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`);
  return ["README.md", "policies/README.md", ...docs.sort()];
}

function read(page: string): string {
  return fs.readFileSync(path.join(ROOT, page), "utf8");
}

describe("docs: links", () => {
  it("every relative link and anchor in README.md and docs/*.md resolves", () => {
    expect(brokenLinks(ROOT, pages())).to.deep.equal([]);
  });

  it("every docs page links back to the README, and the README's table links every docs page", () => {
    const listed = new Set(linksOf(read("README.md")).map((l) => l.target));
    for (const page of pages().filter((p) => p.startsWith("docs/"))) {
      expect(listed, `README.md links ${page}`).to.include(page);
      expect(linksOf(read(page)).map((l) => l.target), `${page} links back`).to.include("../README.md");
    }
  });

  it("reports a missing file, a missing heading and a link out of the repository, never a link inside code", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "backup-dr-links-"));
    fs.mkdirSync(path.join(root, "docs"));
    fs.writeFileSync(path.join(root, "docs", "a.md"), "# The backup function\n\n## Manual runs\n");
    fs.writeFileSync(
      path.join(root, "README.md"),
      [
        "# Top",
        "[ok](docs/a.md#manual-runs) [ok](#top) [web](https://example.com/x) [folder](docs)",
        "[gone](docs/missing.md) and [no heading](docs/a.md#retention)",
        "`[in code](nowhere.md)` [up](../outside.md)",
        "```", "[fenced](nowhere.md)", "```",
      ].join("\n"),
    );
    expect(brokenLinks(root, ["README.md"])).to.deep.equal([
      "README.md:3: docs/missing.md: no such file",
      "README.md:3: docs/a.md#retention: no heading with anchor #retention",
      "README.md:4: ../outside.md: outside the repository",
    ]);
  });

  it("computes GitHub's anchors, repeated headings numbered", () => {
    expect(slugOf("Before the first deploy")).to.equal("before-the-first-deploy");
    expect(slugOf("`npm run forecast`: quotas & cost")).to.equal("npm-run-forecast-quotas--cost");
    expect([...anchorsOf("# A\n## A\n```\n# not a heading\n```\n## B.\n")]).to.deep.equal(["a", "a-1", "b"]);
  });
});

describe("docs: configuration", () => {
  const keys = configKeys(configSchema);

  it("reads the keys from the schema, fields of maps and lists of maps included", () => {
    const paths = keys.map((k) => k.path);
    expect(paths).to.include.members(["aws:region", "backup-dr:plans", "backup-dr:plans[].keep.daily", "backup-dr:cleanup.dryRun", "backup-dr:copy.maxClusterCopies"]);
  });

  it("documents every config key the program accepts on docs/configuration.md", () => {
    expect(undocumentedKeys(keys, read("docs/configuration.md"))).to.deep.equal([]);
  });

  it("reports a top-level key without its row and a field no code span names", () => {
    const page = read("docs/configuration.md")
      .split("\n")
      .filter((line) => !line.startsWith("| `backup-dr:copy` |"))
      .join("\n")
      // Other rows may name a copy field in a code span (the drill's RPO default names lagAlarmMinutes): not its row.
      .replace(/`lagAlarmMinutes`/g, "lagAlarmMinutes");
    expect(undocumentedKeys(keys, page)).to.deep.equal(["backup-dr:copy", "backup-dr:copy.sweepMinutes", "backup-dr:copy.maxEbsCopies", "backup-dr:copy.maxRdsCopies", "backup-dr:copy.maxClusterCopies", "backup-dr:copy.lagAlarmMinutes"]);
  });
});
