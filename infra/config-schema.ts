// The stack configuration's schema: every key, its default, and the message a bad value gets.
// Messages say what is allowed ("expected ..."); config.ts adds the key path and the value given.
import { z } from "zod";
import { COPY_LIMITS, TAG_ENVIRONMENT, TAG_REPLICA_OF, TAG_STACK } from "../handlers/catalog";
import { scheduleFiresProblem } from "../handlers/lib/plan-bounds";
import { AWS_SNAPSHOT_RATE, BURST_RULE, isBurst, isPerSecond, PER_SECOND_RULE } from "../handlers/lib/snapshot-rate";
import { CLEANUP_VALVES, DEFAULT_NOTIFY_ON, DELETE_FRACTION_RANGE, isDeleteFraction, DEFAULT_SELECTION_TAG_KEY, NOTIFY_ON, type IntRange } from "../handlers/lib/shared-settings";
import { checkPlans, isTimeZoneName, SCHEDULE_MSG, scheduleMessage, scheduleOf, timeZoneMessage, type Plan } from "../handlers/plan";
import { OWN_BUCKET_PREFIX } from "./bucket";
import { RUN_DEADLINE_MINUTES } from "../handlers/lib/shared-settings";
import type { MachineRestoreMode } from "../handlers/restore/contract";
import type { RegionRole } from "../handlers/restore/settings";
import { REPORT_NOTIFY_ON, type ReportNotifyOn } from "../handlers/report/contract";
import { longestSlotGapMs } from "../handlers/lib/slot-gap";
import {
  LOG_RETENTION_DAYS,
  INSTANCE_TYPE_MSG,
  DB_INSTANCE_CLASS_MSG,
  isInstanceType,
  isDbInstanceClass,
  SECURITY_GROUP_ID_MSG,
  SUBNET_ID_MSG,
  DB_SUBNET_GROUP_MSG,
  INSTANCE_PROFILE_ARN_MSG,
  MAX_RESTORE_SECURITY_GROUPS,
  isBucketName,
  isDbSubnetGroupName,
  isInstanceProfileArn,
  isSecurityGroupId,
  isSubnetId,
  isEmail,
  isPlanName,
  isRegion,
  isScheduleExpression,
  isTagValue,
  isUserTagKey,
} from "./config-rules";

/** Every config key the program reads, by its full name. */
export const KEYS = {
  region: "aws:region",
  drRegion: "backup-dr:drRegion",
  environment: "backup-dr:environment",
  selectionTagKey: "backup-dr:selectionTagKey",
  plans: "backup-dr:plans",
  protectedBuckets: "backup-dr:protectedBuckets",
  notifyEmails: "backup-dr:notifyEmails",
  notifyOn: "backup-dr:notifyOn",
  vaultLock: "backup-dr:vaultLock",
  vaultLifecycle: "backup-dr:vaultLifecycle",
  cleanup: "backup-dr:cleanup",
  s3Replication: "backup-dr:s3Replication",
  copy: "backup-dr:copy",
  tags: "backup-dr:tags",
  kmsDeletionWindowDays: "backup-dr:kmsDeletionWindowDays",
  logRetentionDays: "backup-dr:logRetentionDays",
  protectStorage: "backup-dr:protectStorage",
  expectedSources: "backup-dr:expectedSources",
  allowNoDrCopy: "backup-dr:allowNoDrCopy",
  restore: "backup-dr:restore",
  drill: "backup-dr:drill",
  report: "backup-dr:report",
  pacing: "backup-dr:pacing",
} as const;

/** Keys whose values are YAML lists or maps (passed to the program as JSON). */
export const STRUCTURED_KEYS: ReadonlySet<string> = new Set([
  KEYS.plans,
  KEYS.protectedBuckets,
  KEYS.notifyEmails,
  KEYS.vaultLock,
  KEYS.vaultLifecycle,
  KEYS.cleanup,
  KEYS.s3Replication,
  KEYS.copy,
  KEYS.tags,
  KEYS.expectedSources,
  KEYS.allowNoDrCopy,
  KEYS.restore,
  KEYS.drill,
  KEYS.report,
  KEYS.pacing,
]);

