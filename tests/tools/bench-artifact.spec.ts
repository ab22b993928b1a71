// The bench's pure parts: the median, the table, the budgets, the arguments, the cold-require probe, and the zip
// writer, whose files unzip (and inflate by hand) back to what went in. No timing is asserted.
import { expect } from "chai";
import { execFileSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { parseArgs } from "../../tools/bench-artifact/args";
import { budgetFailures, requireRatio } from "../../tools/bench-artifact/budgets";
import { main } from "../../tools/bench-artifact/cli";
import { coldRequire, parseTiming } from "../../tools/bench-artifact/cold-require";
import { formatTable, groupDigits } from "../../tools/bench-artifact/format";
import type { ArtifactMeasure } from "../../tools/bench-artifact/measure";
import { median } from "../../tools/bench-artifact/stats";
import { zipArchive, zipFiles, zippedBytes } from "../../tools/bench-artifact/zip";

function measure(fields: Partial<ArtifactMeasure> & Pick<ArtifactMeasure, "fn" | "packaging">): ArtifactMeasure {
  return { files: 8, unpackedBytes: 700_000, zippedBytes: 190_000, requireWallMs: 100, requireCpuMs: 80, runs: 7, dir: "/tmp/x", zipFile: "/tmp/x.zip", ...fields };
}

/** Reads a zip back by its central directory: each entry's name, method and inflated content. */
function readZip(zip: Buffer): { name: string; method: number; content: Buffer }[] {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end)).to.equal(0x06054b50);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  expect(at + zip.readUInt32LE(end + 12)).to.equal(end);
  const entries = [];
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).to.equal(0x02014b50);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const packed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    expect(zip.readUInt32LE(local)).to.equal(0x04034b50);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + packed);
    const content = method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data);
    expect(content.length, name).to.equal(size);
    expect(zlib.crc32(content), name).to.equal(crc);
    entries.push({ name, method, content });
    at += 46 + nameLength;
  }
  return entries;
}

