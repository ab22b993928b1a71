// The plan contract's one validator: config (infra/config-schema.ts) checks backup-dr:plans with it and writes its
// normalised output into BACKUP_DR_PLANS; the backup and copy functions read that JSON with it again. Every default
// comes from the contract (policies/lib/plan-contract.ts), so no caller re-defaults. Plain TypeScript: the
// functions' archives carry no schema library.
import { MAX_KEEP } from "../policies/lib/bounds";
import { PLAN_DEFAULTS, PLAN_FIELDS, RESOURCE_KINDS, TIERS, drKeepOrKeep, withTierDefaults, type Plan, type ResourceKind, type Tier, type TierCounts } from "../policies/lib/plan-contract";
import { didYouMean } from "./lib/closest-key";
import { invalidSettingError } from "./lib/errors";
import { describeInput } from "./lib/event-input";
import { hourlyProblem, scheduleFiresProblem } from "./lib/plan-bounds";
import { parseSchedule, scheduleProblem, type Schedule } from "./lib/schedule";
import { canonicalTimeZone } from "./lib/zoned-time";
import { isFields } from "./lib/values";

export { RESOURCE_KINDS, TIERS, type Plan, type ResourceKind, type Tier, type TierCounts };

/** The environment variable holding the normalised plans as JSON. */
export const PLANS_SETTING = "BACKUP_DR_PLANS";

/** A plan as the functions use it: normalised, its schedule parsed. */
export type RunPlan = Plan<Schedule>;

/** One thing wrong with the plans: where (relative to the list) and what is expected. */
export interface PlanProblem {
  path: (string | number)[];
  message: string;
  /** The problem is a field that is not allowed (its name is the last path segment). */
  unknownKey?: true;
}

const SCHEDULE_FORMS = "cron(minutes hours day-of-month month day-of-week year) with one of the two day fields '?', or rate(N minutes|hours|days)";
export const SCHEDULE_MSG = `expected an EventBridge Scheduler expression: ${SCHEDULE_FORMS}`;
export const TIME_ZONE_MSG = "expected an IANA time zone written exactly as IANA names it, such as UTC or Europe/Berlin";
/** What a plan name may be (isPlanName), in the words every message uses. */
export const PLAN_NAME_RULE = "1-20 lowercase letters, digits and single hyphens, starting with a letter";
const PLAN_NAME_MSG = `expected a plan name of ${PLAN_NAME_RULE}`;
const KINDS_LIST = RESOURCE_KINDS.map((k) => JSON.stringify(k)).join(", ");
const TIER_LIST = TIERS.join(", ");

/** Plan names end up in snapshot identifiers, schedule names and metric dimensions. */
export function isPlanName(value: string): boolean {
  return /^[a-z][a-z0-9-]{0,19}$/.test(value) && !value.includes("--") && !value.endsWith("-");
}

/** The time zone message, naming the zone to write when the value is a case variant or link of a known one. */
export function timeZoneMessage(value: unknown): string {
  const canonical = typeof value === "string" ? canonicalTimeZone(value) : undefined;
  return canonical === undefined ? TIME_ZONE_MSG : `${TIME_ZONE_MSG} (write "${canonical}")`;
}

/** The schedule message, saying first what is wrong in the expression (for a cron, the field and its range). */
export function scheduleMessage(value: unknown): string {
  const problem = typeof value === "string" ? scheduleProblem(value) : undefined;
  return problem === undefined ? SCHEDULE_MSG : `expected an EventBridge Scheduler expression (${problem}): ${SCHEDULE_FORMS}`;
}

/** A time zone written exactly as IANA names it. */
export function isTimeZoneName(value: string): boolean {
  return canonicalTimeZone(value) === value;
}

/** The schedule an expression names, or undefined when EventBridge Scheduler or this code could not use it. */
export function scheduleOf(expression: unknown): Schedule | undefined {
  if (typeof expression !== "string") return undefined;
  try {
    return parseSchedule(expression);
  } catch {
    return undefined;
  }
}

// Config values may arrive as text ("7", "true"); they mean the same as the typed values.
const numberFrom = (v: unknown) => (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v);
const booleanFrom = (v: unknown) => (v === "true" ? true : v === "false" ? false : v);

export interface PlanCheck {
  /** The normalised plans, when there is no problem. */
  plans?: Plan[];
  problems: PlanProblem[];
}

/**
 * Checks a list of plans and applies the contract's defaults. Every problem is reported, each at its path; a check
 * relating fields speaks only when those fields are otherwise valid. With `now`, each schedule must also fire within
 * a year of it (preview only: a plan that passed then must not stop a function later).
 */
export function checkPlans(value: unknown, options: { now?: Date } = {}): PlanCheck {
  if (!Array.isArray(value)) return { problems: [{ path: [], message: "expected a list of plans" }] };
  if (value.length === 0) return { problems: [{ path: [], message: "expected at least one plan" }] };
  const problems: PlanProblem[] = [];
  const plans = value.map((entry, i) => checkPlan(entry, [i], problems, options.now));
  const first = new Map<string, number>();
  plans.forEach((plan, i) => {
    if (plan === undefined) return;
    const at = first.get(plan.name);
    if (at === undefined) first.set(plan.name, i);
    else problems.push({ path: [i, "name"], message: `expected each plan name once (already at [${at}])` });
  });
  if (problems.length > 0) return { problems };
  return { plans: plans.filter((p): p is Plan => p !== undefined), problems };
}

