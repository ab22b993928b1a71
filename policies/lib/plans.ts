// The backup plans, as a stack policy can see them. A policy pack cannot read Pulumi config in a real
// `pulumi preview --policy-pack` run, so the plans are read where the program puts them: the backup
// function's BACKUP_DR_PLANS environment variable (the normalised JSON of backup-dr:plans). The program writes every
// default there; a field still missing (a stack built otherwise) gets the plan contract's default, never one of its own.
import type { PolicyResource } from "@pulumi/policy";
import { functionNamed, type FunctionView } from "./functions";
import { ALLOW_NO_DR_COPY_VARIABLE, BACKUP_FUNCTION, PLANS_VARIABLE } from "./names";
import { PLAN_DEFAULTS, TIERS, drKeepOrKeep, withTierDefaults, type Plan, type Tier, type TierCounts } from "./plan-contract";

export { TIERS, type Tier, type TierCounts };

/** A plan as the pack reads it: the contract's plan (the fields the policies check), with a schedule that may be missing. */
export type PlanView = Pick<Plan, "name" | "keep" | "drKeep" | "copyToDr"> & { schedule: string | undefined };

export type PlansRead = { plans: PlanView[]; backup: FunctionView } | { problem: string; urn?: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function tierCounts(value: unknown): TierCounts {
  const counts = isObject(value) ? value : {};
  const numbers: Partial<Record<Tier, number>> = {};
  for (const t of TIERS) {
    const count = counts[t];
    if (typeof count === "number") numbers[t] = count;
  }
  return withTierDefaults(numbers);
}

function plan(entry: unknown): PlanView | undefined {
  if (!isObject(entry) || typeof entry.name !== "string" || entry.name === "") return undefined;
  const keep = tierCounts(entry.keep);
  return {
    name: entry.name,
    schedule: typeof entry.schedule === "string" && entry.schedule.trim() !== "" ? entry.schedule : undefined,
    keep,
    drKeep: drKeepOrKeep(keep, entry.drKeep === undefined ? undefined : tierCounts(entry.drKeep)),
    copyToDr: typeof entry.copyToDr === "boolean" ? entry.copyToDr : PLAN_DEFAULTS.copyToDr,
  };
}

export function readPlans(resources: PolicyResource[]): PlansRead {
  const backup = functionNamed(resources, BACKUP_FUNCTION);
  if (backup === undefined) {
    return { problem: `The stack has no Lambda function "${BACKUP_FUNCTION}" carrying ${PLANS_VARIABLE}, so its plans cannot be checked: add the backup function.` };
  }
  const urn = backup.resource.urn;
  const text = backup.props.environment?.variables?.[PLANS_VARIABLE];
  if (typeof text !== "string") {
    return { urn, problem: `The backup function has no ${PLANS_VARIABLE} environment variable: set it to the JSON of backup-dr:plans.` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    parsed = undefined;
  }
  const plans = Array.isArray(parsed) ? parsed.map(plan) : [];
  if (plans.length === 0 || plans.some((p) => p === undefined)) {
    return { urn, problem: `The backup function's ${PLANS_VARIABLE} is not a JSON array of named plans: set it to the JSON of backup-dr:plans.` };
  }
  return { plans: plans.filter((p): p is PlanView => p !== undefined), backup };
}

/** The plans, or `notApplicable` when they cannot be read (dr-plan-schedules reports why). */
export function plansOrSkip(args: { resources: PolicyResource[]; notApplicable(reason?: string): never }): { plans: PlanView[]; backup: FunctionView } {
  const read = readPlans(args.resources);
  if ("problem" in read) args.notApplicable(`plans unreadable: ${read.problem}`);
  return read;
}

/**
 * The plans the stack allows not to copy to DR (backup-dr:allowNoDrCopy, carried by the backup function):
 * none when the variable is absent, undefined when it is not a JSON list of names.
 */
export function allowedWithoutDrCopy(backup: FunctionView): string[] | undefined {
  const text = backup.props.environment?.variables?.[ALLOW_NO_DR_COPY_VARIABLE];
  if (text === undefined) return [];
  let parsed: unknown;
  try {
    parsed = typeof text === "string" ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
  return Array.isArray(parsed) && parsed.every((n): n is string => typeof n === "string") ? parsed : undefined;
}
