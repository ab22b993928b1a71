// `npm run bench:artifact -- [--stack <name>] [--runs <n>] [--keep]`: the bench's command line.

export interface BenchArgs {
  /** The stack file whose program is measured (Pulumi.<stack>.yaml). */
  stack: string;
  /** Fresh processes per archive for the cold-require median. */
  runs: number;
  /** Keep the written archives and zips (their directory is printed) instead of removing them. */
  keep: boolean;
}

export const DEFAULT_ARGS: BenchArgs = { stack: "prod", runs: 7, keep: false };

/** Parses the arguments; throws a usage message on anything else. */
export function parseArgs(argv: readonly string[]): BenchArgs {
  const args = { ...DEFAULT_ARGS };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === "--stack") args.stack = value();
    else if (flag === "--runs") {
      const text = value();
      args.runs = Number(text);
      if (!Number.isInteger(args.runs) || args.runs < 1) throw new Error(`--runs must be a positive integer, not ${text}`);
    } else if (flag === "--keep") args.keep = true;
    else throw new Error(`unknown argument ${flag}; usage: bench:artifact [--stack <name>] [--runs <n>] [--keep]`);
  }
  return args;
}
