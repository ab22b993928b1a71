// The plan bounds that need the schedule parser, as checks: the plan validator (handlers/plan.ts) calls these for
// config and both functions. The numbers themselves are in policies/lib/bounds.ts.
import { daysInMonth, dayNumber, type CivilDate } from "./civil";
import { FIRST_YEAR, LAST_YEAR, type Cron } from "./cron";
import { MAX_RETENTION_DAYS, SCHEDULE_HORIZON_DAYS } from "../../policies/lib/bounds";
import { nextSlot, type Schedule } from "./schedule";
import { zone } from "./zoned-time";

const DAY_MS = 86_400_000;

/**
 * Why `hourly` backups of this schedule would outlive the 100-year bound, or undefined. An hourly backup is kept
 * `hourly` times the schedule's interval, so the count allowed depends on the longest gap between two slots.
 */
export function hourlyProblem(hourly: number, schedule: Schedule): string | undefined {
  const gapMs = longestGapMs(schedule);
  if (hourly * gapMs <= MAX_RETENTION_DAYS * DAY_MS) return undefined;
  const allowed = Math.floor((MAX_RETENTION_DAYS * DAY_MS) / gapMs);
  return `${hourly} hourly backups of ${schedule.expression} would be kept beyond 100 years; at most ${allowed}`;
}

/** The longest time between two slots: a rate's interval; for cron, the longest gap between allowed dates plus a day. */
export function longestGapMs(schedule: Schedule): number {
  if (schedule.kind === "rate") return schedule.intervalMs;
  return (longestDateGap(schedule.cron) + 1) * DAY_MS;
}

/** Days between the furthest-apart consecutive dates the cron allows in its years (0 when it allows one date or none). */
function longestDateGap(cron: Cron): number {
  let previous: number | undefined;
  let longest = 0;
  for (let year = FIRST_YEAR; year <= LAST_YEAR; year += 1) {
    if (!cron.years.has(year)) continue;
    // Day numbers counted on from the year's first day (one dayNumber call a year: this loop runs on every config check).
    let monthStart = dayNumber({ year, month: 1, day: 1 });
    for (let month = 1; month <= 12; month += 1) {
      const days = daysInMonth(year, month);
      if (cron.months.has(month)) {
        for (let day = 1; day <= days; day += 1) {
          const date: CivilDate = { year, month, day };
          if (!cron.allowsDay(date)) continue;
          const n = monthStart + day - 1;
          if (previous !== undefined && n - previous > longest) longest = n - previous;
          previous = n;
        }
      }
      monthStart += days;
    }
  }
  return longest;
}

/**
 * Why the schedule does not fire within a year of `now` in its time zone, naming the field that prevents it, or
 * undefined when it does. Checked when the stack is previewed and by the policy pack, not by the functions (a plan
 * that passed at deploy time must not stop the function later).
 */
export function scheduleFiresProblem(schedule: Schedule, timeZone: string, now: Date): string | undefined {
  if (schedule.kind === "rate") return undefined; // at most a year apart (parseSchedule)
  const next = nextSlot(schedule, now, timeZone);
  if (next !== undefined && next.getTime() - now.getTime() <= SCHEDULE_HORIZON_DAYS * DAY_MS) return undefined;
  const fields = /^cron\((.*)\)$/.exec(schedule.expression)?.[1].split(" ") ?? [];
  const [, , dom = "", month = "", dow = "", year = ""] = fields;
  const thisYear = zone(timeZone).civil(now).year;
  const cron = schedule.cron;
  if (![...cron.years].some((y) => y >= thisYear)) return `year: "${year}" names no year from ${thisYear} on, so the schedule never fires again`;
  if (!datesExistIgnoringYear(cron)) {
    return dom === "?" ? `day-of-week: "${dow}" never falls in month "${month}", so the schedule never fires` : `day-of-month: "${dom}" never falls in month "${month}", so the schedule never fires`;
  }
  const when = next === undefined ? "never" : `not before ${next.toISOString()}`;
  const dayField = dom === "?" ? `day-of-week: "${dow}"` : `day-of-month: "${dom}"`;
  if (cron.years.has(thisYear) && cron.years.has(thisYear + 1)) return `${dayField} falls in month "${month}" only in some years, not within a year (next slot: ${when})`;
  return `year: "${year}" has no date the other fields allow within a year (next slot: ${when})`;
}

/** Whether the cron's months and day rule match any date in a 28-year span (every weekday and leap-year pattern). */
function datesExistIgnoringYear(cron: Cron): boolean {
  for (let year = 2000; year < 2028; year += 1) {
    for (const month of cron.months) {
      for (let day = 1; day <= daysInMonth(year, month); day += 1) if (cron.allowsDay({ year, month, day })) return true;
    }
  }
  return false;
}
