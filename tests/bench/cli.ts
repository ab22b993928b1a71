// `npm run bench`: throughput and scale of the real backup, cleanup and copy code against the fake AWS in bench mode
// (AWS's EC2 token buckets, the 20-copies-in-flight limit, 600 s copies, 100-200 ms a call, all on a virtual clock).
// Prints the measures side by side and each acceptance line of issue 20 with PASS or FAIL. Exits 1 when a
// correctness check fails (a source lost or done twice, a kept snapshot touched), not for speed.
//
// Usage: npm run bench [-- --small]   (--small: a quick run at a tenth of the sizes)
// It lives in tests/ because it drives the fake AWS (tests/helpers/): nothing outside tests/ imports test code.
import { checkLines, correct, measuresTable } from "../../tools/bench/report";
import { ACCEPTANCE_SIZES, runBench, type BenchSizes } from "./harness";

const SMALL: BenchSizes = { backup: 100, backupScale: 1_000, cleanup: 1_000, cleanupSmall: 100, copy: 60, kill: { invocation: 1, afterMs: 60_000 } };

async function main(): Promise<number> {
  const small = process.argv.includes("--small");
  const started = Date.now();
  const results = await runBench(small ? SMALL : ACCEPTANCE_SIZES, (what) => process.stderr.write(`running: ${what}\n`));
  const lines = [
    "Throughput and scale (npm run bench): virtual time on the fake AWS with AWS's EC2 token buckets",
    "",
    ...measuresTable(results),
    "",
    "Acceptance (issue 20) and correctness:",
    ...checkLines(results),
    "",
    `real time: ${((Date.now() - started) / 1000).toFixed(1)} s`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  const ok = correct(results);
  if (!ok) process.stdout.write("a correctness check failed\n");
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