const hasUnzip = (() => {
  try {
    execFileSync("unzip", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe("bench:artifact", () => {
  describe("median", () => {
    it("is the middle value of an odd count, whatever the order", () => {
      expect(median([5, 1, 9, 3, 7, 2, 8])).to.equal(5);
      expect(median([42])).to.equal(42);
    });
    it("is the mean of the middle two of an even count, and refuses no values", () => {
      expect(median([4, 1, 3, 2])).to.equal(2.5);
      expect(() => median([])).to.throw("median of no values");
    });
  });

  describe("budgets", () => {
    const within = [
      measure({ fn: "backup", packaging: "lean", requireWallMs: 200 }),
      measure({ fn: "backup", packaging: "default", files: 8760, zippedBytes: 10_000_000, requireWallMs: 1000 }),
    ];
    it("hold for a lean archive under 1 MiB zipped that requires in at most half the default's time", () => {
      expect(requireRatio(within, "backup")).to.equal(0.2);
      expect(budgetFailures(within)).to.deep.equal([]);
      expect(budgetFailures([measure({ ...within[0], zippedBytes: 1024 * 1024, requireWallMs: 500 }), within[1]])).to.deep.equal([]);
    });
    it("fail, each by name, one byte over 1 MiB or over half the default's cold require; the default's own size is no budget", () => {
      const over = [measure({ fn: "backup", packaging: "lean", zippedBytes: 1024 * 1024 + 1, requireWallMs: 501 }), within[1]];
      expect(budgetFailures(over)).to.deep.equal([
        "backup: 1048577 bytes zipped, over the 1048576 budget",
        "backup: cold require 0.50 of default packaging, over the 0.5 budget",
      ]);
    });
    it("refuse to compare without the default of the same function", () => {
      expect(() => budgetFailures([within[0]])).to.throw("no default measure of function backup");
    });
  });

  describe("table", () => {
    it("groups digits and prints one Markdown row per function and packaging, the ratio on the lean row", () => {
      expect(groupDigits(10_328_239)).to.equal("10,328,239");
      expect(groupDigits(999)).to.equal("999");
      const table = formatTable([
        measure({ fn: "copy", packaging: "lean", requireWallMs: 290.4, requireCpuMs: 165.2 }),
        measure({ fn: "copy", packaging: "default", files: 8760, unpackedBytes: 39_771_889, zippedBytes: 10_334_096, requireWallMs: 1202, requireCpuMs: 731 }),
      ]).split("\n");
      expect(table).to.deep.equal([
        "| function | packaging | files | unpacked bytes | zipped bytes | cold require, median of 7 (CPU) | lean / default |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
        "| copy | lean | 8 | 700,000 | 190,000 | 290 ms (165 ms) | 0.24 |",
        "| copy | default | 8,760 | 39,771,889 | 10,334,096 | 1,202 ms (731 ms) |  |",
      ]);
    });
  });

  describe("arguments", () => {
    it("default to the prod stack, 7 runs, archives removed", () => {
      expect(parseArgs([])).to.deep.equal({ stack: "prod", runs: 7, keep: false });
      expect(parseArgs(["--stack", "dev", "--runs", "3", "--keep"])).to.deep.equal({ stack: "dev", runs: 3, keep: true });
    });
    it("refuse a run count that is not a positive integer, a missing value and an unknown flag", () => {
      expect(() => parseArgs(["--runs", "0"])).to.throw("--runs must be a positive integer, not 0");
      expect(() => parseArgs(["--runs", "2.5"])).to.throw("--runs must be a positive integer, not 2.5");
      expect(() => parseArgs(["--stack"])).to.throw("--stack needs a value");
      expect(() => parseArgs(["--fast"])).to.throw("unknown argument --fast");
    });
    it("exit the command with 2 and the usage on stderr, before building anything", async () => {
      const out: string[] = [];
      const err: string[] = [];
      expect(await main(["--fast"], (t) => out.push(t), (t) => err.push(t))).to.equal(2);
      expect(out).to.deep.equal([]);
      expect(err).to.deep.equal(["unknown argument --fast; usage: bench:artifact [--stack <name>] [--runs <n>] [--keep]"]);
    });
  });

  describe("cold require", () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "backup-dr-bench-spec-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("requires the entry in a fresh process and reports wall and CPU milliseconds", () => {
      fs.writeFileSync(path.join(dir, "__index.js"), "exports.handler = async () => 1;\n");
      const timing = coldRequire(dir);
      expect(timing.wallMs).to.be.a("number").and.at.least(0);
      expect(timing.cpuMs).to.be.a("number").and.at.least(0);
    });
    it("fails when the entry requires a package the archive lacks: no fallback to the project's node_modules", () => {
      fs.writeFileSync(path.join(dir, "__index.js"), 'require("chai");\n');
      expect(() => coldRequire(dir)).to.throw(/Cannot find module 'chai'/);
    });
    it("refuses probe output that is not a timing", () => {
      expect(parseTiming('{"wallMs":12.5,"cpuMs":3}')).to.deep.equal({ wallMs: 12.5, cpuMs: 3 });
      expect(() => parseTiming('{"wallMs":12.5}')).to.throw("unexpected probe output");
    });
  });

  describe("zip", () => {
    const files: [string, Buffer][] = [
      ["__index.js", Buffer.from("exports.handler = async () => 'ok';\n".repeat(200))],
      ["node_modules/backup-dr-function-modules/index.js", Buffer.from("module.exports = { modules: {} };\n".repeat(50))],
      ["node_modules/pkg/random.bin", randomBytes(4096)],
      ["node_modules/pkg/empty.js", Buffer.alloc(0)],
      ["node_modules/pkg/naïve.js", Buffer.from("// ü\n")],
    ];

    it("round-trips every file by its central directory: deflated when that is smaller, stored when not", () => {
      const zip = zipFiles(files);
      const read = readZip(zip);
      expect(read.map((e) => e.name)).to.deep.equal(files.map(([name]) => name));
      read.forEach((e, i) => expect(e.content.equals(files[i][1]), e.name).to.equal(true));
      expect(read[0].method).to.equal(8);
      expect(read[2].method).to.equal(0);
      expect(zip.length).to.be.lessThan(files.reduce((total, [, content]) => total + content.length, 0));
    });

    it("writes the same bytes for the same files (a fixed timestamp)", () => {
      expect(zipFiles(files).equals(zipFiles(files))).to.equal(true);
    });

    it("zips a written archive's files, nested paths included, as unzip lists and extracts them", function () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "backup-dr-zip-spec-"));
      try {
        for (const [name, content] of files) {
          fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
          fs.writeFileSync(path.join(dir, name), content);
        }
        const zip = zipArchive(dir);
        expect(zippedBytes(dir)).to.equal(zip.length);
        expect(readZip(zip).map((e) => e.name)).to.deep.equal(files.map(([name]) => name).sort());
        if (!hasUnzip) this.skip();
        const zipFile = path.join(dir, "archive.zip");
        fs.writeFileSync(zipFile, zip);
        execFileSync("unzip", ["-tq", zipFile]);
        const listed = execFileSync("unzip", ["-Z1", zipFile], { encoding: "utf8" }).trim().split("\n");
        expect(listed).to.deep.equal(files.map(([name]) => name).sort());
        for (const [name, content] of files) expect(execFileSync("unzip", ["-p", zipFile, name]).equals(content), name).to.equal(true);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
