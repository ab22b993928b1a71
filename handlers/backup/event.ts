// Validates the invocation event before any AWS call: `{ "plan": "gold", "scheduledTime": "2026-11-22T06:00:00Z" }`
// starts a run, `{ "cursor": {...} }` continues one (handlers/lib/cursor.ts; every field checked). The run machine's
// first event wraps either with the execution's start (handlers/lib/run-envelope.ts): a manual run's time.
import { MAX_CLOCK_SKEW_MS } from "../../policies/lib/bounds";
import type { BackupCursor } from "../lib/cursor";
import { cursorBase, cursorBoolean, cursorFieldError, cursorFields, cursorSlot } from "../lib/cursor-input";
import { malformedEventError, unknownPlanError } from "../lib/errors";
import { describeInput, INSTANT_RULE, listSome, parseInstant } from "../lib/event-input";
import { openRunEnvelope } from "../lib/run-envelope";
import { isoSeconds, manualRunIdFor, runIdFor } from "../lib/run-id";
import type { BackupPlan } from "./types";

export interface BackupRequest {
  plan: BackupPlan;
  /**
   * The scheduled slot, to the minute: the scheduled time; when the event has none (manual run), the run machine's
   * execution start (the envelope's), else now.
   */
  slot: Date;
  /** False when the event has no scheduledTime: a manual run, whose run id is never a scheduled slot's. */
  scheduled: boolean;
  /** The event continues a run: where it stopped. */
  cursor?: BackupCursor;
}

const EVENT_KEYS = ["plan", "scheduledTime"];
const CURSOR_KEYS = ["plan", "scheduled", "after"];

export function parseBackupEvent(received: unknown, plans: readonly BackupPlan[], now: Date): BackupRequest {
  const { event, pinned } = openRunEnvelope(received, now);
  if (typeof event !== "object" || event === null || Array.isArray(event)) {
    throw malformedEventError(`Expected an event object like {"plan":"gold","scheduledTime":"2026-11-22T06:00:00Z"}, got ${describeInput(event)}`);
  }
  const fields = event as Record<string, unknown>;
  const cursor = cursorFields(fields, "backup", CURSOR_KEYS);
  if (cursor !== undefined) return continuation(cursor, plans, now);
  // A typo such as "scheduledtime" would otherwise silently back up "now" instead of the slot asked for.
  const unknown = Object.keys(fields).filter((k) => !EVENT_KEYS.includes(k));
  if (unknown.length > 0) throw malformedEventError(`Unknown event field(s) ${listSome(unknown)}; allowed: plan, scheduledTime (or cursor alone)`);
  const { plan: planName, scheduledTime } = fields;
  const plan = planNamed(planName, plans, `Event field "plan"`);
  const time = scheduledTime === undefined ? (pinned ?? now) : scheduledInstant(scheduledTime, now);
  return { plan, slot: new Date(Math.floor(time.getTime() / 60_000) * 60_000), scheduled: scheduledTime !== undefined };
}

function planNamed(name: unknown, plans: readonly BackupPlan[], what: string): BackupPlan {
  if (typeof name !== "string" || name === "") throw malformedEventError(`${what} must be a plan name, got ${describeInput(name)}`);
  const plan = plans.find((p) => p.name === name);
  if (!plan) throw unknownPlanError(name, plans.map((p) => p.name));
  return plan;
}

/** A backup cursor: its plan one of the function's, its slot not in the future, its run id the plan's and slot's. */
function continuation(fields: Record<string, unknown>, plans: readonly BackupPlan[], now: Date): BackupRequest {
  const plan = planNamed(fields.plan, plans, `Cursor field "plan"`);
  const slot = cursorSlot(fields);
  if (slot.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) throw cursorFieldError("slot", fields.slot, `a slot that has come (now ${isoSeconds(now)})`);
  const scheduled = cursorBoolean(fields, "scheduled");
  const after = afterField(fields.after, plan);
  const base = cursorBase(fields, "backup", slot, scheduled ? runIdFor(plan.name, slot) : manualRunIdFor(plan.name, slot));
  return { plan, slot, scheduled, cursor: { function: "backup", ...base, plan: plan.name, scheduled, after } };
}

const SOURCE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,254}$/;

/** Empty, or `<kind>/<id>` of one of the plan's kinds. */
function afterField(value: unknown, plan: BackupPlan): string {
  if (value === "") return value;
  const [kind, id] = typeof value === "string" ? [value.slice(0, value.indexOf("/")), value.slice(value.indexOf("/") + 1)] : ["", ""];
  if (typeof value !== "string" || !value.includes("/") || !plan.resources.some((k) => k === kind) || !SOURCE_ID.test(id)) {
    throw cursorFieldError("after", value, `empty, or "<kind>/<id>" of a source: a kind of plan ${plan.name} (${plan.resources.join(", ")}) and a resource id`);
  }
  return value;
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
