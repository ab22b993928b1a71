// `npm run forecast -- <stack> [options]`: offline; exits 0, 1 when a stored-snapshot quota would be exceeded
// (naming the plan that drives it), 2 on bad usage or a stack file the program would refuse.
import * as fs from "fs";
import { parseArgs } from "./args";
import { forecast } from "./forecast";
import { formatTable, toCsv, toJson } from "./format";
import { loadPrices } from "./price-table";
import { quotaFailures } from "./quotas";
import { loadStack } from "./stack-file";
import { toSvg } from "./svg";

const DEFAULT_STORAGE = { ebsGiB: 100, dailyChange: 0.02, dbGiB: 100 };

/** The first instant of next year (UTC): a deploy date the output does not shift with. */
const nextYear = (now: Date) => new Date(Date.UTC(now.getUTCFullYear() + 1, 0, 1));

export function main(argv: readonly string[], out: (text: string) => void, err: (text: string) => void): number {
  let args;
  let config;
  let prices;
  try {
    args = parseArgs(argv);
    config = loadStack(args.stack);
    prices = loadPrices(args.prices);
  } catch (error) {
    err(error instanceof Error ? error.message : String(error));
    return 2;
  }
  const sources = args.sources ?? config.expectedSources;
  const hasStorage = Object.keys(args.storage).length > 0;
  const result = forecast({
    stack: config.stack,
    region: config.region,
    drRegion: config.drRegion,
    plans: config.plans,
    cleanup: config.cleanup,
    start: args.start ?? nextYear(new Date()),
    ...(args.horizonDays === undefined ? {} : { horizonDays: args.horizonDays }),
    ...(sources ? { sources } : {}),
    rdsSnapshotQuota: args.rdsSnapshotQuota,
    ...(hasStorage ? { storage: { ...DEFAULT_STORAGE, ...args.storage } } : {}),
    prices,
  });
  if (args.output === "json") out(toJson(result, sources));
  else if (args.output === "csv") out(toCsv(result));
  else out(formatTable(result, sources));
  if (args.svg !== undefined) fs.writeFileSync(args.svg, toSvg(result));
  const failures = quotaFailures(result.quotas);
  for (const failure of failures) err(`quota exceeded: ${failure}`);
  return failures.length > 0 ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), (t) => process.stdout.write(`${t}\n`), (t) => process.stderr.write(`${t}\n`));
}
