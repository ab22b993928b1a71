// A plan's RPO, the one definition (handlers/report/contract.ts): its longest gap between consecutive slots
// (handlers/lib/slot-gap.ts: the real slots in the plan's time zone, so a DST change is never "late") plus the grace,
// and, when the plan copies, in the DR region plus the copy lag threshold as well.
import { longestSlotGapMs } from "../lib/slot-gap";
import type { RunPlan } from "../plan";
import type { ReportOptions } from "./contract";

export interface PlanRpo {
  /** Seconds a source's newest completed point may be old in the primary region. */
  rpoSeconds: number;
  /** The same in the DR region; present when the plan copies. */
  drRpoSeconds?: number;
}

export function planRpo(plan: Pick<RunPlan, "schedule" | "timezone" | "copyToDr">, options: Pick<ReportOptions, "graceSeconds" | "drLagSeconds">): PlanRpo {
  const rpoSeconds = Math.ceil(longestSlotGapMs(plan.schedule, plan.timezone) / 1000) + options.graceSeconds;
  return plan.copyToDr ? { rpoSeconds, drRpoSeconds: rpoSeconds + options.drLagSeconds } : { rpoSeconds };
}
