// The documented `aws lambda invoke` commands wait for the function's answer: the AWS CLI's default read timeout
// (60 s) gives up on a longer invocation and sends it again while the first is still running (a backup or cleanup
// invocation runs up to 15 minutes), so every command in a README or docs code block sets `--cli-read-timeout 0`.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");

/** The lines of every fenced code block of a markdown page. */
function codeLines(markdown: string): string[] {
  const lines: string[] = [];
  let inBlock = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*```/.test(line)) inBlock = !inBlock;
    else if (inBlock) lines.push(line);
  }
  return lines;
}

describe("docs: aws lambda invoke commands", () => {
  const pages = ["README.md", ...fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
  const commands = pages.flatMap((page) => codeLines(fs.readFileSync(path.join(ROOT, page), "utf8")).filter((l) => l.includes("aws lambda invoke")).map((l) => ({ page, line: l.trim() })));

  it("the README's hand loop is among them", () => {
    expect(commands.filter((c) => c.page === "README.md")).to.not.deep.equal([]);
  });

  it("every one waits for the answer (--cli-read-timeout 0)", () => {
    expect(commands.filter((c) => !/--cli-read-timeout 0(\s|$)/.test(c.line))).to.deep.equal([]);
  });
});
