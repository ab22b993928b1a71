// Config problems come all at once (issue 14 item 6): a stack file with several independent mistakes
// reports every one of them in one run of the loader `pulumi preview` uses, an unknown key is told the
// allowed key it is close to, and a bad cron names the field that is wrong and its range.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError } from "../../infra/config";
import { KEYS } from "../../infra/config-schema";
import { closestKey, editDistance } from "../../handlers/lib/closest-key";
import { main } from "../../tools/policy-check/cli";
import { loadUnderRuntime, problemsOf } from "../helpers/config-problems";
import { asCliConfig, stackValues } from "../helpers/stacks";

const ALLOWED_KEYS = Object.values(KEYS).filter((k) => k.startsWith("backup-dr:")).join(", ");
const SCHEDULE_FORMS = "cron(minutes hours day-of-month month day-of-week year) with one of the two day fields '?', or rate(N minutes|hours|days)";

/** A stack file with four independent mistakes: a misspelled key, drRegion = aws:region, hour 25, a negative keep. */
const FOUR_MISTAKES = `config:
  aws:region: eu-west-1
  backup-dr:drRegion: eu-west-1
  backup-dr:notifyEmail:
    - platform@example.com
  backup-dr:plans:
    - name: daily
      schedule: cron(0 25 * * ? *)
      resources: [ec2]
      keep:
        daily: -1
`;

const FOUR_PROBLEMS = [
  `backup-dr:plans[0].schedule: expected an EventBridge Scheduler expression (hours must be 0-23, not 25): ${SCHEDULE_FORMS}, got "cron(0 25 * * ? *)"`,
  "backup-dr:plans[0].keep.daily: expected a whole number from 0 to 36525, got -1",
  `backup-dr:notifyEmail: unknown config key; allowed: ${ALLOWED_KEYS} (did you mean "backup-dr:notifyEmails"?)`,
  'backup-dr:drRegion: expected a region other than the primary aws:region (eu-west-1), got "eu-west-1"',
];

/** The smallest valid config, with `change` merged in. */
function config(change: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    "aws:region": "us-east-1",
    "backup-dr:drRegion": "us-west-2",
    "backup-dr:plans": [{ name: "daily", schedule: "cron(0 2 * * ? *)", resources: ["ec2"], keep: { daily: 7 } }],
    ...change,
  };
}

describe("config: every problem in one round", () => {
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "backup-dr-config-"));
    fs.writeFileSync(path.join(dir, "Pulumi.broken.yaml"), FOUR_MISTAKES);
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reports all four mistakes of a stack file through the loader pulumi preview runs, before any resource", async () => {
    const { error, resources } = await loadUnderRuntime("broken", asCliConfig(stackValues("broken", dir)));
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).problems).to.deep.equal(FOUR_PROBLEMS);
    expect((error as ConfigError).message).to.match(/^Invalid backup-dr stack configuration \(4 problems\):/);
    expect(resources).to.deep.equal([]);
  });

  it("the offline policy check reports the same four for a stray stack file, and exits 2", async () => {
    const lines: string[] = [];
    const code = await main(["--stack-dir", dir], (text) => lines.push(text));
    expect(code).to.equal(2);
    for (const problem of FOUR_PROBLEMS) expect(lines.join("\n")).to.include(problem);
  });

  it("checks drRegion against aws:region even when the plans are wrong", () => {
    expect(problemsOf(config({ "backup-dr:drRegion": "us-east-1", "backup-dr:plans": "none" }))).to.deep.equal([
      'backup-dr:plans: expected a list of plans, got "none"',
      'backup-dr:drRegion: expected a region other than the primary aws:region (us-east-1), got "us-east-1"',
    ]);
  });

  it("checks allowNoDrCopy against the plans even when another key is wrong", () => {
    expect(problemsOf(config({ "backup-dr:notifyOn": "never", "backup-dr:allowNoDrCopy": ["weekly"] }))).to.deep.equal([
      'backup-dr:notifyOn: expected one of "failure", "always", got "never"',
      'backup-dr:allowNoDrCopy[0]: expected the name of a plan in backup-dr:plans (daily), got "weekly"',
    ]);
  });

  it("skips a cross-key check whose own keys are wrong: one mistake, one message", () => {
    expect(problemsOf(config({ "backup-dr:drRegion": "mars-1", "aws:region": "mars-1" }))).to.deep.equal([
      "aws:region: expected an AWS region name such as us-east-1, got \"mars-1\"",
      "backup-dr:drRegion: expected an AWS region name such as us-east-1, got \"mars-1\"",
    ]);
    expect(problemsOf(config({ "backup-dr:plans": [], "backup-dr:allowNoDrCopy": ["weekly"] }))).to.deep.equal(["backup-dr:plans: expected at least one plan, got []"]);
  });

  it("orders the vault lifecycle steps beside an unknown key, but not a step that is itself out of range", () => {
    expect(problemsOf(config({ "backup-dr:vaultLifecycle": { glacierIrAfterDays: 100, glacierAfterDays: 50, tier: 1 } }))).to.deep.equal([
      "backup-dr:vaultLifecycle.tier: unknown key; allowed: glacierIrAfterDays, glacierAfterDays, deepArchiveAfterDays, expireAfterDays, runsExpireDays",
      "backup-dr:vaultLifecycle.glacierAfterDays: expected more days than glacierIrAfterDays (100), got 50",
    ]);
    expect(problemsOf(config({ "backup-dr:vaultLifecycle": { expireAfterDays: -1 } }))).to.deep.equal([
      "backup-dr:vaultLifecycle.expireAfterDays: expected a whole number of days from 1 to 36500, got -1",
    ]);
  });
});

