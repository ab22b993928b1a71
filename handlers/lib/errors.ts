// Named errors the handlers throw: callers and tests match on `error.name`, never on message text.

// Factories, not `class ... extends Error`: Pulumi's closure serializer turns a class into a function that
// calls Error without initializing the instance, so a deployed subclass throws an object with no name and
// no message. A plain Error with its `name` set survives serialization (tests/infra/*-archive.spec.ts).

import { MAX_ERROR_MESSAGE } from "../../policies/lib/bounds";
import { describeInput, listSome } from "./event-input";

export type NamedError<N extends string, P extends object = object> = Error & { readonly name: N } & Readonly<P>;

/** Every message is cut to MAX_ERROR_MESSAGE characters: logs, SNS and the manifest carry it. */
export function namedError<N extends string, P extends object>(name: N, message: string, props: P): NamedError<N, P> {
  const bounded = message.length > MAX_ERROR_MESSAGE ? `${message.slice(0, MAX_ERROR_MESSAGE - 3)}...` : message;
  return Object.assign(new Error(bounded), props, { name });
}

/** The invocation event is not what the function accepts; thrown before any AWS call. */
export function malformedEventError(message: string): NamedError<"MalformedEventError"> {
  return namedError("MalformedEventError", message, {});
}

/** The event names a plan the function was not deployed with. */
export function unknownPlanError(plan: string, known: readonly string[]): NamedError<"UnknownPlanError", { plan: string }> {
  return namedError("UnknownPlanError", `Unknown plan ${describeInput(plan, 40)}; this function knows: ${listSome(known, 20) || "(none)"}`, { plan: plan.slice(0, 64) });
}

/** A required environment variable is absent or empty. */
export function missingSettingError(setting: string): NamedError<"MissingSettingError", { setting: string }> {
  return namedError("MissingSettingError", `Missing setting: environment variable ${setting} is not set`, { setting });
}

/** An environment variable is present but its value is not acceptable. */
export function invalidSettingError(setting: string, problem: string): NamedError<"InvalidSettingError", { setting: string }> {
  return namedError("InvalidSettingError", `Invalid setting ${setting}: ${problem}`, { setting });
}

/** A schedule expression EventBridge Scheduler would reject, or one this code cannot evaluate. */
export function invalidScheduleError(expression: string, problem: string): NamedError<"InvalidScheduleError", { expression: string }> {
  return namedError("InvalidScheduleError", `Invalid schedule expression "${expression}": ${problem}`, { expression });
}

/** A snapshot identifier this backup derives is taken by a snapshot that is not this backup (other tags). */
export function snapshotIdentifierTakenError(identifier: string, detail: string): NamedError<"SnapshotIdentifierTakenError", { identifier: string }> {
  return namedError("SnapshotIdentifierTakenError", `Snapshot identifier ${identifier} is taken by a snapshot that is not this backup: ${detail}`, { identifier });
}

/** Another delivery of the same run kept its claim on a source longer than the lease allows to wait. */
export function sourceClaimTimeoutError(key: string, leaseMs: number): NamedError<"SourceClaimTimeoutError", { key: string }> {
  return namedError("SourceClaimTimeoutError", `Could not claim ${key}: another delivery of this run held it beyond the ${leaseMs / 1000} s lease; the next run or retry backs the source up`, { key });
}

/** A run finished with failures; thrown last so Lambda's error metric, retries and on-failure destination apply. */
export function runFailedError(runId: string, failures: readonly string[]): NamedError<"RunFailedError", { runId: string; failures: readonly string[] }> {
  return namedError("RunFailedError", `Run ${runId} finished with ${failures.length} failure${failures.length === 1 ? "" : "s"}: ${failures.join("; ")}`, { runId, failures });
}

/** `name: message` of anything thrown, for manifests, logs and notifications. */
/** An error as the manifests record it: its name and message. */
export interface ErrorInfo {
  name: string;
  message: string;
}

export function describeError(error: unknown): ErrorInfo {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: "Error", message: String(error) };
}

/** The `name` of a thrown value: AWS SDK v3 puts the service's error code there. */
export function errorName(error: unknown): string {
  return describeError(error).name;
}

/**
 * A create AWS may have performed although its answer never came (network error, timeout, 5xx after the request was
 * sent). Built without `cause`, `$metadata` or `$retryable`, so the SDK's retry classifies it as final, not transient.
 */
export function answerLostError(action: string, lost: { name: string; message: string }): NamedError<"AnswerLostError", { action: string; lost: { name: string; message: string } }> {
  return namedError("AnswerLostError", `${action}: the answer was lost (${lost.name}: ${lost.message}); AWS may have acted`, { action, lost });
}

/** After a lost answer, looking up what the create would have made failed too: nothing is re-sent blind. */
export function lookUpFailedError(what: string, lost: string, lookUp: { name: string; message: string }): NamedError<"LookUpFailedError", { what: string }> {
  return namedError("LookUpFailedError", `${what}: the answer was lost (${lost}) and looking it up failed (${lookUp.name}: ${lookUp.message}); left for the next run`, { what });
}

/** A restore's new resource name is taken in the region by a resource this restore did not create (no restore-id tag of it). */
export function restoreNameTakenError(name: string, resource: string, detail: string): NamedError<"RestoreNameTakenError", { resourceName: string; resource: string }> {
  return namedError("RestoreNameTakenError", `The ${resource} name ${name} is taken by a ${resource} this restore did not create (${detail}); give another name`, { resourceName: name, resource });
}

/** An ordinary restore asked for a name only a DR drill's restores may carry; thrown before any AWS call. */
export function reservedRestoreNameError(name: string, prefix: string): NamedError<"ReservedRestoreNameError", { resourceName: string }> {
  return namedError("ReservedRestoreNameError", `The name ${describeInput(name, 80)} starts with "${prefix}", which only a DR drill's restores carry (the drill may delete them); give another name`, { resourceName: name.slice(0, 80) });
}

/** A resource a restore created reached a state from which it never becomes available (AWS's own failure states). */
export function restoredResourceFailedError(resource: string, id: string, state: string, detail?: string): NamedError<"RestoredResourceFailedError", { resource: string; id: string; state: string }> {
  return namedError("RestoredResourceFailedError", `The restored ${resource} ${id} is ${state}${detail === undefined ? "" : `: ${detail}`}; it is left in place, tagged, for a person to inspect`, { resource, id, state });
}

/** A restore step was given a state without a value the kind's `missing` check requires (the flow checks it first). */
export function restoreStateIncompleteError(field: string): NamedError<"RestoreStateIncompleteError", { field: string }> {
  return namedError("RestoreStateIncompleteError", `The restore state has no ${field}; the start step resolves it (or names it missing) before any create call`, { field });
}
