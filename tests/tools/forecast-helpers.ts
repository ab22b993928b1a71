// Small forecasts for the tool's tests: one plan, the default cleanup (03:30 UTC, one day minimum age).
import type { TierCounts } from "../../handlers/plan";
import { forecast, type Forecast, type ForecastInput } from "../../tools/forecast/forecast";
import { loadPrices } from "../../tools/forecast/price-table";
import type { CleanupModel, ForecastPlan } from "../../tools/forecast/simulate";

export const CLEANUP: CleanupModel = { schedule: "cron(30 3 * * ? *)", timezone: "UTC", minAgeDays: 1 };

export const keep = (k: Partial<TierCounts>): TierCounts => ({ hourly: 0, daily: 0, weekly: 0, monthly: 0, yearly: 0, ...k });

export function plan(fields: Partial<ForecastPlan> & Pick<ForecastPlan, "schedule">): ForecastPlan {
  const k = fields.keep ?? keep({ daily: 7 });
  return { name: "p", timezone: "UTC", resources: ["ec2", "rds", "aurora"], copyToDr: false, drKeep: k, ...fields, keep: k };
}

export function forecastOf(plans: ForecastPlan[], extra: Partial<ForecastInput> = {}): Forecast {
  return forecast({
    stack: "test",
    region: "us-east-1",
    drRegion: "us-west-2",
    plans,
    cleanup: CLEANUP,
    start: new Date("2027-01-01T00:00:00Z"),
    rdsSnapshotQuota: 100,
    prices: loadPrices(),
    ...extra,
  });
}
