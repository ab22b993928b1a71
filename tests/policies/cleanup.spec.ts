// The cleanup function's safety valves on a synthetic stack: the function and its environment as the
// program sets it from backup-dr:cleanup, weakened one valve at a time; mandatory in prod, advisory everywhere.
import { expect } from "chai";
import { cleanupSafetyValves, cleanupSafetyValvesAdvisory } from "../../policies/cleanup";
import type { StackResource } from "../../tools/policy-check/model";
import { ACCOUNT, check, provider, resource } from "./harness";

const FN = "aws:lambda/function:Function";
const label = `cleanup (${FN})`;
const SAFE = { BACKUP_DR_MAX_DELETE_FRACTION: "0.5", BACKUP_DR_MIN_AGE_DAYS: "1", BACKUP_DR_MAX_DELETIONS: "1000", BACKUP_DR_DRY_RUN: "false" };

function stack(environment: string, variables: Record<string, string | undefined> = {}): StackResource[] {
  const tags = { "backup-dr:stack": `backup-dr/${environment}`, environment };
  const primary = provider("primary", "us-east-1", tags);
  const env = Object.fromEntries(Object.entries({ ...SAFE, ...variables }).filter((e): e is [string, string] => e[1] !== undefined));
  return [
    primary,
    provider("dr", "us-west-2", tags),
    resource(FN, "cleanup", { runtime: "nodejs22.x", environment: { variables: env } }, { provider: primary, computed: { name: "cleanup", arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:cleanup` } }),
  ];
}

const PROD = 'environment "prod"';
const fraction = (voice: string) =>
  `${label}: Cleanup's mass-deletion stop lets a run delete up to 100% of a region's backups (BACKUP_DR_MAX_DELETE_FRACTION=1); ${voice} at most 0.5: set backup-dr:cleanup.maxDeleteFraction to 0.5 or less.`;
const minAge = (voice: string) => `${label}: Cleanup may delete backups 0 days old (BACKUP_DR_MIN_AGE_DAYS=0); ${voice} at least 1: set backup-dr:cleanup.minAgeDays to 1 or more.`;
const perRun = (voice: string) =>
  `${label}: Cleanup may delete 10000 backups in one run (BACKUP_DR_MAX_DELETIONS=10000); ${voice} at most 1000: set backup-dr:cleanup.maxDeletionsPerRun to 1000 or less.`;
const WEAK = { BACKUP_DR_MAX_DELETE_FRACTION: "1", BACKUP_DR_MIN_AGE_DAYS: "0", BACKUP_DR_MAX_DELETIONS: "10000" };

describe("policies: cleanup safety valves", () => {
  describe("cleanup-safety-valves", () => {
    it("passes valves at their bounds in prod, and does not apply outside strict environments", async () => {
      expect(await check(cleanupSafetyValves, stack("prod"))).to.deep.equal([]);
      expect(await check(cleanupSafetyValves, stack("dev", WEAK))).to.deep.equal([]);
    });

    it("reports the mass-deletion stop switched off", async () => {
      expect(await check(cleanupSafetyValves, stack("prod", { BACKUP_DR_MAX_DELETE_FRACTION: "1" }))).to.deep.equal([fraction(`${PROD} allows`)]);
    });

    it("reports no minimum age and an unbounded deletion cap", async () => {
      expect(await check(cleanupSafetyValves, stack("prod", { BACKUP_DR_MIN_AGE_DAYS: "0", BACKUP_DR_MAX_DELETIONS: "10000" }))).to.deep.equal([
        minAge(`${PROD} requires`),
        perRun(`${PROD} allows`),
      ]);
    });

    it("reports a valve it cannot read, rather than assume it is safe", async () => {
      expect(await check(cleanupSafetyValves, stack("prod", { BACKUP_DR_MAX_DELETE_FRACTION: undefined, BACKUP_DR_MAX_DELETIONS: "lots" }))).to.deep.equal([
        `${label}: The cleanup function's BACKUP_DR_MAX_DELETE_FRACTION is missing or not a number: set backup-dr:cleanup.maxDeleteFraction to 0.5 or less.`,
        `${label}: The cleanup function's BACKUP_DR_MAX_DELETIONS is missing or not a number: set backup-dr:cleanup.maxDeletionsPerRun to 1000 or less.`,
      ]);
    });

    it("takes its bounds and strict environments from config", async () => {
      const config = { strictEnvironments: ["staging"], maximumDeleteFraction: 0.25, minimumAgeDays: 3, maximumDeletionsPerRun: 100 };
      expect(await check(cleanupSafetyValves, stack("staging", { BACKUP_DR_MIN_AGE_DAYS: "3", BACKUP_DR_MAX_DELETIONS: "100", BACKUP_DR_MAX_DELETE_FRACTION: "0.25" }), config)).to.deep.equal([]);
      expect(await check(cleanupSafetyValves, stack("staging"), config)).to.deep.equal([
        `${label}: Cleanup's mass-deletion stop lets a run delete up to 50% of a region's backups (BACKUP_DR_MAX_DELETE_FRACTION=0.5); environment "staging" allows at most 0.25: set backup-dr:cleanup.maxDeleteFraction to 0.25 or less.`,
        `${label}: Cleanup may delete backups 1 day old (BACKUP_DR_MIN_AGE_DAYS=1); environment "staging" requires at least 3: set backup-dr:cleanup.minAgeDays to 3 or more.`,
        `${label}: Cleanup may delete 1000 backups in one run (BACKUP_DR_MAX_DELETIONS=1000); environment "staging" allows at most 100: set backup-dr:cleanup.maxDeletionsPerRun to 100 or less.`,
      ]);
    });

    it("does not apply to a stack without the cleanup function", async () => {
      expect(await check(cleanupSafetyValves, stack("prod", WEAK).filter((r) => r.type !== FN))).to.deep.equal([]);
    });
  });

  describe("cleanup-safety-valves-advisory", () => {
    const voice = "the recommended bound is";

    it("passes valves at their bounds in every environment", async () => {
      for (const environment of ["dev", "prod"]) expect(await check(cleanupSafetyValvesAdvisory, stack(environment)), environment).to.deep.equal([]);
    });

    it("warns a dev stack of each weakened valve", async () => {
      expect(await check(cleanupSafetyValvesAdvisory, stack("dev", WEAK))).to.deep.equal([fraction(voice), minAge(voice), perRun(voice)]);
    });

    it("warns prod too, beside the mandatory policy, and takes its bounds from config", async () => {
      expect(await check(cleanupSafetyValvesAdvisory, stack("prod", { BACKUP_DR_MAX_DELETE_FRACTION: "1" }))).to.deep.equal([fraction(voice)]);
      expect(await check(cleanupSafetyValvesAdvisory, stack("dev", { BACKUP_DR_MAX_DELETE_FRACTION: "1" }), { maximumDeleteFraction: 1 })).to.deep.equal([]);
    });
  });
});
