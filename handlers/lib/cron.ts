// AWS six-field cron: cron(minutes hours day-of-month month day-of-week year), parsed into what each field allows.
import { daysInMonth, weekday, type CivilDate } from "./civil";
import { parseValue, parseValues, type FieldRange } from "./cron-fields";

export interface Cron {
  minutes: readonly number[];
  hours: readonly number[];
  months: ReadonlySet<number>;
  years: ReadonlySet<number>;
  /** Whether the day-of-month or day-of-week rule (exactly one is set) allows a date. */
  allowsDay(date: CivilDate): boolean;
}

export const FIRST_YEAR = 1970;
export const LAST_YEAR = 2199;

const MINUTES: FieldRange = { name: "minutes", min: 0, max: 59 };
const HOURS: FieldRange = { name: "hours", min: 0, max: 23 };
const DAY_OF_MONTH: FieldRange = { name: "day-of-month", min: 1, max: 31 };
const MONTH: FieldRange = { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] };
// AWS numbers weekdays 1 = SUN ... 7 = SAT.
const DAY_OF_WEEK: FieldRange = { name: "day-of-week", min: 1, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] };
const YEAR: FieldRange = { name: "year", min: FIRST_YEAR, max: LAST_YEAR };

type DayRule = (date: CivilDate) => boolean;

/** Parses the text between `cron(` and `)`; throws an Error whose message names the bad field. */
export function parseCron(text: string): Cron {
  const fields = text.split(" ");
  if (fields.length !== 6 || fields.some((f) => f === "")) {
    throw new Error(`expected six fields separated by single spaces (minutes hours day-of-month month day-of-week year), got ${fields.length}`);
  }
  const [minutes, hours, dom, month, dow, year] = fields;
  if ((dom === "?") === (dow === "?")) {
    throw new Error("exactly one of day-of-month and day-of-week must be '?'");
  }
  for (const [field, range] of [[minutes, MINUTES], [hours, HOURS], [month, MONTH], [year, YEAR]] as const) {
    if (field === "?") throw new Error(`${range.name}: '?' is only allowed in day-of-month and day-of-week`);
  }
  const dayRule = dom === "?" ? dayOfWeekRule(dow) : dayOfMonthRule(dom);
  return {
    minutes: parseValues(minutes, MINUTES),
    hours: parseValues(hours, HOURS),
    months: new Set(parseValues(month, MONTH)),
    years: new Set(parseValues(year, YEAR)),
    allowsDay: dayRule,
  };
}

function dayOfMonthRule(field: string): DayRule {
  if (field === "L") return (d) => d.day === daysInMonth(d.year, d.month);
  if (field === "LW") return (d) => d.day === nearestWeekday(d.year, d.month, daysInMonth(d.year, d.month));
  const weekdayOf = /^(\d+)W$/.exec(field);
  if (weekdayOf) {
    const target = parseValue(weekdayOf[1], DAY_OF_MONTH);
    // A month shorter than the target day has no such weekday.
    return (d) => target <= daysInMonth(d.year, d.month) && d.day === nearestWeekday(d.year, d.month, target);
  }
  if (/[LW#]/.test(field)) throw new Error(`day-of-month: "${field}" combines L or W with other values; use L, LW or nW alone`);
  const days = new Set(parseValues(field, DAY_OF_MONTH));
  return (d) => days.has(d.day);
}

/** The weekday (Mon-Fri) nearest to a day of the month, never leaving the month. */
function nearestWeekday(year: number, month: number, day: number): number {
  const last = daysInMonth(year, month);
  const wd = weekday({ year, month, day });
  if (wd === 6) return day === 1 ? day + 2 : day - 1;
  if (wd === 0) return day === last ? day - 2 : day + 1;
  return day;
}

function dayOfWeekRule(field: string): DayRule {
  const nth = /^([^#]+)#(\d+)$/.exec(field);
  if (nth) {
    const wd = parseValue(nth[1], DAY_OF_WEEK) - 1;
    const n = Number(nth[2]);
    if (n < 1 || n > 5) throw new Error(`day-of-week: "${field}" must name the 1st to 5th weekday of the month`);
    return (d) => weekday(d) === wd && Math.ceil(d.day / 7) === n;
  }
  // "L" alone is the last day of the week (SAT); "5L" is the last Thursday of the month.
  if (field === "L") return (d) => weekday(d) === 6;
  const last = /^([^L]+)L$/.exec(field);
  if (last) {
    const wd = parseValue(last[1], DAY_OF_WEEK) - 1;
    return (d) => weekday(d) === wd && d.day + 7 > daysInMonth(d.year, d.month);
  }
  if (/[LW#]/.test(field)) throw new Error(`day-of-week: "${field}" combines L or # with other values; use L, nL or n#k alone`);
  const days = new Set(parseValues(field, DAY_OF_WEEK).map((v) => v - 1));
  return (d) => days.has(weekday(d));
}
