// Stack configuration: the shipped stacks parse, defaults match Pulumi.yaml, and bad values fail with
// a message that names the key path, the value and what is allowed.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { ConfigError, loadConfig, parseConfig, type BackupDrConfig } from "../../infra/config";
import { loadUnderRuntime, problemsOf } from "../helpers/config-problems";
import { runProgram } from "../helpers/program";
import { ROOT, asCliConfig, stackFiles, stackValues } from "../helpers/stacks";

const CONTEXT = { project: "backup-dr", stack: "test" };

/** The smallest valid config; each bad case changes one thing. */
function minimal(): Record<string, unknown> {
  return {
    "aws:region": "us-east-1",
    "backup-dr:drRegion": "us-west-2",
    "backup-dr:plans": [{ name: "daily", schedule: "cron(0 2 * * ? *)", resources: ["ec2"], keep: { daily: 7 } }],
  };
}

function withPlan(change: Record<string, unknown>, keys: Record<string, unknown> = {}): Record<string, unknown> {
  const raw = { ...minimal(), ...keys };
  const [plan] = raw["backup-dr:plans"] as Record<string, unknown>[];
  raw["backup-dr:plans"] = [{ ...plan, ...change }];
  return raw;
}

describe("config", () => {
  describe("shipped stacks", () => {
    it("ships dev and prod", () => {
      expect(stackFiles()).to.include.members(["dev", "prod"]);
    });

    it("dev: one daily plan, short retention, GOVERNANCE lock for a day, cleanup live, destroyable storage", () => {
      const c = parseConfig(stackValues("dev"), { project: "backup-dr", stack: "dev" });
      expect(c.plans.map((p) => p.name)).to.deep.equal(["daily"]);
      expect(c.plans[0].keep).to.deep.equal({ hourly: 0, daily: 3, weekly: 0, monthly: 0, yearly: 0 });
      expect(c.vaultLock).to.deep.equal({ mode: "GOVERNANCE", days: 1 });
      expect(c.cleanup.dryRun).to.equal(false);
      expect(c.kmsDeletionWindowDays).to.equal(7);
      expect(c.protectStorage).to.equal(false);
      expect(c.region).to.not.equal(c.drRegion);
      expect(c.stackTag).to.equal("backup-dr/dev");
    });

    it("prod: gold every 6 h and silver daily, GFS retention, COMPLIANCE lock, DR copies on, protected storage", () => {
      const c = parseConfig(stackValues("prod"), { project: "backup-dr", stack: "prod" });
      const [gold, silver] = c.plans;
      expect(gold.name).to.equal("gold");
      expect(gold.schedule).to.equal("cron(0 0/6 * * ? *)");
      expect(silver.name).to.equal("silver");
      expect(silver.schedule).to.match(/^cron\(\d+ \d+ \* \* \? \*\)$/);
      expect(gold.keep.daily).to.be.greaterThan(0);
      expect(gold.keep.weekly).to.be.greaterThan(0);
      expect(gold.keep.monthly).to.be.greaterThan(0);
      expect(c.plans.every((p) => p.copyToDr)).to.equal(true);
      expect(c.vaultLock.mode).to.equal("COMPLIANCE");
      expect(c.kmsDeletionWindowDays).to.equal(30);
      expect(c.protectStorage).to.equal(true);
    });
  });

  describe("defaults", () => {
    let c: BackupDrConfig;
    before(() => {
      c = parseConfig(minimal(), CONTEXT);
    });

    it("fills every optional key", () => {
      expect(c.selectionTagKey).to.equal("backup-plan");
      expect(c.environment).to.equal("test");
      expect(c.protectedBuckets).to.deep.equal([]);
      expect(c.notifyEmails).to.deep.equal([]);
      expect(c.notifyOn).to.equal("failure");
      expect(c.vaultLock).to.deep.equal({ mode: "GOVERNANCE", days: 30 });
      expect(c.vaultLifecycle).to.deep.equal({ glacierIrAfterDays: 30, glacierAfterDays: 90, deepArchiveAfterDays: 180, expireAfterDays: 730, runsExpireDays: 400 });
      expect(c.copy).to.deep.equal({ sweepMinutes: 30, maxEbsCopies: 20, maxRdsCopies: 20, maxClusterCopies: 5, lagAlarmMinutes: 240 });
      expect(c.pacing).to.deep.equal({ snapshotPerSecond: 5, snapshotBurst: 100, runDeadlineMinutes: 120 });
      expect(c.s3Replication).to.deep.equal({ storageClass: "STANDARD_IA", latencyAlarmSeconds: 900, eventNotifications: true });
      expect(c.cleanup).to.deep.equal({ dryRun: false, maxDeletionsPerRun: 200, minAgeDays: 1, maxDeleteFraction: 0.5, schedule: "cron(30 3 * * ? *)", timezone: "UTC" });
      expect(c.tags).to.deep.equal({});
      expect(c.kmsDeletionWindowDays).to.equal(30);
      expect(c.logRetentionDays).to.equal(90);
      expect(c.protectStorage).to.equal(true);
      expect(c.plans[0]).to.deep.include({ timezone: "UTC", copyToDr: true });
      expect(c.plans[0].drKeep).to.deep.equal(c.plans[0].keep);
    });

    it("applies the same defaults Pulumi.yaml declares", () => {
      const project = yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
        config: Record<string, { default?: unknown }>;
      };
      const declared = Object.entries(project.config).filter(([, spec]) => spec.default !== undefined);
      expect(declared.length).to.be.greaterThan(5);
      const applied = c as unknown as Record<string, unknown>;
      for (const [key, spec] of declared) expect(applied[key], key).to.deep.equal(spec.default);
    });

    it("accepts a DR-copy exception naming a plan that does not copy", () => {
      const parsed = parseConfig(withPlan({ copyToDr: false }, { "backup-dr:allowNoDrCopy": ["daily"] }), CONTEXT);
      expect([parsed.plans[0].copyToDr, parsed.allowNoDrCopy]).to.deep.equal([false, ["daily"]]);
    });

    it("reads scalar values as the CLI passes them (strings)", () => {
      const raw = { ...minimal(), "backup-dr:kmsDeletionWindowDays": "7", "backup-dr:protectStorage": "false", "backup-dr:logRetentionDays": "14" };
      const parsed = parseConfig(raw, CONTEXT);
      expect([parsed.kmsDeletionWindowDays, parsed.protectStorage, parsed.logRetentionDays]).to.deep.equal([7, false, 14]);
    });
  });

  describe("bad values", () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ["missing primary region", { ...minimal(), "aws:region": undefined }, "aws:region: expected an AWS region name such as us-east-1, got nothing"],
      ["malformed DR region", { ...minimal(), "backup-dr:drRegion": "US West" }, 'backup-dr:drRegion: expected an AWS region name such as us-east-1, got "US West"'],
      ["DR region equal to primary", { ...minimal(), "backup-dr:drRegion": "us-east-1" }, 'backup-dr:drRegion: expected a region other than the primary aws:region (us-east-1), got "us-east-1"'],
      ["no plans", { ...minimal(), "backup-dr:plans": [] }, "backup-dr:plans: expected at least one plan, got []"],
      ["plans not a list", { ...minimal(), "backup-dr:plans": "gold" }, 'backup-dr:plans: expected a list of plans, got "gold"'],
      ["negative keep count", withPlan({ keep: { daily: -3 } }), "backup-dr:plans[0].keep.daily: expected a whole number from 0 to 36525, got -3"],
      ["fractional keep count", withPlan({ keep: { daily: 1.5 } }), "backup-dr:plans[0].keep.daily: expected a whole number from 0 to 36525, got 1.5"],
      ["misspelt retention tier", withPlan({ keep: { daily: 7, dayly: 3 } }), "backup-dr:plans[0].keep.dayly: unknown key; allowed: hourly, daily, weekly, monthly, yearly (did you mean \"daily\"?)"],
      ["a plan that keeps nothing", withPlan({ keep: { daily: 0 } }), 'backup-dr:plans[0].keep: expected at least one tier (hourly, daily, weekly, monthly, yearly) kept more than 0 times, got {"daily":0}'],
      ["keep missing", withPlan({ keep: undefined }), "backup-dr:plans[0].keep: expected a map of how many backups to keep per tier: hourly, daily, weekly, monthly, yearly, got nothing"],
      ["uppercase plan name", withPlan({ name: "Gold" }), 'backup-dr:plans[0].name: expected a plan name of 1-20 lowercase letters, digits and single hyphens, starting with a letter, got "Gold"'],
      ["five-field cron", withPlan({ schedule: "cron(0 2 * * *)" }), `backup-dr:plans[0].schedule: expected an EventBridge Scheduler expression (expected six fields separated by single spaces (minutes hours day-of-month month day-of-week year), got 5): cron(minutes hours day-of-month month day-of-week year) with one of the two day fields '?', or rate(N minutes|hours|days), got "cron(0 2 * * *)"`],
      ["cron without a '?' day", withPlan({ schedule: "cron(0 2 * * * *)" }), `backup-dr:plans[0].schedule: expected an EventBridge Scheduler expression (exactly one of day-of-month and day-of-week must be '?'): cron(minutes hours day-of-month month day-of-week year) with one of the two day fields '?', or rate(N minutes|hours|days), got "cron(0 2 * * * *)"`],
      ["rate with a plural for one", withPlan({ schedule: "rate(1 hours)" }), `backup-dr:plans[0].schedule: expected an EventBridge Scheduler expression (use the singular unit for 1 ("1 hour")): cron(minutes hours day-of-month month day-of-week year) with one of the two day fields '?', or rate(N minutes|hours|days), got "rate(1 hours)"`],
      ["unknown time zone", withPlan({ timezone: "Mars/Olympus" }), 'backup-dr:plans[0].timezone: expected an IANA time zone written exactly as IANA names it, such as UTC or Europe/Berlin, got "Mars/Olympus"'],
      ["unknown resource type", withPlan({ resources: ["ec2", "dynamodb"] }), 'backup-dr:plans[0].resources[1]: expected one of "ec2", "rds", "aurora", got "dynamodb"'],
      ["no resource types", withPlan({ resources: [] }), 'backup-dr:plans[0].resources: expected at least one of "ec2", "rds", "aurora", got []'],
      ["a resource type twice", withPlan({ resources: ["rds", "rds"] }), 'backup-dr:plans[0].resources[1]: expected each resource type once (already at [0]), got "rds"'],
      ["copyToDr not a boolean", withPlan({ copyToDr: "yes" }), 'backup-dr:plans[0].copyToDr: expected true or false, got "yes"'],
      ["misspelt plan key", withPlan({ shedule: "rate(1 day)" }), "backup-dr:plans[0].shedule: unknown key; allowed: name, schedule, timezone, resources, keep, drKeep, copyToDr (did you mean \"schedule\"?)"],
      [
        "duplicate plan names",
        { ...minimal(), "backup-dr:plans": [...(minimal()["backup-dr:plans"] as unknown[]), ...(minimal()["backup-dr:plans"] as unknown[])] },
        'backup-dr:plans[1].name: expected each plan name once (already at [0]), got "daily"',
      ],
      ["invalid bucket name", { ...minimal(), "backup-dr:protectedBuckets": ["My_Bucket"] }, 'backup-dr:protectedBuckets[0]: expected an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens), got "My_Bucket"'],
      [
        "a bucket backup-dr creates, as protected",
        { ...minimal(), "backup-dr:protectedBuckets": ["backup-dr-primary-vault-1a2b3c4"] },
        'backup-dr:protectedBuckets[0]: expected a bucket of yours, not one backup-dr creates (names starting with backup-dr- are its vaults, replicas and logs), got "backup-dr-primary-vault-1a2b3c4"',
      ],
      ["unknown replica storage class", { ...minimal(), "backup-dr:s3Replication": { storageClass: "COLD" } }, 'backup-dr:s3Replication.storageClass: expected one of "STANDARD", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE", got "COLD"'],
      ["replication latency alarm under a minute", { ...minimal(), "backup-dr:s3Replication": { latencyAlarmSeconds: 5 } }, "backup-dr:s3Replication.latencyAlarmSeconds: expected a whole number of seconds from 60 to 86400, got 5"],
      ["more Aurora copies in flight than AWS allows", { ...minimal(), "backup-dr:copy": { maxClusterCopies: 6 } }, "backup-dr:copy.maxClusterCopies: expected a whole number from 1 to 5, got 6"],
      ["cron with a day-of-month AWS never reaches", withPlan({ schedule: "cron(0 2 32 * ? *)" }), `backup-dr:plans[0].schedule: expected an EventBridge Scheduler expression (day-of-month must be 1-31, not 32): cron(minutes hours day-of-month month day-of-week year) with one of the two day fields '?', or rate(N minutes|hours|days), got "cron(0 2 32 * ? *)"`],
      ["duplicate bucket", { ...minimal(), "backup-dr:protectedBuckets": ["data-a", "data-a"] }, 'backup-dr:protectedBuckets[1]: expected each bucket once (already at [0]), got "data-a"'],
      ["invalid email", { ...minimal(), "backup-dr:notifyEmails": ["oncall-at-example.com"] }, 'backup-dr:notifyEmails[0]: expected an email address, got "oncall-at-example.com"'],
      ["unknown notifyOn", { ...minimal(), "backup-dr:notifyOn": "sometimes" }, 'backup-dr:notifyOn: expected one of "failure", "always", got "sometimes"'],
      ["unknown vault lock mode", { ...minimal(), "backup-dr:vaultLock": { mode: "STRICT", days: 5 } }, 'backup-dr:vaultLock.mode: expected one of "GOVERNANCE", "COMPLIANCE", "off", got "STRICT"'],
      ["vault lock without days", { ...minimal(), "backup-dr:vaultLock": { mode: "COMPLIANCE" } }, "backup-dr:vaultLock.days: expected a whole number of days from 1 to 36500 when mode is COMPLIANCE, got nothing"],
      ["vault lock of zero days", { ...minimal(), "backup-dr:vaultLock": { mode: "GOVERNANCE", days: 0 } }, "backup-dr:vaultLock.days: expected a whole number of days from 1 to 36500, got 0"],
      ["lifecycle out of order", { ...minimal(), "backup-dr:vaultLifecycle": { glacierIrAfterDays: 90, glacierAfterDays: 30 } }, "backup-dr:vaultLifecycle.glacierAfterDays: expected more days than glacierIrAfterDays (90), got 30"],
      ["a snapshot pace of zero", { ...minimal(), "backup-dr:pacing": { snapshotPerSecond: 0 } }, "backup-dr:pacing.snapshotPerSecond: expected a number above 0 and at most 100, got 0"],
      ["a snapshot burst beyond AWS's scale", { ...minimal(), "backup-dr:pacing": { snapshotBurst: 5000 } }, "backup-dr:pacing.snapshotBurst: expected a whole number from 1 to 1000, got 5000"],
      ["run manifests expiring at zero days", { ...minimal(), "backup-dr:vaultLifecycle": { runsExpireDays: 0 } }, "backup-dr:vaultLifecycle.runsExpireDays: expected a whole number of days from 1 to 36500, got 0"],
      [
        "run manifests expiring before the vault lock lets them go",
        { ...minimal(), "backup-dr:vaultLock": { mode: "COMPLIANCE", days: 90 }, "backup-dr:vaultLifecycle": { runsExpireDays: 60 } },
        "backup-dr:vaultLifecycle.runsExpireDays: expected at least 90 days, the backup-dr:vaultLock retention (COMPLIANCE): Object Lock keeps each manifest that long anyway, got 60",
      ],
      ["expiry before the last transition", { ...minimal(), "backup-dr:vaultLifecycle": { expireAfterDays: 100 } }, "backup-dr:vaultLifecycle.expireAfterDays: expected more days than deepArchiveAfterDays (180), got 100"],
      ["cleanup deletion cap of zero", { ...minimal(), "backup-dr:cleanup": { maxDeletionsPerRun: 0 } }, "backup-dr:cleanup.maxDeletionsPerRun: expected a whole number from 1 to 10000, got 0"],
      ["cleanup fraction above one", { ...minimal(), "backup-dr:cleanup": { maxDeleteFraction: 1.5 } }, "backup-dr:cleanup.maxDeleteFraction: expected a fraction above 0 and at most 1, got 1.5"],
      ["cleanup dryRun not a boolean", { ...minimal(), "backup-dr:cleanup": { dryRun: "maybe" } }, 'backup-dr:cleanup.dryRun: expected true or false, got "maybe"'],
      ["reserved tag key", { ...minimal(), "backup-dr:tags": { "aws:createdBy": "me" } }, 'backup-dr:tags["aws:createdBy"]: expected a tag key of 1-128 letters, digits, spaces and _.:/=+-@, not starting with aws:, got "aws:createdBy"'],
      ["tag the stack sets itself", { ...minimal(), "backup-dr:tags": { environment: "x" } }, 'backup-dr:tags.environment: expected a tag key the stack does not set itself (backup-dr:* and environment are reserved), got "environment"'],
      ["KMS deletion window too short", { ...minimal(), "backup-dr:kmsDeletionWindowDays": "3" }, 'backup-dr:kmsDeletionWindowDays: expected a whole number of days from 7 to 30, got "3"'],
      ["log retention CloudWatch does not offer", { ...minimal(), "backup-dr:logRetentionDays": 10 }, "backup-dr:logRetentionDays: expected one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, got 10"],
      ["selection tag key in the aws: namespace", { ...minimal(), "backup-dr:selectionTagKey": "aws:plan" }, 'backup-dr:selectionTagKey: expected a tag key of 1-128 letters, digits, spaces and _.:/=+-@, not starting with aws:, got "aws:plan"'],
      ["misspelt top-level key", { ...minimal(), "backup-dr:plan": [] }, `backup-dr:plan: unknown config key; allowed: backup-dr:drRegion, backup-dr:environment, backup-dr:selectionTagKey, backup-dr:plans, backup-dr:protectedBuckets, backup-dr:notifyEmails, backup-dr:notifyOn, backup-dr:vaultLock, backup-dr:vaultLifecycle, backup-dr:cleanup, backup-dr:s3Replication, backup-dr:copy, backup-dr:tags, backup-dr:kmsDeletionWindowDays, backup-dr:logRetentionDays, backup-dr:protectStorage, backup-dr:expectedSources, backup-dr:allowNoDrCopy, backup-dr:restore, backup-dr:drill, backup-dr:report, backup-dr:pacing (did you mean "backup-dr:plans"?)`],
      ["a DR-copy exception naming no plan", withPlan({ copyToDr: false }, { "backup-dr:allowNoDrCopy": ["dayly"] }), 'backup-dr:allowNoDrCopy[0]: expected the name of a plan in backup-dr:plans (daily), got "dayly"'],
      ["a DR-copy exception for a plan that copies", withPlan({}, { "backup-dr:allowNoDrCopy": ["daily"] }), 'backup-dr:allowNoDrCopy[0]: expected a plan with copyToDr: false (plan "daily" copies to DR; remove it here), got "daily"'],
      ["a DR-copy exception twice", withPlan({ copyToDr: false }, { "backup-dr:allowNoDrCopy": ["daily", "daily"] }), 'backup-dr:allowNoDrCopy[1]: expected each plan once (already at [0]), got "daily"'],
      ["DR-copy exceptions not a list", withPlan({ copyToDr: false }, { "backup-dr:allowNoDrCopy": "daily" }), 'backup-dr:allowNoDrCopy: expected a list of plan names, got "daily"'],
    ];

    for (const [title, raw, message] of cases) {
      it(`rejects ${title}`, () => {
        expect(problemsOf(raw)).to.deep.equal([message]);
      });
    }

    it("reports every problem at once, in one error that lists them", () => {
      const raw = { ...withPlan({ name: "Gold", keep: { daily: -3 } }), "backup-dr:notifyOn": "never", "backup-dr:vaultLock": { mode: "off", dayz: 1 } };
      let error: unknown;
      try {
        parseConfig(raw, CONTEXT);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(ConfigError);
      const { problems, message, name } = error as ConfigError;
      expect(name).to.equal("ConfigError");
      expect(problems).to.have.members([
        'backup-dr:plans[0].name: expected a plan name of 1-20 lowercase letters, digits and single hyphens, starting with a letter, got "Gold"',
        "backup-dr:plans[0].keep.daily: expected a whole number from 0 to 36525, got -3",
        'backup-dr:notifyOn: expected one of "failure", "always", got "never"',
        'backup-dr:vaultLock.dayz: unknown key; allowed: mode, days (did you mean "days"?)',
      ]);
      expect(message).to.match(/^Invalid backup-dr stack configuration \(4 problems\):\n {2}/);
      for (const p of problems) expect(message).to.include(p);
    });
  });

  describe("through the Pulumi runtime", () => {
    it("loads a shipped stack as the CLI passes it", async () => {
      const run = await runProgram("prod", asCliConfig(stackValues("prod")), () => loadConfig());
      expect(run.result).to.deep.equal(parseConfig(stackValues("prod"), { project: "backup-dr", stack: "prod" }));
    });

    it("fails the program, before any resource, on a bad value", async () => {
      const config = asCliConfig({ ...stackValues("dev"), "backup-dr:plans": "not a list" });
      const { error, resources } = await loadUnderRuntime("dev", config);
      expect(error).to.be.instanceOf(ConfigError);
      expect((error as ConfigError).problems).to.deep.equal(['backup-dr:plans: expected a list of plans, got "not a list"']);
      expect(resources).to.deep.equal([]);
    });
  });
});