function checkPlan(entry: unknown, at: (string | number)[], problems: PlanProblem[], now: Date | undefined): Plan | undefined {
  if (!isFields(entry)) {
    problems.push({ path: at, message: `expected a plan: a map with ${PLAN_FIELDS.join(", ")}` });
    return undefined;
  }
  const before = problems.length;
  const problem = (field: string, message: string) => problems.push({ path: [...at, field], message });
  const { name, schedule: expression, timezone = PLAN_DEFAULTS.timezone, resources, keep, drKeep, copyToDr: copyText = PLAN_DEFAULTS.copyToDr } = entry;
  if (typeof name !== "string" || !isPlanName(name)) problem("name", PLAN_NAME_MSG);
  const schedule = scheduleOf(expression);
  if (schedule === undefined) problem("schedule", scheduleMessage(expression));
  const zoneOk = typeof timezone === "string" && isTimeZoneName(timezone);
  if (!zoneOk) problem("timezone", timeZoneMessage(timezone));
  const kinds = checkResources(resources, [...at, "resources"], problems);
  const counts = checkCounts(keep, [...at, "keep"], problems);
  const drCounts = drKeep === undefined ? undefined : checkCounts(drKeep, [...at, "drKeep"], problems);
  const copyToDr = booleanFrom(copyText);
  if (typeof copyToDr !== "boolean") problem("copyToDr", "expected true or false");
  for (const key of Object.keys(entry)) {
    if (!PLAN_FIELDS.some((f) => f === key)) problems.push({ path: [...at, key], message: `unknown key; allowed: ${PLAN_FIELDS.join(", ")}${didYouMean(key, PLAN_FIELDS)}`, unknownKey: true });
  }
  if (schedule !== undefined && zoneOk && now !== undefined) {
    const fires = scheduleFiresProblem(schedule, timezone, now);
    if (fires !== undefined) problem("schedule", `expected a schedule that fires within a year: ${fires}`);
  }
  for (const [field, c] of [["keep", counts], ["drKeep", drCounts]] as const) {
    const long = schedule === undefined || c === undefined ? undefined : hourlyProblem(c.hourly, schedule);
    if (long !== undefined) problems.push({ path: [...at, field, "hourly"], message: `expected backups kept at most 100 years: ${long}` });
  }
  if (problems.length > before || typeof name !== "string" || typeof expression !== "string" || kinds === undefined || counts === undefined || typeof copyToDr !== "boolean") return undefined;
  return { name, schedule: expression, timezone: String(timezone), resources: kinds, keep: counts, drKeep: drKeepOrKeep(counts, drCounts), copyToDr };
}

function checkResources(value: unknown, at: (string | number)[], problems: PlanProblem[]): ResourceKind[] | undefined {
  if (!Array.isArray(value)) {
    problems.push({ path: at, message: `expected a list of resource types (${KINDS_LIST})` });
    return undefined;
  }
  if (value.length === 0) {
    problems.push({ path: at, message: `expected at least one of ${KINDS_LIST}` });
    return undefined;
  }
  const before = problems.length;
  const kinds: ResourceKind[] = [];
  value.forEach((item, j) => {
    const kind = RESOURCE_KINDS.find((k) => k === item);
    if (kind === undefined) problems.push({ path: [...at, j], message: `expected one of ${KINDS_LIST}` });
    else if (kinds.includes(kind)) problems.push({ path: [...at, j], message: `expected each resource type once (already at [${kinds.indexOf(kind)}])` });
    else kinds.push(kind);
  });
  return problems.length > before ? undefined : kinds;
}

/** Counts per tier within the contract's bounds, every tier present; at least one tier kept. */
function checkCounts(value: unknown, at: (string | number)[], problems: PlanProblem[]): TierCounts | undefined {
  if (!isFields(value)) {
    problems.push({ path: at, message: `expected a map of how many backups to keep per tier: ${TIER_LIST}` });
    return undefined;
  }
  const before = problems.length;
  const counts: Partial<Record<Tier, number>> = {};
  for (const tier of TIERS) {
    if (value[tier] === undefined) continue;
    const count = numberFrom(value[tier]);
    if (typeof count !== "number" || !Number.isInteger(count) || count < 0 || count > MAX_KEEP[tier]) {
      problems.push({ path: [...at, tier], message: `expected a whole number from 0 to ${MAX_KEEP[tier]}` });
    } else counts[tier] = count;
  }
  for (const key of Object.keys(value)) {
    if (!TIERS.some((t) => t === key)) problems.push({ path: [...at, key], message: `unknown key; allowed: ${TIER_LIST}${didYouMean(key, TIERS)}`, unknownKey: true });
  }
  if (problems.length > before) return undefined;
  const all = withTierDefaults(counts);
  if (TIERS.every((t) => all[t] === 0)) {
    problems.push({ path: at, message: `expected at least one tier (${TIER_LIST}) kept more than 0 times` });
    return undefined;
  }
  return all;
}

/** `[1, "keep", "daily"]` -> `[1].keep.daily`. */
export function planPath(path: readonly (string | number)[]): string {
  return path.map((segment) => (typeof segment === "number" ? `[${segment}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`)).join("");
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

/** The functions' reading of BACKUP_DR_PLANS: the normalised plans with parsed schedules, or one error listing every problem. */
export function readPlans(value: unknown): RunPlan[] {
  const { plans, problems } = checkPlans(value);
  if (plans === undefined || problems.length > 0) {
    const lines = problems.map((p) => {
      const where = p.path.length === 0 ? "" : `${planPath(p.path).replace(/^\./, "")}: `;
      return `${where}${p.message}${p.unknownKey ? "" : `, got ${describeInput(valueAt(value, p.path))}`}`;
    });
    throw invalidSettingError(PLANS_SETTING, lines.join("; "));
  }
  return plans.map((plan) => ({ ...plan, schedule: parseSchedule(plan.schedule) }));
}
