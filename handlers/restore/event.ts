// Validates a restore step event (handlers/restore/contract.ts) before any AWS call: the step, the restore id (the
// Step Functions execution name), the instants, and the request a person wrote. The state travelling between steps
// is the function's own output: checked for the fields the steps read, not re-validated field by field.
import { RESOURCE_KINDS } from "../catalog";
import { malformedEventError, reservedRestoreNameError } from "../lib/errors";
import { describeInput, INSTANT_RULE, parseInstant } from "../lib/event-input";
import { isFields, type Fields } from "../lib/values";
import type { DatabaseFacts, MachineFacts } from "../lib/restore-facts";
import { MACHINE_RESTORE_MODES, RESTORE_STEPS, type RestoreRequest, type RestoreState, type RestoreStepEvent } from "./contract";
import { DRILL_NAME_PREFIX, NAME_RULE, isDrillName, isRestoreName } from "./naming";

/** A Step Functions execution name: 1-80 letters, digits, hyphens and underscores. */
export const RESTORE_ID = /^[A-Za-z0-9_-]{1,80}$/;
/** The ports a restored database may listen on (what the database service accepts for the engines it restores). */
export const DB_PORTS = { min: 1150, max: 65535 } as const;
export const RESTORE_ID_RULE = "1-80 letters, digits, hyphens and underscores (a Step Functions execution name)";
/** Longer than any id or ARN a source or point can be. */
const MAX_TEXT = 2048;

const REQUEST_TEXT = ["name", "zone", "instanceType", "instanceClass"] as const;
const MACHINE_FIELDS = ["instanceType", "architecture", "rootDevice", "bootMode", "virtualization", "zone"] as const;
const DATABASE_TEXT = ["engine", "engineVersion", "instanceClass", "storageType"] as const;
const REQUEST_FIELDS = ["source", "kind", "point", "mode", "keepImage", "machine", "database", ...REQUEST_TEXT];

/** The event, checked; throws MalformedEventError naming the first problem. */
export function parseRestoreEvent(event: unknown): RestoreStepEvent {
  if (!isFields(event)) throw malformedEventError(`Expected a restore step event {"step": ${RESTORE_STEPS.join(" | ")}, ...}, got ${describeInput(event)}`);
  const step = event.step;
  switch (step) {
    case "start":
      return { step, restoreId: restoreId(event.restoreId), startedAt: instant(event.startedAt, "startedAt"), request: ordinaryRequest(parseRestoreRequest(event.request)) };
    case "poll":
    case "validate":
      return { step, state: parseState(event.state) };
    case "report": {
      const error = event.error === undefined ? undefined : stepError(event.error);
      return {
        step,
        restoreId: restoreId(event.restoreId),
        startedAt: instant(event.startedAt, "startedAt"),
        ...(event.state === undefined ? {} : { state: parseState(event.state) }),
        ...(event.request === undefined ? {} : { request: parseRestoreRequest(event.request) }),
        ...(error === undefined ? {} : { error }),
      };
    }
    default:
      throw malformedEventError(`Unknown step ${describeInput(step)}; expected one of ${RESTORE_STEPS.join(", ")}`);
  }
}

/** An ordinary restore (this function's start step; a drill starts its restores itself) never takes a drill's name. */
function ordinaryRequest(request: RestoreRequest): RestoreRequest {
  if (request.name !== undefined && isDrillName(request.name)) throw reservedRestoreNameError(request.name, DRILL_NAME_PREFIX);
  return request;
}

function restoreId(value: unknown): string {
  if (typeof value !== "string" || !RESTORE_ID.test(value)) throw malformedEventError(`restoreId must be ${RESTORE_ID_RULE}, got ${describeInput(value)}`);
  return value;
}

export function instant(value: unknown, field: string): string {
  if (typeof value !== "string" || parseInstant(value) === undefined) throw malformedEventError(`${field} must be ${INSTANT_RULE}, got ${describeInput(value)}`);
  return value;
}

function text(fields: Fields, key: string, where: string): string | undefined {
  const value = fields[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.trim() === "" || value.length > MAX_TEXT) throw malformedEventError(`${where}${key} must be non-empty text, got ${describeInput(value)}`);
  return value;
}