// Scalar config arrives as strings ("7", "true"); structured config arrives typed.
const numberFromString = (v: unknown) => (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v);
const booleanFromString = (v: unknown) => (v === "true" ? true : v === "false" ? false : v);

function wholeNumber(min: number, max?: number, unit = "a whole number") {
  const error = max === undefined ? `expected ${unit} >= ${min}` : `expected ${unit} from ${min} to ${max}`;
  const n = z.number({ error }).int({ error }).min(min, { error });
  return z.preprocess(numberFromString, max === undefined ? n : n.max(max, { error }));
}

/** A whole number with the range and default it shares with a function (handlers/lib/shared-settings.ts). */
const ranged = (range: IntRange) => wholeNumber(range.min, range.max).default(range.fallback);

const bool = z.preprocess(booleanFromString, z.boolean({ error: "expected true or false" }));

function text(isValid: (value: string) => boolean, error: string) {
  return z.string({ error }).refine(isValid, { error });
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `expected one of ${values.map((v) => JSON.stringify(v)).join(", ")}` });
}

/** A map with known keys: a typo is reported with the keys that are allowed. */
function record<T extends z.ZodRawShape>(shape: T, what: string) {
  const allowed = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `unknown key; allowed: ${allowed}`
        : `expected ${what}`,
  });
}

function listOf<T extends z.ZodType>(item: T, what: string) {
  return z.array(item, { error: `expected a list of ${what}` });
}

/** Flags a repeated entry of a list at its second occurrence (at `field` of it, when given). */
function noRepeats<T>(key: (item: T) => string, what: string, field?: string) {
  return (items: T[], ctx: z.RefinementCtx) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const first = seen.get(key(item));
      if (first === undefined) seen.set(key(item), i);
      else ctx.addIssue({ code: "custom", path: field === undefined ? [i] : [i, field], message: `expected each ${what} once (already at [${first}])` });
    });
  };
}

const REGION_MSG = "expected an AWS region name such as us-east-1";

/** A time zone; a case variant or link of a known zone is told the name to write instead (the plan contract's message). */
const timeZone = z.string({ error: timeZoneMessage(undefined) }).refine(isTimeZoneName, { error: (issue) => timeZoneMessage(issue.input) });

/** A schedule expression; a refused one is told what is wrong in it first (the plan contract's message). */
const scheduleExpression = z.string({ error: SCHEDULE_MSG }).refine(isScheduleExpression, { error: (issue) => scheduleMessage(issue.input) });

/** A schedule must fire within a year of now (the field at fault is named); checked only on a valid expression and zone. */
function firesProblem(expression: unknown, timezone: unknown): string | undefined {
  const schedule = scheduleOf(expression);
  if (schedule === undefined || typeof timezone !== "string" || !isTimeZoneName(timezone)) return undefined;
  return scheduleFiresProblem(schedule, timezone, new Date());
}

/**
 * backup-dr:plans, checked and normalised by the plan contract's one validator (handlers/plan.ts), which the
 * functions run again on BACKUP_DR_PLANS: every problem is reported at its path, all at once.
 */
const plans = z.unknown().transform((value, ctx): Plan[] => {
  const { plans: checked, problems } = checkPlans(value, { now: new Date() });
  for (const p of problems) {
    if (p.unknownKey) ctx.addIssue({ code: "unrecognized_keys", keys: [String(p.path[p.path.length - 1])], path: p.path.slice(0, -1), message: p.message });
    else ctx.addIssue({ code: "custom", path: p.path, message: p.message });
  }
  return checked ?? z.NEVER;
});

