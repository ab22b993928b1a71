// Validates the invocation event `{ "plan": "gold", "scheduledTime": "2026-11-22T06:00:00Z" }` before any AWS call.
import { MAX_CLOCK_SKEW_MS } from "../../policies/lib/bounds";
import { malformedEventError, unknownPlanError } from "../lib/errors";
import { describeInput, INSTANT_RULE, listSome, parseInstant } from "../lib/event-input";
import { isoSeconds } from "../lib/run-id";
import type { BackupPlan } from "./types";

export interface BackupRequest {
  plan: BackupPlan;
  /** The scheduled slot, to the minute: the scheduled time, or now when the event has none (manual run). */
  slot: Date;
  /** False when the event has no scheduledTime: a manual run, whose run id is never a scheduled slot's. */
  scheduled: boolean;
}

const EVENT_KEYS = ["plan", "scheduledTime"];

export function parseBackupEvent(event: unknown, plans: readonly BackupPlan[], now: Date): BackupRequest {
  if (typeof event !== "object" || event === null || Array.isArray(event)) {
    throw malformedEventError(`Expected an event object like {"plan":"gold","scheduledTime":"2026-11-22T06:00:00Z"}, got ${describeInput(event)}`);
  }
  const fields = event as Record<string, unknown>;
  // A typo such as "scheduledtime" would otherwise silently back up "now" instead of the slot asked for.
  const unknown = Object.keys(fields).filter((k) => !EVENT_KEYS.includes(k));
  if (unknown.length > 0) throw malformedEventError(`Unknown event field(s) ${listSome(unknown)}; allowed: plan, scheduledTime`);
  const { plan: planName, scheduledTime } = fields;
  if (typeof planName !== "string" || planName === "") throw malformedEventError(`Event field "plan" must be a plan name, got ${describeInput(planName)}`);
  const plan = plans.find((p) => p.name === planName);
  if (!plan) throw unknownPlanError(planName, plans.map((p) => p.name));
  const time = scheduledTime === undefined ? now : scheduledInstant(scheduledTime, now);
  return { plan, slot: new Date(Math.floor(time.getTime() / 60_000) * 60_000), scheduled: scheduledTime !== undefined };
}

/** The scheduled time: a strict instant, not ahead of the clock by more than the skew (a typo must not take a future slot). */
function scheduledInstant(value: unknown, now: Date): Date {
  const instant = typeof value === "string" ? parseInstant(value) : undefined;
  if (instant === undefined) throw malformedEventError(`Event field "scheduledTime" must be ${INSTANT_RULE}, such as 2026-11-22T06:00:00Z, got ${describeInput(value)}`);
  if (instant.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) {
    throw malformedEventError(
      `Event field "scheduledTime" ${describeInput(value)} is in the future (now ${isoSeconds(now)}; at most ${MAX_CLOCK_SKEW_MS / 60_000} minutes ahead is accepted): a future slot would take the place of that slot's real backup`,
    );
  }
  return instant;
}
