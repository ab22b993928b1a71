// What a region's points mean to a person: how many are kept (after each cleanup run, at steady state), the most
// that exist at once (between cleanup runs), how far back a restore can go, and the worst gap at each age.
import { TIERS, type Tier } from "../../handlers/catalog";
import { DAY_MS, type Point } from "./simulate";

export type TierCounts = Record<Tier, number>;

/** Ages at which the worst gap between points is reported (a month is 30 days, a year 365). */
export const AGES = [
  { label: "1d", ms: DAY_MS },
  { label: "1w", ms: 7 * DAY_MS },
  { label: "1m", ms: 30 * DAY_MS },
  { label: "1y", ms: 365 * DAY_MS },
] as const;

export interface Measures {
  /** Points per source left by each cleanup run in the steady-state window: fewest and most. */
  kept: { min: number; max: number };
  /** By tier, at the window's last cleanup run. */
  keptByTier: TierCounts;
  /** The most points per source that exist at once over the whole horizon (just after a backup, before cleanup). */
  peak: number;
  peakByTier: TierCounts;
  /** Age of the oldest point after each cleanup run in the window, in days: the least is how far back a restore can always go. */
  oldestDays: { min: number; max: number };
  /** Worst gap (hours) between the points around each age, over the window; null: no point that old. */
  worstGapHours: Record<(typeof AGES)[number]["label"], number | null>;
  /** Calls per day in the window per source: backups made (or copies), points deleted. */
  madePerDay: number;
  deletedPerDay: number;
  /** The most points per source one cleanup run deletes over the horizon. */
  deletedPerRunMax: number;
}

const zero = (): TierCounts => ({ hourly: 0, daily: 0, weekly: 0, monthly: 0, yearly: 0 });

/** Points held at instant t (made at or before, not yet deleted). */
export function heldAt(points: readonly Point[], t: number): Point[] {
  return points.filter((p) => p.slot <= t && p.deletedAt > t);
}

/** The peak number of points existing at once; at equal instants cleanup runs before the backup. */
function peakOf(points: readonly Point[], countOf: (p: Point) => boolean): number {
  const events: [number, number][] = [];
  for (const p of points) {
    if (!countOf(p)) continue;
    events.push([p.slot, 1]);
    if (p.deletedAt !== Infinity) events.push([p.deletedAt, -1]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let peak = 0;
  for (const [, delta] of events) {
    now += delta;
    peak = Math.max(peak, now);
  }
  return peak;
}

/** Measures of a region's points; `runs` are the cleanup runs of the steady-state window [windowStart, end). */
export function measure(points: readonly Point[], runs: readonly number[], windowStart: number, end: number): Measures {
  const inWindow = runs.filter((r) => r >= windowStart && r < end);
  const kept = { min: Infinity, max: 0 };
  const oldest = { min: Infinity, max: 0 };
  const worst: Record<string, number | null> = Object.fromEntries(AGES.map((a) => [a.label, 0]));
  let keptByTier = zero();
  // Only points still held when the window opens, or made in it, can be held at a run in it.
  const live = points.filter((p) => p.deletedAt > windowStart && p.slot < end);
  for (const run of inWindow) {
    const held = heldAt(live, run);
    kept.min = Math.min(kept.min, held.length);
    kept.max = Math.max(kept.max, held.length);
    keptByTier = zero();
    for (const p of held) keptByTier[p.tier] += 1;
    if (held.length === 0) continue;
    const age = (run - held[0].slot) / DAY_MS;
    oldest.min = Math.min(oldest.min, age);
    oldest.max = Math.max(oldest.max, age);
    for (const { label, ms } of AGES) {
      const target = run - ms;
      if (worst[label] === null) continue;
      if (target < held[0].slot) {
        worst[label] = null;
        continue;
      }
      // The newest point at or before the target, and the one after it (or now).
      let j = held.length - 1;
      while (held[j].slot > target) j -= 1;
      const after = j + 1 < held.length ? held[j + 1].slot : run;
      worst[label] = Math.max(worst[label] ?? 0, (after - held[j].slot) / 3_600_000);
    }
  }
  const windowDays = (end - windowStart) / DAY_MS;
  const peakByTier = zero();
  for (const tier of TIERS) peakByTier[tier] = peakOf(points, (p) => p.tier === tier);
  return {
    kept: { min: kept.min === Infinity ? 0 : kept.min, max: kept.max },
    keptByTier,
    peak: peakOf(points, () => true),
    peakByTier,
    oldestDays: { min: oldest.min === Infinity ? 0 : round(oldest.min), max: round(oldest.max) },
    worstGapHours: Object.fromEntries(AGES.map((a) => [a.label, worst[a.label] === null ? null : round(worst[a.label] ?? 0)])) as Measures["worstGapHours"],
    madePerDay: round(points.filter((p) => p.slot >= windowStart && p.slot < end).length / windowDays),
    deletedPerDay: round(points.filter((p) => p.deletedAt >= windowStart && p.deletedAt < end).length / windowDays),
    deletedPerRunMax: mostAtOnce(points.map((p) => p.deletedAt).filter((t) => t !== Infinity)),
  };
}

function mostAtOnce(times: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const t of times) counts.set(t, (counts.get(t) ?? 0) + 1);
  return Math.max(0, ...counts.values());
}

export const round = (n: number, places = 2) => Math.round(n * 10 ** places) / 10 ** places;
