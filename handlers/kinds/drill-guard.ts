// What every kind's drill cleanup shares: which restores a drill may clean up, whether a resource's own tags make it
// this drill's to delete, and the DrillDeletion one call builds up.
import { TAG_DRILL_ID, TAG_RESTORE_ID, TAG_STACK } from "../catalog";
import { malformedEventError } from "../lib/errors";
import type { Tags } from "../lib/tags";
import type { CreatedResource } from "../restore/contract";
import type { DrillCleanupContext, DrillDeletion } from "./kind";

/**
 * Refuses, before any AWS call, a cleanup that could match what it must not: an empty drill id or stack tag, or a
 * restore id that is not one of this drill's (`<drillId>-r<n>`, handlers/drill/contract.ts).
 */
export function checkCleanup(ctx: DrillCleanupContext, restoreId: string): void {
  if (ctx.drillId.trim() === "") throw malformedEventError("drill cleanup: the drill id is empty");
  if (ctx.stackTag.trim() === "") throw malformedEventError("drill cleanup: the stack tag is empty");
  const prefix = `${ctx.drillId}-r`;
  if (!restoreId.startsWith(prefix) || !/^[1-9][0-9]*$/.test(restoreId.slice(prefix.length))) {
    throw malformedEventError(`drill cleanup: restore id "${restoreId.slice(0, 100)}" is not one of drill ${ctx.drillId.slice(0, 100)}'s (<drill id>-r<n>)`);
  }
}

/** Why the resource's own tags do not make it this drill's restore's (each tag that differs), or undefined when they do. */
export function notThisDrills(tags: Readonly<Tags>, ctx: DrillCleanupContext, restoreId: string): string | undefined {
  const wanted: Array<[string, string]> = [
    [TAG_RESTORE_ID, restoreId],
    [TAG_DRILL_ID, ctx.drillId],
    [TAG_STACK, ctx.stackTag],
  ];
  const wrong = wanted.filter(([key, value]) => !Object.hasOwn(tags, key) || tags[key] !== value);
  if (wrong.length === 0) return undefined;
  return `not this drill's: ${wrong.map(([key, value]) => `${key} is ${Object.hasOwn(tags, key) ? `"${tags[key]}"` : "absent"}, not "${value}"`).join("; ")}`;
}

/** One call's DrillDeletion, built resource by resource. */
export interface DeletionLog {
  readonly result: DrillDeletion;
  /** Gone (deleted, terminated, deregistered, not found): nothing more to do. */
  gone(resource: CreatedResource): void;
  /** Its deletion was sent (now or earlier) and it is still there. */
  deleting(resource: CreatedResource): void;
  /** Still there and not deletable yet (attached, a cluster with members, a state AWS refuses a delete in). */
  waiting(resource: CreatedResource): void;
  refused(resource: CreatedResource, reason: string): void;
}

export function deletionLog(): DeletionLog {
  const result: DrillDeletion = { deleted: [], remaining: [], refused: [] };
  return {
    result,
    gone: (resource) => result.deleted.push(resource),
    deleting: (resource) => {
      result.deleted.push(resource);
      result.remaining.push(resource);
    },
    waiting: (resource) => result.remaining.push(resource),
    refused: (resource, reason) => result.refused.push({ ...resource, reason }),
  };
}

/**
 * Cleans each resource in turn (a restore makes a handful: one at a time keeps the delete calls well inside AWS's
 * rate limits). One resource's failure does not stop the others: the first error is thrown after the rest.
 */
export async function eachInTurn<T>(items: readonly T[], clean: (item: T) => Promise<void>): Promise<void> {
  let first: { error: unknown } | undefined;
  for (const item of items) {
    try {
      await clean(item);
    } catch (error) {
      first ??= { error };
    }
  }
  if (first !== undefined) throw first.error;
}
