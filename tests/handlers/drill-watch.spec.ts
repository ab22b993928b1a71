// The drill's watch step: overdue when no drill manifest was written since the drill schedule's last slot that a drill
// should have finished by now (the slot before now less the machine's timeout); listed from that slot's date folder on,
// page by page; publishes DrillOverdue 0 or 1 for the region.
import { expect } from "chai";
import type { DrillWatch } from "../../handlers/drill/contract";
import type { DrillSettings } from "../../handlers/drill/settings";
import { watchDrills } from "../../handlers/drill/watch";
import type { MetricSet } from "../../handlers/lib/metrics";
import { DR, drillSettings, listingS3 } from "../helpers/drill-setup";

/** The schedule of drillSettings(): 03:00 UTC on the 1st of each month; the machine may take 6 hours. */
const SLOT = new Date("2026-12-01T03:00:00Z");

describe("drill watch", () => {
  let objects: Map<string, Date>;
  let metrics: MetricSet[];
  beforeEach(() => {
    objects = new Map();
    metrics = [];
  });

  const watch = async (now: Date, settings: DrillSettings = drillSettings()) => {
    const { s3, lists } = listingS3(objects);
    const result: DrillWatch = await watchDrills({ s3, now: () => now, publishMetrics: (m) => metrics.push(m) }, settings);
    return { result, lists };
  };
  const overdue = () => metrics.map((m) => [m.set, m.dimensions, m.values]);

  it("not overdue: a manifest written since the slot; the newest is named; listed page by page from the slot's date", async () => {
    objects.set("runs/drill/2026/11/01/monthly-nov.json", new Date("2026-11-01T04:00:00Z"));
    objects.set("runs/drill/2026/12/01/monthly-dec.json", new Date("2026-12-01T04:10:00Z"));
    objects.set("runs/drill/2026/12/01/on-demand.json", new Date("2026-12-01T05:00:00Z"));
    objects.set("runs/drill/2026/12/01/retry.json", new Date("2026-12-01T04:20:00Z"));
    objects.set("runs/restore/2026/12/01/r.json", new Date("2026-12-01T06:00:00Z"));
    const { result, lists } = await watch(new Date("2026-12-01T10:00:00Z"));
    expect(result).to.deep.equal({ overdue: false, expectedSince: SLOT.toISOString(), newest: "runs/drill/2026/12/01/on-demand.json" });
    expect(lists[0]).to.deep.equal({ StartAfter: "runs/drill/2026/12/01/", ContinuationToken: undefined });
    expect(lists, "three manifests, two a page").to.have.length(2);
    expect(overdue()).to.deep.equal([["drillWatch", { Region: DR }, { DrillOverdue: 0 }]]);
  });

  it("overdue: nothing since the slot (last month's drill, or one written on the slot's day before it)", async () => {
    objects.set("runs/drill/2026/11/01/monthly-nov.json", new Date("2026-11-01T04:00:00Z"));
    objects.set("runs/drill/2026/12/01/early.json", new Date("2026-12-01T02:59:59Z"));
    const { result } = await watch(new Date("2026-12-01T10:00:00Z"));
    expect(result).to.deep.equal({ overdue: true, expectedSince: SLOT.toISOString() });
    expect(overdue()).to.deep.equal([["drillWatch", { Region: DR }, { DrillOverdue: 1 }]]);
  });

  it("within the machine's timeout after a slot, the slot before it is the one expected", async () => {
    objects.set("runs/drill/2026/11/01/monthly-nov.json", new Date("2026-11-01T04:00:00Z"));
    const { result } = await watch(new Date("2026-12-01T08:59:59Z"));
    expect(result).to.deep.include({ overdue: false, expectedSince: "2026-11-01T03:00:00.000Z", newest: "runs/drill/2026/11/01/monthly-nov.json" });
    const late = await watch(new Date("2026-12-01T09:00:01Z"));
    expect(late.result).to.deep.include({ overdue: true, expectedSince: SLOT.toISOString() });
  });

  it("a schedule in a zone with daylight saving: the slot is that zone's 03:00 (instants compared in UTC)", async () => {
    const settings = drillSettings({ schedule: "cron(0 3 ? * SUN *)", timezone: "Europe/Berlin", machineTimeoutSeconds: 3600 });
    // Sunday 2026-10-25: Berlin fell back at 01:00Z, so 03:00 CET is 02:00Z.
    objects.set("runs/drill/2026/10/25/weekly.json", new Date("2026-10-25T02:30:00Z"));
    const { result } = await watch(new Date("2026-10-25T03:30:00Z"), settings);
    expect(result).to.deep.include({ overdue: false, expectedSince: "2026-10-25T02:00:00.000Z" });
  });

  it("a schedule with no slot yet: not overdue, nothing listed", async () => {
    const { result, lists } = await watch(new Date("2026-12-01T10:00:00Z"), drillSettings({ schedule: "cron(0 3 1 * ? 2030)" }));
    expect(result).to.deep.equal({ overdue: false });
    expect(lists).to.deep.equal([]);
    expect(overdue()).to.deep.equal([["drillWatch", { Region: DR }, { DrillOverdue: 0 }]]);
  });
});
