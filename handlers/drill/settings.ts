// The drill function's settings (listed in handlers/drill.ts): the restore settings of the drill's region (the drill's
// restores are the restore flow's own steps), the region's topic, and the drill options as infra normalised them
// (BACKUP_DR_DRILL, JSON of DrillOptions). Every field is checked here, before any AWS call.
import { RESOURCE_KINDS, type ResourceKind } from "../catalog";
import { isPlanName, isTimeZoneName, PLAN_NAME_RULE } from "../plan";
import { jsonSetting, requireSetting, type Env } from "../lib/env";
import { invalidSettingError } from "../lib/errors";
import { describeInput } from "../lib/event-input";
import { TOPIC_ARN } from "../lib/region";
import { scheduleProblem } from "../lib/schedule";
import { isFields, type Fields } from "../lib/values";
import { MACHINE_RESTORE_MODES } from "../restore/contract";
import { readRestoreSettings, type RestoreSettings } from "../restore/settings";
import type { DrillOptions, DrillTargets } from "./contract";

export interface DrillSettings extends RestoreSettings {
  /** The region's SNS topic: the drill's summary goes there. */
  topicArn: string;
  options: DrillOptions;
}

export const DRILL_SETTING = "BACKUP_DR_DRILL";
const TOPIC_SETTING = "BACKUP_DR_TOPIC_ARN";

/** What the function accepts of each whole-number option: sanity limits only; the config's own bounds (infra/config-schema.ts) lie within them. */
export const DRILL_OPTION_LIMITS = {
  samplePerPlan: { min: 1, max: 100 },
  keepSeconds: { min: 0, max: 7 * 86_400 },
  /** Step Functions standard executions last at most a year. */
  machineTimeoutSeconds: { min: 60, max: 365 * 86_400 },
  /** RTO and RPO targets: a second to ten years. */
  targetSeconds: { min: 1, max: 3650 * 86_400 },
  /** The cap on one drill's restores (infra sets the history limit's, a few dozen). */
  maxSamples: { min: 1, max: 10_000 },
} as const;

const OPTION_FIELDS = ["samplePerPlan", "keepSeconds", "machineMode", "instanceType", "instanceClass", "targets", "schedule", "timezone", "machineTimeoutSeconds", "kinds", "maxSamples"];
const TARGET_FIELDS = ["rtoSeconds", "rpoSeconds"];

/** Reads and checks every setting; throws missingSettingError or invalidSettingError naming the variable. */
export function readDrillSettings(env: Env): DrillSettings {
  const restore = readRestoreSettings(env);
  const topicArn = requireSetting(env, TOPIC_SETTING);
  const topic = TOPIC_ARN.exec(topicArn);
  if (!topic) throw invalidSettingError(TOPIC_SETTING, `expected an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>), got "${topicArn}"`);
  if (topic[1] !== restore.region) throw invalidSettingError(TOPIC_SETTING, `the topic is in ${topic[1]}, but the drill runs in ${restore.region}; use the topic of ${restore.region}`);
  return { ...restore, topicArn, options: parseDrillOptions(jsonSetting(env, DRILL_SETTING)) };
}

/** DrillOptions from its JSON: every field checked, unknown fields refused. */
export function parseDrillOptions(value: unknown): DrillOptions {
  if (!isFields(value)) throw invalid(`expected a JSON object {${OPTION_FIELDS.join(", ")}}, got ${describeInput(value)}`);
  refuseUnknown(value, OPTION_FIELDS, "");
  const machineMode = MACHINE_RESTORE_MODES.find((m) => m === value.machineMode);
  if (machineMode === undefined) throw invalid(`machineMode must be one of ${MACHINE_RESTORE_MODES.join(", ")}, got ${describeInput(value.machineMode)}`);
  const schedule = text(value, "schedule");
  const problem = scheduleProblem(schedule);
  if (problem !== undefined) throw invalid(`schedule ${JSON.stringify(schedule)} is not an EventBridge Scheduler expression: ${problem}`);
  const timezone = text(value, "timezone");
  if (!isTimeZoneName(timezone)) throw invalid(`timezone must be an IANA time zone as IANA writes it (e.g. UTC, Europe/Berlin), got ${describeInput(timezone)}`);
  const instanceType = optionalText(value, "instanceType");
  const instanceClass = optionalText(value, "instanceClass");
  const planTargets = targets(value.targets);
  const kinds = value.kinds === undefined ? undefined : planKinds(value.kinds, Object.keys(planTargets));
  return {
    samplePerPlan: whole(value.samplePerPlan, "samplePerPlan", DRILL_OPTION_LIMITS.samplePerPlan),
    keepSeconds: whole(value.keepSeconds, "keepSeconds", DRILL_OPTION_LIMITS.keepSeconds),
    machineMode,
    ...(instanceType === undefined ? {} : { instanceType }),
    ...(instanceClass === undefined ? {} : { instanceClass }),
    targets: planTargets,
    ...(kinds === undefined ? {} : { kinds }),
    ...(value.maxSamples === undefined ? {} : { maxSamples: whole(value.maxSamples, "maxSamples", DRILL_OPTION_LIMITS.maxSamples) }),
    schedule,
    timezone,
    machineTimeoutSeconds: whole(value.machineTimeoutSeconds, "machineTimeoutSeconds", DRILL_OPTION_LIMITS.machineTimeoutSeconds),
  };
}

