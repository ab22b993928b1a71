// Wall clock <-> instant in IANA zones with Intl only: gaps, overlaps, and the calendar helpers.
import { expect } from "chai";
import { addMonths, isoWeekStart, weekday } from "../../handlers/lib/civil";
import { isTimeZoneName } from "../../handlers/plan";
import { zone } from "../../handlers/lib/zoned-time";

const iso = (d: Date) => d.toISOString();

describe("zoned time", () => {
  const ny = zone("America/New_York");
  it("reads an instant's wall clock", () => {
    expect(ny.civil(new Date("2026-07-04T16:20:00Z"))).to.deep.equal({ year: 2026, month: 7, day: 4, hour: 12, minute: 20 });
    expect(ny.civil(new Date("2026-01-01T04:59:00Z"))).to.deep.equal({ year: 2025, month: 12, day: 31, hour: 23, minute: 59 });
  });
  it("finds no instant in a spring-forward gap, two in a fall-back overlap, one otherwise", () => {
    expect(ny.instants({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 })).to.deep.equal([]);
    expect(ny.instants({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }).map(iso)).to.deep.equal(["2026-11-01T05:30:00.000Z", "2026-11-01T06:30:00.000Z"]);
    expect(ny.instants({ year: 2026, month: 6, day: 1, hour: 0, minute: 0 }).map(iso)).to.deep.equal(["2026-06-01T04:00:00.000Z"]);
  });
  it("resolves one instant for any wall time: the earlier in an overlap, pushed past a gap", () => {
    expect(iso(ny.instant({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }))).to.equal("2026-03-08T07:30:00.000Z");
    expect(iso(ny.instant({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }))).to.equal("2026-11-01T05:30:00.000Z");
  });
  it("handles half-hour offsets and half-hour DST (Lord Howe)", () => {
    const lh = zone("Australia/Lord_Howe");
    expect(lh.instants({ year: 2026, month: 10, day: 4, hour: 2, minute: 15 })).to.deep.equal([]);
    expect(lh.instants({ year: 2026, month: 4, day: 5, hour: 1, minute: 45 })).to.have.length(2);
  });
  it("knows IANA names and rejects others", () => {
    expect(isTimeZoneName("Europe/Berlin")).to.be.true;
    expect(isTimeZoneName("Mars/Olympus")).to.be.false;
    expect(isTimeZoneName(" UTC")).to.be.false;
  });
  it("calendar helpers: weekdays, ISO week starts, month arithmetic", () => {
    expect(weekday({ year: 2026, month: 11, day: 22 })).to.equal(0); // Sunday
    expect(isoWeekStart({ year: 2026, month: 11, day: 22 })).to.deep.equal({ year: 2026, month: 11, day: 16 });
    expect(isoWeekStart({ year: 2027, month: 1, day: 1 })).to.deep.equal({ year: 2026, month: 12, day: 28 });
    expect(addMonths({ year: 2026, month: 11, day: 30 }, 3)).to.deep.equal({ year: 2027, month: 2, day: 28 });
    expect(addMonths({ year: 2026, month: 1, day: 15 }, -2)).to.deep.equal({ year: 2025, month: 11, day: 15 });
  });
});
