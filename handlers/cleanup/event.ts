// Validates the invocation event before any AWS call: {"scheduledTime": "..."} from the schedule, {"dryRun": true}
// for a manual preview, {} for a run now, {"cursor": {...}} alone to continue a run (handlers/lib/cursor.ts). The run
// machine's first event wraps either with the execution's start (handlers/lib/run-envelope.ts): a manual run's time.
import { CLEANUP_VALVES } from "../lib/shared-settings";
import type { CleanupCursor } from "../lib/cursor";
import { cursorBase, cursorBoolean, cursorCount, cursorFieldError, cursorFields, cursorSlot } from "../lib/cursor-input";
import { malformedEventError } from "../lib/errors";
import { describeInput, INSTANT_RULE, listSome, parseInstant } from "../lib/event-input";
import { openRunEnvelope } from "../lib/run-envelope";
import { isoSeconds } from "../lib/run-id";

export interface CleanupRequest {
  /**
   * The run's slot, to the minute: the scheduled time, or (a manual run) the run machine's execution start (the
   * envelope's), else now. Names the run and its manifest; never the rules' clock.
   */
  slot: Date;
  /** true: report only. Absent or false leaves the configured setting as it is (a preview can only be asked for). */
  dryRun: boolean;
  /** The event continues a run: where it stopped. */
  cursor?: CleanupCursor;
  /**
   * The run machine's execution start (the envelope's), scheduled run or not: the same on every retry of the first
   * turn and different for each execution, so it names the first turn's intent record (intent.ts).
   */
  execution?: Date;
}

const EVENT_KEYS = ["scheduledTime", "dryRun"];
const CURSOR_KEYS = ["dryRun", "deleted"];
const EXAMPLE = `{"scheduledTime":"2026-11-22T03:30:00Z"} or {"dryRun":true}`;

/** A cleanup run's id: its slot, and whether it only reports. */
export function cleanupRunId(slot: Date, dryRun: boolean): string {
  return `${dryRun ? "cleanup-dry-run" : "cleanup"}@${isoSeconds(slot)}`;
}

export function parseCleanupEvent(received: unknown, now: Date): CleanupRequest {
  const { event, pinned } = openRunEnvelope(received, now);
  if (typeof event !== "object" || event === null || Array.isArray(event)) throw malformedEventError(`Expected an event object like ${EXAMPLE}, got ${describeInput(event)}`);
  const fields = event as Record<string, unknown>;
  const cursor = cursorFields(fields, "cleanup", CURSOR_KEYS);
  if (cursor !== undefined) return continuation(cursor);
  const unknown = Object.keys(fields).filter((k) => !EVENT_KEYS.includes(k));
  if (unknown.length > 0) throw malformedEventError(`Unknown event field(s) ${listSome(unknown)}; allowed: ${EVENT_KEYS.join(", ")} (or cursor alone)`);
  const { scheduledTime, dryRun } = fields;
  if (dryRun !== undefined && typeof dryRun !== "boolean") throw malformedEventError(`Event field "dryRun" must be true or false, got ${describeInput(dryRun)}`);
  let time = pinned ?? now;
  if (scheduledTime !== undefined) {
    const parsed = typeof scheduledTime === "string" ? parseInstant(scheduledTime) : undefined;
    if (parsed === undefined) throw malformedEventError(`Event field "scheduledTime" must be ${INSTANT_RULE}, such as 2026-11-22T03:30:00Z, got ${describeInput(scheduledTime)}`);
    time = parsed;
  }
  return { slot: new Date(Math.floor(time.getTime() / 60_000) * 60_000), dryRun: dryRun === true, ...(pinned === undefined ? {} : { execution: pinned }) };
}

/** A cleanup cursor: a dry run has deleted nothing; the run id is the slot's (and the dry run's). */
function continuation(fields: Record<string, unknown>): CleanupRequest {
  const slot = cursorSlot(fields);
  const dryRun = cursorBoolean(fields, "dryRun");
  const deleted = cursorCount(fields, "deleted", 0, CLEANUP_VALVES.maxDeletionsPerRun.max);
  if (dryRun && deleted > 0) throw cursorFieldError("deleted", deleted, "0 in a dry run's cursor (a dry run deletes nothing)");
  const base = cursorBase(fields, "cleanup", slot, cleanupRunId(slot, dryRun));
  return { slot, dryRun, cursor: { function: "cleanup", ...base, dryRun, deleted } };
}
