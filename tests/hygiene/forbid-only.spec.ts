// A stray `.only` must fail `npm test`: run mocha with the project's own configuration (package.json "mocha",
// only the spec list replaced) over a spec holding `it.only`, and over the same spec without it as the control.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(__dirname, "../..");
const mochaBin = join(root, "node_modules/mocha/bin/mocha.js");

function runWithProjectConfig(specSource: string): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "bdr-only-"));
  try {
    const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { mocha: Record<string, unknown> };
    const spec = join(dir, "stray.spec.ts");
    writeFileSync(spec, specSource);
    writeFileSync(join(dir, "mocharc.json"), JSON.stringify({ ...manifest.mocha, spec: [spec] }));
    const run = spawnSync(process.execPath, [mochaBin, "--no-package", "--config", join(dir, "mocharc.json")], { cwd: root, encoding: "utf8" });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("test hygiene", () => {
  it("a spec with it.only fails under the project's mocha configuration", function () {
    this.timeout(60_000);
    const stray = runWithProjectConfig('it.only("alone", () => undefined);\nit("other", () => undefined);\n');
    expect(stray.status).to.not.equal(0);
    expect(stray.output).to.match(/only/i);
  });

  it("the same spec without .only passes (the control)", function () {
    this.timeout(60_000);
    const plain = runWithProjectConfig('it("alone", () => undefined);\nit("other", () => undefined);\n');
    expect(plain.status, plain.output).to.equal(0);
    expect(plain.output).to.contain("2 passed, 0 failed");
  });
});
