// The prod gold plan's steady state against an independent brute force: every hour of seven years walked with Intl
// alone (no schedule code), the cron's wall times picked out, each one's expiry from the handlers' slotRetention (which
// finds its own neighbours), and the points counted that a cleanup at that instant must keep.
import { expect } from "chai";
import { slotRetention } from "../../handlers/lib/retention";
import { parseSchedule } from "../../handlers/lib/schedule";
import { withCachedDateTimeFormat } from "../../tools/forecast/intl-cache";
import { heldAt } from "../../tools/forecast/measure";
import { loadStack } from "../../tools/forecast/stack-file";
import { forecastOf } from "./forecast-helpers";

const HOUR = 3_600_000;

/** Instants whose New York wall time is hh:00 with hh a multiple of 6, each wall time once (the first). */
function bruteSlots(from: number, to: number): Date[] {
  const format = new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" });
  const seen = new Set<string>();
  const slots: Date[] = [];
  for (let t = Math.ceil(from / HOUR) * HOUR; t <= to; t += HOUR) {
    const wall = format.format(new Date(t));
    const hour = Number(/(\d+):(\d+)$/.exec(wall)?.[1]);
    if (hour % 6 !== 0 || seen.has(wall)) continue;
    seen.add(wall);
    slots.push(new Date(t));
  }
  return slots;
}

describe("forecast: prod gold against a brute-force count", () => {
  it("kept points per source after each of the last cleanups equal the count of points not yet expired", () => {
    const prod = loadStack("prod");
    const gold = prod.plans.find((p) => p.name === "gold");
    if (gold === undefined) throw new Error("prod has no gold plan");
    const f = forecastOf([gold], { cleanup: prod.cleanup });
    const primary = f.regions.find((r) => r.role === "primary");
    if (primary === undefined) throw new Error("no primary region");
    const schedule = parseSchedule(gold.schedule);
    const start = Date.parse(f.start);
    const end = Date.parse(f.end);
    // Cleanup runs 04:15 New York: the last few, from the forecast's own list of when points were deleted.
    const runs = [...new Set(primary.points.map((p) => p.deletedAt).filter((t) => t < end))].sort((a, b) => a - b).slice(-4);
    expect(runs).to.have.length(4);
    withCachedDateTimeFormat(() => {
      // Every slot of the last 7 years and 40 days can still be held (7 yearly); the very first slot of the stack is
      // yearly too, so the walk starts at the stack's start.
      const slots = bruteSlots(Math.max(start, runs[0] - (7 * 366 + 40) * 24 * HOUR), runs[3]);
      const expiries = slots.map((s) => ({ slot: s.getTime(), expires: slotRetention(schedule, s, gold.timezone, gold.keep).expires.getTime() }));
      for (const run of runs) {
        // Cleanup keeps what has not expired (expires >= now) and what is younger than minAgeDays; none of gold's
        // expired points is that young (its shortest retention, 8 x 6 h, is the 2-day minimum age).
        const brute = expiries.filter((p) => p.slot <= run && p.expires >= run).length;
        expect(heldAt(primary.points, run), new Date(run).toISOString()).to.have.length(brute);
      }
    });
    expect(primary.measures.kept.min).to.be.greaterThan(40);
    expect(primary.measures.keptByTier.yearly).to.equal(7);
    expect(primary.measures.keptByTier.monthly).to.equal(11);
  });
});
