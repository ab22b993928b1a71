// Parsers of the drill's JSON parts (handlers/drill/contract.ts): the drill id, the request a person or the schedule
// writes (every field checked), and the sample and state the function itself returned earlier (checked for what the
// steps read, and that its parts belong together: a sample of another drill, a restore id not of this drill, a request
// for another point than the sample's are refused). Each throws MalformedEventError naming the field.
import { isPlanName, PLAN_NAME_RULE } from "../plan";
import { RESOURCE_KINDS } from "../catalog";
import { malformedEventError } from "../lib/errors";
import { describeInput } from "../lib/event-input";
import { isFields, type Fields } from "../lib/values";
import { instant, oneOf, parseRestoreRequest, stepError } from "../restore/event";
import { MAX_DRILL_ID, type Drill, type DrillCleanup, type DrillOutcome, type DrillRequest, type DrillResult, type DrillSample, type DrillState, type DrillTargets, type DrillUnsampled } from "./contract";

/** A drill id: 1-72 letters, digits, hyphens and underscores (an execution name with room for `-r<n>`). */
export const DRILL_ID = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_DRILL_ID}}$`);
export const DRILL_ID_RULE = `1-${MAX_DRILL_ID} letters, digits, hyphens and underscores`;
/** Longer than any seed a person types. */
const MAX_SEED = 256;
const MAX_TEXT = 2048;

const REQUEST_FIELDS = ["plan", "seed"];
const SAMPLE_FIELDS = ["drillId", "restoreId", "plan", "kind", "source", "pointId", "taken", "drillStartedAt", "rpoSeconds", "request", "targets"];
const DRILL_FIELDS = ["drillId", "startedAt", "region", "request", "seed", "samples", "unsampled", "keepSeconds"];
const STATE_FIELDS = ["drill", "results", "cleanup", "error"];
const OUTCOMES: readonly DrillOutcome[] = ["passed", "missed-target", "failed"];
const CLEANUP_STATUSES: readonly DrillCleanup["status"][] = ["pending", "done", "incomplete"];

/** The restore id of the drill's n-th sample. */
export function restoreIdOf(drill: string, n: number): string {
  return `${drill}-r${n}`;
}

export function drillId(value: unknown, field: string): string {
  if (typeof value !== "string" || !DRILL_ID.test(value)) throw malformedEventError(`${field} must be ${DRILL_ID_RULE}, got ${describeInput(value)}`);
  return value;
}

function text(value: unknown, field: string, max = MAX_TEXT): string {
  if (typeof value !== "string" || value.trim() === "" || value.length > max) throw malformedEventError(`${field} must be non-empty text of at most ${max} characters, got ${describeInput(value)}`);
  return value;
}

function whole(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) throw malformedEventError(`${field} must be a whole number, got ${describeInput(value)}`);
  return value;
}

function fields(value: unknown, field: string, allowed: readonly string[]): Fields {
  if (!isFields(value)) throw malformedEventError(`${field} must be an object, got ${describeInput(value)}`);
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw malformedEventError(`${field} has unknown fields ${unknown.join(", ")}; allowed: ${allowed.join(", ")}`);
  return value;
}

function list(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw malformedEventError(`${field} must be a list, got ${describeInput(value)}`);
  return value;
}

function plan(value: unknown, field: string): string {
  if (typeof value !== "string" || !isPlanName(value)) throw malformedEventError(`${field} must be a plan name (${PLAN_NAME_RULE}), got ${describeInput(value)}`);
  return value;
}

function kind(value: unknown, field: string): DrillSample["kind"] {
  return oneOf(value, RESOURCE_KINDS, field);
}

/** What starts a drill: `{}` from the scheduler, or a plan and a seed from `npm run drill`. */
export function drillRequest(value: unknown): DrillRequest {
  const request = fields(value, "request", REQUEST_FIELDS);
  return {
    ...(request.plan === undefined ? {} : { plan: plan(request.plan, "request.plan") }),
    ...(request.seed === undefined ? {} : { seed: text(request.seed, "request.seed", MAX_SEED) }),
  };
}

/** A duration in seconds (milliseconds kept): a finite number, not negative. */
function seconds(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw malformedEventError(`${field} must be a number of seconds, got ${describeInput(value)}`);
  return value;
}

function targets(value: unknown, field: string): DrillTargets {
  const t = fields(value, field, ["rtoSeconds", "rpoSeconds"]);
  return { rtoSeconds: whole(t.rtoSeconds, `${field}.rtoSeconds`), rpoSeconds: whole(t.rpoSeconds, `${field}.rpoSeconds`) };
}

/** One sample as pick made it: its restore id is of its drill, its request restores exactly its point. */
export function drillSample(value: unknown, field: string): DrillSample {
  const s = fields(value, field, SAMPLE_FIELDS);
  const id = drillId(s.drillId, `${field}.drillId`);
  const restoreId = text(s.restoreId, `${field}.restoreId`, 80);
  if (!restoreId.startsWith(`${id}-r`) || !/^[1-9]\d*$/.test(restoreId.slice(id.length + 2))) {
    throw malformedEventError(`${field}.restoreId must be ${id}-r<n> (a restore of its drill), got ${describeInput(restoreId)}`);
  }
  const sample: DrillSample = {
    drillId: id,
    restoreId,
    plan: plan(s.plan, `${field}.plan`),
    kind: kind(s.kind, `${field}.kind`),
    source: text(s.source, `${field}.source`),
    pointId: text(s.pointId, `${field}.pointId`),
    taken: instant(s.taken, `${field}.taken`),
    drillStartedAt: instant(s.drillStartedAt, `${field}.drillStartedAt`),
    rpoSeconds: seconds(s.rpoSeconds, `${field}.rpoSeconds`),
    request: parseRestoreRequest(s.request),
    targets: targets(s.targets, `${field}.targets`),
  };
  if (Math.abs(sample.rpoSeconds - (Date.parse(sample.drillStartedAt) - Date.parse(sample.taken)) / 1000) > 0.001) {
    throw malformedEventError(`${field}.rpoSeconds must be drillStartedAt minus taken (${sample.drillStartedAt} - ${sample.taken}), got ${describeInput(sample.rpoSeconds)}`);
  }
  const { request } = sample;
  if (request.point !== sample.pointId || request.source !== sample.source || request.kind !== sample.kind) {
    throw malformedEventError(`${field}.request must restore the sample's own source, kind and point (${sample.source}, ${sample.kind}, ${sample.pointId}), got ${describeInput(request)}`);
  }
  return sample;
}

