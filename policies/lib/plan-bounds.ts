// The plan bounds the policy pack can check by itself: the keep counts per tier, from the plan contract the config
// loader and the functions use (./plan-contract.ts, ./bounds.ts). Schedules (rate at most a year, fires within a year) and the hourly
// horizon need the functions' schedule parser, which the self-contained pack does not carry: the config loader checks
// those before the pack ever runs.
import { TIERS, keepCountProblem } from "./plan-contract";
import type { PlanView } from "./plans";

/** What is out of bounds in a plan, one line each ("keep.yearly: ..."); empty when nothing is. */
export function planBoundProblems(plan: PlanView): string[] {
  const problems: string[] = [];
  for (const [field, keep] of [["keep", plan.keep], ["drKeep", plan.drKeep]] as const) {
    for (const tier of TIERS) {
      const tooMany = keepCountProblem(tier, keep[tier]);
      if (tooMany !== undefined) problems.push(`${field}.${tier}: ${tooMany}`);
    }
  }
  return problems;
}
