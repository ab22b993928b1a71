// Issue #13 items 1-3 and 8 at the config loader (and the functions, which read plans with the same validator): counts and durations within
// the shared bounds, schedules that fire within a year, values AWS accepts, non-finite numbers shown as written.
import { expect } from "chai";
import { readBackupSettings } from "../../handlers/backup/settings";
import { readCopySettings } from "../../handlers/copy/settings";
import { backupEnv } from "../helpers/backup-setup";
import { copyEnv } from "../helpers/copy-setup";
import { configProblems as problemsOf } from "../helpers/config-problems";
import { asCliConfig } from "../helpers/stacks";
import { thrown } from "../helpers/thrown";

const PLAN = { name: "daily", schedule: "cron(0 2 * * ? *)", resources: ["ec2"], keep: { daily: 7 } };

function minimal(plan: Record<string, unknown> = {}): Record<string, unknown> {
  return { "aws:region": "us-east-1", "backup-dr:drRegion": "us-west-2", "backup-dr:plans": [{ ...PLAN, ...plan }] };
}

describe("config bounds (#13)", () => {
  describe("counts and durations (item 1)", () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ["yearly: 300000", { keep: { daily: 3, yearly: 300000 } }, "backup-dr:plans[0].keep.yearly: expected a whole number from 0 to 100, got 300000"],
      ["hourly: 1e12", { keep: { hourly: 1e12 } }, "backup-dr:plans[0].keep.hourly: expected a whole number from 0 to 100000, got 1000000000000"],
      ["drKeep monthly: 5000", { drKeep: { monthly: 5000 } }, "backup-dr:plans[0].drKeep.monthly: expected a whole number from 0 to 1200"],
      ["rate(99999999999 days)", { schedule: "rate(99999999999 days)" }, "backup-dr:plans[0].schedule: expected an EventBridge Scheduler expression"],
      ["hourly backups of a yearly rate kept 101 years", { schedule: "rate(365 days)", keep: { hourly: 101 } }, "backup-dr:plans[0].keep.hourly: expected backups kept at most 100 years: 101 hourly backups of rate(365 days)"],
    ];
    for (const [what, plan, says] of cases) {
      it(`refuses ${what}`, () => {
        expect(problemsOf(minimal(plan)).join("\n")).to.include(says);
      });
    }

    it("accepts the largest counts of each tier", () => {
      expect(problemsOf(minimal({ schedule: "cron(0 * * * ? *)", keep: { hourly: 18262, daily: 36525, weekly: 5218, monthly: 1200, yearly: 100 } }))).to.deep.equal([]);
    });

    const functions: [string, Record<string, unknown>, string][] = [
      ["yearly: 300000", { keep: { daily: 3, yearly: 300000 } }, "[0].keep.yearly: expected a whole number from 0 to 100, got 300000"],
      ["hourly: 1e12", { keep: { hourly: 1e12 } }, "[0].keep.hourly: expected a whole number from 0 to 100000, got 1000000000000"],
      ["rate(99999999999 days)", { schedule: "rate(99999999999 days)" }, "[0].schedule: expected an EventBridge Scheduler expression"],
      ["hourly backups of a yearly rate kept 101 years", { schedule: "rate(365 days)", keep: { hourly: 101 } }, "[0].keep.hourly: expected backups kept at most 100 years: 101 hourly backups"],
    ];
    for (const [what, plan, says] of functions) {
      it(`the backup and copy functions refuse ${what} as an InvalidSettingError, before any run`, () => {
        const plans = JSON.stringify([{ ...PLAN, ...plan }]);
        for (const read of [() => readBackupSettings(backupEnv({ BACKUP_DR_PLANS: plans })), () => readCopySettings(copyEnv({ BACKUP_DR_PLANS: plans }))]) {
          const error = thrown(read);
          expect(error.name).to.equal("InvalidSettingError");
          expect(error.message).to.include(says);
        }
      });
    }

    it("the copy function bounds drKeep as it bounds keep", () => {
      const plans = JSON.stringify([{ ...PLAN, drKeep: { yearly: 101 } }]);
      const error = thrown(() => readCopySettings(copyEnv({ BACKUP_DR_PLANS: plans })));
      expect(error.message).to.include("[0].drKeep.yearly: expected a whole number from 0 to 100, got 101");
    });
  });

  describe("schedules that never fire (item 2)", () => {
    const cases: [string, string][] = [
      ["cron(0 2 30 2 ? *)", 'day-of-month: "30" never falls in month "2"'],
      ["cron(0 2 31 4,6,9,11 ? *)", 'day-of-month: "31" never falls in month "4,6,9,11"'],
      ["cron(0 2 29 2 ? 2027)", 'year: "2027"'],
      ["cron(0 2 * * ? 2020)", 'year: "2020" names no year from'],
      ["cron(0 2 ? 2 2#5 *)", 'day-of-week: "2#5" falls in month "2" only in some years'],
    ];
    for (const [schedule, says] of cases) {
      it(`refuses ${schedule}, naming the field`, () => {
        const problems = problemsOf(minimal({ schedule }));
        expect(problems.join("\n")).to.include(`backup-dr:plans[0].schedule: expected a schedule that fires within a year: ${says}`);
      });
    }

    it("refuses a cleanup schedule that never fires", () => {
      const raw = { ...minimal(), "backup-dr:cleanup": { schedule: "cron(30 3 31 2 ? *)" } };
      expect(problemsOf(raw).join("\n")).to.include('backup-dr:cleanup.schedule: expected a schedule that fires within a year: day-of-month: "31" never falls in month "2"');
    });
  });

  describe("values AWS refuses (item 3)", () => {
    it("refuses made-up regions", () => {
      expect(problemsOf({ ...minimal(), "aws:region": "zz-fake-1" }).join("\n")).to.include('aws:region: expected an AWS region name such as us-east-1, got "zz-fake-1"');
      expect(problemsOf({ ...minimal(), "backup-dr:drRegion": "us-east-0" }).join("\n")).to.include('backup-dr:drRegion: expected an AWS region name such as us-east-1, got "us-east-0"');
    });

    it("refuses time zones not written as IANA names them, and says how to write them", () => {
      expect(problemsOf(minimal({ timezone: "america/new_york" })).join("\n")).to.include('(write "America/New_York"), got "america/new_york"');
      expect(problemsOf(minimal({ timezone: "utc" })).join("\n")).to.include('(write "UTC"), got "utc"');
      expect(problemsOf(minimal({ timezone: "America/New_York" }))).to.deep.equal([]);
    });

    it("the functions refuse a time zone in the wrong case, as Scheduler would get it as written", () => {
      const plans = (timezone: string) => JSON.stringify([{ ...PLAN, timezone }]);
      const error = thrown(() => readBackupSettings(backupEnv({ BACKUP_DR_PLANS: plans("america/new_york") })));
      expect(error.name).to.equal("InvalidSettingError");
      expect(error.message).to.include("[0].timezone");
      expect(readBackupSettings(backupEnv({ BACKUP_DR_PLANS: plans("America/New_York") })).plans[0].timezone).to.equal("America/New_York");
    });

    it("refuses 48 user tags (with the stack's own they pass AWS's 50), accepts 47", () => {
      const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`team-${i}`, "x"]));
      expect(problemsOf({ ...minimal(), "backup-dr:tags": tags(48) }).join("\n")).to.include("backup-dr:tags: expected at most 47 tags");
      expect(problemsOf({ ...minimal(), "backup-dr:tags": tags(47) })).to.deep.equal([]);
    });

    it("refuses e-mail addresses SNS will not deliver to", () => {
      const long = `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}.${"e".repeat(40)}.com`;
      for (const address of ["a@b..c", long, "a@b.c", "a.@b.com", "@b.com", "a@-b.com"]) {
        expect(problemsOf({ ...minimal(), "backup-dr:notifyEmails": [address] }).join("\n"), address).to.include("backup-dr:notifyEmails[0]: expected an email address");
      }
      expect(problemsOf({ ...minimal(), "backup-dr:notifyEmails": ["ops+backup@example.co.uk", "o'brien@mail.example.com"] })).to.deep.equal([]);
    });
  });

  describe("non-finite YAML numbers (item 8)", () => {
    it("shows .inf as written, not null", () => {
      expect(problemsOf({ ...minimal(), "backup-dr:kmsDeletionWindowDays": Infinity }).join("\n")).to.include("backup-dr:kmsDeletionWindowDays: expected a whole number of days from 7 to 30, got .inf");
      const cli = asCliConfig({ "backup-dr:kmsDeletionWindowDays": -Infinity });
      expect(problemsOf({ ...minimal(), ...cli }).join("\n")).to.include('got "-.inf"');
      expect(problemsOf(minimal({ keep: { daily: NaN } })).join("\n")).to.include("keep.daily: expected a whole number from 0 to 36525, got .nan");
    });
  });
});
