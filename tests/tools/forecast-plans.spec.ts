// The forecast's counts for small plans, computed by hand; DST in a non-UTC zone; the simulation's speed.
import { expect } from "chai";
import { heldAt } from "../../tools/forecast/measure";
import { DAY_MS } from "../../tools/forecast/simulate";
import { forecastOf, keep, plan } from "./forecast-helpers";

const HOUR = 3_600_000;
const region = (f: ReturnType<typeof forecastOf>, role: "primary" | "dr" = "primary") => {
  const found = f.regions.find((r) => r.role === role);
  if (found === undefined) throw new Error(`no ${role} region`);
  return found;
};

describe("forecast: small plans by hand", () => {
  it("daily keep 7: 7 points after each cleanup, 8 just before it; a restore reaches back 6 days", () => {
    const m = region(forecastOf([plan({ schedule: "cron(0 2 * * ? *)", keep: keep({ daily: 7 }) })])).measures;
    expect(m.kept).to.deep.equal({ min: 7, max: 7 });
    expect(m.keptByTier.daily + m.keptByTier.weekly + m.keptByTier.monthly + m.keptByTier.yearly).to.equal(7);
    expect(m.peak).to.equal(8);
    // After the 03:30 cleanup the oldest is the 02:00 backup of six days ago: 6 days 1.5 hours.
    expect(m.oldestDays).to.deep.equal({ min: 6.06, max: 6.06 });
    expect(m.worstGapHours).to.deep.equal({ "1d": 24, "1w": null, "1m": null, "1y": null });
    expect(m.madePerDay).to.equal(1);
  });

  it("a weekly-only plan keeps 4 Mondays; the gap at any age up to 3 weeks is a week", () => {
    const m = region(forecastOf([plan({ schedule: "cron(0 2 ? * MON *)", keep: keep({ weekly: 4 }) })])).measures;
    expect(m.kept).to.deep.equal({ min: 4, max: 4 });
    expect(m.keptByTier.weekly + m.keptByTier.monthly + m.keptByTier.yearly).to.equal(4);
    expect(m.peak).to.equal(5);
    expect(m.worstGapHours["1d"]).to.equal(168);
    expect(m.worstGapHours["1w"]).to.equal(168);
    expect(m.worstGapHours["1m"]).to.equal(null); // 30 days back is older than the oldest of 4 weeks some days
  });

  it("a daily plan whose daily tier is kept 0 falls back to hourly: 4 intervals of a day, plus 2 weekly Mondays", () => {
    // An ordinary day's slot is hourly-kept 4 days; a Monday's is weekly-kept 2 weeks, and so is a 1st of the month's
    // (monthly kept 0 falls back to weekly). After a cleanup: the 2 Mondays of the last 14 days, a 1st among them
    // that is not a Monday (0 or 1), and the ordinary days among the last 4 slots (3 or 4): 5 to 7 points.
    const f = region(forecastOf([plan({ schedule: "cron(0 2 * * ? *)", keep: keep({ hourly: 4, weekly: 2 }) })]));
    expect(f.measures.kept).to.deep.equal({ min: 5, max: 7 });
    const dailyTier = f.points.filter((p) => p.tier === "daily");
    expect(dailyTier).to.have.length(0);
    const hourly = f.points.filter((p) => p.tier === "hourly");
    expect(hourly.length).to.be.greaterThan(300);
    for (const p of hourly) expect(p.expires - p.slot).to.equal(4 * DAY_MS);
  });

  it("a 6-hourly plan keeping only daily: the other slots are made, kept by no tier, and gone a day later", () => {
    const f = region(forecastOf([plan({ schedule: "cron(0 0/6 * * ? *)", keep: keep({ daily: 3 }) })]));
    // 3 dailies, and yesterday's 06:00, 12:00, 18:00 backups, younger than cleanup's one-day minimum age at 03:30.
    expect(f.measures.kept).to.deep.equal({ min: 6, max: 6 });
    expect(f.measures.keptByTier).to.deep.include({ hourly: 3 });
    const fast = region(forecastOf([plan({ schedule: "cron(0 0/6 * * ? *)", keep: keep({ daily: 3 }) })], { cleanup: { schedule: "cron(30 3 * * ? *)", timezone: "UTC", minAgeDays: 0 } }));
    expect(fast.measures.kept).to.deep.equal({ min: 3, max: 3 });
  });
});

describe("forecast: DST in Europe/Berlin", () => {
  const berlin = () =>
    region(forecastOf([plan({ schedule: "cron(30 2 * * ? *)", timezone: "Europe/Berlin", keep: keep({ daily: 7 }) })], { start: new Date("2027-03-01T00:00:00Z"), horizonDays: 260 }));

  it("the spring change has no 02:30, so that week holds 6 points; the autumn change's 02:30 is one slot, the first", () => {
    const f = berlin();
    const slots = f.points.map((p) => new Date(p.slot).toISOString());
    expect(slots).to.include("2027-03-27T01:30:00.000Z"); // CET
    expect(slots.filter((s) => s.startsWith("2027-03-28"))).to.deep.equal([]); // 02:30 does not exist
    expect(slots).to.include("2027-03-29T00:30:00.000Z"); // CEST
    expect(slots.filter((s) => s.startsWith("2027-10-31"))).to.deep.equal(["2027-10-31T00:30:00.000Z"]); // first 02:30 (CEST)
    expect(slots).to.include("2027-11-01T01:30:00.000Z"); // CET
    // After the cleanup of 2 April (03:30 UTC) a week back holds 27, 29, 30, 31 March, 1 and 2 April: 6 points.
    expect(heldAt(f.points, Date.parse("2027-04-02T03:30:00Z"))).to.have.length(6);
    expect(heldAt(f.points, Date.parse("2027-04-05T03:30:00Z"))).to.have.length(7);
    expect(f.measures.kept).to.deep.equal({ min: 6, max: 7 });
    // The worst gap a day back: 27 March 01:30Z to 29 March 00:30Z.
    expect(f.measures.worstGapHours["1d"]).to.equal(47);
  });

  it("every daily point's expiry is 7 calendar days later at the same wall time, 167 or 169 hours across a change", () => {
    const f = berlin();
    const lengths = new Set(f.points.map((p) => (p.expires - p.slot) / HOUR));
    expect([...lengths].sort()).to.deep.equal([167, 168, 169]);
  });
});

describe("forecast: speed", () => {
  it("simulates a 6-hourly GFS plan in New York, both regions, over 8 years in well under 20 s", () => {
    const started = Date.now();
    const f = forecastOf([
      plan({ schedule: "cron(0 0/6 * * ? *)", timezone: "America/New_York", keep: keep({ hourly: 8, daily: 14, weekly: 8, monthly: 12, yearly: 7 }), drKeep: keep({ daily: 7, weekly: 4, monthly: 12, yearly: 7 }), copyToDr: true }),
    ]);
    expect(f.horizonDays).to.be.greaterThan(7 * 365 + 365);
    expect(region(f).points.length).to.be.greaterThan(11_000);
    expect(Date.now() - started).to.be.lessThan(20_000);
  });
});
