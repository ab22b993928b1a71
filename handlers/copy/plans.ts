// The plans the copy function is deployed with (BACKUP_DR_PLANS, the same JSON as the backup function's),
// with the fields only it reads: drKeep (DR retention, default keep) and copyToDr (default true).
import { parseKeep, parsePlans, PLANS_SETTING } from "../backup/plans";
import { TIERS } from "../catalog";
import { invalidSettingError } from "../lib/errors";
import { describeInput } from "../lib/event-input";
import type { CopyPlan } from "./types";

type Fields = Record<string, unknown>;

function problem(path: string, message: string): Error {
  return invalidSettingError(PLANS_SETTING, `${path}: ${message}`);
}

/** Plans from parsed JSON: everything the backup function checks, plus drKeep and copyToDr. */
export function parseCopyPlans(value: unknown): CopyPlan[] {
  const plans = parsePlans(value);
  const entries = value as Fields[]; // parsePlans accepted it: a non-empty array of objects
  return plans.map((plan, i) => {
    const { drKeep, copyToDr = true } = entries[i];
    if (typeof copyToDr !== "boolean") throw problem(`[${i}].copyToDr`, `expected true or false, got ${describeInput(copyToDr)}`);
    if (drKeep === undefined) return { ...plan, drKeep: plan.keep, copyToDr };
    // The same counts and bounds as keep (one parser), and it must keep something.
    const keep = parseKeep(drKeep, `[${i}].drKeep`, plan.schedule);
    if (TIERS.every((t) => keep[t] === 0)) throw problem(`[${i}].drKeep`, "expected at least one tier kept more than 0 times");
    return { ...plan, drKeep: keep, copyToDr };
  });
}
