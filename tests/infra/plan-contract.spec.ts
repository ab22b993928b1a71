// Issue 14 item 1: one plan contract. The same plans go through config and, in the environment the program writes,
// through the backup, copy and cleanup functions' settings readers: each gets the same normalised plan. Every default
// and range a function shares with config is the config's, and the functions refuse what config refuses.
import { expect } from "chai";
import { readBackupSettings } from "../../handlers/backup/settings";
import { readCleanupSettings } from "../../handlers/cleanup/settings";
import { readCopySettings } from "../../handlers/copy/settings";
import { CLEANUP_VALVES, CONCURRENCY, type IntRange } from "../../handlers/lib/shared-settings";
import { COPY_LIMITS } from "../../handlers/catalog";
import { readPlans, type Plan, type RunPlan } from "../../handlers/plan";
import { parseConfig, type BackupDrConfig } from "../../infra/config";
import { PLAN_DEFAULTS } from "../../policies/lib/plan-contract";
import { backupEnv } from "../helpers/backup-setup";
import { copyEnv } from "../helpers/copy-setup";
import { cleanupEnv } from "../helpers/cleanup-setup";
import { configProblems } from "../helpers/config-problems";
import { deployStack } from "../helpers/deploy";
import type { Registered } from "../helpers/program";
import { one } from "../helpers/resources";
import { stackValues } from "../helpers/stacks";
import { thrown } from "../helpers/thrown";

const CONTEXT = { project: "backup-dr", stack: "test" };

/** The plans as a stack file writes them: minimal, full, with drKeep, not copied, in a non-UTC zone. */
const PLANS = [
  { name: "minimal", schedule: "cron(0 2 * * ? *)", resources: ["ec2"], keep: { daily: 3 } },
  {
    name: "full",
    schedule: "cron(0 0/6 * * ? *)",
    timezone: "UTC",
    resources: ["ec2", "rds", "aurora"],
    keep: { hourly: 8, daily: 14, weekly: 8, monthly: 12, yearly: 7 },
    drKeep: { hourly: 4, daily: 7, weekly: 4, monthly: 6, yearly: 2 },
    copyToDr: true,
  },
  { name: "with-dr-keep", schedule: "rate(1 day)", resources: ["rds"], keep: { daily: 7, weekly: 4 }, drKeep: { daily: 2 } },
  { name: "no-copy", schedule: "cron(30 1 ? * MON *)", resources: ["aurora", "ec2"], keep: { weekly: 6 }, copyToDr: false },
  { name: "berlin", schedule: "cron(0 3 1 * ? *)", timezone: "Europe/Berlin", resources: ["rds"], keep: { monthly: 12, yearly: 1 } },
];

const counts = (c: Partial<Plan["keep"]>): Plan["keep"] => ({ hourly: 0, daily: 0, weekly: 0, monthly: 0, yearly: 0, ...c });

/** What every reader must yield: every default applied (time zone, drKeep, copyToDr, all five tier counts). */
const NORMALISED: Plan[] = [
  { name: "minimal", schedule: "cron(0 2 * * ? *)", timezone: "UTC", resources: ["ec2"], keep: counts({ daily: 3 }), drKeep: counts({ daily: 3 }), copyToDr: true },
  {
    name: "full",
    schedule: "cron(0 0/6 * * ? *)",
    timezone: "UTC",
    resources: ["ec2", "rds", "aurora"],
    keep: counts({ hourly: 8, daily: 14, weekly: 8, monthly: 12, yearly: 7 }),
    drKeep: counts({ hourly: 4, daily: 7, weekly: 4, monthly: 6, yearly: 2 }),
    copyToDr: true,
  },
  { name: "with-dr-keep", schedule: "rate(1 day)", timezone: "UTC", resources: ["rds"], keep: counts({ daily: 7, weekly: 4 }), drKeep: counts({ daily: 2 }), copyToDr: true },
  { name: "no-copy", schedule: "cron(30 1 ? * MON *)", timezone: "UTC", resources: ["aurora", "ec2"], keep: counts({ weekly: 6 }), drKeep: counts({ weekly: 6 }), copyToDr: false },
  { name: "berlin", schedule: "cron(0 3 1 * ? *)", timezone: "Europe/Berlin", resources: ["rds"], keep: counts({ monthly: 12, yearly: 1 }), drKeep: counts({ monthly: 12, yearly: 1 }), copyToDr: true },
];

