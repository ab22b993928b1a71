// Starts copies oldest first within the room each kind has in the DR region; the rest are deferred to the sweep.
//
// Room = the limit minus the copies of ours already in flight, counted before starting. The copies of one kind are
// requested one at a time, each after AWS answered the one before, and the first refusal for the in-flight limit
// (other copies than ours count too) defers the rest of that kind: a run sends at most one refused copy call per kind.
// Kinds proceed side by side (their limits are separate), at most `concurrency` at once.
// A place is given back only when no copy can be in flight for it: a copy whose answer was lost holds its place
// whether the look-up found it or failed (then AWS may have made it), so one run never starts more than the limit.
import type { SnapshotKind } from "../catalog";
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

/** A candidate's outcome when its copy waits for a later run, with the reason. */
export function deferred(candidate: Candidate, reason: string): CopyOutcome {
  return {
    kind: candidate.source.kind,
    source: candidate.source.id,
    ...(candidate.source.arn ? { sourceArn: candidate.source.arn } : {}),
    plan: candidate.plan.name,
    status: "deferred",
    expires: isoSeconds(candidate.expires),
    reason,
  };
}

/** One kind's copies, oldest first, one request at a time until the room is used up or AWS refuses. */
async function startKind(kind: SnapshotKind, ordered: readonly Candidate[], room: Room, attempt: (candidate: Candidate) => Promise<Attempt>): Promise<CopyOutcome[]> {
  let free = Math.max(0, room.limits[kind] - (room.inFlight[kind] ?? 0));
  let refusal: string | undefined;
  const outcomes: CopyOutcome[] = [];
  for (const candidate of ordered) {
    if (refusal !== undefined) {
      outcomes.push(deferred(candidate, refusal));
      continue;
    }
    if (free <= 0) {
      outcomes.push(deferred(candidate, `${room.limits[kind]} ${kind} copies (the limit) are in flight to the DR region; the sweep starts it`));
      continue;
    }
    free -= 1;
    try {
      const { outcome, limitReached, inFlight } = await attempt(candidate);
      if (limitReached) refusal = outcome.reason ?? `the DR region refused a ${kind} copy for its limit; the sweep starts it`;
      if (!inFlight) free += 1;
      outcomes.push(outcome);
    } catch (error) {
      free += 1;
      outcomes.push({ kind, source: candidate.source.id, plan: candidate.plan.name, status: "failed", error: describeError(error) });
    }
  }
  return outcomes;
}

export async function startWithinLimits(candidates: readonly Candidate[], room: Room, concurrency: number, attempt: (candidate: Candidate) => Promise<Attempt>): Promise<CopyOutcome[]> {
  const ordered = [...candidates].sort(oldestFirst);
  const kinds = [...new Set(ordered.map((c) => c.source.kind))].sort();
  const settled = await settleWithConcurrency(kinds, concurrency, (kind) =>
    startKind(
      kind,
      ordered.filter((c) => c.source.kind === kind),
      room,
      attempt,
    ),
  );
  // startKind settles every candidate itself; a rejection here is a defect, reported as the kind's failure.
  return settled.flatMap((result, i) => {
    if (result.status === "fulfilled") return result.value;
    return ordered.filter((c) => c.source.kind === kinds[i]).map((c): CopyOutcome => ({ kind: kinds[i], source: c.source.id, plan: c.plan.name, status: "failed", error: describeError(result.reason) }));
  });
}
