// EventBridge Scheduler expressions: parse rate() and cron(), and find a schedule's slots around an instant.
//
// cron() is evaluated in the plan's IANA time zone as EventBridge Scheduler does: a wall-clock time that a
// spring-forward change skips has no slot, and one that a fall-back change repeats has one slot, the first.
// rate() has no calendar anchor (EventBridge Scheduler starts it when the schedule is created), so its slots
// are taken to lie whole intervals apart from the slot in hand: previous = slot - interval, next = slot + interval.
import { addDays, type CivilDate, type CivilDateTime } from "./civil";
import { FIRST_YEAR, LAST_YEAR, parseCron, type Cron } from "./cron";
import { MAX_RATE } from "../../policies/lib/bounds";
import { invalidScheduleError } from "./errors";
import { zone, type Zone } from "./zoned-time";

export type Schedule =
  | { kind: "rate"; expression: string; intervalMs: number }
  | { kind: "cron"; expression: string; cron: Cron };

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Parses a schedule expression; throws invalidScheduleError saying what is wrong. */
export function parseSchedule(expression: string): Schedule {
  const read = readSchedule(expression);
  if ("problem" in read) throw invalidScheduleError(expression, read.problem);
  return read;
}

/** What is wrong with a schedule expression (a cron field names itself and its range); undefined when it is valid. */
export function scheduleProblem(expression: string): string | undefined {
  const read = readSchedule(expression);
  return "problem" in read ? read.problem : undefined;
}

function readSchedule(expression: string): Schedule | { problem: string } {
  const rate = RATE.exec(expression);
  if (rate) {
    const amount = Number(rate[1]);
    const unit = rate[2];
    if (amount < 1) return { problem: "the rate must be at least 1" };
    const base = unit.replace(/s$/, "") as keyof typeof MAX_RATE;
    if (amount > MAX_RATE[base]) return { problem: `the rate must be at most ${MAX_RATE[base]} ${base}s (a year): a schedule must fire within a year` };
    // AWS wants "1 hour" but "2 hours".
    if ((amount === 1) === unit.endsWith("s")) {
      return { problem: amount === 1 ? `use the singular unit for 1 ("1 ${unit.replace(/s$/, "")}")` : `use the plural unit for ${amount} ("${unit}s")` };
    }
    return { kind: "rate", expression, intervalMs: amount * UNIT_MS[base] };
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (!cron) return { problem: "expected rate(N minutes|hours|days) or cron(minutes hours day-of-month month day-of-week year)" };
  try {
    return { kind: "cron", expression, cron: parseCron(cron[1]) };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

/** The first slot strictly after `after`, or undefined when the schedule has no later slot. */
export function nextSlot(schedule: Schedule, after: Date, timeZone: string): Date | undefined {
  if (schedule.kind === "rate") return new Date(after.getTime() + schedule.intervalMs);
  const z = zone(timeZone);
  const start = z.civil(after);
  for (let date: CivilDate | undefined = start; date; date = stepDay(schedule.cron, date, 1)) {
    if (!allowsDate(schedule.cron, date)) continue;
    for (const hour of schedule.cron.hours) {
      for (const minute of schedule.cron.minutes) {
        // Earlier wall times of the first day map to instants at or before `after`.
        if (date === start && hour * 60 + minute <= start.hour * 60 + start.minute) continue;
        const slot = slotAt(z, { ...date, hour, minute });
        if (slot && slot.getTime() > after.getTime()) return slot;
      }
    }
  }
  return undefined;
}

/** The last slot strictly before `before`, or undefined when the schedule has no earlier slot. */
export function previousSlot(schedule: Schedule, before: Date, timeZone: string): Date | undefined {
  if (schedule.kind === "rate") return new Date(before.getTime() - schedule.intervalMs);
  const z = zone(timeZone);
  const hours = [...schedule.cron.hours].reverse();
  const minutes = [...schedule.cron.minutes].reverse();
  for (let date: CivilDate | undefined = z.civil(before); date; date = stepDay(schedule.cron, date, -1)) {
    if (!allowsDate(schedule.cron, date)) continue;
    for (const hour of hours) {
      for (const minute of minutes) {
        const slot = slotAt(z, { ...date, hour, minute });
        if (slot && slot.getTime() < before.getTime()) return slot;
      }
    }
  }
  return undefined;
}

/**
 * The schedule's slot that an instant falls in: the newest slot at or before it (a manual run at 06:01 or 11:00
 * on a 6-hourly plan falls in the 06:00 slot). rate() slots lie wherever the instant is (no anchor), so the
 * instant itself; undefined when a cron schedule has no slot that early.
 */
export function slotAtOrBefore(schedule: Schedule, instant: Date, timeZone: string): Date | undefined {
  if (schedule.kind === "rate") return instant;
  return previousSlot(schedule, new Date(instant.getTime() + 1), timeZone);
}

/** A wall-clock time's slot: none in a DST gap, the first instant in an overlap. */
function slotAt(z: Zone, civil: CivilDateTime): Date | undefined {
  return z.instants(civil)[0];
}

function allowsDate(cron: Cron, date: CivilDate): boolean {
  return cron.years.has(date.year) && cron.months.has(date.month) && cron.allowsDay(date);
}

/** The next date to look at in a direction, skipping whole years and months the cron excludes. */
function stepDay(cron: Cron, date: CivilDate, direction: 1 | -1): CivilDate | undefined {
  let next: CivilDate;
  if (!cron.years.has(date.year)) {
    next = direction === 1 ? { year: date.year + 1, month: 1, day: 1 } : { year: date.year - 1, month: 12, day: 31 };
  } else if (!cron.months.has(date.month)) {
    const first = { year: date.year, month: date.month, day: 1 };
    // Forward: 31 days past the 1st is always in the next month, whose 1st we want.
    next = direction === 1 ? { ...addDays(first, 31), day: 1 } : addDays(first, -1);
  } else {
    next = addDays(date, direction);
  }
  return next.year < FIRST_YEAR || next.year > LAST_YEAR ? undefined : { year: next.year, month: next.month, day: next.day };
}
