// The forecast's quota check at preview, when the stack declares backup-dr:expectedSources. The pack must stay a
// self-contained package, so it cannot run the forecast (tools/forecast, over the handlers' schedule code): the
// program runs it and passes the backup function BACKUP_DR_EXPECTED_SOURCES = the sources plus each plan's peak points
// per source per region (tools/forecast/peaks.ts). This applies the forecast's quota rule (tools/forecast/quotas.ts;
// tests/policies/forecast-quotas.spec.ts checks both give the same answers): a source opts into one plan, so a region's
// worst case is every source of a kind in the plan with the highest peak there.
import type { StackValidationPolicy } from "@pulumi/policy";
import { configSchema, settings } from "./lib/config";
import { functionNamed } from "./lib/functions";
import { BACKUP_FUNCTION } from "./lib/names";

export const EXPECTED_SOURCES_VARIABLE = "BACKUP_DR_EXPECTED_SOURCES";

export const FORECAST_QUOTA_DEFAULTS = { rdsSnapshotQuota: 100 };
const EBS_SNAPSHOT_QUOTA = 100_000;

type Kind = "ec2" | "rds" | "aurora";

interface Peak {
  plan: string;
  region: string;
  resources: Kind[];
  peak: number;
}

export interface ExpectedSources {
  ec2: number;
  rds: number;
  aurora: number;
  volumesPerInstance: number;
  peaks: Peak[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const whole = (v: unknown, min: number) => (typeof v === "number" && Number.isInteger(v) && v >= min ? v : undefined);

function readPeak(value: unknown): Peak | undefined {
  if (!isObject(value) || typeof value.plan !== "string" || typeof value.region !== "string" || !Array.isArray(value.resources)) return undefined;
  const peak = whole(value.peak, 0);
  const resources = value.resources.filter((r): r is Kind => r === "ec2" || r === "rds" || r === "aurora");
  return peak === undefined ? undefined : { plan: value.plan, region: value.region, resources, peak };
}

/** BACKUP_DR_EXPECTED_SOURCES as the program writes it, or a problem. */
export function readSources(text: string): ExpectedSources | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    value = undefined;
  }
  if (!isObject(value)) return { problem: `${EXPECTED_SOURCES_VARIABLE} is not a JSON map of ec2, rds, aurora, volumesPerInstance, peaks` };
  const ec2 = whole(value.ec2 ?? 0, 0);
  const rds = whole(value.rds ?? 0, 0);
  const aurora = whole(value.aurora ?? 0, 0);
  const volumesPerInstance = whole(value.volumesPerInstance ?? 1, 1);
  if (ec2 === undefined || rds === undefined || aurora === undefined || volumesPerInstance === undefined) {
    return { problem: `${EXPECTED_SOURCES_VARIABLE} has a count that is not a whole number (ec2, rds, aurora >= 0; volumesPerInstance >= 1)` };
  }
  const peaks = Array.isArray(value.peaks) ? value.peaks.map(readPeak) : [undefined];
  if (peaks.some((p) => p === undefined)) return { problem: `${EXPECTED_SOURCES_VARIABLE} has no readable forecast peaks (plan, region, resources, peak)` };
  return { ec2, rds, aurora, volumesPerInstance, peaks: peaks.filter((p): p is Peak => p !== undefined) };
}

/** The stored-snapshot quotas the forecast exceeds, in the forecast's words. */
export function quotaExcesses(sources: ExpectedSources, rdsSnapshotQuota: number): string[] {
  const stored: { kind: Kind; quota: string; limit: number }[] = [
    { kind: "rds", quota: "RDS manual DB snapshots", limit: rdsSnapshotQuota },
    { kind: "aurora", quota: "RDS manual DB cluster snapshots", limit: rdsSnapshotQuota },
    { kind: "ec2", quota: "EBS snapshots", limit: EBS_SNAPSHOT_QUOTA },
  ];
  const excesses: string[] = [];
  for (const region of [...new Set(sources.peaks.map((p) => p.region))]) {
    for (const { kind, quota, limit } of stored) {
      const n = kind === "ec2" ? sources.ec2 * sources.volumesPerInstance : sources[kind];
      const driver = sources.peaks.filter((p) => p.region === region && p.resources.includes(kind)).reduce<Peak | undefined>((best, p) => (best === undefined || p.peak > best.peak ? p : best), undefined);
      if (n === 0 || driver === undefined || n * driver.peak <= limit) continue;
      excesses.push(`${region}: ${quota}: ${n * driver.peak} forecast, quota ${limit}; driven by plan "${driver.plan}" (reduce its retention or its sources, or raise the quota)`);
    }
  }
  return excesses;
}

export const forecastQuotas: StackValidationPolicy = {
  name: "forecast-quotas",
  description: "When backup-dr:expectedSources is set, the forecast of every plan keeps each region's RDS and Aurora manual snapshots and EBS snapshots under AWS's quotas.",
  enforcementLevel: "mandatory",
  configSchema: configSchema(FORECAST_QUOTA_DEFAULTS, {
    rdsSnapshotQuota: { type: "integer", minimum: 1, description: "The account's RDS manual snapshot quota per region (DB and cluster snapshots each)." },
  }),
  validateStack: (args, reportViolation) => {
    const backup = functionNamed(args.resources, BACKUP_FUNCTION);
    const text = backup?.props.environment?.variables?.[EXPECTED_SOURCES_VARIABLE];
    if (backup === undefined || typeof text !== "string") return args.notApplicable("backup-dr:expectedSources is not set");
    const sources = readSources(text);
    if ("problem" in sources) {
      reportViolation(`${sources.problem}: set backup-dr:expectedSources to a map of whole numbers (the program adds the peaks).`, backup.resource.urn);
      return;
    }
    const { rdsSnapshotQuota } = settings(args, FORECAST_QUOTA_DEFAULTS);
    for (const excess of quotaExcesses(sources, rdsSnapshotQuota)) reportViolation(`Forecast over quota in ${excess}; npm run forecast -- <stack> shows the numbers.`, backup.resource.urn);
  },
};

export const FORECAST_POLICIES = [forecastQuotas];
