// The cold start a function's archive costs before its handler runs: `require` of its entry in a fresh Node
// process (nothing cached, nothing preloaded), timed inside that process so Node's own start-up is not counted.
import { execFileSync } from "child_process";
import * as path from "path";
import { ENTRY_FILE } from "./archive";

export interface RequireTiming {
  /** Wall-clock milliseconds of the `require`. */
  wallMs: number;
  /** CPU milliseconds (user + system) the process spent in it: steadier than wall time on a loaded machine. */
  cpuMs: number;
}

const PROBE = [
  "const wall = process.hrtime.bigint();",
  "const cpu = process.cpuUsage();",
  "require(process.argv[1]);",
  "const used = process.cpuUsage(cpu);",
  "process.stdout.write(JSON.stringify({ wallMs: Number(process.hrtime.bigint() - wall) / 1e6, cpuMs: (used.user + used.system) / 1000 }));",
].join("\n");

/** Parses the probe's one line of output. */
export function parseTiming(output: string): RequireTiming {
  const value: unknown = JSON.parse(output);
  const { wallMs, cpuMs } = (value ?? {}) as Partial<RequireTiming>;
  if (typeof wallMs !== "number" || typeof cpuMs !== "number") throw new Error(`cold require: unexpected probe output ${output}`);
  return { wallMs, cpuMs };
}

/**
 * Requires `<dir>/__index.js` in a new `node` process, from `dir`, with an environment of PATH only (no
 * NODE_OPTIONS, no preloaded ts-node), and returns how long the require took.
 */
export function coldRequire(dir: string): RequireTiming {
  const output = execFileSync(process.execPath, ["-e", PROBE, path.join(dir, ENTRY_FILE)], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "" },
    encoding: "utf8",
    // A failed require's message (in stderr) goes into the thrown error, not onto the bench's output.
    stdio: ["ignore", "pipe", "pipe"],
  });
  return parseTiming(output);
}
