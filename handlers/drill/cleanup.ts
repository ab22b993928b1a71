// The cleanup step: for every sample of the drill (not only those with a result: after a failed Map there are none),
// the kind deletes what that restore created and that carries this drill's id and this stack (the kind reads the tags
// from the resource itself before each delete). Never waits: "pending" while something is still being deleted or a
// kind failed (the machine waits and calls again), "done", or "incomplete" once the deadline has passed.
import type { KindClients } from "../kinds/clients";
import { describeError } from "../lib/errors";
import { settleWithConcurrency } from "../lib/pool";
import { isFields } from "../lib/values";
import { REGISTRY_KINDS, type RestoreKinds } from "../restore/steps";
import type { DrillCleanup, DrillCleanupEntry, DrillState } from "./contract";
import { REGISTRY_DRILL_KINDS, type DrillKinds } from "./kinds";

/** Restores cleaned at once (each sends a few describe and delete calls). */
export const CLEANUP_CONCURRENCY = 4;
/** Seconds between calls when no kind says otherwise (every restore failed to clean: e.g. throttled). */
const RETRY_SECONDS = 30;

export interface CleanupDeps {
  clients: KindClients;
  now: () => Date;
  drillKinds?: DrillKinds;
  /** The restore kinds (their timeoutMinutes): the registry's by default. */
  kinds?: RestoreKinds;
}

const entryKey = (e: DrillCleanupEntry): string => `${e.restoreId}\u0000${e.type}\u0000${e.id}`;

/** The entries not in `out`. */
function without(entries: readonly DrillCleanupEntry[], out: readonly DrillCleanupEntry[]): DrillCleanupEntry[] {
  const keys = new Set(out.map(entryKey));
  return entries.filter((e) => !keys.has(entryKey(e)));
}

/** What the previous call listed as remaining, of restores this call cleaned without a failure. */
function gone(state: DrillState, failures: DrillCleanup["failures"]): DrillCleanupEntry[] {
  return (state.cleanup?.remaining ?? []).filter((e) => !failures.some((f) => f.restoreId === e.restoreId));
}

/** The union of two lists of entries, the later one's version of an entry winning. */
function union(earlier: readonly DrillCleanupEntry[], later: readonly DrillCleanupEntry[]): DrillCleanupEntry[] {
  const keys = new Set(later.map(entryKey));
  return [...earlier.filter((e) => !keys.has(entryKey(e))), ...later];
}

/** Whether the Map's result for `restoreId` says it validated (read defensively: cleanup does not parse results). */
function validated(results: unknown, restoreId: string): boolean {
  return Array.isArray(results) && results.some((r) => isFields(r) && r.restoreId === restoreId && (r.outcome === "passed" || r.outcome === "missed-target"));
}

/**
 * The deadline, set on the first call and kept on later ones: the first call's time plus, for each sample, its kind's
 * deletion time and, when it did not validate, also its kind's restore time (its creation may still be running after
 * the restore gave up, or after a Start that sent its create then failed, and a DB being created cannot be deleted).
 * Every restore started before the first call, so one restore timeout from then covers what was its remaining time.
 */
function deadlineOf(deps: CleanupDeps, kinds: DrillKinds, state: DrillState): string {
  if (state.cleanup !== undefined) return state.cleanup.deadline;
  const restoreKinds = deps.kinds ?? REGISTRY_KINDS;
  const minutes = state.drill.samples.map((s) => {
    try {
      const creating = validated(state.results, s.restoreId) ? 0 : restoreKinds.named(s.kind).timeoutMinutes;
      return kinds.named(s.kind).deleteTimeoutMinutes + creating;
    } catch {
      return 0; // a kind without a drill facet is reported as that sample's failure
    }
  });
  return new Date(deps.now().getTime() + Math.max(0, ...minutes) * 60_000).toISOString();
}

export async function cleanupDrill(deps: CleanupDeps, stackTag: string, state: DrillState): Promise<DrillCleanup> {
  const kinds = deps.drillKinds ?? REGISTRY_DRILL_KINDS;
  const { drill } = state;
  const deadline = deadlineOf(deps, kinds, state);
  const ctx = { clients: deps.clients, drillId: drill.drillId, stackTag, now: deps.now };
  const settled = await settleWithConcurrency(drill.samples, CLEANUP_CONCURRENCY, async (sample) => {
    const kind = kinds.named(sample.kind);
    return { kind, deletion: await kind.deleteRestored(ctx, sample.restoreId) };
  });
  const deleted: DrillCleanupEntry[] = [];
  const remaining: DrillCleanupEntry[] = [];
  const refused: DrillCleanup["refused"] = [];
  const failures: DrillCleanup["failures"] = [];
  const waits: number[] = [];
  settled.forEach((outcome, i) => {
    const { restoreId } = drill.samples[i];
    if (outcome.status === "rejected") {
      failures.push({ restoreId, ...describeError(outcome.reason) });
      waits.push(RETRY_SECONDS);
      return;
    }
    const { kind, deletion } = outcome.value;
    deleted.push(...deletion.deleted.map((r) => ({ ...r, restoreId })));
    remaining.push(...deletion.remaining.map((r) => ({ ...r, restoreId })));
    refused.push(...deletion.refused.map((r) => ({ ...r, restoreId })));
    if (deletion.remaining.length > 0) waits.push(kind.deletePollSeconds);
  });
  const settledAll = remaining.length === 0 && failures.length === 0;
  const late = deps.now().getTime() > Date.parse(deadline);
  return {
    status: settledAll ? "done" : late ? "incomplete" : "pending",
    waitSeconds: settledAll ? 0 : Math.max(1, Math.min(...waits)),
    deadline,
    // What earlier calls deleted stays on the record (a later call finds it gone and may not list it again); what is
    // still there (being deleted) is only in remaining, so "N deleted, M remaining" counts each resource once.
    // What an earlier call found still there and this call (for a restore it cleaned) no longer finds is gone.
    deleted: without(union(union(state.cleanup?.deleted ?? [], gone(state, failures)), deleted), remaining),
    remaining,
    refused,
    failures,
  };
}
