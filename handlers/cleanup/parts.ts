// A cleanup run over several invocations (handlers/lib/cursor.ts): what an unfinished invocation writes as its part,
// and how the last one merges every part's snapshots and regions into the run's one manifest.
import type { PartHeader } from "../lib/run-parts";
import { isPartOf, mergeOutcomes } from "../lib/run-parts";
import { countOutcomes, deadlineDeferred, type RegionReport } from "./report";
import type { SnapshotOutcome } from "./types";

/**
 * What an unfinished cleanup invocation writes: the rules' clock, its regions as it found them (with its counts), and
 * the outcomes of what it changed or tried to (deleted, failed, would-delete; partChanges). Kept and deferred
 * snapshots are still there for the finishing invocation to list and decide again, so its own outcomes cover them:
 * a part stays small however many snapshots the regions hold.
 */
export interface CleanupPart extends PartHeader {
  function: "cleanup";
  decidedAt: string;
  regions: RegionReport[];
  snapshots: SnapshotOutcome[];
}

/** The outcomes a part keeps: what the invocation changed or tried to, never what it kept or left for later. */
export function partChanges(outcomes: readonly SnapshotOutcome[]): SnapshotOutcome[] {
  return outcomes.filter((o) => o.status !== "kept" && o.status !== "deferred");
}

/** A part read back, when it is one of this run's. */
export function acceptCleanupPart(runId: string): (value: Record<string, unknown>) => CleanupPart | undefined {
  return (value) => (isPartOf(value, "cleanup", runId, "snapshots") && Array.isArray(value.regions) && typeof value.decidedAt === "string" ? (value as unknown as CleanupPart) : undefined);
}

/** Snapshots of every invocation, in order: a later invocation's outcome for a snapshot replaces an earlier one's. */
export function mergeSnapshots(invocations: readonly (readonly SnapshotOutcome[])[]): SnapshotOutcome[] {
  return mergeOutcomes(invocations, (o) => `${o.region}\u0000${o.kind}\u0000${o.id}`).sort((a, b) => a.region.localeCompare(b.region) || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id));
}

/**
 * The run's regions: as its first invocation found them (backups, candidates, short sets, manual snapshots), with a
 * mass-deletion stop of any invocation, every invocation's listing failures, and counts of the merged outcomes (a
 * failure more for a mass-deletion stop and for deletions the deadline left).
 */
export function mergeRegions(invocations: readonly (readonly RegionReport[])[], snapshots: readonly SnapshotOutcome[]): RegionReport[] {
  const [first = []] = invocations;
  return first.map((region) => {
    const same = invocations.flatMap((regions) => regions.filter((r) => r.region === region.region));
    const massDeletionStop = same.some((r) => r.massDeletionStop);
    const listingFailures = mergeOutcomes(
      same.map((r) => r.listingFailures),
      (f) => `${f.listing}\u0000${f.error.name}\u0000${f.error.message}`,
    );
    const mine = snapshots.filter((o) => o.region === region.region);
    const extra = listingFailures.length + (massDeletionStop ? 1 : 0) + (deadlineDeferred(mine).length > 0 ? 1 : 0);
    return { ...region, massDeletionStop, listingFailures, counts: countOutcomes(mine, extra) };
  });
}
