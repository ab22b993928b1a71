// `npm run bench:artifact`: each function's archive of the mocked prod program, lean and as Pulumi packages it by
// default, side by side in one run. Exits 0 when every budget holds, 1 when one fails, 2 on bad usage or an error.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs, type BenchArgs } from "./args";
import { budgetFailures } from "./budgets";
import { formatTable } from "./format";
import { measureArtifacts } from "./measure";

export async function main(argv: readonly string[], out: (text: string) => void, err: (text: string) => void): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    err(error instanceof Error ? error.message : String(error));
    return 2;
  }
  const load = () => os.loadavg()[0].toFixed(2);
  const loadBefore = load();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "backup-dr-bench-"));
  try {
    const measures = await measureArtifacts(args.stack, workDir, args.runs);
    out(`Function archives of stack ${args.stack} (node ${process.version}, ${os.cpus().length} cores, 1-minute load ${loadBefore} before, ${load()} after):\n`);
    out(formatTable(measures));
    out(args.keep ? `\nArchives and zips kept in ${workDir}` : "");
    const failures = budgetFailures(measures);
    for (const f of failures) err(`budget: ${f}`);
    return failures.length === 0 ? 0 : 1;
  } catch (error) {
    err(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return 2;
  } finally {
    if (!args.keep) fs.rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), (text) => console.log(text), (text) => console.error(text)).then((code) => {
    process.exitCode = code;
  });
}
