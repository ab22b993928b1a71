// nextSlot / previousSlot: cron evaluated in the plan's time zone across DST changes, special days, rate().
import { expect } from "chai";
import { nextSlot, parseSchedule, previousSlot } from "../../handlers/lib/schedule";

const at = (iso: string) => new Date(iso);
const iso = (d: Date | undefined) => d?.toISOString().replace(".000Z", "Z");

/** The n slots after `from`. */
function slotsAfter(expression: string, timeZone: string, from: string, n: number): (string | undefined)[] {
  const schedule = parseSchedule(expression);
  const out: (string | undefined)[] = [];
  let t: Date | undefined = at(from);
  for (let i = 0; i < n && t; i += 1) {
    t = nextSlot(schedule, t, timeZone);
    out.push(iso(t));
  }
  return out;
}

const previous = (expression: string, timeZone: string, before: string) => iso(previousSlot(parseSchedule(expression), at(before), timeZone));

describe("schedule slots", () => {
  it("rate(): the neighbours of a slot are one interval away, whatever the time zone", () => {
    const schedule = parseSchedule("rate(6 hours)");
    expect(iso(nextSlot(schedule, at("2026-03-08T05:07:00Z"), "America/New_York"))).to.equal("2026-03-08T11:07:00Z");
    expect(iso(previousSlot(schedule, at("2026-03-08T05:07:00Z"), "America/New_York"))).to.equal("2026-03-07T23:07:00Z");
  });

  it("is strict: a slot's next slot is the one after it, and its previous the one before", () => {
    expect(slotsAfter("cron(0 0/6 * * ? *)", "UTC", "2026-11-22T06:00:00Z", 2)).to.deep.equal(["2026-11-22T12:00:00Z", "2026-11-22T18:00:00Z"]);
    expect(previous("cron(0 0/6 * * ? *)", "UTC", "2026-11-22T06:00:00Z")).to.equal("2026-11-22T00:00:00Z");
  });

  it("steps, ranges and lists within a day", () => {
    expect(slotsAfter("cron(5/20 9-17/4 * * ? *)", "UTC", "2026-01-05T16:50:00Z", 5)).to.deep.equal([
      "2026-01-05T17:05:00Z",
      "2026-01-05T17:25:00Z",
      "2026-01-05T17:45:00Z",
      "2026-01-06T09:05:00Z",
      "2026-01-06T09:25:00Z",
    ]);
  });

  it("skips whole months and years the expression excludes", () => {
    expect(slotsAfter("cron(0 8 ? JAN,JUL MON-FRI *)", "UTC", "2026-02-01T00:00:00Z", 1)).to.deep.equal(["2026-07-01T08:00:00Z"]);
    expect(slotsAfter("cron(0 0 1 1 ? 2030)", "UTC", "2026-06-01T00:00:00Z", 2)).to.deep.equal(["2030-01-01T00:00:00Z", undefined]);
    expect(previous("cron(0 0 1 1 ? 2030)", "UTC", "2030-01-01T00:00:00Z")).to.equal(undefined);
  });

  it("L: the last day of the month, leap years included; LW: its last weekday", () => {
    expect(slotsAfter("cron(0 23 L * ? *)", "UTC", "2028-01-31T23:00:00Z", 2)).to.deep.equal(["2028-02-29T23:00:00Z", "2028-03-31T23:00:00Z"]);
    expect(slotsAfter("cron(0 12 LW * ? *)", "UTC", "2026-05-01T00:00:00Z", 1)).to.deep.equal(["2026-05-29T12:00:00Z"]); // May 31 is a Sunday
  });

  it("nW: the nearest weekday, never leaving the month", () => {
    expect(slotsAfter("cron(0 9 1W * ? *)", "UTC", "2026-07-31T00:00:00Z", 1)).to.deep.equal(["2026-08-03T09:00:00Z"]); // Aug 1 is a Saturday
    expect(slotsAfter("cron(0 9 15W * ? *)", "UTC", "2026-11-01T00:00:00Z", 1)).to.deep.equal(["2026-11-16T09:00:00Z"]); // Nov 15 is a Sunday
    expect(slotsAfter("cron(0 9 31W * ? *)", "UTC", "2026-04-01T00:00:00Z", 1)).to.deep.equal(["2026-05-29T09:00:00Z"]); // April has no 31st; May 31 is a Sunday
  });

  it("weekday forms: 1 = SUN ... 7 = SAT, n#k, nL and L", () => {
    expect(slotsAfter("cron(0 12 ? * 2#1 *)", "UTC", "2026-01-31T00:00:00Z", 1)).to.deep.equal(["2026-02-02T12:00:00Z"]); // first Monday
    expect(slotsAfter("cron(0 12 ? * FRI#3 *)", "UTC", "2026-01-01T00:00:00Z", 1)).to.deep.equal(["2026-01-16T12:00:00Z"]);
    expect(slotsAfter("cron(0 12 ? * 6L *)", "UTC", "2026-01-01T00:00:00Z", 1)).to.deep.equal(["2026-01-30T12:00:00Z"]); // last Friday
    expect(slotsAfter("cron(0 12 ? * L *)", "UTC", "2026-01-01T00:00:00Z", 1)).to.deep.equal(["2026-01-03T12:00:00Z"]); // Saturday
    expect(slotsAfter("cron(0 12 ? * 1 *)", "UTC", "2026-01-01T00:00:00Z", 1)).to.deep.equal(["2026-01-04T12:00:00Z"]); // Sunday
  });

  describe("in America/New_York", () => {
    const tz = "America/New_York";
    it("follows local midnight and 06:00 across the spring change (EST -> EDT)", () => {
      expect(slotsAfter("cron(0 0/6 * * ? *)", tz, "2026-03-07T23:00:00Z", 3)).to.deep.equal(["2026-03-08T05:00:00Z", "2026-03-08T10:00:00Z", "2026-03-08T16:00:00Z"]);
      expect(previous("cron(0 0/6 * * ? *)", tz, "2026-03-08T10:00:00Z")).to.equal("2026-03-08T05:00:00Z");
    });
    it("has no slot at a wall time the spring change skips", () => {
      expect(slotsAfter("cron(30 2 * * ? *)", tz, "2026-03-07T12:00:00Z", 2)).to.deep.equal(["2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z"]);
      expect(previous("cron(30 2 * * ? *)", tz, "2026-03-09T06:30:00Z")).to.equal("2026-03-07T07:30:00Z");
    });
    it("has one slot, the first, at a wall time the fall change repeats", () => {
      expect(slotsAfter("cron(30 1 * * ? *)", tz, "2026-10-31T12:00:00Z", 2)).to.deep.equal(["2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"]);
      expect(slotsAfter("cron(0/15 * * * ? *)", tz, "2026-11-01T05:30:00Z", 2)).to.deep.equal(["2026-11-01T05:45:00Z", "2026-11-01T07:00:00Z"]);
      expect(previous("cron(0/15 * * * ? *)", tz, "2026-11-01T07:00:00Z")).to.equal("2026-11-01T05:45:00Z");
    });
    it("from inside the repeated hour, the previous slot is the last one before it", () => {
      expect(previous("cron(0/15 * * * ? *)", tz, "2026-11-01T06:20:00Z")).to.equal("2026-11-01T05:45:00Z");
      expect(previous("cron(30 1 * * ? *)", tz, "2026-11-01T06:40:00Z")).to.equal("2026-11-01T05:30:00Z");
    });
  });

  describe("in Europe/Berlin", () => {
    const tz = "Europe/Berlin";
    it("keeps 01:30 local across the spring change (CET -> CEST)", () => {
      expect(slotsAfter("cron(30 1 * * ? *)", tz, "2026-03-28T12:00:00Z", 3)).to.deep.equal(["2026-03-29T00:30:00Z", "2026-03-29T23:30:00Z", "2026-03-30T23:30:00Z"]);
    });
    it("skips 02:30 on the spring day and runs it once on the fall day", () => {
      expect(slotsAfter("cron(30 2 * * ? *)", tz, "2026-03-28T12:00:00Z", 1)).to.deep.equal(["2026-03-30T00:30:00Z"]);
      expect(slotsAfter("cron(30 2 * * ? *)", tz, "2026-10-24T12:00:00Z", 2)).to.deep.equal(["2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"]);
    });
  });
});