/** What a person asks for: every field checked, unknown fields refused (a typo must not be ignored). */
export function parseRestoreRequest(value: unknown): RestoreRequest {
  if (!isFields(value)) throw malformedEventError(`request must be an object {"source": ..., "point": ...}, got ${describeInput(value)}`);
  const unknown = Object.keys(value).filter((key) => !REQUEST_FIELDS.includes(key));
  if (unknown.length > 0) throw malformedEventError(`request has unknown fields ${unknown.join(", ")}; allowed: ${REQUEST_FIELDS.join(", ")}`);
  const source = text(value, "source", "request.");
  const point = text(value, "point", "request.");
  if (source === undefined || point === undefined) throw malformedEventError(`request needs source and point ("latest", an ISO instant, or a snapshot id or ARN), got ${describeInput(value)}`);
  const request: RestoreRequest = { source, point };
  if (value.kind !== undefined) request.kind = oneOf(value.kind, RESOURCE_KINDS, "request.kind");
  if (value.mode !== undefined) request.mode = oneOf(value.mode, MACHINE_RESTORE_MODES, "request.mode");
  if (value.keepImage !== undefined) {
    if (typeof value.keepImage !== "boolean") throw malformedEventError(`request.keepImage must be true or false, got ${describeInput(value.keepImage)}`);
    request.keepImage = value.keepImage;
  }
  for (const key of REQUEST_TEXT) {
    const found = text(value, key, "request.");
    if (found !== undefined) request[key] = found;
  }
  if (request.name !== undefined && !isRestoreName(request.name)) throw malformedEventError(`request.name must be ${NAME_RULE}, got ${describeInput(request.name)}`);
  if (value.machine !== undefined) request.machine = facts<MachineFacts>(value.machine, "request.machine", MACHINE_FIELDS, []);
  if (value.database !== undefined) request.database = databaseFacts(value.database);
  return request;
}

export function oneOf<const T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  const found = allowed.find((a) => a === value);
  if (found === undefined) throw malformedEventError(`${field} must be one of ${allowed.join(", ")}, got ${describeInput(value)}`);
  return found;
}

/** An object of known text fields (and known others, checked by the caller). */
function facts<T extends object>(value: unknown, where: string, textFields: readonly string[], others: readonly string[]): T {
  if (!isFields(value)) throw malformedEventError(`${where} must be an object, got ${describeInput(value)}`);
  const unknown = Object.keys(value).filter((key) => !textFields.includes(key) && !others.includes(key));
  if (unknown.length > 0) throw malformedEventError(`${where} has unknown fields ${unknown.join(", ")}; allowed: ${[...textFields, ...others].join(", ")}`);
  const out: Record<string, string> = {};
  for (const key of textFields) {
    const found = text(value, key, `${where}.`);
    if (found !== undefined) out[key] = found;
  }
  return out as T;
}

function databaseFacts(value: unknown): DatabaseFacts {
  const out: DatabaseFacts = facts<DatabaseFacts>(value, "request.database", DATABASE_TEXT, ["port", "multiAz"]);
  const fields = value as Fields;
  if (fields.port !== undefined) {
    if (typeof fields.port !== "number" || !Number.isInteger(fields.port) || fields.port < DB_PORTS.min || fields.port > DB_PORTS.max) {
      throw malformedEventError(`request.database.port must be a whole number from ${DB_PORTS.min} to ${DB_PORTS.max}, got ${describeInput(fields.port)}`);
    }
    out.port = fields.port;
  }
  if (fields.multiAz !== undefined) {
    if (typeof fields.multiAz !== "boolean") throw malformedEventError(`request.database.multiAz must be true or false, got ${describeInput(fields.multiAz)}`);
    out.multiAz = fields.multiAz;
  }
  return out;
}

const STATUSES: readonly RestoreState["status"][] = ["pending", "available", "failed"];

/** The state a previous step returned: the fields every step reads must be there and of their type. */
export function parseState(value: unknown): RestoreState {
  if (!isFields(value)) throw malformedEventError(`state must be the RestoreState a previous step returned, got ${describeInput(value)}`);
  restoreId(value.restoreId);
  instant(value.startedAt, "state.startedAt");
  instant(value.deadline, "state.deadline");
  oneOf(value.kind, RESOURCE_KINDS, "state.kind");
  oneOf(value.status, STATUSES, "state.status");
  for (const key of ["region", "source", "name", "phase"]) {
    if (typeof value[key] !== "string") throw malformedEventError(`state.${key} must be text, got ${describeInput(value[key])}`);
  }
  const point = value.point;
  if (!isFields(point) || typeof point.id !== "string" || !Array.isArray(point.snapshotIds) || !point.snapshotIds.every((s) => typeof s === "string")) {
    throw malformedEventError(`state.point must be the recovery point the start step chose, got ${describeInput(point)}`);
  }
  if (!Array.isArray(value.created) || !value.created.every((c) => isFields(c) && typeof c.type === "string" && typeof c.id === "string")) {
    throw malformedEventError(`state.created must be a list of {type, id}, got ${describeInput(value.created)}`);
  }
  if (typeof value.waitSeconds !== "number" || !Number.isInteger(value.waitSeconds) || value.waitSeconds < 0) {
    throw malformedEventError(`state.waitSeconds must be a whole number of seconds, got ${describeInput(value.waitSeconds)}`);
  }
  return value as unknown as RestoreState; // the function's own output, its shape checked above
}

/** The error a Catch puts in the state: { "Error": name, "Cause": text }. */
export function stepError(value: unknown): { Error: string; Cause: string } {
  if (!isFields(value) || typeof value.Error !== "string") throw malformedEventError(`error must be {"Error": ..., "Cause": ...} as a Catch records it, got ${describeInput(value)}`);
  return { Error: value.Error, Cause: typeof value.Cause === "string" ? value.Cause : "" };
}

