// The plan contract's bounds as the policy pack applies them: the same checks (handlers/lib/plan-bounds.ts) the
// config loader and the functions use, so a plan the program would refuse is a violation here too.
import { TIERS } from "../../handlers/catalog";
import { hourlyProblem, keepCountProblem, scheduleFiresProblem } from "../../handlers/lib/plan-bounds";
import { parseSchedule, type Schedule } from "../../handlers/lib/schedule";
import { isTimeZone } from "../../handlers/lib/zoned-time";
import type { PlanView } from "./plans";

/** What is out of bounds in a plan that has a schedule, one line each ("keep.yearly: ..."); empty when nothing is. */
export function planBoundProblems(plan: PlanView & { schedule: string }, now: Date): string[] {
  let schedule: Schedule;
  try {
    schedule = parseSchedule(plan.schedule);
  } catch (error) {
    return [`schedule: ${error instanceof Error ? error.message : String(error)}`];
  }
  const problems: string[] = [];
  if (typeof plan.timezone !== "string" || !isTimeZone(plan.timezone)) problems.push(`timezone: ${JSON.stringify(plan.timezone)} is not an IANA time zone`);
  else {
    const fires = scheduleFiresProblem(schedule, plan.timezone, now);
    if (fires !== undefined) problems.push(`schedule: does not fire within a year: ${fires}`);
  }
  for (const [field, keep] of [["keep", plan.keep], ["drKeep", plan.drKeep]] as const) {
    for (const tier of TIERS) {
      const tooMany = keepCountProblem(tier, keep[tier]);
      if (tooMany !== undefined) problems.push(`${field}.${tier}: ${tooMany}`);
    }
    const hourly = hourlyProblem(keep.hourly, schedule);
    if (hourly !== undefined) problems.push(`${field}.hourly: ${hourly}`);
  }
  return problems;
}
