// The report's controls (pure) and the cost section's period and filter: the edges the step spec does not reach.
import { expect } from "chai";
import { readPlans } from "../../handlers/plan";
import { evaluateControls, frequencyRetentionProblem, MAX_CONTROL_EXAMPLES, retentionSpanDays } from "../../handlers/report/controls";
import { costFilter, previousMonth } from "../../handlers/report/cost";
import type { RegionCoverage, SourceCoverage } from "../../handlers/report/schema";

const ZERO = { hourly: 0, daily: 0, weekly: 0, monthly: 0, yearly: 0 };
const plan = (fields: Record<string, unknown>) => readPlans([{ name: "p", schedule: "rate(1 day)", resources: ["ec2"], keep: { daily: 7 }, copyToDr: false, ...fields }])[0];
const OPTIONS = { requiredFrequencySeconds: 86_400, requiredRetentionDays: 7 };

function region(status: RegionCoverage["status"], customerKey?: boolean): RegionCoverage {
  const lastPoint = customerKey === undefined ? undefined : { id: "snap-1", taken: "2026-12-02T06:00:00Z", encrypted: true, customerKey, kmsKeyIds: ["k"] };
  return { region: "r", status, rpoSeconds: 3600, pointsByTier: ZERO, keep: ZERO, ...(lastPoint ? { lastPoint } : {}) };
}
function source(id: string, primary: RegionCoverage, dr?: RegionCoverage): SourceCoverage {
  return { plan: "p", kind: "ec2", source: id, primary, ...(dr ? { dr } : {}), outOfPolicy: false, reasons: [] };
}
const byId = (controls: ReturnType<typeof evaluateControls>, id: string) => controls.find((c) => c.id === id);

describe("report controls", () => {
  it("retention span: the longest kept tier by the calendar, hourly by the slot gap, nothing kept until the next slot", () => {
    expect(retentionSpanDays(plan({}), { ...ZERO, daily: 7 })).to.equal(7);
    expect(retentionSpanDays(plan({ schedule: "rate(6 hours)" }), { ...ZERO, hourly: 8, daily: 1 })).to.equal(2);
    expect(retentionSpanDays(plan({ schedule: "rate(6 hours)" }), ZERO)).to.equal(0.25);
    expect(retentionSpanDays(plan({}), { ...ZERO, daily: 3, monthly: 1 })).to.equal(31); // January 2024 from the fixed reference
  });

  it("min frequency and retention: the DR keep counts only when the plan copies; frequency by the wall clock", () => {
    expect(frequencyRetentionProblem(plan({ drKeep: { daily: 1 } }), OPTIONS)).to.equal(undefined);
    expect(frequencyRetentionProblem(plan({ drKeep: { daily: 1 }, copyToDr: true }), OPTIONS)).to.match(/1 days in the DR region, less than 7/);
    expect(frequencyRetentionProblem(plan({ schedule: "rate(2 days)", keep: { daily: 30 } }), OPTIONS)).to.match(/up to 48 h between backups, more than 24 h/);
    // 02:30 Berlin is skipped on the spring change day (a 48 h gap in the zone), but the plan is daily.
    expect(frequencyRetentionProblem(plan({ schedule: "cron(30 2 * * ? *)", timezone: "Europe/Berlin" }), OPTIONS)).to.equal(undefined);
  });

  it("counts every failure and lists at most 20; a source without points is not judged on encryption; pending is not failing", () => {
    const late = Array.from({ length: 25 }, (_, i) => source(`late-${i}`, region("late", true)));
    const sources = [...late, source("new", region("pending-first-backup")), source("foreign-key-dr", region("ok", true), region("ok", false)), source("dr-unknown", region("ok", true), region("unknown"))];
    const controls = evaluateControls({ plans: [plan({})], sources, unselected: [], vaults: [], options: OPTIONS });
    expect(byId(controls, "BACKUP_LAST_RECOVERY_POINT_CREATED")).to.deep.include({ checked: 28, failing: 25, passed: false });
    expect(byId(controls, "BACKUP_LAST_RECOVERY_POINT_CREATED")?.examples).to.have.length(MAX_CONTROL_EXAMPLES);
    expect(byId(controls, "BACKUP_RECOVERY_POINT_ENCRYPTED")).to.deep.include({ checked: 27, failing: 1, examples: ["foreign-key-dr"] });
    expect(byId(controls, "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION")).to.deep.include({ checked: 2, failing: 1, examples: ["dr-unknown"] });
    expect(byId(controls, "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK")).to.deep.include({ checked: 0, failing: 0, passed: true });
  });
});

describe("report cost: period and filter", () => {
  it("the previous calendar month in UTC, across a year's end and from a month's last day", () => {
    expect(previousMonth(new Date("2027-01-01T00:30:00Z"))).to.deep.equal({ start: "2026-12-01", end: "2027-01-01" });
    expect(previousMonth(new Date("2026-03-31T23:59:59Z"))).to.deep.equal({ start: "2026-02-01", end: "2026-03-01" });
  });

  it("names the usage types of both regions by billing code, and the regions it has no code for", () => {
    const { filter, unknownRegions } = costFilter("s", ["eu-west-1", "xx-nowhere-9"]);
    const text = JSON.stringify(filter);
    expect(text).to.include('"EU-');
    expect(text).to.not.include("xx-nowhere");
    expect(unknownRegions).to.deep.equal(["xx-nowhere-9"]);
  });
});
