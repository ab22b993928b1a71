// Reads the `cursor` of a continuing backup or cleanup event (handlers/lib/cursor.ts) before any AWS call: every
// field is checked, and a malformed one is a MalformedEventError naming the field, its value and the rule. The
// fields every cursor has are checked here; each function checks its own and says what its run id must be.
import { MAX_CLOCK_SKEW_MS } from "../../policies/lib/bounds";
import { malformedEventError } from "./errors";
import { describeInput, INSTANT_RULE, listSome, parseInstant } from "./event-input";
import type { RunCursorBase } from "./cursor";
import { partKey } from "./cursor";
import { isoSeconds, manifestKey } from "./run-id";
import { RUN_DEADLINE_MINUTES } from "./shared-settings";

/** Most invocations one run may take (each writes a part; the cursor lists them all). */
export const MAX_INVOCATIONS = 1000;

export type CursorFunction = "backup" | "cleanup";

/** The named error for one cursor field. */
export function cursorFieldError(field: string, value: unknown, rule: string): Error {
  return malformedEventError(`Cursor field "${field}" must be ${rule}, got ${describeInput(value)}`);
}

/** The event `{ "cursor": {...} }`: its cursor's fields, the function and field names checked; undefined when the event has no cursor. */
export function cursorFields(event: Record<string, unknown>, fn: CursorFunction, keys: readonly string[]): Record<string, unknown> | undefined {
  if (!Object.hasOwn(event, "cursor")) return undefined;
  const others = Object.keys(event).filter((k) => k !== "cursor");
  if (others.length > 0) throw malformedEventError(`An event with a "cursor" has no other field (the cursor names its run), got ${listSome(others)}`);
  const { cursor } = event;
  if (typeof cursor !== "object" || cursor === null || Array.isArray(cursor)) throw cursorFieldError("cursor", cursor, `the object a ${fn} invocation answered with done: false`);
  const fields = cursor as Record<string, unknown>;
  if (fields.function !== fn) {
    const other = typeof fields.function === "string" && fields.function !== "" ? `; this cursor is for the ${describeInput(fields.function, 40)} function` : "";
    throw cursorFieldError("function", fields.function, `"${fn}" (a cursor continues a run of the function that answered it${other})`);
  }
  const allowed = ["function", ...BASE_KEYS, ...keys];
  const unknown = Object.keys(fields).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw malformedEventError(`Unknown cursor field(s) ${listSome(unknown)}; allowed: ${allowed.join(", ")}`);
  return fields;
}

const BASE_KEYS = ["runId", "slot", "startedAt", "deadline", "invocation", "parts"];

const SLOT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z$/;

/** The cursor's slot (checked first: the function's run id depends on it). */
export function cursorSlot(fields: Record<string, unknown>): Date {
  const { slot } = fields;
  const instant = typeof slot === "string" && SLOT.test(slot) ? parseInstant(slot) : undefined;
  if (instant === undefined) throw cursorFieldError("slot", slot, `${INSTANT_RULE}, UTC to the minute (seconds 00), such as 2026-11-22T06:00:00Z`);
  return instant;
}

/** A boolean field of a cursor. */
export function cursorBoolean(fields: Record<string, unknown>, field: string): boolean {
  const value = fields[field];
  if (typeof value !== "boolean") throw cursorFieldError(field, value, "true or false");
  return value;
}

/** A whole-number field of a cursor, within bounds. */
export function cursorCount(fields: Record<string, unknown>, field: string, min: number, max: number): number {
  const value = fields[field];
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) throw cursorFieldError(field, value, `a whole number from ${min} to ${max}`);
  return value;
}

/**
 * The fields every cursor has, given the run id the function's own fields make: the run id must be it, the start not
 * before the slot (less the clock skew allowed), the deadline after the slot and the start by at most the longest
 * deadline setting, and the parts exactly this execution's parts 1..invocation (keys named for its start).
 */
export function cursorBase(fields: Record<string, unknown>, fn: CursorFunction, slot: Date, runId: string): RunCursorBase {
  if (fields.runId !== runId) throw cursorFieldError("runId", fields.runId, `the run id of the cursor's other fields, "${runId}"`);
  const instant = (field: string, rule: string, ok: (at: Date) => boolean): string => {
    const value = fields[field];
    const at = typeof value === "string" ? parseInstant(value) : undefined;
    if (at === undefined || !ok(at)) throw cursorFieldError(field, value, rule);
    return value as string;
  };
  const earliest = slot.getTime() - MAX_CLOCK_SKEW_MS;
  const startedAt = instant("startedAt", `${INSTANT_RULE}, not before the slot ${isoSeconds(slot)} less ${MAX_CLOCK_SKEW_MS / 60_000} minutes`, (at) => at.getTime() >= earliest);
  const from = Math.max(slot.getTime(), Date.parse(startedAt));
  const deadline = instant("deadline", `${INSTANT_RULE}, after the slot and the run's start by at most ${RUN_DEADLINE_MINUTES.max} minutes`, (at) => at.getTime() > from && at.getTime() <= from + RUN_DEADLINE_MINUTES.max * 60_000);
  const invocation = cursorCount(fields, "invocation", 1, MAX_INVOCATIONS);
  const expected = Array.from({ length: invocation }, (_, i) => partKey(manifestKey(fn, slot, runId), i + 1, startedAt));
  const { parts } = fields;
  if (!Array.isArray(parts) || parts.length !== expected.length || parts.some((key, i) => key !== expected[i])) {
    throw cursorFieldError("parts", parts, `the keys of the run's parts 1 to ${invocation} (the invocation count) named for its startedAt, in order: ${expected[0]}${invocation > 1 ? ", ..." : ""}`);
  }
  return { runId, slot: isoSeconds(slot), startedAt, deadline, invocation, parts: expected };
}
