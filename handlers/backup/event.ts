// Validates the invocation event `{ "plan": "gold", "scheduledTime": "2026-11-22T06:00:00Z" }` before any AWS call.
import { malformedEventError, unknownPlanError } from "../lib/errors";
import type { BackupPlan } from "./types";

export interface BackupRequest {
  plan: BackupPlan;
  /** The scheduled slot, to the minute: the scheduled time, or now when the event has none (manual run). */
  slot: Date;
  /** False when the event has no scheduledTime: a manual run, whose run id is never a scheduled slot's. */
  scheduled: boolean;
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const EVENT_KEYS = ["plan", "scheduledTime"];

export function parseBackupEvent(event: unknown, plans: readonly BackupPlan[], now: Date): BackupRequest {
  if (typeof event !== "object" || event === null || Array.isArray(event)) {
    throw malformedEventError(`Expected an event object like {"plan":"gold","scheduledTime":"2026-11-22T06:00:00Z"}, got ${describeInput(event)}`);
  }
  const fields = event as Record<string, unknown>;
  // A typo such as "scheduledtime" would otherwise silently back up "now" instead of the slot asked for.
  const unknown = Object.keys(fields).filter((k) => !EVENT_KEYS.includes(k));
  if (unknown.length > 0) throw malformedEventError(`Unknown event field(s) ${unknown.join(", ")}; allowed: plan, scheduledTime`);
  const { plan: planName, scheduledTime } = fields;
  if (typeof planName !== "string" || planName === "") throw malformedEventError(`Event field "plan" must be a plan name, got ${describeInput(planName)}`);
  const plan = plans.find((p) => p.name === planName);
  if (!plan) throw unknownPlanError(planName, plans.map((p) => p.name));
  const time = scheduledTime === undefined ? now : parseInstant(scheduledTime);
  return { plan, slot: new Date(Math.floor(time.getTime() / 60_000) * 60_000), scheduled: scheduledTime !== undefined };
}

/** An ISO-8601 instant with a zone (Z or ±hh:mm) whose date and time fields are real. */
function parseInstant(value: unknown): Date {
  const match = typeof value === "string" ? ISO_INSTANT.exec(value) : null;
  if (typeof value !== "string" || !match) {
    throw malformedEventError(`Event field "scheduledTime" must be an ISO-8601 instant such as 2026-11-22T06:00:00Z, got ${describeInput(value)}`);
  }
  const [, y, mo, d, h, mi] = match.map(Number);
  const s = match[6] === undefined ? 0 : Number(match[6]);
  const probe = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Date.parse rolls 2026-02-30 over into March; compare the fields to catch it.
  const real = probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
  const instant = new Date(value);
  if (!real || Number.isNaN(instant.getTime())) throw malformedEventError(`Event field "scheduledTime" is not a real time: ${describeInput(value)}`);
  return instant;
}

// Not named `describe`: in a mocha process Pulumi would take that for the global and not serialize it.
function describeInput(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? typeof value;
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
