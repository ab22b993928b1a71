// Validates a report function event (handlers/report/contract.ts ReportEvent) before any AWS call: exactly
// {"step": "coverage"} or {"step": "report"}; any other field is refused, so a typo is never silently ignored.
import { malformedEventError } from "../lib/errors";
import { describeInput } from "../lib/event-input";
import { isFields } from "../lib/values";
import type { ReportEvent } from "./contract";

/** The steps the function runs, in the order a person reads about them. */
export const REPORT_STEPS: readonly ReportEvent["step"][] = ["coverage", "report"];

/** The event, checked; throws MalformedEventError naming the first problem. */
export function parseReportEvent(event: unknown): ReportEvent {
  if (!isFields(event)) throw malformedEventError(`Expected a report event {"step": ${REPORT_STEPS.map((s) => JSON.stringify(s)).join(" | ")}}, got ${describeInput(event)}`);
  const step = REPORT_STEPS.find((s) => s === event.step);
  if (step === undefined) throw malformedEventError(`Unknown step ${describeInput(event.step)}; expected one of ${REPORT_STEPS.join(", ")}`);
  const unknown = Object.keys(event).filter((key) => key !== "step");
  if (unknown.length > 0) throw malformedEventError(`The ${step} step takes no other field; unknown fields ${unknown.join(", ")}`);
  return { step };
}