const vaultLock = record(
  {
    mode: oneOf(["GOVERNANCE", "COMPLIANCE", "off"]),
    days: wholeNumber(1, 36500, "a whole number of days").optional(),
  },
  "a map with mode (GOVERNANCE, COMPLIANCE or off) and days",
).superRefine((lock, ctx) => {
  if (lock.mode !== "off" && lock.days === undefined) {
    ctx.addIssue({ code: "custom", path: ["days"], message: `expected a whole number of days from 1 to 36500 when mode is ${lock.mode}` });
  }
});

const LIFECYCLE_STEPS = ["glacierIrAfterDays", "glacierAfterDays", "deepArchiveAfterDays", "expireAfterDays"] as const;

const lifecycleSteps = {
  glacierIrAfterDays: wholeNumber(0, 36500, "a whole number of days (0 = skip this tier)").default(30),
  glacierAfterDays: wholeNumber(0, 36500, "a whole number of days (0 = skip this tier)").default(90),
  deepArchiveAfterDays: wholeNumber(0, 36500, "a whole number of days (0 = skip this tier)").default(180),
  expireAfterDays: wholeNumber(1, 36500, "a whole number of days").default(730),
  /** Not a step of the order above: run manifests (runs/) expire this long after they were written. */
  runsExpireDays: wholeNumber(1, 36500, "a whole number of days").default(400),
};

const vaultLifecycle = record(
  lifecycleSteps,
  "a map of days after which noncurrent versions move: glacierIrAfterDays, glacierAfterDays, deepArchiveAfterDays, expireAfterDays; and runsExpireDays, after which run manifests expire",
).superRefine((steps, ctx) => {
  // Each step that is on must come after the ones before it; a step out of its own range has its own message.
  let previous: { step: string; days: number } | undefined;
  for (const step of LIFECYCLE_STEPS) {
    const days = steps[step];
    if (days === 0 || !lifecycleSteps[step].safeParse(days).success) continue;
    if (previous && days <= previous.days) {
      ctx.addIssue({ code: "custom", path: [step], message: `expected more days than ${previous.step} (${previous.days})` });
    }
    previous = { step, days };
  }
});

const cleanup = record(
  {
    dryRun: bool.default(CLEANUP_VALVES.dryRun),
    maxDeletionsPerRun: ranged(CLEANUP_VALVES.maxDeletionsPerRun),
    minAgeDays: ranged(CLEANUP_VALVES.minAgeDays),
    maxDeleteFraction: z
      .preprocess(numberFromString, z.number({ error: `expected ${DELETE_FRACTION_RANGE}` }))
      .refine(isDeleteFraction, { error: `expected ${DELETE_FRACTION_RANGE}` })
      .default(CLEANUP_VALVES.maxDeleteFraction),
    schedule: scheduleExpression.default("cron(30 3 * * ? *)"),
    timezone: timeZone.default("UTC"),
  },
  "a map with dryRun, maxDeletionsPerRun, minAgeDays, maxDeleteFraction, schedule, timezone",
).superRefine((c, ctx) => {
  const fires = firesProblem(c.schedule, c.timezone);
  if (fires !== undefined) ctx.addIssue({ code: "custom", path: ["schedule"], message: `expected a schedule that fires within a year: ${fires}` });
});

