// What every kind's restore actions do alike with the state that travels between steps (handlers/restore/contract.ts):
// mark it available or failed, build an idempotency token from the restore id, and collect validation checks.
import { createHash } from "node:crypto";
import { TAG_RESTORED_FROM } from "../catalog";
import { describeError } from "../lib/errors";
import type { Tags } from "../lib/tags";
import type { CreatedResource, RestoreState } from "../restore/contract";

type Validation = NonNullable<RestoreState["validation"]>;
type Check = Validation["checks"][number];

/** AWS's client tokens are at most 64 ASCII characters: a SHA-256 of the parts, so one restore id always gives one token. */
export function clientToken(...parts: readonly string[]): string {
  return createHash("sha256").update(parts.join("\n")).digest("hex");
}

/** The state with the resources as last read (those read now replace earlier entries of the same id). */
export function withCreated(state: RestoreState, read: readonly CreatedResource[]): RestoreState {
  const ids = new Set(read.map((r) => r.id));
  return { ...state, created: [...state.created.filter((r) => !ids.has(r.id)), ...read] };
}

/** Still on its way: the machine waits and polls again. */
export function inProgress(state: RestoreState, phase: string, waitSeconds: number): RestoreState {
  return { ...state, phase, status: "pending", waitSeconds };
}

/** Everything is available: what a person connects to, and when it was first seen so. */
export function available(state: RestoreState, endpoint: string, now: Date): RestoreState {
  return { ...state, status: "available", endpoint, availableAt: state.availableAt ?? now.toISOString() };
}

/** A created resource failed: the restore ends failed, the resources stay (the report lists them). */
export function failed(state: RestoreState, error: unknown): RestoreState {
  return { ...state, status: "failed", failure: describeError(error) };
}

/** One validation check. */
export function check(name: string, ok: boolean, detail?: string): Check {
  return detail === undefined ? { check: name, ok } : { check: name, ok, detail };
}

/** The validation of the checks: ok when there is at least one and every one passed. */
export function validation(checks: readonly Check[]): Validation {
  return { ok: checks.length > 0 && checks.every((c) => c.ok), checks: [...checks] };
}

/** The resource of `type` the state recorded (the first one). */
export function createdOf(state: RestoreState, type: string): CreatedResource | undefined {
  return state.created.find((r) => r.type === type);
}

/** A created resource's `restoredFrom`, from its `backup-dr:restored-from` tag (nothing when it has none). */
export function restoredFrom(tags: Readonly<Tags>): Pick<CreatedResource, "restoredFrom"> {
  return tags[TAG_RESTORED_FROM] === undefined ? {} : { restoredFrom: tags[TAG_RESTORED_FROM] };
}
