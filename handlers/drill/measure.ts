// The measure step: one restore's result against its plan's targets. RTO = validatedAt - the restore's startedAt
// (only when validation passed); RPO = the drill's start - when the point's data was taken. Instants are UTC, so a
// daylight-saving change in the plan's zone never shifts either. Pure: reads nothing from AWS.
import type { ErrorInfo } from "../lib/errors";
import type { RestoreState } from "../restore/contract";
import { caughtFailure } from "../restore/report";
import { MAX_FAILURE_MESSAGE, type DrillResult, type DrillSample } from "./contract";

/** The failure with its message cut to MAX_FAILURE_MESSAGE characters (marked), so results stay small. */
export function cutFailure(failure: ErrorInfo): ErrorInfo {
  if (failure.message.length <= MAX_FAILURE_MESSAGE) return failure;
  const mark = " [...cut]";
  return { name: failure.name, message: `${failure.message.slice(0, MAX_FAILURE_MESSAGE - mark.length)}${mark}` };
}

/** Seconds from one ISO instant to another (milliseconds kept: 3 decimals at most). */
export function secondsBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 1000;
}

/** Why the restore did not validate: the caught error, the state's failure, a failed validation, or its status. */
function failureOf(state: RestoreState | undefined, error: { Error: string; Cause: string } | undefined): ErrorInfo | undefined {
  if (error !== undefined) return caughtFailure(error);
  if (state === undefined) return { name: "RestoreNotStarted", message: "the measure step was given neither a state nor an error" };
  if (state.failure !== undefined) return state.failure;
  if (state.validation === undefined) return { name: "RestoreNotValidated", message: `the restore is ${state.status} (phase ${state.phase}) and was not validated` };
  if (!state.validation.ok) {
    const failed = state.validation.checks.filter((c) => !c.ok).map((c) => (c.detail === undefined ? c.check : `${c.check}: ${c.detail}`));
    return { name: "RestoreValidationFailed", message: `validation failed: ${failed.join("; ")}` };
  }
  if (state.validatedAt === undefined) return { name: "RestoreNotValidated", message: "the validation recorded no time" };
  return undefined;
}

export function measureRestore(sample: DrillSample, state?: RestoreState, error?: { Error: string; Cause: string }): DrillResult {
  const found = failureOf(state, error);
  const failure = found === undefined ? undefined : cutFailure(found);
  const validatedAt = failure === undefined ? state?.validatedAt : undefined;
  const rtoSeconds = state !== undefined && validatedAt !== undefined ? secondsBetween(state.startedAt, validatedAt) : undefined;
  const rpoSeconds = secondsBetween(sample.taken, sample.drillStartedAt);
  const missed: Array<"rto" | "rpo"> = [];
  if (rtoSeconds === undefined || rtoSeconds > sample.targets.rtoSeconds) missed.push("rto");
  if (rpoSeconds > sample.targets.rpoSeconds) missed.push("rpo");
  return {
    restoreId: sample.restoreId,
    plan: sample.plan,
    kind: sample.kind,
    source: sample.source,
    pointId: sample.pointId,
    taken: sample.taken,
    outcome: rtoSeconds === undefined ? "failed" : missed.length > 0 ? "missed-target" : "passed",
    missed,
    ...(rtoSeconds === undefined ? {} : { rtoSeconds }),
    rpoSeconds,
    targets: sample.targets,
    ...(state === undefined ? {} : { restoreStartedAt: state.startedAt }),
    ...(validatedAt === undefined ? {} : { validatedAt }),
    ...(failure === undefined ? {} : { failure }),
    ...(state?.validation === undefined ? {} : { checks: state.validation.checks }),
    created: state?.created ?? [],
  };
}
