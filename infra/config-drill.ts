// backup-dr:drill as the program uses it: every plan of the stack with its targets, the defaults applied. The RPO
// target's default depends on the plan: its longest interval between backups, plus the DR copy's lag alarm when the
// drill restores in the DR region (a DR point is that much older than the primary's newest).
import { longestGapMs } from "../handlers/lib/plan-bounds";
import { parseSchedule } from "../handlers/lib/schedule";
import type { CopySettings, DrillConfig, Plan } from "./config";
import type { ParsedConfig } from "./config-schema";
import { DRILL_BOUNDS, KEYS } from "./config-schema";

type ParsedDrill = ParsedConfig[typeof KEYS.drill];

const MINUTE_MS = 60_000;

/** The RPO target a plan gets when backup-dr:drill does not set one, in minutes. */
export function defaultRpoTargetMinutes(plan: Plan, region: DrillConfig["region"], copy: CopySettings): number {
  return Math.ceil(longestGapMs(parseSchedule(plan.schedule)) / MINUTE_MS) + (region === "dr" ? copy.lagAlarmMinutes : 0);
}

/** The validated backup-dr:drill with every plan's targets (a plan not listed gets the defaults: every plan is drilled). */
export function drillConfig(d: ParsedDrill, plans: readonly Plan[], copy: CopySettings): DrillConfig {
  return {
    enabled: d.enabled,
    schedule: d.schedule,
    timezone: d.timezone,
    region: d.region,
    samplePerPlan: d.samplePerPlan,
    maxConcurrent: d.maxConcurrent,
    machineMode: d.machineMode,
    ...(d.instanceType === undefined ? {} : { instanceType: d.instanceType }),
    ...(d.instanceClass === undefined ? {} : { instanceClass: d.instanceClass }),
    keepMinutes: d.keepMinutes,
    plans: Object.fromEntries(
      plans.map((plan) => {
        const given = d.plans[plan.name];
        return [plan.name, { rtoTargetMinutes: given?.rtoTargetMinutes ?? DRILL_BOUNDS.rtoTargetMinutes.fallback, rpoTargetMinutes: given?.rpoTargetMinutes ?? defaultRpoTargetMinutes(plan, d.region, copy) }];
      }),
    ),
  };
}
