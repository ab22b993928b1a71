// Grandfather-father-son retention: the tier a slot starts, and when its backup expires.
import { TIERS, type Tier } from "../catalog";
import type { TierCounts } from "../plan";
import { addCivilDays, addMonths, dayNumber, isoWeekStart, type CivilDateTime } from "./civil";
import { nextSlot, previousSlot, slotAtOrBefore, type Schedule } from "./schedule";
import { zone, type Zone } from "./zoned-time";

export interface Retention {
  /** The longest kept tier the slot qualifies for; the slot's own tier when no tier keeps it. */
  tier: Tier;
  expires: Date;
}

export interface SlotContext {
  slot: Date;
  /** The schedule's slot before this one (undefined: this is the first). */
  previous?: Date;
  /** The schedule's slot after this one (undefined: there is none). */
  next?: Date;
  timeZone: string;
  keep: TierCounts;
}

const CALENDAR_TIERS = ["yearly", "monthly", "weekly", "daily"] as const; // longest first
const DAY_MS = 86_400_000;

function periodKey(tier: (typeof CALENDAR_TIERS)[number], c: CivilDateTime): number {
  switch (tier) {
    case "yearly":
      return c.year;
    case "monthly":
      return c.year * 12 + c.month;
    case "weekly":
      return dayNumber(isoWeekStart(c)); // ISO weeks start on Monday
    case "daily":
      return dayNumber(c);
  }
}

/** The tiers whose period (in the zone) this slot is the first slot of, i.e. the previous slot lies in another; always hourly. */
export function startedTiers(slot: Date, previous: Date | undefined, timeZone: string): Set<Tier> {
  if (previous === undefined) return new Set(TIERS);
  const z = zone(timeZone);
  const now = z.civil(slot);
  const before = z.civil(previous);
  return new Set<Tier>(["hourly", ...CALENDAR_TIERS.filter((tier) => periodKey(tier, now) !== periodKey(tier, before))]);
}

/** The longest tier a slot starts: yearly, monthly, weekly (ISO week), daily, else hourly. */
export function slotTier(slot: Date, previous: Date | undefined, timeZone: string): Tier {
  const started = startedTiers(slot, previous, timeZone);
  return [...TIERS].reverse().find((tier) => started.has(tier)) ?? "hourly";
}

/** `slot` plus `count` periods of a tier, by the calendar in the zone; an hourly period is the schedule's interval. */
export function addPeriods(slot: Date, tier: Tier, count: number, z: Zone, intervalMs: number): Date {
  if (tier === "hourly") return new Date(slot.getTime() + count * intervalMs);
  const c = z.civil(slot);
  switch (tier) {
    case "daily":
      return z.instant(addCivilDays(c, count));
    case "weekly":
      return z.instant(addCivilDays(c, 7 * count));
    case "monthly":
      return z.instant(addMonths(c, count));
    case "yearly":
      return z.instant(addMonths(c, 12 * count));
  }
}

/**
 * Tier and expiry of a slot's backup. The tier is the longest tier the slot starts, or when that one is kept 0
 * times the next shorter tier that is kept; the backup expires `keep[tier]` periods of that tier after the slot.
 * Any other tier the slot also starts (a monthly slot is also the day's first) may only lengthen that, so a
 * short-kept longer tier never cuts a long-kept shorter one ("when in doubt, keep"). A backup no tier keeps
 * expires at the next slot.
 */
export function retention({ slot, previous, next, timeZone, keep }: SlotContext): Retention {
  const started = startedTiers(slot, previous, timeZone);
  const own = [...TIERS].reverse().find((tier) => started.has(tier)) ?? "hourly";
  const tier = TIERS.slice(0, TIERS.indexOf(own) + 1)
    .reverse()
    .find((t) => keep[t] > 0);
  const interval = intervalOf(slot, previous, next);
  if (tier === undefined) return { tier: own, expires: next ?? new Date(slot.getTime() + interval) };
  const z = zone(timeZone);
  const kept = [tier, ...[...started].filter((t) => keep[t] > 0)];
  const expiries = kept.map((t) => addPeriods(slot, t, keep[t], z, interval).getTime());
  return { tier, expires: new Date(Math.max(...expiries)) };
}

/**
 * Retention of a backup taken for `time` under a schedule: that of the scheduled slot the time falls in (the
 * newest at or before it), with that slot's neighbours. A manual run off the schedule (06:01, or 11:00 on a
 * 6-hourly plan) so gets the tier and expiry of its scheduled slot, `hourly` counting the schedule's interval,
 * not the minutes since the previous slot. Backup and DR copy both call this, so they agree.
 */
export function slotRetention(schedule: Schedule, time: Date, timeZone: string, keep: TierCounts): Retention {
  const slot = slotAtOrBefore(schedule, time, timeZone) ?? time;
  const previous = previousSlot(schedule, slot, timeZone);
  const next = nextSlot(schedule, slot, timeZone);
  return retention({ slot, previous, next, timeZone, keep });
}

/** The schedule's interval at this slot: back to the previous slot, else on to the next, else a day. */
function intervalOf(slot: Date, previous: Date | undefined, next: Date | undefined): number {
  if (previous !== undefined) return slot.getTime() - previous.getTime();
  if (next !== undefined) return next.getTime() - slot.getTime();
  return DAY_MS;
}
