// parseSchedule: the rate() and cron() forms EventBridge Scheduler accepts, and a named error for the rest.
import { expect } from "chai";
import { parseSchedule } from "../../handlers/lib/schedule";

function rejection(expression: string): Error {
  try {
    parseSchedule(expression);
  } catch (error) {
    if (error instanceof Error) return error;
  }
  throw new Error(`expected ${expression} to be rejected`);
}

describe("parseSchedule", () => {
  it("reads rate() intervals in minutes, hours and days", () => {
    expect(parseSchedule("rate(15 minutes)")).to.include({ kind: "rate", intervalMs: 15 * 60_000 });
    expect(parseSchedule("rate(1 hour)")).to.include({ kind: "rate", intervalMs: 3_600_000 });
    expect(parseSchedule("rate(6 hours)")).to.include({ kind: "rate", intervalMs: 6 * 3_600_000 });
    expect(parseSchedule("rate(1 day)")).to.include({ kind: "rate", intervalMs: 86_400_000 });
  });

  it("reads cron() fields: lists, ranges, steps, month and weekday names", () => {
    const schedule = parseSchedule("cron(5/20 9-17/4 ? JAN,jul MON-FRI 2026-2028)");
    if (schedule.kind !== "cron") throw new Error("expected a cron schedule");
    expect(schedule.cron.minutes).to.deep.equal([5, 25, 45]);
    expect(schedule.cron.hours).to.deep.equal([9, 13, 17]);
    expect([...schedule.cron.months]).to.deep.equal([1, 7]);
    expect([...schedule.cron.years]).to.deep.equal([2026, 2027, 2028]);
    expect(schedule.cron.allowsDay({ year: 2026, month: 7, day: 3 })).to.be.true; // Friday
    expect(schedule.cron.allowsDay({ year: 2026, month: 7, day: 4 })).to.be.false; // Saturday
  });

  it("accepts every special day form AWS documents: L, LW, nW, nL, n#k", () => {
    for (const expression of ["cron(0 0 L * ? *)", "cron(0 0 LW * ? *)", "cron(0 0 15W * ? *)", "cron(0 0 ? * L *)", "cron(0 0 ? * 6L *)", "cron(0 0 ? * MON#2 *)"]) {
      expect(parseSchedule(expression).kind, expression).to.equal("cron");
    }
  });

  const invalid: [string, string][] = [
    ["every day", "expected rate("],
    ["rate(0 minutes)", "at least 1"],
    ["rate(1 hours)", "singular"],
    ["rate(5 minute)", "plural"],
    ["rate(2 weeks)", "expected rate("],
    ["cron(0 12 * * ?)", "six fields"],
    ["cron(0  12 * * ? *)", "six fields"],
    ["cron(0 12 * * * *)", "exactly one of day-of-month and day-of-week"],
    ["cron(0 12 ? * ? *)", "exactly one of day-of-month and day-of-week"],
    ["cron(60 * * * ? *)", "minutes must be 0-59, not 60"],
    ["cron(0 24 * * ? *)", "hours must be 0-23, not 24"],
    ["cron(0 0 32 * ? *)", "day-of-month must be 1-31, not 32"],
    ["cron(0 0 ? 13 MON *)", "month must be 1-12 or JAN-DEC, not 13"],
    ["cron(0 0 ? * 8 *)", "day-of-week must be 1-7 or SUN-SAT, not 8"],
    ["cron(0 0 ? * FRI-MON *)", "day-of-week: range \"FRI-MON\" runs backwards"],
    ["cron(0 0 1 * ? 1969)", "year must be 1970-2199, not 1969"],
    ["cron(0/0 * * * ? *)", "minutes: step"],
    ["cron(? 0 1 * ? *)", "minutes: '?' is only allowed"],
    ["cron(0 0 1W,15 * ? *)", "use L, LW or nW alone"],
    ["cron(0 0 ? * 3#1,6#3 *)", "use L, nL or n#k alone"],
    ["cron(0 0 ? * 3#6 *)", "1st to 5th"],
    ["cron(0 0 ? BAR * *)", "month must be 1-12 or JAN-DEC, not \"BAR\""],
  ];
  for (const [expression, says] of invalid) {
    it(`rejects ${expression} with invalidScheduleError saying ${JSON.stringify(says)}`, () => {
      const error = rejection(expression);
      expect(error.name).to.equal("InvalidScheduleError");
      expect(error.message).to.include(expression).and.to.include(says);
    });
  }
});