function unsampled(value: unknown, field: string): DrillUnsampled {
  const u = fields(value, field, ["plan", "kind", "reason", "sources"]);
  return {
    plan: plan(u.plan, `${field}.plan`),
    kind: kind(u.kind, `${field}.kind`),
    reason: text(u.reason, `${field}.reason`),
    ...(u.sources === undefined ? {} : { sources: whole(u.sources, `${field}.sources`) }),
  };
}

function drill(value: unknown): Drill {
  const d = fields(value, "state.drill", DRILL_FIELDS);
  const id = drillId(d.drillId, "state.drill.drillId");
  const samples = list(d.samples, "state.drill.samples").map((s, i) => drillSample(s, `state.drill.samples[${i}]`));
  const foreign = samples.find((s) => s.drillId !== id);
  if (foreign !== undefined) throw malformedEventError(`state.drill.samples holds ${foreign.restoreId}, a sample of another drill than ${id}`);
  if (new Set(samples.map((s) => s.restoreId)).size !== samples.length) throw malformedEventError("state.drill.samples holds a restore id twice");
  return {
    drillId: id,
    startedAt: instant(d.startedAt, "state.drill.startedAt"),
    region: text(d.region, "state.drill.region"),
    request: drillRequest(d.request),
    seed: text(d.seed, "state.drill.seed", MAX_SEED),
    samples,
    unsampled: list(d.unsampled, "state.drill.unsampled").map((u, i) => unsampled(u, `state.drill.unsampled[${i}]`)),
    keepSeconds: whole(d.keepSeconds, "state.drill.keepSeconds"),
  };
}

