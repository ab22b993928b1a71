// Retention: the tier a slot starts (in the plan's zone), tier fallback, and expiry by calendar arithmetic.
import { expect } from "chai";
import { addPeriods, retention, slotRetention, slotTier } from "../../handlers/lib/retention";
import type { TierCounts } from "../../handlers/plan";
import { parseSchedule } from "../../handlers/lib/schedule";
import { zone } from "../../handlers/lib/zoned-time";

const at = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString().replace(".000Z", "Z");
const keep = (k: Partial<TierCounts>): TierCounts => ({ hourly: 0, daily: 0, weekly: 0, monthly: 0, yearly: 0, ...k });

const GOLD = { schedule: parseSchedule("cron(0 0/6 * * ? *)"), timeZone: "America/New_York", keep: keep({ hourly: 8, daily: 14, weekly: 8, monthly: 12, yearly: 7 }) };
const SILVER = { schedule: parseSchedule("cron(30 1 * * ? *)"), timeZone: "Europe/Berlin", keep: keep({ daily: 7, weekly: 4, monthly: 6 }) };

function of(plan: typeof GOLD, slot: string, k: TierCounts = plan.keep): [string, string] {
  const r = slotRetention(plan.schedule, at(slot), plan.timeZone, k);
  return [r.tier, iso(r.expires)];
}

describe("retention", () => {
  describe("gold: every 6 hours in New York, full GFS", () => {
    const cases: [string, string, string, string][] = [
      ["first slot of 2027 (Fri 00:00 EST)", "2027-01-01T05:00:00Z", "yearly", "2034-01-01T05:00:00Z"],
      ["first slot of November (Sun 00:00 EDT, the day clocks fall back)", "2026-11-01T04:00:00Z", "monthly", "2027-11-01T04:00:00Z"],
      ["first slot of an ISO week (Mon 00:00 EST)", "2026-11-02T05:00:00Z", "weekly", "2026-12-28T05:00:00Z"],
      ["first slot of a day (Tue 00:00 EST)", "2026-11-03T05:00:00Z", "daily", "2026-11-17T05:00:00Z"],
      ["a later slot of the day: 8 x 6 hours", "2026-11-03T11:00:00Z", "hourly", "2026-11-05T11:00:00Z"],
      ["a day slot whose 14 days cross the spring change: 00:00 EDT", "2026-03-03T05:00:00Z", "daily", "2026-03-17T04:00:00Z"],
      ["06:00 on the fall-back day: 7 hours after 00:00, so 8 x 7 hours", "2026-11-01T11:00:00Z", "hourly", "2026-11-03T19:00:00Z"],
      ["00:00 local is still 05:00Z in UTC terms but a new local day", "2026-12-31T05:00:00Z", "daily", "2027-01-14T05:00:00Z"],
    ];
    for (const [what, slot, tier, expires] of cases) {
      it(`${what}: ${tier}, expires ${expires}`, () => expect(of(GOLD, slot)).to.deep.equal([tier, expires]));
    }
  });

  describe("silver: daily 01:30 in Berlin, no yearly or hourly tier", () => {
    it("the year's first slot falls back from yearly (kept 0) to monthly: 6 months, into CEST", () => {
      expect(of(SILVER, "2027-01-01T00:30:00Z")).to.deep.equal(["monthly", "2027-06-30T23:30:00Z"]);
    });
    it("a Monday is weekly: 4 weeks across the spring change, still 01:30 local", () => {
      expect(of(SILVER, "2026-03-23T00:30:00Z")).to.deep.equal(["weekly", "2026-04-19T23:30:00Z"]);
    });
    it("any other day is daily: 7 days", () => {
      expect(of(SILVER, "2026-03-24T00:30:00Z")).to.deep.equal(["daily", "2026-03-30T23:30:00Z"]);
    });
    it("a month's first slot on a Wednesday is monthly, not weekly", () => {
      expect(of(SILVER, "2026-03-31T23:30:00Z")).to.deep.equal(["monthly", "2026-09-30T23:30:00Z"]);
    });
  });

  describe("fallback and limits", () => {
    it("a tier kept 0 times falls back to the next shorter kept tier (monthly -> weekly), even on a Wednesday", () => {
      expect(of(SILVER, "2026-03-31T23:30:00Z", keep({ daily: 7, weekly: 4 }))).to.deep.equal(["weekly", "2026-04-28T23:30:00Z"]);
    });
    it("a backup no tier keeps still gets an expiry: the next slot", () => {
      expect(of(SILVER, "2026-03-24T00:30:00Z", keep({ yearly: 3 }))).to.deep.equal(["daily", "2026-03-25T00:30:00Z"]);
      expect(of(GOLD, "2026-11-03T11:00:00Z", keep({ daily: 14 }))).to.deep.equal(["hourly", "2026-11-03T17:00:00Z"]);
    });
    it("a longer tier kept briefly never shortens what a shorter tier keeps", () => {
      expect(of(SILVER, "2026-03-31T23:30:00Z", keep({ daily: 400, monthly: 1 }))).to.deep.equal(["monthly", "2027-05-05T23:30:00Z"]);
    });
    it("the first slot a schedule ever has is yearly", () => {
      expect(slotTier(at("2026-05-05T10:00:00Z"), undefined, "UTC")).to.equal("yearly");
      expect(retention({ slot: at("2026-05-05T10:00:00Z"), timeZone: "UTC", keep: keep({ hourly: 2 }) }).expires.toISOString()).to.equal("2026-05-07T10:00:00.000Z");
    });
    it("ISO weeks start on Monday: Sunday -> Monday is a new week, Saturday -> Sunday is not", () => {
      expect(slotTier(at("2026-11-09T12:00:00Z"), at("2026-11-08T12:00:00Z"), "UTC")).to.equal("weekly");
      expect(slotTier(at("2026-11-08T12:00:00Z"), at("2026-11-07T12:00:00Z"), "UTC")).to.equal("daily");
    });
  });

  describe("addPeriods", () => {
    const z = zone("America/New_York");
    it("clamps months to their length: Jan 31 + 1 month = Feb 28, + 13 months = Feb 29 of a leap year", () => {
      expect(iso(addPeriods(at("2027-01-31T17:00:00Z"), "monthly", 1, z, 0))).to.equal("2027-02-28T17:00:00Z");
      expect(iso(addPeriods(at("2027-01-31T17:00:00Z"), "monthly", 13, z, 0))).to.equal("2028-02-29T17:00:00Z");
      expect(iso(addPeriods(at("2028-02-29T17:00:00Z"), "yearly", 1, z, 0))).to.equal("2029-02-28T17:00:00Z");
    });
    it("keeps the wall-clock time across DST; a time the change skips moves forward an hour", () => {
      expect(iso(addPeriods(at("2026-03-01T07:30:00Z"), "weekly", 1, z, 0))).to.equal("2026-03-08T07:30:00Z"); // 02:30 EST -> 03:30 EDT
      expect(iso(addPeriods(at("2026-10-25T05:30:00Z"), "weekly", 1, z, 0))).to.equal("2026-11-01T05:30:00Z"); // 01:30 EDT, the first of two
    });
  });
});
