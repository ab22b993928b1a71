// The plans the copy function is deployed with (BACKUP_DR_PLANS, the same JSON as the backup function's),
// with the fields only it reads: drKeep (DR retention, default keep) and copyToDr (default true).
import { parsePlans, PLANS_SETTING } from "../backup/plans";
import { TIERS } from "../catalog";
import { invalidSettingError } from "../lib/errors";
import type { Keep } from "../lib/retention";
import type { CopyPlan } from "./types";

type Fields = Record<string, unknown>;

const isFields = (value: unknown): value is Fields => typeof value === "object" && value !== null && !Array.isArray(value);

function problem(path: string, message: string): Error {
  return invalidSettingError(PLANS_SETTING, `${path}: ${message}`);
}

/** Plans from parsed JSON: everything the backup function checks, plus drKeep and copyToDr. */
export function parseCopyPlans(value: unknown): CopyPlan[] {
  const plans = parsePlans(value);
  const entries = value as Fields[]; // parsePlans accepted it: a non-empty array of objects
  return plans.map((plan, i) => {
    const { drKeep, copyToDr = true } = entries[i];
    if (typeof copyToDr !== "boolean") throw problem(`[${i}].copyToDr`, `expected true or false, got ${JSON.stringify(copyToDr)}`);
    return { ...plan, drKeep: drKeep === undefined ? plan.keep : parseDrKeep(drKeep, `[${i}].drKeep`), copyToDr };
  });
}

function parseDrKeep(value: unknown, path: string): Keep {
  if (!isFields(value)) throw problem(path, `expected an object of counts per tier (${TIERS.join(", ")})`);
  for (const key of Object.keys(value)) {
    if (!TIERS.some((t) => t === key)) throw problem(`${path}.${key}`, `unknown tier; expected ${TIERS.join(", ")}`);
  }
  const keep: Keep = { hourly: 0, daily: 0, weekly: 0, monthly: 0, yearly: 0 };
  for (const tier of TIERS) {
    const count = value[tier] ?? 0;
    if (typeof count !== "number" || !Number.isInteger(count) || count < 0) throw problem(`${path}.${tier}`, `expected a whole number >= 0, got ${JSON.stringify(count)}`);
    keep[tier] = count;
  }
  if (TIERS.every((t) => keep[t] === 0)) throw problem(path, "expected at least one tier kept more than 0 times");
  return keep;
}
