// The cleanup step: for every sample of the drill (not only those with a result: after a failed Map there are none),
// the kind deletes what that restore created and that carries this drill's id and this stack (the kind reads the tags
// from the resource itself before each delete). Never waits: "pending" while something is still being deleted or a
// kind failed (the machine waits and calls again), "done", or "incomplete" once the deadline has passed.
import type { KindClients } from "../kinds/clients";
import { describeError } from "../lib/errors";
import { settleWithConcurrency } from "../lib/pool";
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
}

const entryKey = (e: DrillCleanupEntry): string => `${e.restoreId}\u0000${e.type}\u0000${e.id}`;

/** The union of two lists of entries, the later one's version of an entry winning. */
function union(earlier: readonly DrillCleanupEntry[], later: readonly DrillCleanupEntry[]): DrillCleanupEntry[] {
  const keys = new Set(later.map(entryKey));
  return [...earlier.filter((e) => !keys.has(entryKey(e))), ...later];
}

/** The deadline: the first call's time plus the longest deletion time of the kinds sampled (kept on later calls). */
function deadlineOf(deps: CleanupDeps, kinds: DrillKinds, state: DrillState): string {
  if (state.cleanup !== undefined) return state.cleanup.deadline;
  const minutes = state.drill.samples.map((s) => {
    try {
      return kinds.named(s.kind).deleteTimeoutMinutes;
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
    // What earlier calls deleted stays on the record (a later call finds it gone and may not list it again).
    deleted: union(state.cleanup?.deleted ?? [], deleted),
    remaining,
    refused,
    failures,
  };
}
