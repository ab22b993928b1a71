// Writes each function's archive for both packagings, zips it, and times cold requires of both side by side:
// the rounds alternate lean and default, so a burst of load on a shared machine hits both alike.
import * as fs from "fs";
import * as path from "path";
import type { FunctionPackaging } from "../../infra/function-archive";
import { archiveFiles, unpackedBytes, writeFunctionArchive } from "./archive";
import { coldRequire, type RequireTiming } from "./cold-require";
import { BENCH_FUNCTIONS, registeredFunctions, type BenchFunction } from "./program";
import { median } from "./stats";
import { zipArchive } from "./zip";

export const PACKAGINGS: readonly FunctionPackaging[] = ["lean", "default"];

/** One function's archive in one packaging, measured. */
export interface ArtifactMeasure {
  fn: BenchFunction;
  packaging: FunctionPackaging;
  files: number;
  unpackedBytes: number;
  zippedBytes: number;
  /** Medians over the runs. */
  requireWallMs: number;
  requireCpuMs: number;
  runs: number;
  /** The written archive's directory and its zip file. */
  dir: string;
  zipFile: string;
}

interface Written {
  fn: BenchFunction;
  packaging: FunctionPackaging;
  dir: string;
  zipFile: string;
  zippedBytes: number;
}

async function writeAll(stack: string, workDir: string): Promise<Written[]> {
  const written: Written[] = [];
  for (const packaging of PACKAGINGS) {
    const fns = await registeredFunctions(stack, packaging);
    const parent = path.join(workDir, packaging);
    fs.mkdirSync(parent, { recursive: true });
    for (const fn of BENCH_FUNCTIONS) {
      const { dir } = await writeFunctionArchive(fns[fn], parent);
      const zip = zipArchive(dir);
      const zipFile = path.join(parent, `${fn}.zip`);
      fs.writeFileSync(zipFile, zip);
      written.push({ fn, packaging, dir, zipFile, zippedBytes: zip.length });
    }
  }
  return written;
}

/** Measures stack `stack`'s functions in both packagings under `workDir`, with `runs` cold requires each. */
export async function measureArtifacts(stack: string, workDir: string, runs: number): Promise<ArtifactMeasure[]> {
  const written = await writeAll(stack, workDir);
  const timings = new Map<Written, RequireTiming[]>(written.map((w) => [w, []]));
  for (let round = 0; round < runs; round++) {
    for (const w of written) timings.get(w)?.push(coldRequire(w.dir));
  }
  return written.map((w) => {
    const taken = timings.get(w) ?? [];
    return {
      fn: w.fn,
      packaging: w.packaging,
      files: archiveFiles(w.dir).length,
      unpackedBytes: unpackedBytes(w.dir),
      zippedBytes: w.zippedBytes,
      requireWallMs: median(taken.map((t) => t.wallMs)),
      requireCpuMs: median(taken.map((t) => t.cpuMs)),
      runs: taken.length,
      dir: w.dir,
      zipFile: w.zipFile,
    };
  });
}
