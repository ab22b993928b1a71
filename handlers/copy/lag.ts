// The DR lag a sweep publishes (OldestUncopiedAgeSeconds, alarmed at copy.lagAlarmMinutes): per plan, how long the
// oldest completed backup without an available DR copy has been waiting for one, counted from when a copy could
// first start, so that a healthy first (full) copy of a large volume does not page on day one.
//
// - No copy, or a failed one: counted from when the backup completed (its completion time; kinds that report none,
//   their creation time), not from when it was started: a large volume's first snapshot takes
//   hours itself, and no copy can start before it completes.
// - A copy in flight is progressing, not lagging, for IN_FLIGHT_GRACE_MS after it started; a copy still in flight
//   after that counts like no copy (from the backup's completion), so a stuck copy does page.
import { takenTime } from "../taken";
import type { Candidate, SnapshotRecord } from "./types";

/** A copy in flight longer than this (the first full copy of a very large volume can take many hours) counts as lag. */
export const IN_FLIGHT_GRACE_MS = 24 * 3_600_000;

/** When a copy of the backup could first start: its completion time, else when it was taken, else its slot. */
export function copyCouldStart(candidate: Candidate): Date {
  return candidate.source.completed ?? takenTime(candidate.source)?.at ?? candidate.slot;
}

/** Seconds each plan's oldest waiting backup has waited (0 when none waits), given each backup's live DR copy. */
export function drLagSeconds(plans: readonly string[], candidates: readonly Candidate[], liveCopy: (candidate: Candidate) => SnapshotRecord | undefined, now: Date): Record<string, number> {
  const ages: Record<string, number> = Object.fromEntries(plans.map((p) => [p, 0]));
  for (const candidate of candidates) {
    const copy = liveCopy(candidate);
    if (copy?.state === "ready") continue;
    const progressing = copy?.state === "in-progress" && copy.created !== undefined && now.getTime() - copy.created.getTime() < IN_FLIGHT_GRACE_MS;
    if (progressing) continue;
    const age = Math.max(0, Math.floor((now.getTime() - copyCouldStart(candidate).getTime()) / 1000));
    ages[candidate.plan.name] = Math.max(ages[candidate.plan.name] ?? 0, age);
  }
  return ages;
}
