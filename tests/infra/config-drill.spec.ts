// backup-dr:drill: every key's default, every bad value reported with its path, the value and what is allowed, all at
// once; the RPO target's default arithmetic (the plan's real longest gap between slots in its zone, plus the copy lag
// alarm in the DR region); the RTO target's default (240, at most the plan kinds' restore deadline in the machine mode);
// and the cross-key checks (plan names, the drill region's restore network, plans that never reach DR, RTO targets
// within the restore deadline, the drill's restores within Step Functions' history).
import { expect } from "chai";
import { parseConfig } from "../../infra/config";
import { registryDrillMaxSamples } from "../../infra/config-drill";
import { drillOptions } from "../../infra/drill-options";
import { configProblems, problemsOf } from "../helpers/config-problems";

const CONTEXT = { project: "backup-dr", stack: "test" };
const DAY_MINUTES = 1440;

const DAILY = { name: "daily", schedule: "cron(0 2 * * ? *)", resources: ["ec2"], keep: { daily: 7 } };
const HOURLY = { name: "hourly", schedule: "rate(6 hours)", resources: ["rds"], keep: { hourly: 8 } };
const DR_NETWORK = { subnetIds: ["subnet-0123456789abcdef0"], securityGroupIds: ["sg-0123456789abcdef0"], dbSubnetGroup: "restore" };

function withDrill(drill: unknown, change: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    "aws:region": "us-east-1",
    "backup-dr:drRegion": "us-west-2",
    "backup-dr:plans": [DAILY, HOURLY],
    ...(drill === undefined ? {} : { "backup-dr:drill": drill }),
    ...change,
  };
}

const drillOf = (raw: Record<string, unknown>) => parseConfig(raw, CONTEXT).drill;