describe("config: did you mean", () => {
  it("names the one allowed key close to an unknown one (a typo, or only the case differs)", () => {
    expect(problemsOf(config({ "backup-dr:cleanup": { minAgeDay: 1, dryrun: true } }))).to.deep.equal([
      'backup-dr:cleanup.minAgeDay: unknown key; allowed: dryRun, maxDeletionsPerRun, minAgeDays, maxDeleteFraction, schedule, timezone (did you mean "minAgeDays"?)',
      'backup-dr:cleanup.dryrun: unknown key; allowed: dryRun, maxDeletionsPerRun, minAgeDays, maxDeleteFraction, schedule, timezone (did you mean "dryRun"?)',
    ]);
    expect(problemsOf(config({ "backup-dr:plans": [{ name: "daily", schedule: "cron(0 2 * * ? *)", resources: ["ec2"], keep: { daily: 7 }, kepe: { daily: 1 } }] }))).to.deep.equal([
      'backup-dr:plans[0].kepe: unknown key; allowed: name, schedule, timezone, resources, keep, drKeep, copyToDr (did you mean "keep"?)',
    ]);
    expect(problemsOf(config({ "backup-dr:vaultLifecycle": { expireAfterDay: 30 } }))[0]).to.match(/\(did you mean "expireAfterDays"\?\)$/);
  });

  it("suggests nothing when two allowed keys are equally close", () => {
    expect(problemsOf(config({ "backup-dr:copy": { maxRbsCopies: 3 } }))).to.deep.equal([
      "backup-dr:copy.maxRbsCopies: unknown key; allowed: sweepMinutes, maxEbsCopies, maxRdsCopies, maxClusterCopies, lagAlarmMinutes",
    ]);
  });

  it("suggests nothing when no allowed key is close", () => {
    expect(problemsOf(config({ "backup-dr:vaultLock": { mode: "off", retention: 3 } }))).to.deep.equal(["backup-dr:vaultLock.retention: unknown key; allowed: mode, days"]);
    expect(problemsOf(config({ "backup-dr:schedules": [] }))).to.deep.equal([`backup-dr:schedules: unknown config key; allowed: ${ALLOWED_KEYS}`]);
  });

  it("counts edits, a swap of neighbours as one, and ignores case", () => {
    expect(editDistance("keep", "keep")).to.equal(0);
    expect(editDistance("kepe", "keep")).to.equal(1);
    expect(editDistance("kep", "keep")).to.equal(1);
    expect(editDistance("daily", "weekly")).to.equal(4);
    expect(closestKey("DAILY", ["hourly", "daily"])).to.equal("daily");
    expect(closestKey("dialy", ["hourly", "daily"])).to.equal("daily");
    expect(closestKey("mod", ["mode", "modes"])).to.equal("mode");
    expect(closestKey("ab", ["abc", "abd"])).to.equal(undefined);
    expect(closestKey("retention", ["mode", "days"])).to.equal(undefined);
    expect(closestKey("abcd", ["abxyz"])).to.equal(undefined);
  });
});

describe("config: a bad cron names its field and range", () => {
  const cases: [string, string][] = [
    ["cron(60 2 * * ? *)", "minutes must be 0-59, not 60"],
    ["cron(0 25 * * ? *)", "hours must be 0-23, not 25"],
    ["cron(0 2 32 * ? *)", "day-of-month must be 1-31, not 32"],
    ["cron(0 2 1 13 ? *)", "month must be 1-12 or JAN-DEC, not 13"],
    ["cron(0 2 ? * 8 *)", "day-of-week must be 1-7 or SUN-SAT, not 8"],
    ["cron(0 2 1 1 ? 2200)", "year must be 1970-2199, not 2200"],
  ];
  for (const [schedule, says] of cases) {
    it(`${schedule}: ${says}`, () => {
      const plan = { name: "daily", schedule, resources: ["ec2"], keep: { daily: 7 } };
      expect(problemsOf(config({ "backup-dr:plans": [plan] }))).to.deep.equal([
        `backup-dr:plans[0].schedule: expected an EventBridge Scheduler expression (${says}): ${SCHEDULE_FORMS}, got "${schedule}"`,
      ]);
      expect(problemsOf(config({ "backup-dr:cleanup": { schedule } }))).to.deep.equal([
        `backup-dr:cleanup.schedule: expected an EventBridge Scheduler expression (${says}): ${SCHEDULE_FORMS}, got "${schedule}"`,
      ]);
    });
  }
});
