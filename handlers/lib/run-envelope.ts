// The run machine's first event (infra/run-machine.ts): the execution's input wrapped with the execution's start time,
// `{"input": {"plan": "gold"}, "executionStartTime": "2026-11-22T11:01:10.250Z"}`. A manual run (no scheduledTime)
// takes its time, hence its run id, from it: every retry of the first turn (a killed or unanswered attempt, minutes
// later) is the same run, not a new one. A bare event (a person's `aws lambda invoke`) is its own input, timed by the
// function's clock; a person may send the envelope too, to repeat a first invocation as the same run.
import { MAX_CLOCK_SKEW_MS } from "../../policies/lib/bounds";
import { malformedEventError } from "./errors";
import { describeInput, INSTANT_RULE, listSome, parseInstant } from "./event-input";
import { isoSeconds } from "./run-id";

/** The envelope's fields: the execution's input, and its start (`$$.Execution.StartTime`). */
export const RUN_ENVELOPE = { input: "input", startTime: "executionStartTime" } as const;

export interface OpenedEvent {
  /** The event to parse: the envelope's input, or the event itself when it is not an envelope. */
  event: unknown;
  /** The envelope's start time: a manual run's time. Absent for a bare event. */
  pinned?: Date;
}

/** The event inside an envelope (an object with executionStartTime), else the event as it is. */
export function openRunEnvelope(event: unknown, now: Date): OpenedEvent {
  if (typeof event !== "object" || event === null || Array.isArray(event) || !Object.hasOwn(event, RUN_ENVELOPE.startTime)) return { event };
  const fields = event as Record<string, unknown>;
  const allowed: readonly string[] = [RUN_ENVELOPE.input, RUN_ENVELOPE.startTime];
  const unknown = Object.keys(fields).filter((k) => !allowed.includes(k));
  if (unknown.length > 0 || !Object.hasOwn(fields, RUN_ENVELOPE.input)) {
    throw malformedEventError(`An event with "${RUN_ENVELOPE.startTime}" (the run machine's first event) has exactly the fields ${allowed.join(", ")}${unknown.length > 0 ? `, got also ${listSome(unknown)}` : `; "${RUN_ENVELOPE.input}" is missing`}`);
  }
  const value = fields[RUN_ENVELOPE.startTime];
  const pinned = typeof value === "string" ? parseInstant(value) : undefined;
  if (pinned === undefined) throw malformedEventError(`Event field "${RUN_ENVELOPE.startTime}" must be ${INSTANT_RULE}, such as 2026-11-22T11:01:10.250Z, got ${describeInput(value)}`);
  if (pinned.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) {
    throw malformedEventError(`Event field "${RUN_ENVELOPE.startTime}" ${describeInput(value)} is in the future (now ${isoSeconds(now)}; at most ${MAX_CLOCK_SKEW_MS / 60_000} minutes ahead is accepted)`);
  }
  return { event: fields[RUN_ENVELOPE.input], pinned };
}
