// Property: nextSlot/previousSlot agree with a minute-by-minute scan of the wall clock, in zones with DST.
import { expect } from "chai";
import * as fc from "fast-check";
import { nextSlot, parseSchedule, previousSlot, type Schedule } from "../../handlers/lib/schedule";

const MINUTE = 60_000;
const ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata"];
const EXPRESSIONS = ["cron(0 0/6 * * ? *)", "cron(30 1,2 * * ? *)", "cron(15 0/2 ? * MON-FRI *)", "cron(0/20 1-3 * * ? *)", "cron(30 2 ? * SUN *)", "cron(0 23 L * ? *)"];

const formats = new Map<string, Intl.DateTimeFormat>();

/** The wall clock's fields, independently of the code under test: Intl only. */
function wallClock(ms: number, timeZone: string): Record<string, number> {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" });
    formats.set(timeZone, format);
  }
  return Object.fromEntries(format.formatToParts(new Date(ms)).filter((p) => p.type !== "literal").map((p) => [p.type, Number(p.value)]));
}

const same = (a: Record<string, number>, b: Record<string, number>) => ["year", "month", "day", "hour", "minute"].every((k) => a[k] === b[k]);

/** A minute is a slot when the cron allows its wall-clock time and no earlier instant in the last 3 hours showed the same. */
function isSlot(schedule: Schedule, ms: number, timeZone: string): boolean {
  if (schedule.kind !== "cron") throw new Error("cron only");
  const f = wallClock(ms, timeZone);
  const { cron } = schedule;
  const allowed = cron.years.has(f.year) && cron.months.has(f.month) && cron.allowsDay({ year: f.year, month: f.month, day: f.day }) && cron.hours.includes(f.hour) && cron.minutes.includes(f.minute);
  if (!allowed) return false;
  for (let back = MINUTE; back <= 180 * MINUTE; back += MINUTE) if (same(wallClock(ms - back, timeZone), f)) return false;
  return true;
}

function scan(schedule: Schedule, fromMs: number, toMs: number, timeZone: string): number[] {
  const found: number[] = [];
  for (let ms = fromMs; ms <= toMs; ms += MINUTE) if (isSlot(schedule, ms, timeZone)) found.push(ms);
  return found;
}

// Instants in 2026, biased towards the days clocks change in these zones.
const DST_DAYS = ["2026-03-08", "2026-11-01", "2026-03-29", "2026-10-25", "2026-04-05", "2026-10-04"].map((d) => Date.parse(`${d}T00:00:00Z`));
const instant = fc.oneof(
  fc.integer({ min: Date.parse("2026-01-01T00:00:00Z"), max: Date.parse("2026-12-31T00:00:00Z") }),
  fc.tuple(fc.constantFrom(...DST_DAYS), fc.integer({ min: -36 * 60, max: 36 * 60 })).map(([day, minutes]) => day + minutes * MINUTE),
).map((ms) => Math.floor(ms / MINUTE) * MINUTE);

describe("schedule slots (property, against a minute-by-minute scan)", () => {
  it("nextSlot is the first scanned slot after an instant and previousSlot the last before it", () => {
    fc.assert(
      fc.property(fc.constantFrom(...EXPRESSIONS), fc.constantFrom(...ZONES), instant, (expression, timeZone, t) => {
        const schedule = parseSchedule(expression);
        const next = nextSlot(schedule, new Date(t), timeZone);
        const prev = previousSlot(schedule, new Date(t), timeZone);
        if (next === undefined || prev === undefined) throw new Error("these schedules have slots around every 2026 instant");
        expect(scan(schedule, t + MINUTE, next.getTime(), timeZone), `slots after ${new Date(t).toISOString()}`).to.deep.equal([next.getTime()]);
        expect(scan(schedule, prev.getTime(), t - MINUTE, timeZone), `slots before ${new Date(t).toISOString()}`).to.deep.equal([prev.getTime()]);
      }),
      { numRuns: 40, seed: 20261122 },
    );
  }).timeout(30_000);
});
