// What every follower of an execution prints the same way: the time since the start, a step's JSON, the cause of an
// error (a Lambda's `{errorType, errorMessage}` as its message), and the failure an event records.
import type { HistoryEvent } from "@aws-sdk/client-sfn";
import { isFields } from "../../handlers/lib/values";

/** `m:ss`, or `h:mm:ss` from an hour. */
export function elapsed(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const two = (n: number) => String(n).padStart(2, "0");
  const hours = Math.floor(s / 3600);
  return hours > 0 ? `${hours}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}` : `${Math.floor(s / 60)}:${two(s % 60)}`;
}

/** A step's input or output as JSON (undefined when absent or not JSON). */
export function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** An error's cause: a Lambda's `{errorType, errorMessage}` shown as its message. */
export function causeText(cause: string | undefined): string {
  const value = parseJson(cause);
  if (isFields(value) && typeof value.errorMessage === "string") return value.errorMessage;
  return cause ?? "";
}

/** The failure an event records, if it is a failure event. */
export function eventFailure(event: HistoryEvent): { error: string; cause: string } | undefined {
  const details = event.taskFailedEventDetails ?? event.lambdaFunctionFailedEventDetails ?? event.taskTimedOutEventDetails ?? event.lambdaFunctionTimedOutEventDetails ??
    event.executionFailedEventDetails ?? event.executionTimedOutEventDetails ?? event.executionAbortedEventDetails;
  if (details === undefined) return undefined;
  return { error: details.error ?? event.type ?? "Error", cause: causeText(details.cause) };
}

/** A failure event as a line: its type, the error, the cause. */
export function failureText(type: string, failure: { error: string; cause: string }): string {
  return `${type}: ${failure.error}${failure.cause === "" ? "" : `: ${failure.cause}`}`;
}

/** Progress lines of history events, each starting with `  +m:ss` since the execution's start; a machine's printer says what each event means. */
export abstract class EventLines {
  constructor(private readonly startDate: Date) {}

  lines(events: readonly HistoryEvent[]): string[] {
    return events.flatMap((event) => {
      const at = `  +${elapsed(((event.timestamp?.getTime() ?? this.startDate.getTime()) - this.startDate.getTime()) / 1000)}`.padEnd(11);
      return this.describe(event).map((text) => `${at}${text}`);
    });
  }

  protected abstract describe(event: HistoryEvent): string[];
}
