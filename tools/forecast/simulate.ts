// The forecast's simulation: a plan's slots over a horizon, each slot's tier and expiry from the handlers' own
// schedule and retention code, and when the cleanup function would delete each recovery point.
//
// Slots are walked forward once with nextSlot, so each slot's previous and next are known and retention() is
// called with them (slotRetention would search for both again: about twice the work, measured; docs/forecast.md, Speed).
import type { Tier } from "../../handlers/catalog";
import { retention } from "../../handlers/lib/retention";
import type { Plan, ResourceKind, TierCounts } from "../../handlers/plan";
import { nextSlot, parseSchedule, type Schedule } from "../../handlers/lib/schedule";

export const DAY_MS = 86_400_000;

/** What the forecast needs of a plan: the plan contract's normalised plan (its resources only read). */
export type ForecastPlan = Omit<Plan, "resources"> & { resources: readonly ResourceKind[] };

/** When cleanup runs and how old a snapshot must be before it may go (backup-dr:cleanup). */
export interface CleanupModel {
  schedule: string;
  timezone: string;
  minAgeDays: number;
}

/** One recovery point of one source in one region. */
export interface Point {
  slot: number;
  tier: Tier;
  expires: number;
  /** The first cleanup run that deletes it; Infinity when none within the horizon does. */
  deletedAt: number;
}

export interface Slot {
  slot: Date;
  previous?: Date;
  next?: Date;
}

/** Every slot of a schedule in [start, end), with its neighbours. */
export function slotsBetween(schedule: Schedule, timeZone: string, start: Date, end: Date): Slot[] {
  const slots: Slot[] = [];
  let previous: Date | undefined;
  let slot = nextSlot(schedule, new Date(start.getTime() - 1), timeZone);
  while (slot !== undefined && slot.getTime() < end.getTime()) {
    const next = nextSlot(schedule, slot, timeZone);
    slots.push({ slot, ...(previous ? { previous } : {}), ...(next ? { next } : {}) });
    previous = slot;
    slot = next;
  }
  return slots;
}

/** The cleanup runs in [start, end), as instants in milliseconds. */
export function cleanupRuns(model: CleanupModel, start: Date, end: Date): number[] {
  return slotsBetween(parseSchedule(model.schedule), model.timezone, start, end).map((s) => s.slot.getTime());
}

/** The first run at or after `t` (binary search), or Infinity. */
function firstRunFrom(runs: readonly number[], t: number): number {
  let lo = 0;
  let hi = runs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (runs[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo < runs.length ? runs[lo] : Infinity;
}

/**
 * The points a region holds of one source: a point is deleted by the first cleanup run after its expiry (cleanup
 * deletes only what expired before `now`), once it is minAgeDays old, and once a newer point exists (cleanup never
 * deletes a source's newest backup).
 */
export function regionPoints(slots: readonly Slot[], timeZone: string, keep: TierCounts, runs: readonly number[], minAgeDays: number, copiesOnly: boolean): Point[] {
  const made: Omit<Point, "deletedAt">[] = [];
  for (const s of slots) {
    const r = retention({ slot: s.slot, previous: s.previous, next: s.next, timeZone, keep });
    // The copy function copies a backup only when a DR tier keeps it (handlers/copy/classify.ts).
    if (copiesOnly && keep[r.tier] === 0) continue;
    made.push({ slot: s.slot.getTime(), tier: r.tier, expires: r.expires.getTime() });
  }
  return made.map((p, i) => {
    const newer = i + 1 < made.length ? made[i + 1].slot : Infinity;
    const from = Math.max(p.expires + 1, p.slot + minAgeDays * DAY_MS, newer);
    return { ...p, deletedAt: from === Infinity ? Infinity : firstRunFrom(runs, from) };
  });
}

/** The longest a keep setting can hold a point, in milliseconds (a month is 31 days, a year 366). */
export function longestRetentionMs(keep: TierCounts, intervalMs: number): number {
  return Math.max(keep.hourly * intervalMs, keep.daily * DAY_MS, keep.weekly * 7 * DAY_MS, keep.monthly * 31 * DAY_MS, keep.yearly * 366 * DAY_MS);
}
