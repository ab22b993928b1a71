// The real longest time between two consecutive slots of a schedule in its time zone (the drill's default RPO target):
// unlike plan-bounds.ts longestGapMs (an upper bound for retention: the longest gap between dates plus a day), this
// steps through the actual slots.
//
// Decision: the slots are stepped over one year from a FIXED reference (SLOT_GAP_REFERENCE, or a cron's first slot
// after it when its year field starts later), not from now: the default target, and so the drill function's settings,
// must not change from one `pulumi preview` to the next. A year holds every month length, both DST changes and every
// weekday pattern of a year, so the result is the same for any reference unless the cron's year field restricts it.
import { addDays, type CivilDate } from "./civil";
import type { Cron } from "./cron";
import { longestGapMs } from "./plan-bounds";
import { nextSlot, type Schedule } from "./schedule";
import { zone, type Zone } from "./zoned-time";

/** Where the stepping starts: 2024-01-01T00:00Z (fixed, so the result never depends on the clock). */
export const SLOT_GAP_REFERENCE_MS = Date.UTC(2024, 0, 1);
export const SLOT_GAP_REFERENCE = new Date(SLOT_GAP_REFERENCE_MS);

const MINUTE_MS = 60_000;
/** A year and a day: every date of a year, and the gap into the first slot past it. */
const SPAN_DAYS = 367;

/**
 * The longest gap between consecutive slots of `schedule` in `timeZone`, in ms: a rate's interval; for a cron, its
 * slots (as nextSlot finds them: none in a DST gap, the first instant of an overlap) from the first slot after `from`
 * through a year. A cron with fewer than two slots from there falls back to longestGapMs. Fast even for a cron every
 * minute: a day whose wall clock runs evenly is two zone look-ups (its first and last slot); only DST days map every slot.
 */
// The default is built per call from a number: a module-scope Date captured by a Lambda callback is serialized as a
// plain object with Date's prototype ("this is not a Date object" when used; tests/infra/report-archive.spec.ts).
export function longestSlotGapMs(schedule: Schedule, timeZone: string, from: Date = new Date(SLOT_GAP_REFERENCE_MS)): number {
  if (schedule.kind === "rate") return schedule.intervalMs;
  const first = nextSlot(schedule, from, timeZone);
  if (first === undefined) return longestGapMs(schedule);
  const z = zone(timeZone);
  const cron = schedule.cron;
  const walls = cron.hours.flatMap((h) => cron.minutes.map((m) => h * 60 + m)).sort((a, b) => a - b);
  const evenGap = walls.slice(1).reduce((most, w, i) => Math.max(most, (w - walls[i]) * MINUTE_MS), 0);
  let longest = 0;
  let previous: number | undefined;
  let date: CivilDate = z.civil(first);
  for (let day = 0; day < SPAN_DAYS; day += 1, date = addDays(date, 1)) {
    if (!allowsDate(cron, date)) continue;
    const slots = slotsOf(z, date, walls, evenGap);
    if (slots.length === 0) continue;
    if (previous !== undefined) longest = Math.max(longest, slots.first - previous);
    longest = Math.max(longest, slots.within);
    previous = slots.last;
  }
  return longest === 0 ? longestGapMs(schedule) : longest;
}

interface DaySlots {
  length: number;
  first: number;
  last: number;
  /** The longest gap between two slots of the day. */
  within: number;
}

/** A date's slots: its first and last instant and the longest gap between them, every slot mapped only on a DST day. */
function slotsOf(z: Zone, date: CivilDate, walls: readonly number[], evenGap: number): DaySlots {
  const at = (wall: number) => z.instants({ ...date, hour: Math.floor(wall / 60), minute: wall % 60 })[0]?.getTime();
  const first = at(walls[0]);
  const last = at(walls[walls.length - 1]);
  if (first !== undefined && last !== undefined && last - first === (walls[walls.length - 1] - walls[0]) * MINUTE_MS) {
    return { length: walls.length, first, last, within: evenGap };
  }
  const instants = walls.map(at).filter((t): t is number => t !== undefined);
  let within = 0;
  for (let i = 1; i < instants.length; i += 1) within = Math.max(within, instants[i] - instants[i - 1]);
  return { length: instants.length, first: instants[0] ?? 0, last: instants[instants.length - 1] ?? 0, within };
}

function allowsDate(cron: Cron, date: CivilDate): boolean {
  return cron.years.has(date.year) && cron.months.has(date.month) && cron.allowsDay(date);
}