/** A function's plans back in their JSON form (the schedule as its expression). */
const asJson = (plans: readonly RunPlan[]): Plan[] => plans.map((p) => ({ ...p, schedule: p.schedule.expression }));

function minimal(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { "aws:region": "us-east-1", "backup-dr:drRegion": "us-west-2", "backup-dr:plans": PLANS.slice(0, 1), ...extra };
}

function variablesOf(resources: Registered[], name: string): Record<string, string> {
  const environment = one(resources, "aws:lambda/function:Function", name).inputs.environment as { variables: Record<string, string> };
  return environment.variables;
}

describe("the plan contract (issue 14 item 1)", () => {
  describe("the same plans through config and through each function", () => {
    let config: BackupDrConfig;
    let backup: Record<string, string>;
    let copy: Record<string, string>;
    let cleanup: Record<string, string>;

    before(async () => {
      // dev's drill targets name dev's plans: these plans are drilled with the defaults.
      const run = await deployStack("dev", { ...stackValues("dev"), "backup-dr:plans": PLANS, "backup-dr:drill": { ...(stackValues("dev")["backup-dr:drill"] as object), plans: {} } });
      config = run.result.config;
      backup = variablesOf(run.resources, "backup");
      copy = variablesOf(run.resources, "copy");
      cleanup = variablesOf(run.resources, "cleanup");
    });

    it("config yields the normalised plans, every default applied", () => {
      expect(config.plans).to.deep.equal(NORMALISED);
      expect(parseConfig(minimal({ "backup-dr:plans": PLANS }), CONTEXT).plans).to.deep.equal(NORMALISED);
    });

    it("the program writes the normalised plans into BACKUP_DR_PLANS of both functions that read plans", () => {
      expect(JSON.parse(backup.BACKUP_DR_PLANS)).to.deep.equal(NORMALISED);
      expect(copy.BACKUP_DR_PLANS).to.equal(backup.BACKUP_DR_PLANS);
    });

    it("the backup function reads the same normalised plans from the environment the program writes", () => {
      expect(asJson(readBackupSettings(backup).plans)).to.deep.equal(NORMALISED);
    });

    it("the copy function reads the same normalised plans from the environment the program writes", () => {
      expect(asJson(readCopySettings(copy).plans)).to.deep.equal(NORMALISED);
    });

    it("the functions' validator gives the same normalised plans from the plans as written (one set of defaults)", () => {
      expect(asJson(readPlans(PLANS))).to.deep.equal(NORMALISED);
      expect(asJson(readPlans(NORMALISED))).to.deep.equal(NORMALISED);
    });

    it("each function reads the shared settings the program writes as config has them", () => {
      for (const variables of [backup, copy, cleanup]) expect(variables.BACKUP_DR_CONCURRENCY).to.equal(undefined);
      const b = readBackupSettings(backup);
      expect([b.selectionTagKey, b.notifyOn]).to.deep.equal([config.selectionTagKey, config.notifyOn]);
      const c = readCopySettings(copy);
      expect(c.limits).to.deep.equal({ ebs: config.copy.maxEbsCopies, rds: config.copy.maxRdsCopies, aurora: config.copy.maxClusterCopies });
      expect(c.notifyOn).to.equal(config.notifyOn);
      const k = readCleanupSettings(cleanup);
      expect([k.dryRun, k.maxDeletions, k.minAgeDays, k.maxDeleteFraction, k.notifyOn]).to.deep.equal([
        config.cleanup.dryRun,
        config.cleanup.maxDeletionsPerRun,
        config.cleanup.minAgeDays,
        config.cleanup.maxDeleteFraction,
        config.notifyOn,
      ]);
    });
  });

  describe("each function's default is the config's default", () => {
    const defaults = parseConfig(minimal(), CONTEXT);

    it("backup: selection tag key, notifyOn", () => {
      const s = readBackupSettings(backupEnv({ BACKUP_DR_SELECTION_TAG_KEY: undefined, BACKUP_DR_NOTIFY_ON: undefined }));
      expect([s.selectionTagKey, s.notifyOn]).to.deep.equal([defaults.selectionTagKey, defaults.notifyOn]);
    });

    it("copy: the three in-flight limits, notifyOn", () => {
      const s = readCopySettings(copyEnv({ BACKUP_DR_MAX_EBS_COPIES: undefined, BACKUP_DR_MAX_RDS_COPIES: undefined, BACKUP_DR_MAX_CLUSTER_COPIES: undefined, BACKUP_DR_NOTIFY_ON: undefined }));
      expect(s.limits).to.deep.equal({ ebs: defaults.copy.maxEbsCopies, rds: defaults.copy.maxRdsCopies, aurora: defaults.copy.maxClusterCopies });
      expect(s.notifyOn).to.equal(defaults.notifyOn);
    });

    it("cleanup: dryRun, maxDeletionsPerRun, minAgeDays, maxDeleteFraction, notifyOn", () => {
      const s = readCleanupSettings(
        cleanupEnv({ BACKUP_DR_DRY_RUN: undefined, BACKUP_DR_MAX_DELETIONS: undefined, BACKUP_DR_MIN_AGE_DAYS: undefined, BACKUP_DR_MAX_DELETE_FRACTION: undefined, BACKUP_DR_NOTIFY_ON: undefined }),
      );
      expect([s.dryRun, s.maxDeletions, s.minAgeDays, s.maxDeleteFraction, s.notifyOn]).to.deep.equal([
        defaults.cleanup.dryRun,
        defaults.cleanup.maxDeletionsPerRun,
        defaults.cleanup.minAgeDays,
        defaults.cleanup.maxDeleteFraction,
        defaults.notifyOn,
      ]);
    });

    it("concurrency: not a config key, so the program leaves it unset and all three functions share one default", () => {
      expect(readBackupSettings(backupEnv({ BACKUP_DR_CONCURRENCY: undefined })).concurrency).to.equal(CONCURRENCY.fallback);
      expect(readCopySettings(copyEnv({ BACKUP_DR_CONCURRENCY: undefined })).concurrency).to.equal(CONCURRENCY.fallback);
      expect(readCleanupSettings(cleanupEnv({ BACKUP_DR_CONCURRENCY: undefined })).concurrency).to.equal(CONCURRENCY.fallback);
    });

    it("plans: a time zone, copyToDr and drKeep left out take the contract's defaults in config and in the functions", () => {
      const [plan] = parseConfig(minimal(), CONTEXT).plans;
      expect([plan.timezone, plan.copyToDr, plan.drKeep]).to.deep.equal([PLAN_DEFAULTS.timezone, PLAN_DEFAULTS.copyToDr, plan.keep]);
      expect(asJson(readPlans(PLANS.slice(0, 1)))).to.deep.equal([plan]);
    });
  });

  describe("one range for each setting config and a function share", () => {
    const ranges: [string, string, IntRange, (value: string) => unknown][] = [
      ["copy.maxEbsCopies", "BACKUP_DR_MAX_EBS_COPIES", COPY_LIMITS.ebs, (v) => readCopySettings(copyEnv({ BACKUP_DR_MAX_EBS_COPIES: v }))],
      ["copy.maxRdsCopies", "BACKUP_DR_MAX_RDS_COPIES", COPY_LIMITS.rds, (v) => readCopySettings(copyEnv({ BACKUP_DR_MAX_RDS_COPIES: v }))],
      ["copy.maxClusterCopies", "BACKUP_DR_MAX_CLUSTER_COPIES", COPY_LIMITS.aurora, (v) => readCopySettings(copyEnv({ BACKUP_DR_MAX_CLUSTER_COPIES: v }))],
      ["cleanup.maxDeletionsPerRun", "BACKUP_DR_MAX_DELETIONS", CLEANUP_VALVES.maxDeletionsPerRun, (v) => readCleanupSettings(cleanupEnv({ BACKUP_DR_MAX_DELETIONS: v }))],
      ["cleanup.minAgeDays", "BACKUP_DR_MIN_AGE_DAYS", CLEANUP_VALVES.minAgeDays, (v) => readCleanupSettings(cleanupEnv({ BACKUP_DR_MIN_AGE_DAYS: v }))],
    ];
    for (const [key, variable, range, read] of ranges) {
      it(`${key} and ${variable}: both accept ${range.min} and ${range.max}, both refuse ${range.min - 1} and ${range.max + 1}`, () => {
        const [map, field] = key.split(".");
        const withValue = (n: number) => minimal({ [`backup-dr:${map}`]: { [field]: n } });
        for (const ok of [range.min, range.max]) {
          expect(configProblems(withValue(ok)), `config ${ok}`).to.deep.equal([]);
          expect(() => read(String(ok)), `${variable} ${ok}`).not.to.throw();
        }
        for (const bad of [range.min - 1, range.max + 1]) {
          expect(configProblems(withValue(bad))).to.deep.equal([`backup-dr:${key}: expected a whole number from ${range.min} to ${range.max}, got ${bad}`]);
          const error = thrown(() => read(String(bad)));
          expect([error.name, error.message]).to.deep.equal(["InvalidSettingError", `Invalid setting ${variable}: expected a whole number from ${range.min} to ${range.max}, got "${bad}"`]);
        }
      });
    }
  });

  it("cleanup.maxDeleteFraction and BACKUP_DR_MAX_DELETE_FRACTION: both accept 1 and just above 0, both refuse 0 and above 1", () => {
    const withValue = (n: number) => minimal({ "backup-dr:cleanup": { maxDeleteFraction: n } });
    const read = (v: string) => readCleanupSettings(cleanupEnv({ BACKUP_DR_MAX_DELETE_FRACTION: v }));
    for (const ok of [1, 0.01]) {
      expect(configProblems(withValue(ok)), `config ${ok}`).to.deep.equal([]);
      expect(read(String(ok)).maxDeleteFraction).to.equal(ok);
    }
    for (const bad of [0, 1.5]) {
      expect(configProblems(withValue(bad))).to.deep.equal([`backup-dr:cleanup.maxDeleteFraction: expected a fraction above 0 and at most 1, got ${bad}`]);
      expect(thrown(() => read(String(bad))).message).to.equal(`Invalid setting BACKUP_DR_MAX_DELETE_FRACTION: expected a fraction above 0 and at most 1 (such as 0.5), got "${bad}"`);
    }
  });

  describe("the functions refuse what config refuses", () => {
    const nothingKept = [{ ...PLANS[0], keep: { daily: 0, weekly: 0 } }];
    const message = "expected at least one tier (hourly, daily, weekly, monthly, yearly) kept more than 0 times";

    it("an all-zero keep", () => {
      expect(configProblems(minimal({ "backup-dr:plans": nothingKept }))).to.deep.equal([`backup-dr:plans[0].keep: ${message}, got {"daily":0,"weekly":0}`]);
      for (const read of [() => readBackupSettings(backupEnv({ BACKUP_DR_PLANS: JSON.stringify(nothingKept) })), () => readCopySettings(copyEnv({ BACKUP_DR_PLANS: JSON.stringify(nothingKept) }))]) {
        const error = thrown(read);
        expect([error.name, error.message]).to.deep.equal(["InvalidSettingError", `Invalid setting BACKUP_DR_PLANS: [0].keep: ${message}, got {"daily":0,"weekly":0}`]);
      }
    });

    it("an all-zero drKeep, with the same message at the same path", () => {
      const plans = [{ ...PLANS[0], drKeep: {} }];
      expect(configProblems(minimal({ "backup-dr:plans": plans }))).to.deep.equal([`backup-dr:plans[0].drKeep: ${message}, got {}`]);
      expect(thrown(() => readBackupSettings(backupEnv({ BACKUP_DR_PLANS: JSON.stringify(plans) }))).message).to.equal(`Invalid setting BACKUP_DR_PLANS: [0].drKeep: ${message}, got {}`);
    });

    it("every plan problem, with config's message at config's path, all at once", () => {
      const plans = [{ ...PLANS[0], name: "Gold", timezone: "Mars/Olympus", keep: { daily: -3 }, copyToDr: "yes" }];
      const lines = configProblems(minimal({ "backup-dr:plans": plans })).map((p) => p.replace(/^backup-dr:plans/, ""));
      expect(lines).to.have.length(4);
      const error = thrown(() => readCopySettings(copyEnv({ BACKUP_DR_PLANS: JSON.stringify(plans) })));
      expect(error.message).to.equal(`Invalid setting BACKUP_DR_PLANS: ${lines.join("; ")}`);
    });
  });
});
