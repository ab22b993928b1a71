// The drill's metrics per plan (handlers/lib/metrics.ts drillPlan), from the report's results and what was not sampled:
//   DrillRestoreSeconds           the plan's slowest validated restore (its RTO); absent when none validated.
//   DrillRecoveryPointAgeSeconds  the plan's oldest sampled point at the drill's start (its worst RPO); absent when none.
//   DrillFailures                 restores failed or missing a target, plus kinds of the plan whose sources had no
//                                 restorable point, plus 1 when the plan got no sample at all otherwise (nothing here to
//                                 restore, or the drill failed before picking): every plan the drill could not prove.
import { metricSet, type MetricSet } from "../lib/metrics";
import type { DrillResult, DrillUnsampled } from "./contract";

export interface PlanFigures {
  plan: string;
  restoreSeconds?: number;
  pointAgeSeconds?: number;
  failures: number;
}

/** The figures of each plan, in the order given. */
export function planFigures(plans: readonly string[], results: readonly DrillResult[], unsampled: readonly DrillUnsampled[]): PlanFigures[] {
  return plans.map((plan) => {
    const mine = results.filter((r) => r.plan === plan);
    const rtos = mine.flatMap((r) => (r.rtoSeconds === undefined ? [] : [r.rtoSeconds]));
    const withSources = unsampled.filter((u) => u.plan === plan && (u.sources ?? 0) > 0).length;
    const notProven = mine.filter((r) => r.outcome !== "passed").length;
    const nothing = mine.length === 0 && withSources === 0 ? 1 : 0;
    return {
      plan,
      ...(rtos.length === 0 ? {} : { restoreSeconds: Math.max(...rtos) }),
      ...(mine.length === 0 ? {} : { pointAgeSeconds: Math.max(...mine.map((r) => r.rpoSeconds)) }),
      failures: notProven + withSources + nothing,
    };
  });
}

export function planMetrics(figures: readonly PlanFigures[]): MetricSet[] {
  return figures.map((f) =>
    metricSet("drillPlan", { Plan: f.plan }, { DrillRestoreSeconds: f.restoreSeconds, DrillRecoveryPointAgeSeconds: f.pointAgeSeconds, DrillFailures: f.failures }),
  );
}
