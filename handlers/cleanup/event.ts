// Validates the invocation event before any AWS call: {"scheduledTime": "..."} from the schedule, {"dryRun": true}
// for a manual preview, {} for a run now.
import { malformedEventError } from "../lib/errors";
import { describeInput, INSTANT_RULE, listSome, parseInstant } from "../lib/event-input";

export interface CleanupRequest {
  /** The run's slot, to the minute: the scheduled time, or now. Names the run and its manifest; never the rules' clock. */
  slot: Date;
  /** true: report only. Absent or false leaves the configured setting as it is (a preview can only be asked for). */
  dryRun: boolean;
}

const EVENT_KEYS = ["scheduledTime", "dryRun"];
const EXAMPLE = `{"scheduledTime":"2026-11-22T03:30:00Z"} or {"dryRun":true}`;

export function parseCleanupEvent(event: unknown, now: Date): CleanupRequest {
  if (typeof event !== "object" || event === null || Array.isArray(event)) throw malformedEventError(`Expected an event object like ${EXAMPLE}, got ${describeInput(event)}`);
  const fields = event as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((k) => !EVENT_KEYS.includes(k));
  if (unknown.length > 0) throw malformedEventError(`Unknown event field(s) ${listSome(unknown)}; allowed: ${EVENT_KEYS.join(", ")}`);
  const { scheduledTime, dryRun } = fields;
  if (dryRun !== undefined && typeof dryRun !== "boolean") throw malformedEventError(`Event field "dryRun" must be true or false, got ${describeInput(dryRun)}`);
  let time = now;
  if (scheduledTime !== undefined) {
    const parsed = typeof scheduledTime === "string" ? parseInstant(scheduledTime) : undefined;
    if (parsed === undefined) throw malformedEventError(`Event field "scheduledTime" must be ${INSTANT_RULE}, such as 2026-11-22T03:30:00Z, got ${describeInput(scheduledTime)}`);
    time = parsed;
  }
  return { slot: new Date(Math.floor(time.getTime() / 60_000) * 60_000), dryRun: dryRun === true };
}
