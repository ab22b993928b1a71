// backup-dr:report: every key's default, every bad value reported with its path, the value and what is allowed, all at
// once; the check schedule's bounds (its longest gap between runs, DST included); the detection delay the docs state;
// and the options the report function is given (BACKUP_DR_REPORT).
import { expect } from "chai";
import { parseConfig } from "../../infra/config";
import { checkPeriodMinutes, coverageDetectionMinutes, reportOptions } from "../../infra/config-report";
import { configProblems, problemsOf } from "../helpers/config-problems";

const CONTEXT = { project: "backup-dr", stack: "test" };
const DAILY = { name: "daily", schedule: "cron(0 2 * * ? *)", resources: ["ec2"], keep: { daily: 7 } };

function withReport(report: unknown, change: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    "aws:region": "us-east-1",
    "backup-dr:drRegion": "us-west-2",
    "backup-dr:plans": [DAILY],
    ...(report === undefined ? {} : { "backup-dr:report": report }),
    ...change,
  };
}

const reportOf = (raw: Record<string, unknown>) => parseConfig(raw, CONTEXT).report;

describe("config: backup-dr:report", () => {
  it("defaults: a check every 15 minutes, the report daily at 06:00 UTC, 30 minutes' grace, notify when out of policy, cost tags off, 24 h / 7 days", () => {
    const expected = {
      checkSchedule: "rate(15 minutes)",
      schedule: "cron(0 6 * * ? *)",
      timezone: "UTC",
      graceMinutes: 30,
      notifyOn: "outOfPolicy",
      activateCostTags: false,
      requiredFrequencyHours: 24,
      requiredRetentionDays: 7,
    };
    expect(reportOf(withReport(undefined))).to.deep.equal(expected);
    expect(reportOf(withReport({}))).to.deep.equal(expected);
  });

  it("takes every key as given, scalars as the CLI passes them (strings)", () => {
    const given = {
      // A rate has no DST night (cron(0/10 * * * ? *) in Dublin has a 70-minute gap once a year: refused).
      checkSchedule: "rate(10 minutes)",
      schedule: "cron(30 7 ? * MON-FRI *)",
      timezone: "Europe/Dublin",
      graceMinutes: "0",
      notifyOn: "always",
      activateCostTags: "true",
      requiredFrequencyHours: 6,
      requiredRetentionDays: 35,
    };
    expect(reportOf(withReport(given))).to.deep.equal({ ...given, graceMinutes: 0, activateCostTags: true });
  });

  it("reports every bad value at once, each with its path, the value given and what is allowed", () => {
    const problems = problemsOf(
      withReport({
        checkSchedule: "rate(15 minute)",
        schedule: "cron(0 25 * * ? *)",
        timezone: "utc",
        graceMinutes: 1441,
        notifyOn: "failure",
        activateCostTags: "yes",
        requiredFrequencyHours: 0,
        requiredRetentionDays: 1.5,
        sendTo: "x",
      }),
    );
    const at = (key: string) => problems.filter((p) => p.startsWith(`backup-dr:report.${key}: `));
    expect(problems).to.have.length(9);
    expect(at("checkSchedule")[0]).to.match(/^backup-dr:report\.checkSchedule: .*, got "rate\(15 minute\)"$/);
    expect(at("schedule")[0]).to.include("hours must be 0-23, not 25").and.to.match(/, got "cron\(0 25 \* \* \? \*\)"$/);
    expect(at("timezone")[0]).to.match(/UTC/).and.to.match(/, got "utc"$/);
    expect(at("graceMinutes")).to.deep.equal(["backup-dr:report.graceMinutes: expected a whole number of minutes from 0 to 1440, got 1441"]);
    expect(at("notifyOn")).to.deep.equal(['backup-dr:report.notifyOn: expected one of "outOfPolicy", "always", got "failure"']);
    expect(at("activateCostTags")).to.deep.equal(['backup-dr:report.activateCostTags: expected true or false, got "yes"']);
    expect(at("requiredFrequencyHours")).to.deep.equal(["backup-dr:report.requiredFrequencyHours: expected a whole number of hours from 1 to 8784, got 0"]);
    expect(at("requiredRetentionDays")).to.deep.equal(["backup-dr:report.requiredRetentionDays: expected a whole number of days from 1 to 36525, got 1.5"]);
    expect(at("sendTo")[0]).to.match(/^backup-dr:report\.sendTo: unknown key; allowed: checkSchedule, schedule, timezone, graceMinutes, notifyOn/);
  });

  it("reports a bad report key together with bad keys elsewhere in the stack", () => {
    const problems = problemsOf(withReport({ graceMinutes: -1 }, { "backup-dr:drRegion": "us-east-1", "backup-dr:copy": { lagAlarmMinutes: 1 } }));
    expect(problems.some((p) => p.startsWith("backup-dr:report.graceMinutes: "))).to.equal(true);
    expect(problems.some((p) => p.startsWith("backup-dr:copy.lagAlarmMinutes: "))).to.equal(true);
    expect(problems.some((p) => p.startsWith("backup-dr:drRegion: "))).to.equal(true);
  });

  describe("the check schedule: its runs 5 to 60 minutes apart all year (its longest gap is its alarm's period)", () => {
    const refused = (expression: string, minutes: number) =>
      `backup-dr:report.checkSchedule: expected a schedule whose runs are 5 to 60 minutes apart all year, DST nights included (its longest gap is the missed-backup alarm's period; a rate() expression has no DST night), but this one's longest gap is ${minutes} minutes, got "${expression}"`;
    const cases: Array<[string, string, number]> = [
      ["rate(5 minutes)", "UTC", 5],
      ["rate(15 minutes)", "America/New_York", 15],
      ["cron(0/15 * * * ? *)", "UTC", 15],
      ["cron(0/20 * * * ? *)", "UTC", 20],
      ["rate(1 hour)", "UTC", 60],
      ["rate(61 minutes)", "UTC", 61],
      // The fall-back night repeats an hour: 75 minutes between two runs, once a year, is the period all year.
      ["cron(0/15 * * * ? *)", "America/New_York", 75],
      // Business hours: from 17:45 to 08:00 the next day.
      ["cron(0/15 8-17 ? * * *)", "UTC", 855],
      ["rate(1 day)", "UTC", 1440],
      ["cron(0 9-17 ? * MON-FRI *)", "UTC", 64 * 60],
    ];
    for (const [expression, zone, minutes] of cases) {
      it(`${expression} in ${zone}: ${minutes} minutes${minutes > 60 ? ", refused" : ""}`, () => {
        const problems = configProblems(withReport({ checkSchedule: expression, timezone: zone }));
        expect(checkPeriodMinutes({ checkSchedule: expression, timezone: zone })).to.equal(minutes);
        expect(problems).to.deep.equal(minutes <= 60 ? [] : [refused(expression, minutes)]);
      });
    }

    it("refuses a check more often than every 5 minutes, and a daily check", () => {
      expect(problemsOf(withReport({ checkSchedule: "rate(1 minute)" }))).to.deep.equal([refused("rate(1 minute)", 1)]);
      expect(problemsOf(withReport({ checkSchedule: "cron(0 6 * * ? *)", timezone: "America/New_York" }))[0]).to.include("longest gap is 1500 minutes");
    });

    it("refuses a schedule that never fires within a year, naming the key", () => {
      expect(problemsOf(withReport({ schedule: "cron(0 6 * * ? 2020)" }))[0]).to.match(/^backup-dr:report\.schedule: expected a schedule that fires within a year: /);
    });
  });

  it("the detection delay: grace plus two check periods (the defaults: 60 minutes)", () => {
    expect(coverageDetectionMinutes(reportOf(withReport(undefined)))).to.equal(30 + 2 * 15);
    expect(coverageDetectionMinutes(reportOf(withReport({ graceMinutes: 0, checkSchedule: "rate(1 hour)" })))).to.equal(120);
  });

  it("the function's options: seconds from minutes and hours, the copy lag as the DR allowance, the protected buckets as given", () => {
    const config = parseConfig(withReport({ graceMinutes: 45, notifyOn: "always", activateCostTags: true, requiredFrequencyHours: 12, requiredRetentionDays: 14 }, { "backup-dr:copy": { lagAlarmMinutes: 90 } }), CONTEXT);
    expect(reportOptions(config, [{ bucket: "my-data", replica: "backup-dr-replica-my-data-1234" }])).to.deep.equal({
      graceSeconds: 2700,
      drLagSeconds: 5400,
      notifyOn: "always",
      costTags: true,
      requiredFrequencySeconds: 43200,
      requiredRetentionDays: 14,
      protectedBuckets: [{ bucket: "my-data", replica: "backup-dr-replica-my-data-1234" }],
    });
  });
});
