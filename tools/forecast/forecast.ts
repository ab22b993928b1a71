// The forecast of a stack: every plan simulated in each region it keeps points in, then quotas and cost.
import type { TierCounts } from "../../handlers/plan";
import { parseSchedule } from "../../handlers/lib/schedule";
import { costOf, type CostEstimate, type PriceTable, type StorageInputs } from "./cost";
import { withCachedDateTimeFormat } from "./intl-cache";
import { measure, type Measures } from "./measure";
import { checkQuotas, type QuotaCheck, type Sources } from "./quotas";
import { cleanupRuns, DAY_MS, longestRetentionMs, regionPoints, slotsBetween, type CleanupModel, type ForecastPlan, type Point } from "./simulate";

export interface ForecastInput {
  stack: string;
  region: string;
  drRegion: string;
  plans: readonly ForecastPlan[];
  cleanup: CleanupModel;
  /** The simulation starts here (the stack's first slot counts as yearly, as it will in AWS). */
  start: Date;
  /** Horizon in days; default: the longest retention of any plan plus a year. */
  horizonDays?: number;
  sources?: Sources;
  rdsSnapshotQuota: number;
  storage?: StorageInputs;
  prices: PriceTable;
}

export interface RegionForecast {
  plan: string;
  region: string;
  role: "primary" | "dr";
  keep: TierCounts;
  resources: ForecastPlan["resources"];
  measures: Measures;
  cost?: CostEstimate;
  /** Every point of one source over the horizon (for the chart and the tests; not in --json). */
  points: Point[];
}

export interface Forecast {
  stack: string;
  start: string;
  end: string;
  steadyFrom: string;
  horizonDays: number;
  regions: RegionForecast[];
  quotas: QuotaCheck[];
}

const YEAR_MS = 365 * DAY_MS;

/** Warm-up: the longest retention of any plan and region, plus the cleanup's minimum age and two days of cleanup lag. */
export function warmUpMs(plans: readonly ForecastPlan[], cleanup: CleanupModel, start: Date): number {
  let longest = 0;
  for (const plan of plans) {
    const [first, second] = slotsBetween(parseSchedule(plan.schedule), plan.timezone, start, new Date(start.getTime() + 400 * DAY_MS));
    const interval = first && second ? second.slot.getTime() - first.slot.getTime() : DAY_MS;
    longest = Math.max(longest, longestRetentionMs(plan.keep, interval), plan.copyToDr ? longestRetentionMs(plan.drKeep, interval) : 0);
  }
  return longest + (cleanup.minAgeDays + 2) * DAY_MS;
}

/** Horizon: the warm-up plus a year of steady state. */
export function defaultHorizonDays(plans: readonly ForecastPlan[], cleanup: CleanupModel, start: Date): number {
  return Math.ceil((warmUpMs(plans, cleanup, start) + YEAR_MS) / DAY_MS);
}

/** The forecast of a stack (synchronous; see intl-cache.ts for why the time zone formatters are memoized). */
export function forecast(input: ForecastInput): Forecast {
  return withCachedDateTimeFormat(() => simulateStack(input));
}

function simulateStack(input: ForecastInput): Forecast {
  const horizonDays = input.horizonDays ?? defaultHorizonDays(input.plans, input.cleanup, input.start);
  const end = new Date(input.start.getTime() + horizonDays * DAY_MS);
  // The steady state: the last year, and never the warm-up (a shorter --horizon-days shortens the window).
  const windowStart = Math.min(end.getTime(), Math.max(input.start.getTime() + warmUpMs(input.plans, input.cleanup, input.start), end.getTime() - YEAR_MS));
  const runs = cleanupRuns(input.cleanup, input.start, end);
  const regions: RegionForecast[] = [];
  for (const plan of input.plans) {
    const slots = slotsBetween(parseSchedule(plan.schedule), plan.timezone, input.start, end);
    const targets = [{ region: input.region, role: "primary" as const, keep: plan.keep }, ...(plan.copyToDr ? [{ region: input.drRegion, role: "dr" as const, keep: plan.drKeep }] : [])];
    for (const target of targets) {
      const points = regionPoints(slots, plan.timezone, target.keep, runs, input.cleanup.minAgeDays, target.role === "dr");
      const measures = measure(points, runs, windowStart, end.getTime());
      const lastRun = [...runs].reverse().find((r) => r < end.getTime()) ?? end.getTime();
      const cost = input.storage && input.sources ? costOf({ plan, role: target.role, region: target.region, points, at: lastRun, windowStart, end: end.getTime(), sources: input.sources, storage: input.storage, prices: input.prices }) : undefined;
      regions.push({ plan: plan.name, region: target.region, role: target.role, keep: target.keep, resources: plan.resources, measures, ...(cost ? { cost } : {}), points });
    }
  }
  const quotas = input.sources ? checkQuotas(regions, input.sources, input.rdsSnapshotQuota) : [];
  return { stack: input.stack, start: input.start.toISOString(), end: end.toISOString(), steadyFrom: new Date(windowStart).toISOString(), horizonDays, regions, quotas };
}