describe("config: backup-dr:drill", () => {
  it("defaults: disabled, monthly at 06:00 UTC, in DR, one sample a plan, five at once, instance mode, nothing kept; every plan drilled", () => {
    expect(drillOf(withDrill(undefined))).to.deep.equal({
      enabled: false,
      schedule: "cron(0 6 1 * ? *)",
      timezone: "UTC",
      region: "dr",
      samplePerPlan: 1,
      maxConcurrent: 5,
      machineMode: "instance",
      keepMinutes: 0,
      maxSamples: registryDrillMaxSamples(),
      plans: {
        // A daily cron's slots are a day apart, plus the default lag of 240. RTO: 240, but an instance restore of a
        // machine gives up after 90 minutes and a database's after 180.
        daily: { rtoTargetMinutes: 90, rpoTargetMinutes: DAY_MINUTES + 240, kinds: ["ec2"] },
        hourly: { rtoTargetMinutes: 180, rpoTargetMinutes: 6 * 60 + 240, kinds: ["rds"] },
      },
    });
  });

  it("the RPO default adds the copy lag alarm only in the DR region, and follows backup-dr:copy lagAlarmMinutes", () => {
    const copy = { "backup-dr:copy": { lagAlarmMinutes: 60 } };
    expect(drillOf(withDrill({}, copy)).plans.hourly.rpoTargetMinutes).to.equal(6 * 60 + 60);
    expect(drillOf(withDrill({ region: "primary" }, copy)).plans.hourly.rpoTargetMinutes).to.equal(6 * 60);
    expect(drillOf(withDrill({ region: "primary" })).plans.daily.rpoTargetMinutes).to.equal(DAY_MINUTES);
  });

  describe("the RPO default: the real longest gap between consecutive slots in the plan's zone", () => {
    const rpoOf = (schedule: string, timezone?: string) =>
      drillOf(withDrill({ region: "primary" }, { "backup-dr:plans": [{ ...DAILY, schedule, ...(timezone === undefined ? {} : { timezone }) }] })).plans.daily.rpoTargetMinutes;
    const cases: [string, string, string | undefined, number][] = [
      ["a 6-hourly cron", "cron(0 0/6 * * ? *)", undefined, 6 * 60],
      ["a daily cron", "cron(30 1 * * ? *)", undefined, DAY_MINUTES],
      ["an hourly cron", "cron(0 * * * ? *)", undefined, 60],
      ["a cron every 5 minutes", "cron(0/5 * * * ? *)", undefined, 5],
      ["weekdays only (Friday to Monday)", "cron(0 3 ? * MON-FRI *)", undefined, 3 * DAY_MINUTES],
      ["a weekly cron", "cron(0 3 ? * SUN *)", undefined, 7 * DAY_MINUTES],
      // January 1st to February 1st is 31 days; a plain day count would be 31 + 1 (plan-bounds longestGapMs).
      ["a monthly cron", "cron(0 3 1 * ? *)", undefined, 31 * DAY_MINUTES],
      ["a rate", "rate(6 hours)", undefined, 6 * 60],
      // Berlin springs forward at 02:00 on the last Sunday of March: the 02:00 slot does not exist, 01:00 to 03:00 is 2 hours.
      ["an hourly cron in a DST zone (the skipped hour)", "cron(0 * * * ? *)", "Europe/Berlin", 120],
      // 02:30 does not exist on the spring-forward day: that day has no slot, so 02:30 to 02:30 two days later, less the lost hour.
      ["a daily cron in the skipped hour of a DST zone", "cron(30 2 * * ? *)", "Europe/Berlin", 2 * DAY_MINUTES - 60],
      // New York falls back at 02:00: a daily 01:30 slot is the first 01:30; the day after is 25 hours later.
      ["a daily cron across the fall-back change", "cron(30 1 * * ? *)", "America/New_York", DAY_MINUTES + 60],
    ];
    for (const [title, schedule, timezone, minutes] of cases) {
      it(`${title}: ${minutes} minutes`, () => expect(rpoOf(schedule, timezone)).to.equal(minutes));
    }
  });

  it("the RTO default: 240 minutes, lowered to the shortest restore deadline of the plan's kinds in the machine mode", () => {
    const both = { "backup-dr:plans": [{ ...DAILY, resources: ["ec2", "rds"] }, HOURLY], "backup-dr:restore": { primary: DR_NETWORK } };
    // Machines: 90 minutes as instances, 60 as volumes; databases 180.
    expect(drillOf(withDrill({ region: "primary" }, both)).plans).to.deep.include({ daily: { rtoTargetMinutes: 90, rpoTargetMinutes: DAY_MINUTES, kinds: ["ec2", "rds"] }, hourly: { rtoTargetMinutes: 180, rpoTargetMinutes: 360, kinds: ["rds"] } });
    expect(drillOf(withDrill({ region: "primary", machineMode: "volumes" }, both)).plans.daily.rtoTargetMinutes).to.equal(60);
    expect(drillOf(withDrill({ region: "primary", machineMode: "volumes" }, both)).plans.hourly.rtoTargetMinutes).to.equal(180);
  });

  it("keeps given targets, defaults the missing one per plan, and takes every value as given", () => {
    const given = {
      enabled: "true",
      schedule: "cron(30 5 ? * SUN#1 *)",
      timezone: "Europe/Berlin",
      region: "primary",
      samplePerPlan: "3",
      maxConcurrent: 20,
      machineMode: "volumes",
      instanceType: "t4g.small",
      instanceClass: "db.t4g.medium",
      keepMinutes: 1440,
      plans: { hourly: { rpoTargetMinutes: 400 }, daily: { rtoTargetMinutes: 60, rpoTargetMinutes: 3000 } },
    };
    expect(drillOf(withDrill(given, { "backup-dr:restore": { primary: DR_NETWORK } }))).to.deep.equal({
      ...given,
      enabled: true,
      samplePerPlan: 3,
      maxSamples: registryDrillMaxSamples(),
      plans: { daily: { rtoTargetMinutes: 60, rpoTargetMinutes: 3000, kinds: ["ec2"] }, hourly: { rtoTargetMinutes: 180, rpoTargetMinutes: 400, kinds: ["rds"] } },
    });
  });

  it("becomes the function's DrillOptions in seconds, every plan with its targets", () => {
    const drill = drillOf(withDrill({ keepMinutes: 15, plans: { daily: { rtoTargetMinutes: 60 } }, instanceClass: "db.r6g.large" }));
    expect(drillOptions(drill, 7200)).to.deep.equal({
      samplePerPlan: 1,
      keepSeconds: 900,
      machineMode: "instance",
      instanceClass: "db.r6g.large",
      targets: { daily: { rtoSeconds: 3600, rpoSeconds: (DAY_MINUTES + 240) * 60 }, hourly: { rtoSeconds: 180 * 60, rpoSeconds: (6 * 60 + 240) * 60 } },
      kinds: { daily: ["ec2"], hourly: ["rds"] },
      maxSamples: registryDrillMaxSamples(),
      schedule: "cron(0 6 1 * ? *)",
      timezone: "UTC",
      machineTimeoutSeconds: 7200,
    });
  });

  const KEYS = "enabled, schedule, timezone, region, samplePerPlan, maxConcurrent, machineMode, instanceType, instanceClass, keepMinutes, plans";
  const cases: [string, unknown, string][] = [
    ["enabled not a boolean", { enabled: "yes" }, 'backup-dr:drill.enabled: expected true or false, got "yes"'],
    ["a schedule with both day fields set", { schedule: "cron(0 6 1 * MON *)" }, "backup-dr:drill.schedule: expected an EventBridge Scheduler expression (exactly one of day-of-month and day-of-week must be '?'): cron(minutes hours day-of-month month day-of-week year) with one of the two day fields '?', or rate(N minutes|hours|days), got \"cron(0 6 1 * MON *)\""],
    ["a schedule that never fires again", { schedule: "cron(0 6 1 1 ? 2020)" }, 'backup-dr:drill.schedule: expected a schedule that fires within a year: the year field allows only 2020, all before '],
    ["a time zone in lowercase", { timezone: "europe/berlin" }, 'backup-dr:drill.timezone: expected an IANA time zone written exactly as IANA names it, such as UTC or Europe/Berlin (write "Europe/Berlin"), got "europe/berlin"'],
    ["a region name instead of a role", { region: "us-west-2" }, 'backup-dr:drill.region: expected one of "dr", "primary", got "us-west-2"'],
    ["no sample", { samplePerPlan: 0 }, "backup-dr:drill.samplePerPlan: expected a whole number from 1 to 10, got 0"],
    ["eleven samples", { samplePerPlan: 11 }, "backup-dr:drill.samplePerPlan: expected a whole number from 1 to 10, got 11"],
    ["a fractional concurrency", { maxConcurrent: 2.5 }, "backup-dr:drill.maxConcurrent: expected a whole number from 1 to 20, got 2.5"],
    ["21 restores at once", { maxConcurrent: 21 }, "backup-dr:drill.maxConcurrent: expected a whole number from 1 to 20, got 21"],
    ["an unknown machine mode", { machineMode: "snapshot" }, 'backup-dr:drill.machineMode: expected one of "instance", "volumes", got "snapshot"'],
    ["an instance type in capitals", { instanceType: "M7g.large" }, 'backup-dr:drill.instanceType: expected an EC2 instance type such as m7g.large (family, a dot, size; lowercase), got "M7g.large"'],
    ["an instance type without a size", { instanceType: "m7g" }, 'backup-dr:drill.instanceType: expected an EC2 instance type such as m7g.large (family, a dot, size; lowercase), got "m7g"'],
    ["an instance class without db.", { instanceClass: "r6g.large" }, 'backup-dr:drill.instanceClass: expected a DB instance class such as db.r6g.large (db., class, a dot, size; lowercase), got "r6g.large"'],
    ["a negative keep", { keepMinutes: -1 }, "backup-dr:drill.keepMinutes: expected a whole number of minutes from 0 to 1440, got -1"],
    ["a keep over a day", { keepMinutes: 1441 }, "backup-dr:drill.keepMinutes: expected a whole number of minutes from 0 to 1440, got 1441"],
    ["a zero RTO target", { plans: { daily: { rtoTargetMinutes: 0 } } }, "backup-dr:drill.plans.daily.rtoTargetMinutes: expected a whole number of minutes from 1 to 10080, got 0"],
    ["an RPO target of text", { plans: { daily: { rpoTargetMinutes: "1h" } } }, 'backup-dr:drill.plans.daily.rpoTargetMinutes: expected a whole number of minutes from 1 to 537120, got "1h"'],
    ["a misspelt target", { plans: { daily: { rpoTargetMinute: 5 } } }, 'backup-dr:drill.plans.daily.rpoTargetMinute: unknown key; allowed: rtoTargetMinutes, rpoTargetMinutes (did you mean "rpoTargetMinutes"?)'],
    ["a plan's targets as a number", { plans: { daily: 60 } }, "backup-dr:drill.plans.daily: expected a map with rtoTargetMinutes, rpoTargetMinutes, got 60"],
    ["plans as a list", { plans: ["daily"] }, 'backup-dr:drill.plans: expected a map of plan names to {rtoTargetMinutes, rpoTargetMinutes}, got ["daily"]'],
    ["a misspelt key", { sample: 2 }, `backup-dr:drill.sample: unknown key; allowed: ${KEYS}`],
    ["drill that is not a map", "monthly", `backup-dr:drill: expected a map with ${KEYS}, got "monthly"`],
  ];
  for (const [title, drill, message] of cases) {
    it(`rejects ${title}`, () => {
      const problems = problemsOf(withDrill(drill));
      expect(problems).to.have.length(1);
      if (message.endsWith("before ")) expect(problems[0]).to.include(message.slice(0, 60));
      else expect(problems[0]).to.equal(message);
    });
  }

  it("reports every bad value at once, with the other keys' problems", () => {
    const problems = problemsOf(
      withDrill({ samplePerPlan: 0, maxConcurrent: 0, region: "west", keepMinutes: 5000, plans: { daily: { rtoTargetMinutes: -5 } } }, { "backup-dr:drRegion": "nowhere-1" }),
    );
    expect(problems).to.have.members([
      "backup-dr:drRegion: expected an AWS region name such as us-east-1, got \"nowhere-1\"",
      "backup-dr:drill.samplePerPlan: expected a whole number from 1 to 10, got 0",
      "backup-dr:drill.maxConcurrent: expected a whole number from 1 to 20, got 0",
      'backup-dr:drill.region: expected one of "dr", "primary", got "west"',
      "backup-dr:drill.keepMinutes: expected a whole number of minutes from 0 to 1440, got 5000",
      "backup-dr:drill.plans.daily.rtoTargetMinutes: expected a whole number of minutes from 1 to 10080, got -5",
    ]);
  });

  describe("across keys", () => {
    it("refuses targets for a plan the stack does not have, naming the allowed plans (also when disabled)", () => {
      expect(problemsOf(withDrill({ plans: { gold: {}, daily: {} } }))).to.deep.equal([
        'backup-dr:drill.plans.gold: expected the name of a plan in backup-dr:plans (daily, hourly), got "gold"',
      ]);
    });

    it("a disabled drill needs no restore network; an enabled one in instance mode needs the region's subnets, security groups and DB subnet group", () => {
      expect(configProblems(withDrill({}))).to.deep.equal([]);
      expect(problemsOf(withDrill({ enabled: true }))).to.deep.equal([
        'backup-dr:restore.dr.subnetIds: expected at least one id: backup-dr:drill is enabled in region dr with machineMode "instance" and plan "daily" backs up EC2 instances (or set backup-dr:drill machineMode: volumes), got []',
        'backup-dr:restore.dr.securityGroupIds: expected at least one id: backup-dr:drill is enabled in region dr with machineMode "instance" and plan "daily" backs up EC2 instances (or set backup-dr:drill machineMode: volumes), got []',
        'backup-dr:restore.dr.dbSubnetGroup: expected a DB subnet group: backup-dr:drill is enabled in region dr and plan "hourly" backs up databases, got nothing',
      ]);
      expect(configProblems(withDrill({ enabled: true }, { "backup-dr:restore": { dr: DR_NETWORK } }))).to.deep.equal([]);
    });

    it("looks at the drill's region's network only, and volumes mode needs no subnets", () => {
      const primaryOnly = { "backup-dr:restore": { primary: DR_NETWORK } };
      expect(configProblems(withDrill({ enabled: true, region: "primary" }, primaryOnly))).to.deep.equal([]);
      expect(problemsOf(withDrill({ enabled: true, machineMode: "volumes" }, primaryOnly))).to.deep.equal([
        'backup-dr:restore.dr.dbSubnetGroup: expected a DB subnet group: backup-dr:drill is enabled in region dr and plan "hourly" backs up databases, got nothing',
      ]);
    });

    it("leaves a plan that does not copy out of a DR drill (and out of its network checks), refuses one listed with targets; a primary drill takes it", () => {
      const local = { ...HOURLY, copyToDr: false };
      const plans = { "backup-dr:plans": [DAILY, local], "backup-dr:restore": { dr: { ...DR_NETWORK, dbSubnetGroup: undefined }, primary: DR_NETWORK } };
      expect(Object.keys(drillOf(withDrill({ enabled: true }, plans)).plans)).to.deep.equal(["daily"]);
      expect(Object.keys(drillOf(withDrill({ enabled: true, region: "primary" }, plans)).plans)).to.deep.equal(["daily", "hourly"]);
      expect(problemsOf(withDrill({ plans: { hourly: { rtoTargetMinutes: 30 } } }, plans))).to.deep.equal([
        'backup-dr:drill.plans.hourly: expected a plan that copies to DR, or backup-dr:drill region: primary: plan "hourly" has copyToDr: false, so the DR region has nothing of it to restore, got "hourly"',
      ]);
      expect(configProblems(withDrill({ region: "primary", plans: { hourly: { rtoTargetMinutes: 30 } } }, plans))).to.deep.equal([]);
    });

    it("refuses an RTO target above the shortest restore deadline of the plan's kinds in the machine mode, every plan at once", () => {
      const plans = { "backup-dr:plans": [{ ...DAILY, resources: ["ec2", "rds"] }, HOURLY] };
      expect(problemsOf(withDrill({ plans: { daily: { rtoTargetMinutes: 91 }, hourly: { rtoTargetMinutes: 181 } } }, plans))).to.deep.equal([
        'backup-dr:drill.plans.daily.rtoTargetMinutes: expected at most 90 minutes: plan "daily" backs up ec2, rds, and the shortest restore deadline of its kinds with machineMode "instance" is 90 minutes (a slower restore is reported failed, RestoreTimedOut, so a larger target could never be missed), got 91',
        'backup-dr:drill.plans.hourly.rtoTargetMinutes: expected at most 180 minutes: plan "hourly" backs up rds, and the shortest restore deadline of its kinds with machineMode "instance" is 180 minutes (a slower restore is reported failed, RestoreTimedOut, so a larger target could never be missed), got 181',
      ]);
      expect(configProblems(withDrill({ plans: { daily: { rtoTargetMinutes: 90 }, hourly: { rtoTargetMinutes: 180 } } }, plans))).to.deep.equal([]);
      expect(problemsOf(withDrill({ machineMode: "volumes", plans: { daily: { rtoTargetMinutes: 61 } } }, plans))).to.deep.equal([
        'backup-dr:drill.plans.daily.rtoTargetMinutes: expected at most 60 minutes: plan "daily" backs up ec2, rds, and the shortest restore deadline of its kinds with machineMode "volumes" is 60 minutes (a slower restore is reported failed, RestoreTimedOut, so a larger target could never be missed), got 61',
      ]);
    });

    it("refuses an enabled drill that would start more restores than Step Functions' history allows; a disabled one is capped by pick instead", () => {
      const most = registryDrillMaxSamples();
      const network = { "backup-dr:restore": { dr: DR_NETWORK } };
      // Two plans of one kind each: samplePerPlan x 2 restores.
      const over = Math.floor(most / 2) + 1;
      expect(over).to.be.at.most(10);
      expect(problemsOf(withDrill({ enabled: true, samplePerPlan: over }, network))).to.deep.equal([
        `backup-dr:drill.samplePerPlan: expected at most ${most} restores per drill (samplePerPlan ${over} x 2 kinds of the drilled plans = ${2 * over}): a Step Functions execution keeps at most 25,000 history events and fails past them, before the drill's cleanup runs; set samplePerPlan to at most ${Math.floor(most / 2)}, got ${over}`,
      ]);
      expect(configProblems(withDrill({ enabled: true, samplePerPlan: over - 1 }, network))).to.deep.equal([]);
      expect(configProblems(withDrill({ samplePerPlan: over }, network))).to.deep.equal([]);
    });

    it("checks across keys even while another key is wrong", () => {
      const problems = problemsOf(withDrill({ plans: { gold: {} } }, { "backup-dr:notifyOn": "never" }));
      expect(problems).to.include('backup-dr:drill.plans.gold: expected the name of a plan in backup-dr:plans (daily, hourly), got "gold"');
      expect(problems).to.have.length(2);
    });
  });
});
