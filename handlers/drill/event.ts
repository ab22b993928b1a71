// Validates a drill step event (handlers/drill/contract.ts) before any AWS call: the step, the drill id (the Step
// Functions execution name), the instants, the request, and the sample or state a previous step returned. Unknown
// fields are refused at every level a person or the machine writes, so a typo is never silently ignored.
import { malformedEventError } from "../lib/errors";
import { describeInput } from "../lib/event-input";
import { isFields, type Fields } from "../lib/values";
import { instant, parseState, stepError } from "../restore/event";
import type { RestoreState } from "../restore/contract";
import { DRILL_STEPS, type DrillRequest, type DrillSample, type DrillStepEvent } from "./contract";
import { cleanupState, drillId, drillRequest, drillSample, drillState } from "./state";

/** The plan of a request the report cannot read: no plan of the stack is named so (plan names are lowercase). */
export const UNREADABLE_REQUEST_PLAN = "(unreadable request)";

const STEP_FIELDS: Readonly<Record<DrillStepEvent["step"], readonly string[]>> = {
  pick: ["step", "drillId", "startedAt", "request"],
  start: ["step", "sample", "startedAt"],
  poll: ["step", "sample", "state"],
  validate: ["step", "sample", "state"],
  measure: ["step", "sample", "state", "error"],
  cleanup: ["step", "state"],
  report: ["step", "drillId", "startedAt", "request", "state", "error"],
  watch: ["step"],
};

/** The event, checked; throws MalformedEventError naming the first problem. */
export function parseDrillEvent(event: unknown): DrillStepEvent {
  if (!isFields(event)) throw malformedEventError(`Expected a drill step event {"step": ${DRILL_STEPS.join(" | ")}, ...}, got ${describeInput(event)}`);
  const step = DRILL_STEPS.find((s) => s === event.step);
  if (step === undefined) throw malformedEventError(`Unknown step ${describeInput(event.step)}; expected one of ${DRILL_STEPS.join(", ")}`);
  const unknown = Object.keys(event).filter((key) => !STEP_FIELDS[step].includes(key));
  if (unknown.length > 0) throw malformedEventError(`The ${step} step has unknown fields ${unknown.join(", ")}; allowed: ${STEP_FIELDS[step].join(", ")}`);
  switch (step) {
    case "pick":
      return { step, drillId: drillId(event.drillId, "drillId"), startedAt: instant(event.startedAt, "startedAt"), request: drillRequest(event.request) };
    case "start":
      return { step, sample: drillSample(event.sample, "sample"), startedAt: instant(event.startedAt, "startedAt") };
    case "poll":
    case "validate": {
      const sample = drillSample(event.sample, "sample");
      return { step, sample, state: restoreStateOf(sample, event.state) };
    }
    case "measure": {
      const sample = drillSample(event.sample, "sample");
      if (event.state === undefined && event.error === undefined) throw malformedEventError("The measure step needs the restore's state, or the error a Catch recorded (or both)");
      return {
        step,
        sample,
        ...(event.state === undefined ? {} : { state: restoreStateOf(sample, event.state) }),
        ...(event.error === undefined ? {} : { error: stepError(event.error) }),
      };
    }
    case "cleanup":
      return { step, state: cleanupState(event.state) };
    case "report":
      return reportEvent(event);
    case "watch":
      return { step };
  }
}

function reportEvent(event: Fields): DrillStepEvent {
  const id = drillId(event.drillId, "drillId");
  const state = event.state === undefined ? undefined : drillState(event.state);
  if (state !== undefined && state.drill.drillId !== id) throw malformedEventError(`state.drill.drillId ${describeInput(state.drill.drillId)} is not the report's drillId ${describeInput(id)}`);
  return {
    step: "report",
    drillId: id,
    startedAt: instant(event.startedAt, "startedAt"),
    ...(event.request === undefined ? {} : { request: reportRequest(event.request) }),
    ...(state === undefined ? {} : { state }),
    ...(event.error === undefined ? {} : { error: stepError(event.error) }),
  };
}

/**
 * The request after a failed pick (the execution's input): as given when it reads, else one naming no plan, so a
 * mistyped on-demand drill raises no plan's failure alarm (its report and manifest still say what failed).
 */
function reportRequest(value: unknown): DrillRequest {
  try {
    return drillRequest(value);
  } catch {
    return { plan: UNREADABLE_REQUEST_PLAN };
  }
}

/** The restore's state, which must be the sample's own restore (another's would measure or clean the wrong thing). */
function restoreStateOf(sample: DrillSample, value: unknown): RestoreState {
  const state = parseState(value);
  if (state.restoreId !== sample.restoreId) throw malformedEventError(`state.restoreId ${describeInput(state.restoreId)} is not the sample's restore ${describeInput(sample.restoreId)}`);
  if (state.drillId !== sample.drillId) throw malformedEventError(`state.drillId ${describeInput(state.drillId)} is not the sample's drill ${describeInput(sample.drillId)}`);
  checkMeasured(state as unknown as Fields);
  return state;
}

/** What measure reads beyond what every restore step reads: the failure, the validation and when it ran. */
function checkMeasured(state: Fields): void {
  const { failure, validation, validatedAt } = state;
  if (failure !== undefined && !(isFields(failure) && typeof failure.name === "string" && typeof failure.message === "string")) {
    throw malformedEventError(`state.failure must be {"name", "message"}, got ${describeInput(failure)}`);
  }
  if (validation !== undefined) {
    const checks = isFields(validation) ? validation.checks : undefined;
    if (!isFields(validation) || typeof validation.ok !== "boolean" || !Array.isArray(checks) || !checks.every((c) => isFields(c) && typeof c.check === "string" && typeof c.ok === "boolean")) {
      throw malformedEventError(`state.validation must be {"ok", "checks": [{"check", "ok", "detail"?}]}, got ${describeInput(validation)}`);
    }
  }
  if (validatedAt !== undefined) instant(validatedAt, "state.validatedAt");
}
