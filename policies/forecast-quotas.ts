// The forecast's quota check at preview: when the stack declares backup-dr:expectedSources (the program passes it to
// the backup function as BACKUP_DR_EXPECTED_SOURCES, since a policy cannot read config), the plans are simulated with
// the forecast tool's own code (tools/forecast: the handlers' schedule and retention, the cleanup's schedule and
// minimum age) and a stored-snapshot quota the worst case exceeds is a violation naming the plan that drives it.
import * as aws from "@pulumi/aws";
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { parseCopyPlans } from "../handlers/copy/plans";
import { forecast } from "../tools/forecast/forecast";
import { QUOTAS, quotaFailures, type Sources } from "../tools/forecast/quotas";
import type { CleanupModel } from "../tools/forecast/simulate";
import { configSchema, settings } from "./lib/config";
import { functionNamed, refersTo } from "./lib/functions";
import { BACKUP_FUNCTION, DR_PROVIDER, PRIMARY_PROVIDER } from "./lib/names";
import { awsProviders, ofClass, providerRegion } from "./lib/resources";

export const EXPECTED_SOURCES_VARIABLE = "BACKUP_DR_EXPECTED_SOURCES";
const CLEANUP_FUNCTION = "cleanup";
/** The cleanup defaults of backup-dr:cleanup, used when the stack has no cleanup schedule to read. */
const DEFAULT_CLEANUP: CleanupModel = { schedule: "cron(30 3 * * ? *)", timezone: "UTC", minAgeDays: 1 };

export const FORECAST_QUOTA_DEFAULTS = { rdsSnapshotQuota: QUOTAS.rdsSnapshots };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** backup-dr:expectedSources as the backup function carries it, or a problem. */
export function readSources(text: string): Sources | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    value = undefined;
  }
  const whole = (v: unknown, min: number) => (typeof v === "number" && Number.isInteger(v) && v >= min ? v : undefined);
  if (!isObject(value)) return { problem: `${EXPECTED_SOURCES_VARIABLE} is not a JSON map of ec2, rds, aurora, volumesPerInstance` };
  const ec2 = whole(value.ec2 ?? 0, 0);
  const rds = whole(value.rds ?? 0, 0);
  const aurora = whole(value.aurora ?? 0, 0);
  const volumesPerInstance = whole(value.volumesPerInstance ?? 1, 1);
  if (ec2 === undefined || rds === undefined || aurora === undefined || volumesPerInstance === undefined) {
    return { problem: `${EXPECTED_SOURCES_VARIABLE} has a count that is not a whole number (ec2, rds, aurora >= 0; volumesPerInstance >= 1)` };
  }
  return { ec2, rds, aurora, volumesPerInstance };
}

/** The cleanup function's schedule and minimum age, from its schedule resource and environment (else the defaults). */
function cleanupModel(resources: PolicyResource[]): CleanupModel {
  const fn = functionNamed(resources, CLEANUP_FUNCTION);
  if (fn === undefined) return DEFAULT_CLEANUP;
  const schedule = ofClass(resources, aws.scheduler.Schedule).find((s) => refersTo(s.props.target?.arn, fn));
  const minAge = Number(fn.props.environment?.variables?.BACKUP_DR_MIN_AGE_DAYS);
  return {
    schedule: typeof schedule?.props.scheduleExpression === "string" ? schedule.props.scheduleExpression : DEFAULT_CLEANUP.schedule,
    timezone: typeof schedule?.props.scheduleExpressionTimezone === "string" ? schedule.props.scheduleExpressionTimezone : DEFAULT_CLEANUP.timezone,
    minAgeDays: Number.isInteger(minAge) && minAge >= 0 ? minAge : DEFAULT_CLEANUP.minAgeDays,
  };
}

const regionNamed = (resources: PolicyResource[], name: string) => providerRegion(awsProviders(resources).find((p) => p.name === name)?.props);

export const forecastQuotas: StackValidationPolicy = {
  name: "forecast-quotas",
  description: "When backup-dr:expectedSources is set, the forecast of every plan keeps each region's RDS and Aurora manual snapshots and EBS snapshots under AWS's quotas.",
  enforcementLevel: "mandatory",
  configSchema: configSchema(FORECAST_QUOTA_DEFAULTS, {
    rdsSnapshotQuota: { type: "integer", minimum: 1, description: "The account's RDS manual snapshot quota per region (DB and cluster snapshots each)." },
  }),
  validateStack: (args, reportViolation) => {
    const backup = functionNamed(args.resources, BACKUP_FUNCTION);
    const variables = backup?.props.environment?.variables;
    const sourcesText = variables?.[EXPECTED_SOURCES_VARIABLE];
    if (backup === undefined || typeof sourcesText !== "string") return args.notApplicable("backup-dr:expectedSources is not set");
    const urn = backup.resource.urn;
    const sources = readSources(sourcesText);
    if ("problem" in sources) {
      reportViolation(`${sources.problem}: set backup-dr:expectedSources to a map of whole numbers.`, urn);
      return;
    }
    let plans: ReturnType<typeof parseCopyPlans>;
    try {
      plans = parseCopyPlans(JSON.parse(String(variables?.BACKUP_DR_PLANS)) as unknown);
    } catch (error) {
      return args.notApplicable(`plans unreadable: ${error instanceof Error ? error.message : String(error)}`);
    }
    const region = regionNamed(args.resources, PRIMARY_PROVIDER);
    const drRegion = regionNamed(args.resources, DR_PROVIDER);
    if (region === undefined || drRegion === undefined) return args.notApplicable("the stack's regions are unknown (dr-distinct-regions reports why)");
    const { rdsSnapshotQuota } = settings(args, FORECAST_QUOTA_DEFAULTS);
    const result = forecast({
      stack: "policy",
      region,
      drRegion,
      plans: plans.map((p) => ({ ...p, schedule: p.schedule.expression })),
      cleanup: cleanupModel(args.resources),
      start: new Date(Date.UTC(new Date().getUTCFullYear() + 1, 0, 1)),
      sources,
      rdsSnapshotQuota,
      prices: { source: "", date: "", currency: "USD", regions: {} },
    });
    for (const failure of quotaFailures(result.quotas)) reportViolation(`Forecast over quota in ${failure}; npm run forecast -- <stack> shows the numbers.`, urn);
  },
};

export const FORECAST_POLICIES = [forecastQuotas];
