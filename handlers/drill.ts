// PLACEHOLDER (H3, infra) until H2's drill entry merges: handlers/drill.ts is H2's file; take theirs at integration.
// It exists so infra can serialize, package and test a drill function: every event is refused by name, before any
// AWS call (what the real handler does with a malformed event).
import type { Context } from "aws-lambda";
import { DRILL_STEPS } from "./drill/contract";
import { malformedEventError } from "./lib/errors";

export async function handler(event: unknown, context: Context): Promise<unknown> {
  const step = typeof event === "object" && event !== null && "step" in event ? event.step : undefined;
  const known = (DRILL_STEPS as readonly unknown[]).includes(step);
  await Promise.resolve(context.functionName);
  throw malformedEventError(known ? `step ${String(step)} is not implemented by this placeholder` : `Expected a drill step event {"step": ${DRILL_STEPS.join(" | ")}, ...}`);
}
