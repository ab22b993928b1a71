// Calendar arithmetic on wall-clock dates (no time zone): day steps, month lengths, weekdays, ISO weeks.

/** A calendar date; `month` is 1-12. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** A wall-clock date and time to the minute, as a clock in some time zone shows it. */
export interface CivilDateTime extends CivilDate {
  hour: number;
  minute: number;
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a date: a total order and a cheap key. */
export function dayNumber(date: CivilDate): number {
  return Math.floor(Date.UTC(date.year, date.month - 1, date.day) / DAY_MS);
}

export function fromDayNumber(days: number): CivilDate {
  const d = new Date(days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function addDays(date: CivilDate, days: number): CivilDate {
  return fromDayNumber(dayNumber(date) + days);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekday(date: CivilDate): number {
  return (((dayNumber(date) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/** The Monday that starts the ISO week of a date. */
export function isoWeekStart(date: CivilDate): CivilDate {
  return addDays(date, -((weekday(date) + 6) % 7));
}

/** Adds whole months, clamping the day to the target month's length (Jan 31 + 1 month = Feb 28/29). */
export function addMonths<T extends CivilDate>(date: T, months: number): T {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return { ...date, year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

/** Same wall-clock time, `days` calendar days later (not 24-hour steps). */
export function addCivilDays<T extends CivilDate>(date: T, days: number): T {
  return { ...date, ...addDays(date, days) };
}
