// `npm run policy -- [<stack> ... | all] [--strict] [--policy-pack-config <file>] [--stack-dir <dir>]`:
// the policy pack, offline. Runs each stack's program under mocks with Pulumi.<stack>.yaml (every stack
// file when none or `all` is given; from <dir> instead of the repository with --stack-dir), prints the
// violations, and exits 1 on any mandatory one (2 on bad usage or a stack that does not run). No Pulumi
// CLI, no cloud credentials.
import * as fs from "fs";
import type { PolicyPackConfig } from "@pulumi/policy";
import { ROOT, stackFiles, stackValues } from "../mock-program/stacks";
import { checkStack, type CheckOptions } from "./check";
import { formatReport } from "./report";

const USAGE = "usage: npm run policy -- [<stack> ... | all] [--strict] [--policy-pack-config <file.json>] [--stack-dir <dir>]";

interface Parsed {
  stacks: string[];
  options: CheckOptions;
  /** Where the Pulumi.<stack>.yaml files are read from. */
  dir: string;
}

function parse(argv: string[]): Parsed {
  const stacks: string[] = [];
  const options: CheckOptions = {};
  let dir = ROOT;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--strict") options.strict = true;
    else if (arg === "--policy-pack-config") {
      const file = argv[++i];
      if (file === undefined) throw new Error("--policy-pack-config needs a file");
      options.packConfig = JSON.parse(fs.readFileSync(file, "utf8")) as PolicyPackConfig;
    } else if (arg === "--stack-dir") {
      const folder = argv[++i];
      if (folder === undefined) throw new Error("--stack-dir needs a folder");
      dir = folder;
    } else if (arg.startsWith("-")) throw new Error(`unknown option ${arg}`);
    else stacks.push(arg);
  }
  const known = stackFiles(dir);
  const wanted = stacks.length === 0 || stacks.includes("all") ? known : stacks;
  const unknown = wanted.filter((s) => !known.includes(s));
  if (unknown.length > 0) throw new Error(`no stack file Pulumi.${unknown[0]}.yaml (stacks: ${known.join(", ")})`);
  return { stacks: wanted, options, dir };
}

/** Runs the check for the stacks in `argv`; returns the exit code. */
export async function main(argv: string[], write: (text: string) => void = console.log): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parse(argv);
  } catch (error) {
    write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  let code = 0;
  for (const [i, stack] of parsed.stacks.entries()) {
    if (i > 0) write("");
    try {
      const result = await checkStack(stack, parsed.options, stackValues(stack, parsed.dir));
      write(formatReport(result));
      if (result.blocking.length > 0) code = Math.max(code, 1);
    } catch (error) {
      write(`ERROR ${stack}: ${error instanceof Error ? error.message : String(error)}`);
      code = 2;
    }
  }
  return code;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