/** A result the measure step returned: the fields report reads. */
function result(value: unknown, field: string, restoreIds: readonly string[]): DrillResult {
  if (!isFields(value)) throw malformedEventError(`${field} must be the DrillResult the measure step returned, got ${describeInput(value)}`);
  if (typeof value.restoreId !== "string" || !restoreIds.includes(value.restoreId)) throw malformedEventError(`${field}.restoreId ${describeInput(value.restoreId)} is not a restore of the drill`);
  if (!OUTCOMES.some((o) => o === value.outcome)) throw malformedEventError(`${field}.outcome must be one of ${OUTCOMES.join(", ")}, got ${describeInput(value.outcome)}`);
  if (!Array.isArray(value.missed) || !value.missed.every((m) => m === "rto" || m === "rpo")) throw malformedEventError(`${field}.missed must be a list of "rto" and "rpo"`);
  if (!Number.isFinite(value.rpoSeconds) || (value.rtoSeconds !== undefined && !Number.isFinite(value.rtoSeconds))) throw malformedEventError(`${field}.rpoSeconds and rtoSeconds must be numbers`);
  if (!Array.isArray(value.created) || !value.created.every((c) => isFields(c) && typeof c.type === "string" && typeof c.id === "string")) throw malformedEventError(`${field}.created must be a list of {type, id}`);
  for (const key of ["plan", "kind", "source", "pointId", "taken"]) if (typeof value[key] !== "string") throw malformedEventError(`${field}.${key} must be text, got ${describeInput(value[key])}`);
  targets(value.targets, `${field}.targets`);
  const { failure, checks, error } = value;
  if (error !== undefined) stepError(error);
  if (failure !== undefined && !(isFields(failure) && typeof failure.name === "string" && typeof failure.message === "string")) throw malformedEventError(`${field}.failure must be {"name", "message"}, got ${describeInput(failure)}`);
  if (checks !== undefined && !(Array.isArray(checks) && checks.every((c) => isFields(c) && typeof c.check === "string"))) throw malformedEventError(`${field}.checks must be a list of {"check", "ok"}`);
  return value as unknown as DrillResult; // the function's own output, its shape checked above
}

function cleanup(value: unknown): DrillCleanup {
  if (!isFields(value)) throw malformedEventError(`state.cleanup must be the DrillCleanup the cleanup step returned, got ${describeInput(value)}`);
  if (!CLEANUP_STATUSES.some((s) => s === value.status)) throw malformedEventError(`state.cleanup.status must be one of ${CLEANUP_STATUSES.join(", ")}, got ${describeInput(value.status)}`);
  instant(value.deadline, "state.cleanup.deadline");
  whole(value.waitSeconds, "state.cleanup.waitSeconds");
  for (const key of ["deleted", "remaining", "refused", "failures"]) {
    if (!Array.isArray(value[key]) || !(value[key] as unknown[]).every(isFields)) throw malformedEventError(`state.cleanup.${key} must be a list of objects`);
  }
  return value as unknown as DrillCleanup; // the function's own output, its shape checked above
}

/**
 * The state as cleanup reads it: the drill and the previous cleanup, checked; results and error pass through unread
 * (the report parses them), so a malformed result cannot stop deletion.
 */
export function cleanupState(value: unknown): DrillState {
  const s = fields(value, "state", STATE_FIELDS);
  const read = { drill: drill(s.drill), ...(s.cleanup === undefined ? {} : { cleanup: cleanup(s.cleanup) }) };
  return { ...s, ...read }; // results and error: whatever the machine passed, for the report
}

/** What travels between the drill machine's top-level states. */
export function drillState(value: unknown): DrillState {
  const s = fields(value, "state", STATE_FIELDS);
  const d = drill(s.drill);
  const ids = d.samples.map((x) => x.restoreId);
  return {
    drill: d,
    ...(s.results === undefined ? {} : { results: list(s.results, "state.results").map((r, i) => result(r, `state.results[${i}]`, ids)) }),
    ...(s.cleanup === undefined ? {} : { cleanup: cleanup(s.cleanup) }),
    ...(s.error === undefined ? {} : { error: stepError(s.error) }),
  };
}
