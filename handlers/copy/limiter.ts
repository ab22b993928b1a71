// Starts copies oldest first within the room each kind has in the DR region; the rest are deferred to the sweep.
//
// Room = the limit minus the copies of ours already in flight, counted before starting. A copy that AWS refuses
// with a limit error (other copies than ours count too) is deferred and closes the kind for the rest of the run.
// A place is given back only when no copy can be in flight for it: a copy whose answer was lost holds its place
// whether the look-up found it or failed (then AWS may have made it), so one run never starts more than the limit.
import { SNAPSHOT_KINDS, type SnapshotKind } from "../catalog";
import { describeError } from "../lib/errors";
import { settleWithConcurrency } from "../lib/pool";
import { isoSeconds } from "../lib/run-id";
import type { Attempt } from "./start-copy";
import type { Candidate, CopyOutcome, Limits } from "./types";

export interface Room {
  limits: Limits;
  /** Copies of ours in flight per kind before the run. */
  inFlight: Partial<Record<SnapshotKind, number>>;
}

/** Oldest backup first (by slot, then when it was taken, then id), so deferred copies are started in order. */
export function oldestFirst(a: Candidate, b: Candidate): number {
  return a.slot.getTime() - b.slot.getTime() || (a.source.created?.getTime() ?? 0) - (b.source.created?.getTime() ?? 0) || a.source.id.localeCompare(b.source.id);
}

export async function startWithinLimits(candidates: readonly Candidate[], room: Room, concurrency: number, attempt: (candidate: Candidate) => Promise<Attempt>): Promise<CopyOutcome[]> {
  const ordered = [...candidates].sort(oldestFirst);
  const free = new Map<SnapshotKind, number>(SNAPSHOT_KINDS.map((kind) => [kind, Math.max(0, room.limits[kind] - (room.inFlight[kind] ?? 0))]));
  const refused = new Map<SnapshotKind, string>();
  const deferred = (candidate: Candidate, reason: string): CopyOutcome => ({
    kind: candidate.source.kind,
    source: candidate.source.id,
    ...(candidate.source.arn ? { sourceArn: candidate.source.arn } : {}),
    plan: candidate.plan.name,
    status: "deferred",
    expires: isoSeconds(candidate.expires),
    reason,
  });
  const settled = await settleWithConcurrency(ordered, concurrency, async (candidate): Promise<CopyOutcome> => {
    const kind = candidate.source.kind;
    const refusal = refused.get(kind);
    if (refusal !== undefined) return deferred(candidate, refusal);
    if ((free.get(kind) ?? 0) <= 0) return deferred(candidate, `${room.limits[kind]} ${kind} copies (the limit) are in flight to the DR region; the sweep starts it`);
    free.set(kind, (free.get(kind) ?? 0) - 1);
    const { outcome, limitReached, inFlight } = await attempt(candidate);
    if (limitReached && outcome.reason !== undefined) refused.set(kind, outcome.reason);
    if (!inFlight) free.set(kind, (free.get(kind) ?? 0) + 1);
    return outcome;
  });
  return settled.map((result, i) => {
    if (result.status === "fulfilled") return result.value;
    const { source, plan } = ordered[i];
    return { kind: source.kind, source: source.id, plan: plan.name, status: "failed", error: describeError(result.reason) };
  });
}