function invalid(problem: string): Error {
  return invalidSettingError(DRILL_SETTING, problem);
}

function refuseUnknown(fields: Fields, allowed: readonly string[], where: string): void {
  const unknown = Object.keys(fields).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw invalid(`${where}unknown fields ${unknown.join(", ")}; allowed: ${allowed.join(", ")}`);
}

function whole(value: unknown, field: string, range: { min: number; max: number }): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < range.min || value > range.max) {
    throw invalid(`${field} must be a whole number from ${range.min} to ${range.max}, got ${describeInput(value)}`);
  }
  return value;
}

function text(fields: Fields, field: string): string {
  const value = fields[field];
  if (typeof value !== "string" || value.trim() === "") throw invalid(`${field} must be non-empty text, got ${describeInput(value)}`);
  return value;
}

function optionalText(fields: Fields, field: string): string | undefined {
  return fields[field] === undefined ? undefined : text(fields, field);
}

/** Per plan its targets; at least one plan (a drill of no plan would pass having tested nothing). */
function targets(value: unknown): Record<string, DrillTargets> {
  if (!isFields(value)) throw invalid(`targets must be an object {"<plan>": {"rtoSeconds", "rpoSeconds"}}, got ${describeInput(value)}`);
  const plans = Object.keys(value);
  if (plans.length === 0) throw invalid("targets names no plan: a drill needs at least one plan to restore");
  const out: Record<string, DrillTargets> = {};
  for (const plan of plans) {
    if (!isPlanName(plan)) throw invalid(`targets: ${describeInput(plan)} is not a plan name (${PLAN_NAME_RULE})`);
    const entry = value[plan];
    if (!isFields(entry)) throw invalid(`targets.${plan} must be {"rtoSeconds", "rpoSeconds"}, got ${describeInput(entry)}`);
    refuseUnknown(entry, TARGET_FIELDS, `targets.${plan}: `);
    out[plan] = {
      rtoSeconds: whole(entry.rtoSeconds, `targets.${plan}.rtoSeconds`, DRILL_OPTION_LIMITS.targetSeconds),
      rpoSeconds: whole(entry.rpoSeconds, `targets.${plan}.rpoSeconds`, DRILL_OPTION_LIMITS.targetSeconds),
    };
  }
  return out;
}

/** Per plan of `targets` (exactly those plans) the kinds it backs up: at least one, each a kind's name, none twice. */
function planKinds(value: unknown, plans: readonly string[]): Record<string, ResourceKind[]> {
  if (!isFields(value)) throw invalid(`kinds must be an object {"<plan>": ["<kind>", ...]}, got ${describeInput(value)}`);
  const listed = Object.keys(value);
  const missing = plans.filter((p) => !listed.includes(p));
  if (missing.length > 0) throw invalid(`kinds names no kinds for plans ${missing.join(", ")} of targets`);
  const extra = listed.filter((p) => !plans.includes(p));
  if (extra.length > 0) throw invalid(`kinds names plans ${extra.join(", ")} that targets does not`);
  const out: Record<string, ResourceKind[]> = {};
  for (const plan of plans) {
    const entry = value[plan];
    const names = Array.isArray(entry) ? entry.map((k) => RESOURCE_KINDS.find((r) => r === k)) : [];
    if (!Array.isArray(entry) || entry.length === 0 || names.some((k) => k === undefined)) {
      throw invalid(`kinds.${plan} must be a non-empty list of ${RESOURCE_KINDS.join(", ")}, got ${describeInput(entry)}`);
    }
    const kinds = names.filter((k): k is ResourceKind => k !== undefined);
    if (new Set(kinds).size !== kinds.length) throw invalid(`kinds.${plan} names a kind twice: ${describeInput(entry)}`);
    out[plan] = kinds;
  }
  return out;
}
