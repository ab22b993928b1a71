// backup-dr:drill as the program uses it: every plan of the stack with its targets, the defaults applied. Both targets'
// defaults depend on the plan. RPO: the longest time between two consecutive backups (handlers/lib/slot-gap.ts, the
// plan's real slots in its time zone), plus the DR copy's lag alarm when the drill restores in the DR region (a DR point
// is that much older than the primary's newest). RTO: 240 minutes, or less when a kind of the plan gives up on its
// restore sooner in the drill's machine mode (a target past that deadline could never be missed: the restore would be
// reported failed first); a target set above the deadline is refused (config-cross-keys.ts).
import type { ResourceKind } from "../handlers/catalog";
import { restoreDeadlineMinutes } from "../handlers/kinds/kind";
import { drillKinds, restoreKind, restoreKinds } from "../handlers/kinds/registry";
import { parseSchedule } from "../handlers/lib/schedule";
import { longestSlotGapMs } from "../handlers/lib/slot-gap";
import type { MachineRestoreMode } from "../handlers/restore/contract";
import type { CopySettings, DrillConfig, Plan } from "./config";
import type { ParsedConfig } from "./config-schema";
import { DRILL_BOUNDS, KEYS } from "./config-schema";
import { drillMaxSamples } from "./drill-machine";

type ParsedDrill = ParsedConfig[typeof KEYS.drill];

const MINUTE_MS = 60_000;

/** The RPO target a plan gets when backup-dr:drill does not set one, in minutes. */
export function defaultRpoTargetMinutes(plan: Pick<Plan, "schedule" | "timezone">, region: DrillConfig["region"], copy: Pick<CopySettings, "lagAlarmMinutes">): number {
  return Math.ceil(longestSlotGapMs(parseSchedule(plan.schedule), plan.timezone) / MINUTE_MS) + (region === "dr" ? copy.lagAlarmMinutes : 0);
}

/** The shortest restore deadline of the kinds in `mode` (RestoreKind timeoutMinutes, or the mode's own), in minutes. */
export function restoreDeadlineOf(kinds: readonly ResourceKind[], mode: MachineRestoreMode): number {
  return Math.min(...kinds.map((kind) => restoreDeadlineMinutes(restoreKind(kind), mode)));
}

/** The RTO target a plan gets when backup-dr:drill does not set one: 240 minutes, at most its kinds' restore deadline. */
export function defaultRtoTargetMinutes(plan: Pick<Plan, "resources">, mode: MachineRestoreMode): number {
  return Math.min(DRILL_BOUNDS.rtoTargetMinutes.fallback, restoreDeadlineOf(plan.resources, mode));
}

/**
 * The most restores one drill may start with the registry's kinds (infra/drill-machine.ts drillMaxSamples): past it a
 * drill whose restores all ran to their deadlines would pass Step Functions' 25,000-event history and fail before cleanup.
 */
export function registryDrillMaxSamples(): number {
  return drillMaxSamples({ restore: restoreKinds(), deletion: drillKinds() });
}

/** The restores a drill of these plans starts at most: samplePerPlan of each of each plan's kinds. */
export function drillSampleCount(plans: ReadonlyArray<Pick<Plan, "resources">>, samplePerPlan: number): number {
  return plans.reduce((n, plan) => n + plan.resources.length * samplePerPlan, 0);
}

/** The plans a drill in `region` covers: every plan, but in the DR region only those that copy there. */
export function drilledPlansOf<P extends Pick<Plan, "copyToDr">>(plans: readonly P[], region: DrillConfig["region"]): P[] {
  return plans.filter((plan) => region === "primary" || plan.copyToDr);
}

/**
 * The validated backup-dr:drill with every drilled plan's targets (a plan not listed gets the defaults): every plan,
 * but in the DR region only the plans that copy there (the others have nothing to restore in DR).
 */
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
    maxSamples: registryDrillMaxSamples(),
    plans: Object.fromEntries(
      drilledPlansOf(plans, d.region).map((plan) => {
        const given = d.plans[plan.name];
        return [
          plan.name,
          {
            rtoTargetMinutes: given?.rtoTargetMinutes ?? defaultRtoTargetMinutes(plan, d.machineMode),
            rpoTargetMinutes: given?.rpoTargetMinutes ?? defaultRpoTargetMinutes(plan, d.region, copy),
            kinds: [...plan.resources],
          },
        ];
      }),
    ),
  };
}
