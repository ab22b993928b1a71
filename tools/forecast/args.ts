// The forecast command's options: `<stack> [--sources ec2=40,rds=3,aurora=2[,volumes=2]] [--rds-snapshot-quota N]
// [--ebs-gib N --daily-change F --db-gib N] [--prices file.json] [--start ISO] [--horizon-days N] [--json|--csv] [--svg file]`.
import type { StorageInputs } from "./cost";
import type { Sources } from "./quotas";

export interface ForecastArgs {
  stack: string;
  sources?: Sources;
  rdsSnapshotQuota: number;
  storage: Partial<StorageInputs>;
  prices?: string;
  start?: Date;
  horizonDays?: number;
  output: "table" | "json" | "csv";
  svg?: string;
}

export const USAGE =
  "usage: npm run forecast -- <stack> [--sources ec2=N,rds=N,aurora=N[,volumes=N]] [--rds-snapshot-quota N] " +
  "[--ebs-gib N] [--daily-change F] [--db-gib N] [--prices file.json] [--start ISO] [--horizon-days N] [--json | --csv] [--svg file]";

const usage = (message: string) => new Error(`${message}\n${USAGE}`);

function number(flag: string, text: string | undefined, check: (n: number) => boolean, what: string): number {
  const n = Number(text);
  if (text === undefined || text.trim() === "" || !Number.isFinite(n) || !check(n)) throw usage(`${flag}: expected ${what}, got ${JSON.stringify(text ?? null)}`);
  return n;
}

/** `ec2=40,rds=3,aurora=2,volumes=2` (missing kinds are 0, volumes 1). */
export function parseSources(text: string): Sources {
  const sources: Sources = { ec2: 0, rds: 0, aurora: 0, volumesPerInstance: 1 };
  for (const part of text.split(",")) {
    const [kind, count] = part.split("=");
    const key = kind === "volumes" ? "volumesPerInstance" : kind;
    if (key !== "ec2" && key !== "rds" && key !== "aurora" && key !== "volumesPerInstance") throw usage(`--sources: unknown kind ${JSON.stringify(kind)}; expected ec2, rds, aurora, volumes`);
    sources[key] = number(`--sources ${kind}`, count, (n) => Number.isInteger(n) && n >= (key === "volumesPerInstance" ? 1 : 0), "a whole number");
  }
  return sources;
}

export function parseArgs(argv: readonly string[]): ForecastArgs {
  const args: ForecastArgs = { stack: "", rdsSnapshotQuota: 100, storage: {}, output: "table" };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith("--")) throw usage(`${flag}: expected a value`);
      i += 1;
      return v;
    };
    const positive = (what: string) => number(flag, value(), (n) => n > 0, what);
    switch (flag) {
      case "--sources": args.sources = parseSources(value()); break;
      case "--rds-snapshot-quota": args.rdsSnapshotQuota = number(flag, value(), (n) => Number.isInteger(n) && n > 0, "a whole number above 0"); break;
      case "--ebs-gib": args.storage.ebsGiB = positive("GiB above 0"); break;
      case "--db-gib": args.storage.dbGiB = positive("GiB above 0"); break;
      case "--daily-change": args.storage.dailyChange = number(flag, value(), (n) => n >= 0 && n <= 1, "a fraction from 0 to 1"); break;
      case "--prices": args.prices = value(); break;
      case "--start": {
        const text = value();
        const start = new Date(text);
        if (!/(Z|[+-]\d\d:?\d\d)$/.test(text) || Number.isNaN(start.getTime())) throw usage(`--start: expected an ISO-8601 instant with Z or an offset, got ${JSON.stringify(text)}`);
        args.start = start;
        break;
      }
      case "--horizon-days": args.horizonDays = number(flag, value(), (n) => Number.isInteger(n) && n >= 2 && n <= 40000, "whole days from 2 to 40000"); break;
      case "--json": args.output = "json"; break;
      case "--csv": args.output = "csv"; break;
      case "--svg": args.svg = value(); break;
      default:
        if (flag.startsWith("--") || args.stack !== "") throw usage(`unknown argument ${JSON.stringify(flag)}`);
        args.stack = flag;
    }
  }
  if (args.stack === "") throw usage("expected a stack name (Pulumi.<stack>.yaml)");
  return args;
}