/** Storage classes S3 replication can write replicas in. */
export const REPLICA_STORAGE_CLASSES = ["STANDARD", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"] as const;

const s3Replication = record(
  {
    storageClass: oneOf(REPLICA_STORAGE_CLASSES).default("STANDARD_IA"),
    latencyAlarmSeconds: wholeNumber(60, 86400, "a whole number of seconds").default(900),
    eventNotifications: bool.default(true),
  },
  "a map with storageClass, latencyAlarmSeconds, eventNotifications",
);

const copy = record(
  {
    sweepMinutes: wholeNumber(5, 1440, "a whole number of minutes").default(30),
    maxEbsCopies: ranged(COPY_LIMITS.ebs),
    maxRdsCopies: ranged(COPY_LIMITS.rds),
    maxClusterCopies: ranged(COPY_LIMITS.aurora),
    lagAlarmMinutes: wholeNumber(15, 10080, "a whole number of minutes").default(240),
  },
  "a map with sweepMinutes, maxEbsCopies, maxRdsCopies, maxClusterCopies, lagAlarmMinutes",
);

/**
 * The pace of snapshot creates (backup) and deletes (cleanup): AWS's own bucket by default (handlers/lib/snapshot-rate.ts);
 * and how long after its slot a backup or cleanup run may go on across invocations (handlers/lib/run-deadline.ts).
 */
const pacing = record(
  {
    snapshotPerSecond: z
      .preprocess(numberFromString, z.number({ error: `expected ${PER_SECOND_RULE}` }))
      .refine(isPerSecond, { error: `expected ${PER_SECOND_RULE}` })
      .default(AWS_SNAPSHOT_RATE.perSecond),
    snapshotBurst: z
      .preprocess(numberFromString, z.number({ error: `expected ${BURST_RULE}` }))
      .refine(isBurst, { error: `expected ${BURST_RULE}` })
      .default(AWS_SNAPSHOT_RATE.burst),
    runDeadlineMinutes: wholeNumber(RUN_DEADLINE_MINUTES.min, RUN_DEADLINE_MINUTES.max, "a whole number of minutes").default(RUN_DEADLINE_MINUTES.fallback),
  },
  "a map with snapshotPerSecond, snapshotBurst, runDeadlineMinutes",
);

/** How many sources of each kind the stack is expected to back up: the forecast's and the quota policy's input. */
const expectedSources = record(
  {
    ec2: wholeNumber(0, 100000).default(0),
    rds: wholeNumber(0, 100000).default(0),
    aurora: wholeNumber(0, 100000).default(0),
    volumesPerInstance: wholeNumber(1, 128).default(1),
  },
  "a map of how many sources the plans back up: ec2, rds, aurora, volumesPerInstance",
);

/** One region's network for restores: where restored instances and databases are placed (all optional). */
const restoreNetwork = record(
  {
    subnetIds: listOf(text(isSubnetId, SUBNET_ID_MSG), "subnet ids").superRefine(noRepeats((s: string) => s, "subnet")).default([]),
    securityGroupIds: listOf(text(isSecurityGroupId, SECURITY_GROUP_ID_MSG), "security group ids")
      .superRefine(noRepeats((s: string) => s, "security group"))
      .refine((ids) => ids.length <= MAX_RESTORE_SECURITY_GROUPS, {
        error: `expected at most ${MAX_RESTORE_SECURITY_GROUPS} security group ids (AWS's maximum per network interface)`,
      })
      .default([]),
    dbSubnetGroup: text(isDbSubnetGroupName, DB_SUBNET_GROUP_MSG).optional(),
    instanceProfileArn: text(isInstanceProfileArn, INSTANCE_PROFILE_ARN_MSG).optional(),
  },
  "a map with subnetIds, securityGroupIds, dbSubnetGroup, instanceProfileArn",
);

/** backup-dr:restore: the network each region's restore function places restored resources in. */
const restore = record(
  { primary: restoreNetwork.prefault({}), dr: restoreNetwork.prefault({}) },
  "a map with primary and dr, each a map with subnetIds, securityGroupIds, dbSubnetGroup, instanceProfileArn",
);

/** The drill's bounds (docs/configuration.md `backup-dr:drill`). */
export const DRILL_BOUNDS = {
  samplePerPlan: { min: 1, max: 10, fallback: 1 },
  maxConcurrent: { min: 1, max: 20, fallback: 5 },
  keepMinutes: { min: 0, max: 1440, fallback: 0 },
  /** Up to a week to restore (the default, 240, is lowered to the plan kinds' restore deadline: infra/config-drill.ts); up to a year of data lost (a yearly plan's interval plus the lag). */
  rtoTargetMinutes: { min: 1, max: 10080, fallback: 240 },
  rpoTargetMinutes: { min: 1, max: 527040 + 10080 },
} as const;

/** The drill's default schedule: 06:00 on the first of each month. */
export const DRILL_DEFAULT_SCHEDULE = "cron(0 6 1 * ? *)";

/** One plan's drill targets; the RPO target's default depends on the plan (infra/config-drill.ts). */
const drillTargets = record(
  {
    rtoTargetMinutes: wholeNumber(DRILL_BOUNDS.rtoTargetMinutes.min, DRILL_BOUNDS.rtoTargetMinutes.max, "a whole number of minutes").optional(),
    rpoTargetMinutes: wholeNumber(DRILL_BOUNDS.rpoTargetMinutes.min, DRILL_BOUNDS.rpoTargetMinutes.max, "a whole number of minutes").optional(),
  },
  "a map with rtoTargetMinutes, rpoTargetMinutes",
);

/** backup-dr:drill: the scheduled DR drill (handlers/drill/contract.ts); its plans are checked against backup-dr:plans in config-cross-keys.ts. */
const drill = record(
  {
    enabled: bool.default(false),
    schedule: scheduleExpression.default(DRILL_DEFAULT_SCHEDULE),
    timezone: timeZone.default("UTC"),
    region: oneOf(["dr", "primary"] as const satisfies readonly RegionRole[]).default("dr"),
    samplePerPlan: ranged(DRILL_BOUNDS.samplePerPlan),
    maxConcurrent: ranged(DRILL_BOUNDS.maxConcurrent),
    machineMode: oneOf(["instance", "volumes"] as const satisfies readonly MachineRestoreMode[]).default("instance"),
    instanceType: text(isInstanceType, INSTANCE_TYPE_MSG).optional(),
    instanceClass: text(isDbInstanceClass, DB_INSTANCE_CLASS_MSG).optional(),
    keepMinutes: wholeNumber(DRILL_BOUNDS.keepMinutes.min, DRILL_BOUNDS.keepMinutes.max, "a whole number of minutes").default(DRILL_BOUNDS.keepMinutes.fallback),
    plans: z
      .record(z.string(), drillTargets, { error: "expected a map of plan names to {rtoTargetMinutes, rpoTargetMinutes}" })
      .default({}),
  },
  "a map with enabled, schedule, timezone, region, samplePerPlan, maxConcurrent, machineMode, instanceType, instanceClass, keepMinutes, plans",
).superRefine((d, ctx) => {
  const fires = firesProblem(d.schedule, d.timezone);
  if (fires !== undefined) ctx.addIssue({ code: "custom", path: ["schedule"], message: `expected a schedule that fires within a year: ${fires}` });
});

/** The report's bounds (docs/configuration.md `backup-dr:report`). */
export const REPORT_BOUNDS = {
  graceMinutes: { min: 0, max: 1440, fallback: 30 },
  /** The minimum-frequency control: up to a year between backups. */
  requiredFrequencyHours: { min: 1, max: 8784, fallback: 24 },
  /** The minimum-retention control: up to 100 years. */
  requiredRetentionDays: { min: 1, max: 36525, fallback: 7 },
  /**
   * The coverage check's longest gap between runs, in minutes: at least 5 (each check reads every source's points in
   * both regions), at most 60, so a missed backup alarms within graceMinutes + 2 × 60 minutes. The longest gap is the
   * alarm's period all year: a DST night (a cron every 15 minutes in America/New_York has a 75-minute gap) or a
   * business-hours cron would make it slow, so they are refused, not warned about.
   */
  checkGapMinutes: { min: 5, max: 60 },
} as const;

/** The coverage check's default schedule (every 15 minutes) and the daily report's (06:00). */
export const REPORT_DEFAULT_CHECK_SCHEDULE = "rate(15 minutes)";
export const REPORT_DEFAULT_SCHEDULE = "cron(0 6 * * ? *)";
const REPORT_DEFAULT_NOTIFY_ON: ReportNotifyOn = "outOfPolicy";

/** The longest gap between a schedule's runs in minutes (rounded up), when the expression and zone are valid. */
export function scheduleGapMinutes(expression: unknown, timezone: unknown): number | undefined {
  const schedule = scheduleOf(expression);
  if (schedule === undefined || typeof timezone !== "string" || !isTimeZoneName(timezone)) return undefined;
  return Math.ceil(longestSlotGapMs(schedule, timezone) / 60_000);
}

/** backup-dr:report: the coverage check and the daily compliance and cost report (handlers/report/contract.ts). */
const report = record(
  {
    checkSchedule: scheduleExpression.default(REPORT_DEFAULT_CHECK_SCHEDULE),
    schedule: scheduleExpression.default(REPORT_DEFAULT_SCHEDULE),
    timezone: timeZone.default("UTC"),
    graceMinutes: wholeNumber(REPORT_BOUNDS.graceMinutes.min, REPORT_BOUNDS.graceMinutes.max, "a whole number of minutes").default(REPORT_BOUNDS.graceMinutes.fallback),
    notifyOn: oneOf(REPORT_NOTIFY_ON).default(REPORT_DEFAULT_NOTIFY_ON),
    activateCostTags: bool.default(false),
    requiredFrequencyHours: wholeNumber(REPORT_BOUNDS.requiredFrequencyHours.min, REPORT_BOUNDS.requiredFrequencyHours.max, "a whole number of hours").default(REPORT_BOUNDS.requiredFrequencyHours.fallback),
    requiredRetentionDays: wholeNumber(REPORT_BOUNDS.requiredRetentionDays.min, REPORT_BOUNDS.requiredRetentionDays.max, "a whole number of days").default(REPORT_BOUNDS.requiredRetentionDays.fallback),
  },
  "a map with checkSchedule, schedule, timezone, graceMinutes, notifyOn, activateCostTags, requiredFrequencyHours, requiredRetentionDays",
).superRefine((r, ctx) => {
  for (const key of ["checkSchedule", "schedule"] as const) {
    const fires = firesProblem(r[key], r.timezone);
    if (fires !== undefined) ctx.addIssue({ code: "custom", path: [key], message: `expected a schedule that fires within a year: ${fires}` });
  }
  const gap = scheduleGapMinutes(r.checkSchedule, r.timezone);
  const { min, max } = REPORT_BOUNDS.checkGapMinutes;
  if (gap !== undefined && (gap < min || gap > max)) {
    ctx.addIssue({
      code: "custom",
      path: ["checkSchedule"],
      message: `expected a schedule whose runs are ${min} to ${max} minutes apart all year, DST nights included (its longest gap is the missed-backup alarm's period; a rate() expression has no DST night), but this one's longest gap is ${gap} minutes`,
    });
  }
});

const RESERVED_TAGS = new Set([TAG_STACK, TAG_ENVIRONMENT]);

/** AWS allows 50 tags a resource; every resource also gets the stack's default tags, and a replica vault its replica-of. */
export const MAX_USER_TAGS = 50 - RESERVED_TAGS.size - [TAG_REPLICA_OF].length;

const tags = z.record(z.string(), z.string({ error: "expected a tag value of text" }), { error: "expected a map of tag keys to values" }).superRefine((map, ctx) => {
  const count = Object.keys(map).length;
  if (count > MAX_USER_TAGS) {
    ctx.addIssue({ code: "custom", path: [], params: { given: `${count} tags` }, message: `expected at most ${MAX_USER_TAGS} tags (AWS allows 50 a resource, and the stack adds ${TAG_STACK}, ${TAG_ENVIRONMENT} and on replica vaults ${TAG_REPLICA_OF})` });
  }
  for (const [key, value] of Object.entries(map)) {
    if (RESERVED_TAGS.has(key) || key.startsWith("backup-dr:")) {
      ctx.addIssue({ code: "custom", path: [key], params: { given: key }, message: "expected a tag key the stack does not set itself (backup-dr:* and environment are reserved)" });
    } else if (!isUserTagKey(key)) {
      ctx.addIssue({ code: "custom", path: [key], params: { given: key }, message: "expected a tag key of 1-128 letters, digits, spaces and _.:/=+-@, not starting with aws:" });
    } else if (!isTagValue(value)) {
      ctx.addIssue({ code: "custom", path: [key], message: "expected a tag value of at most 256 letters, digits, spaces and _.:/=+-@" });
    }
  }
});

export const configSchema = z.strictObject(
  {
    [KEYS.region]: text(isRegion, REGION_MSG),
    [KEYS.drRegion]: text(isRegion, REGION_MSG),
    [KEYS.environment]: text((v) => /^[a-z][a-z0-9-]{0,31}$/.test(v), "expected an environment name of 1-32 lowercase letters, digits and hyphens").optional(),
    [KEYS.selectionTagKey]: text(isUserTagKey, "expected a tag key of 1-128 letters, digits, spaces and _.:/=+-@, not starting with aws:").default(DEFAULT_SELECTION_TAG_KEY),
    [KEYS.plans]: plans,
    [KEYS.protectedBuckets]: listOf(
      text(isBucketName, "expected an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)").refine((b) => !b.startsWith(OWN_BUCKET_PREFIX), {
        error: `expected a bucket of yours, not one backup-dr creates (names starting with ${OWN_BUCKET_PREFIX} are its vaults, replicas and logs)`,
      }),
      "S3 bucket names",
    )
      .superRefine(noRepeats((b: string) => b, "bucket"))
      .default([]),
    [KEYS.notifyEmails]: listOf(text(isEmail, "expected an email address"), "email addresses")
      .superRefine(noRepeats((e: string) => e.toLowerCase(), "address"))
      .default([]),
    [KEYS.notifyOn]: oneOf(NOTIFY_ON).default(DEFAULT_NOTIFY_ON),
    [KEYS.vaultLock]: vaultLock.prefault({ mode: "GOVERNANCE", days: 30 }),
    [KEYS.vaultLifecycle]: vaultLifecycle.prefault({}),
    [KEYS.cleanup]: cleanup.prefault({}),
    [KEYS.s3Replication]: s3Replication.prefault({}),
    [KEYS.copy]: copy.prefault({}),
    [KEYS.tags]: tags.default({}),
    [KEYS.kmsDeletionWindowDays]: wholeNumber(7, 30, "a whole number of days").default(30),
    [KEYS.logRetentionDays]: z
      .preprocess(numberFromString, z.number({ error: `expected one of ${LOG_RETENTION_DAYS.join(", ")}` }))
      .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), { error: `expected one of ${LOG_RETENTION_DAYS.join(", ")}` })
      .default(90),
    [KEYS.protectStorage]: bool.default(true),
    [KEYS.expectedSources]: expectedSources.optional(),
    // Plans allowed copyToDr: false in a strict environment; config.ts checks each names such a plan.
    [KEYS.allowNoDrCopy]: listOf(text(isPlanName, "expected a plan name"), "plan names")
      .superRefine(noRepeats((p: string) => p, "plan"))
      .default([]),
    [KEYS.restore]: restore.prefault({}),
    [KEYS.drill]: drill.prefault({}),
    [KEYS.report]: report.prefault({}),
    [KEYS.pacing]: pacing.prefault({}),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `unknown config key; allowed: ${Object.values(KEYS).filter((k) => k.startsWith("backup-dr:")).join(", ")}`
        : "expected the stack configuration",
  },
);

export type ParsedConfig = z.output<typeof configSchema>;
