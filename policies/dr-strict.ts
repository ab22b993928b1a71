// The DR thresholds of strict environments (the stack's `environment` tag in strictEnvironments,
// prod by default): every plan copies to the DR region unless explicitly excepted, keeps a minimum
// number of backups per tier in both regions, and every vault's Object Lock is COMPLIANCE mode for a
// minimum number of days. Other stacks are not checked.
import * as aws from "@pulumi/aws";
import type { StackValidationPolicy } from "@pulumi/policy";
import { bucketsOf, configurationsOf } from "./lib/buckets";
import { STRICT_ENVIRONMENTS_SCHEMA, configSchema, settings } from "./lib/config";
import { ALLOW_NO_DR_COPY_VARIABLE, DEFAULT_STRICT_ENVIRONMENTS } from "./lib/names";
import { TIERS, allowedWithoutDrCopy, plansOrSkip, type TierCounts } from "./lib/plans";
import { stackEnvironments, strictEnvironment } from "./lib/resources";

const copyDefaults = { strictEnvironments: DEFAULT_STRICT_ENVIRONMENTS };

export const drEveryPlanCopies: StackValidationPolicy = {
  name: "dr-every-plan-copies",
  description: "In strict environments every plan copies its backups to the DR region, unless backup-dr:allowNoDrCopy names it as a reviewed exception.",
  enforcementLevel: "mandatory",
  configSchema: configSchema(copyDefaults, { strictEnvironments: STRICT_ENVIRONMENTS_SCHEMA }),
  validateStack: (args, reportViolation) => {
    const c = settings(args, copyDefaults);
    const environment = strictEnvironment(stackEnvironments(args.resources), c.strictEnvironments);
    if (environment === undefined) args.notApplicable("not a strict environment");
    const { plans, backup } = plansOrSkip(args);
    const allowed = allowedWithoutDrCopy(backup);
    if (allowed === undefined) {
      // Fail closed: an unreadable exception list excepts nothing.
      reportViolation(`The backup function's ${ALLOW_NO_DR_COPY_VARIABLE} is not a JSON list of plan names: set backup-dr:allowNoDrCopy to a list of plan names.`, backup.resource.urn);
    }
    for (const plan of plans.filter((p) => !p.copyToDr && !(allowed ?? []).includes(p.name))) {
      reportViolation(
        `Plan "${plan.name}" does not copy to the DR region; environment "${environment}" requires every plan to: set copyToDr: true on it in backup-dr:plans, or name it in backup-dr:allowNoDrCopy to make the exception explicit.`,
        backup.resource.urn,
      );
    }
  },
};

const retentionDefaults = { strictEnvironments: DEFAULT_STRICT_ENVIRONMENTS, minimumKeep: { daily: 7 } as Partial<TierCounts>, minimumDrKeep: { daily: 7 } as Partial<TierCounts> };
const RETENTION_SCHEMA = {
  type: "object" as const,
  properties: Object.fromEntries(TIERS.map((t) => [t, { type: "integer" as const, minimum: 0 }])),
  additionalProperties: false,
};

export const drMinimumRetention: StackValidationPolicy = {
  name: "dr-minimum-retention",
  description: "In strict environments every plan keeps at least the configured number of backups per tier, in the primary region and, when it copies, in the DR region.",
  enforcementLevel: "mandatory",
  configSchema: configSchema(retentionDefaults, {
    strictEnvironments: STRICT_ENVIRONMENTS_SCHEMA,
    minimumKeep: { ...RETENTION_SCHEMA, description: "Minimum backups kept per tier in the primary region (keep)." },
    minimumDrKeep: { ...RETENTION_SCHEMA, description: "Minimum copies kept per tier in the DR region (drKeep), for plans with copyToDr." },
  }),
  validateStack: (args, reportViolation) => {
    const c = settings(args, retentionDefaults);
    const environment = strictEnvironment(stackEnvironments(args.resources), c.strictEnvironments);
    if (environment === undefined) args.notApplicable("not a strict environment");
    const { plans, backup } = plansOrSkip(args);
    for (const plan of plans) {
      const sides = [
        { field: "keep", counts: plan.keep, minimums: c.minimumKeep, what: "backups in the primary region" },
        ...(plan.copyToDr ? [{ field: "drKeep", counts: plan.drKeep, minimums: c.minimumDrKeep, what: "copies in the DR region" }] : []),
      ];
      for (const side of sides) {
        for (const tier of TIERS) {
          const minimum = side.minimums[tier] ?? 0;
          if (side.counts[tier] < minimum) {
            reportViolation(
              `Plan "${plan.name}" keeps ${side.counts[tier]} ${tier} ${side.what}; environment "${environment}" requires at least ${minimum}: raise ${side.field}.${tier} in backup-dr:plans.`,
              backup.resource.urn,
            );
          }
        }
      }
    }
  },
};

const lockDefaults = { strictEnvironments: DEFAULT_STRICT_ENVIRONMENTS, mode: "COMPLIANCE", minimumDays: 30 };

export const drVaultLockMode: StackValidationPolicy = {
  name: "dr-vault-lock-mode",
  description: "In strict environments every vault bucket's Object Lock default retention uses the configured mode (COMPLIANCE) for at least the configured days.",
  enforcementLevel: "mandatory",
  configSchema: configSchema(lockDefaults, {
    strictEnvironments: STRICT_ENVIRONMENTS_SCHEMA,
    mode: { type: "string", enum: ["COMPLIANCE", "GOVERNANCE"], description: "Object Lock mode vaults must use." },
    minimumDays: { type: "integer", minimum: 1, description: "Minimum default retention, in days (years count as 365)." },
  }),
  validateStack: (args, reportViolation) => {
    const c = settings(args, lockDefaults);
    const environment = strictEnvironment(stackEnvironments(args.resources), c.strictEnvironments);
    if (environment === undefined) args.notApplicable("not a strict environment");
    const requires = `environment "${environment}" requires ${c.mode} for at least ${c.minimumDays} days`;
    for (const bucket of bucketsOf(args.resources).filter((b) => b.vault)) {
      const retentions = configurationsOf(args.resources, aws.s3.BucketObjectLockConfiguration, bucket).flatMap((l) => {
        const r = l.props.rule?.defaultRetention;
        return r?.mode === undefined ? [] : [{ mode: r.mode, days: (r.days ?? 0) + (r.years ?? 0) * 365 }];
      });
      const report = (message: string) => reportViolation(message, bucket.resource.urn);
      if (retentions.length === 0) {
        report(`The vault bucket has no Object Lock default retention; ${requires}: set backup-dr:vaultLock to mode ${c.mode} with days of ${c.minimumDays} or more.`);
      }
      for (const { mode, days } of retentions) {
        if (mode !== c.mode) report(`The vault bucket's Object Lock mode is ${mode}; ${requires}: set backup-dr:vaultLock.mode to ${c.mode}.`);
        else if (days < c.minimumDays) report(`The vault bucket's Object Lock retention is ${days} days; ${requires}: raise backup-dr:vaultLock.days to ${c.minimumDays} or more.`);
      }
    }
  },
};

export const DR_STRICT_POLICIES = [drEveryPlanCopies, drMinimumRetention, drVaultLockMode];
