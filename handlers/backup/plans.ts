// Validates the plans the function is deployed with (BACKUP_DR_PLANS), naming the entry and field at fault.
import { TIERS } from "../catalog";
import { invalidSettingError } from "../lib/errors";
import { describeInput } from "../lib/event-input";
import { hourlyProblem, keepCountProblem } from "../lib/plan-bounds";
import type { Keep } from "../lib/retention";
import { parseSchedule, type Schedule } from "../lib/schedule";
import { isTimeZone } from "../lib/zoned-time";
import { RESOURCE_KINDS, type ResourceKind } from "../catalog";
import type { BackupPlan } from "./types";

export const PLANS_SETTING = "BACKUP_DR_PLANS";

const PLAN_NAME = /^[a-z](?:[a-z0-9]|-(?!-)){0,19}$/;

type Fields = Record<string, unknown>;

const isFields = (value: unknown): value is Fields => typeof value === "object" && value !== null && !Array.isArray(value);

function problem(path: string, message: string): Error {
  return invalidSettingError(PLANS_SETTING, `${path}: ${message}`);
}

/** Plans from parsed JSON; extra plan fields (drKeep, copyToDr) belong to other functions and are ignored. */
export function parsePlans(value: unknown): BackupPlan[] {
  if (!Array.isArray(value) || value.length === 0) throw problem("(root)", "expected a non-empty JSON array of plans");
  const plans = value.map((entry, i) => parsePlan(entry, `[${i}]`));
  const seen = new Set<string>();
  plans.forEach((plan, i) => {
    if (seen.has(plan.name)) throw problem(`[${i}].name`, `plan "${plan.name}" appears more than once`);
    seen.add(plan.name);
  });
  return plans;
}

function parsePlan(entry: unknown, path: string): BackupPlan {
  if (!isFields(entry)) throw problem(path, "expected an object with name, schedule, timezone, resources, keep");
  const { name, schedule, timezone = "UTC", resources, keep } = entry;
  if (typeof name !== "string" || !PLAN_NAME.test(name) || name.endsWith("-")) {
    throw problem(`${path}.name`, "expected 1-20 lowercase letters, digits and single hyphens, starting with a letter");
  }
  if (typeof schedule !== "string") throw problem(`${path}.schedule`, "expected a schedule expression");
  if (typeof timezone !== "string" || !isTimeZone(timezone)) throw problem(`${path}.timezone`, `expected an IANA time zone, got ${describeInput(timezone)}`);
  const parsed = parseScheduleAt(schedule, `${path}.schedule`);
  return { name, schedule: parsed, timezone, resources: parseResources(resources, `${path}.resources`), keep: parseKeep(keep, `${path}.keep`, parsed) };
}

function parseScheduleAt(expression: string, path: string): Schedule {
  try {
    return parseSchedule(expression);
  } catch (error) {
    throw problem(path, error instanceof Error ? error.message : String(error));
  }
}

function parseResources(value: unknown, path: string): ResourceKind[] {
  if (!Array.isArray(value) || value.length === 0) throw problem(path, `expected a non-empty list of ${RESOURCE_KINDS.join(", ")}`);
  const kinds = value.map((item) => {
    const kind = RESOURCE_KINDS.find((k) => k === item);
    if (kind === undefined) throw problem(path, `expected only ${RESOURCE_KINDS.join(", ")}, got ${describeInput(item)}`);
    return kind;
  });
  return [...new Set(kinds)];
}

/** Counts per tier, each a whole number within the plan contract's bounds (lib/plan-bounds.ts); shared with drKeep. */
export function parseKeep(value: unknown, path: string, schedule: Schedule): Keep {
  if (!isFields(value)) throw problem(path, `expected an object of counts per tier (${TIERS.join(", ")})`);
  for (const key of Object.keys(value)) {
    if (!TIERS.some((t) => t === key)) throw problem(`${path}.${key}`, `unknown tier; expected ${TIERS.join(", ")}`);
  }
  const keep = { hourly: 0, daily: 0, weekly: 0, monthly: 0, yearly: 0 };
  for (const tier of TIERS) {
    const count = value[tier] ?? 0;
    if (typeof count !== "number" || !Number.isInteger(count) || count < 0) throw problem(`${path}.${tier}`, `expected a whole number >= 0, got ${describeInput(count)}`);
    const tooMany = keepCountProblem(tier, count);
    if (tooMany !== undefined) throw problem(`${path}.${tier}`, tooMany);
    keep[tier] = count;
  }
  const longHourly = hourlyProblem(keep.hourly, schedule);
  if (longHourly !== undefined) throw problem(`${path}.hourly`, longHourly);
  return keep;
}
