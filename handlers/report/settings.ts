// The report function's settings (listed in handlers/report.ts; handlers/report/contract.ts says what each is for): the
// stack, its plans, both regions with their keys, vaults and the primary topic, and the report options as infra
// normalised them (BACKUP_DR_REPORT, JSON of ReportOptions). Every field is checked here, before any AWS call.
import { jsonSetting, optionalSetting, rangedSetting, requireSetting, type Env } from "../lib/env";
import { invalidSettingError } from "../lib/errors";
import { describeInput } from "../lib/event-input";
import { KMS_KEY_ARN, regionSetting, TOPIC_ARN } from "../lib/region";
import { CONCURRENCY, DEFAULT_SELECTION_TAG_KEY } from "../lib/shared-settings";
import { isFields, type Fields } from "../lib/values";
import { PLANS_SETTING, readPlans, type RunPlan } from "../plan";
import { REPORT_NOTIFY_ON, type ReportOptions } from "./contract";

export interface ReportSettings {
  /** Value of the backup-dr:stack tag: only this stack's points count. */
  stackTag: string;
  plans: RunPlan[];
  /** The tag key whose value names a resource's plan. */
  selectionTagKey: string;
  primaryRegion: string;
  drRegion: string;
  /** The primary region's customer-managed key: a point under another key is out of policy. */
  keyArn: string;
  /** The DR region's customer-managed key. */
  drKeyArn: string;
  /** The stack's AWS partition (aws, aws-cn, aws-us-gov), from BACKUP_DR_KEY_ARN's arn:<partition>: (ARNs the report builds). */
  partition: string;
  /** The primary vault: the report goes there. */
  vaultBucket: string;
  drVaultBucket: string;
  /** The primary region's SNS topic. */
  topicArn: string;
  /** AWS calls at once (BACKUP_DR_CONCURRENCY; not a config key). */
  concurrency: number;
  options: ReportOptions;
}

export const REPORT_SETTING = "BACKUP_DR_REPORT";

/** What the function accepts of each whole-number option: sanity limits only; the config's bounds lie within them. */
export const REPORT_OPTION_LIMITS = {
  graceSeconds: { min: 0, max: 30 * 86_400 },
  drLagSeconds: { min: 0, max: 30 * 86_400 },
  requiredFrequencySeconds: { min: 60, max: 366 * 86_400 },
  requiredRetentionDays: { min: 0, max: 36_500 },
} as const;

const OPTION_FIELDS = ["graceSeconds", "drLagSeconds", "notifyOn", "costTags", "requiredFrequencySeconds", "requiredRetentionDays", "protectedBuckets"];
const BUCKET_FIELDS = ["bucket", "replica"];
/** An S3 bucket name (general purpose buckets: 3-63 lowercase letters, digits, dots and hyphens). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Reads and checks every setting; throws missingSettingError or invalidSettingError naming the variable. */
export function readReportSettings(env: Env): ReportSettings {
  const stackTag = requireSetting(env, "BACKUP_DR_STACK");
  const plans = readPlans(jsonSetting(env, PLANS_SETTING));
  const selectionTagKey = optionalSetting(env, "BACKUP_DR_SELECTION_TAG_KEY", DEFAULT_SELECTION_TAG_KEY);
  const primaryRegion = regionSetting(env, "BACKUP_DR_PRIMARY_REGION");
  const drRegion = regionSetting(env, "BACKUP_DR_DR_REGION");
  if (drRegion === primaryRegion) throw invalidSettingError("BACKUP_DR_DR_REGION", `expected a region other than the primary region ${primaryRegion}`);
  const lambdaRegion = env.AWS_REGION;
  if (lambdaRegion !== undefined && lambdaRegion !== "" && lambdaRegion !== primaryRegion) {
    throw invalidSettingError("BACKUP_DR_PRIMARY_REGION", `the function runs in ${lambdaRegion} (AWS_REGION) but is set up for ${primaryRegion}; the report function runs in the primary region`);
  }
  const primaryKey = keyArn(env, "BACKUP_DR_KEY_ARN", primaryRegion);
  return {
    stackTag,
    plans,
    selectionTagKey,
    primaryRegion,
    drRegion,
    keyArn: primaryKey,
    partition: primaryKey.split(":")[1],
    drKeyArn: keyArn(env, "BACKUP_DR_DR_KEY_ARN", drRegion),
    vaultBucket: bucket(env, "BACKUP_DR_VAULT_BUCKET"),
    drVaultBucket: bucket(env, "BACKUP_DR_DR_VAULT_BUCKET"),
    topicArn: topicArn(env, "BACKUP_DR_TOPIC_ARN", primaryRegion),
    concurrency: rangedSetting(env, "BACKUP_DR_CONCURRENCY", CONCURRENCY),
    options: parseReportOptions(jsonSetting(env, REPORT_SETTING)),
  };
}

function keyArn(env: Env, name: string, inRegion: string): string {
  const value = requireSetting(env, name);
  const key = KMS_KEY_ARN.exec(value);
  if (!key) throw invalidSettingError(name, `expected a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), got "${value}"`);
  if (key[1] !== inRegion) throw invalidSettingError(name, `the key is in ${key[1]}, but it is the key of ${inRegion}; use a key of ${inRegion}`);
  return value;
}

function topicArn(env: Env, name: string, inRegion: string): string {
  const value = requireSetting(env, name);
  const topic = TOPIC_ARN.exec(value);
  if (!topic) throw invalidSettingError(name, `expected an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>), got "${value}"`);
  if (topic[1] !== inRegion) throw invalidSettingError(name, `the topic is in ${topic[1]}, but the report runs in the primary region ${inRegion}; use the topic of ${inRegion}`);
  return value;
}

function bucket(env: Env, name: string): string {
  const value = requireSetting(env, name);
  if (!BUCKET_NAME.test(value)) throw invalidSettingError(name, `expected an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens), got "${value}"`);
  return value;
}

/** ReportOptions from its JSON: every field checked, unknown fields refused. */
export function parseReportOptions(value: unknown): ReportOptions {
  if (!isFields(value)) throw invalid(`expected a JSON object {${OPTION_FIELDS.join(", ")}}, got ${describeInput(value)}`);
  refuseUnknown(value, OPTION_FIELDS, "");
  const notifyOn = REPORT_NOTIFY_ON.find((n) => n === value.notifyOn);
  if (notifyOn === undefined) throw invalid(`notifyOn must be one of ${REPORT_NOTIFY_ON.join(", ")}, got ${describeInput(value.notifyOn)}`);
  if (typeof value.costTags !== "boolean") throw invalid(`costTags must be true or false, got ${describeInput(value.costTags)}`);
  return {
    graceSeconds: whole(value, "graceSeconds"),
    drLagSeconds: whole(value, "drLagSeconds"),
    notifyOn,
    costTags: value.costTags,
    requiredFrequencySeconds: whole(value, "requiredFrequencySeconds"),
    requiredRetentionDays: whole(value, "requiredRetentionDays"),
    protectedBuckets: protectedBuckets(value.protectedBuckets),
  };
}

function invalid(problem: string): Error {
  return invalidSettingError(REPORT_SETTING, problem);
}

function refuseUnknown(fields: Fields, allowed: readonly string[], where: string): void {
  const unknown = Object.keys(fields).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw invalid(`${where}unknown fields ${unknown.join(", ")}; allowed: ${allowed.join(", ")}`);
}

function whole(fields: Fields, field: keyof typeof REPORT_OPTION_LIMITS): number {
  const value = fields[field];
  const range = REPORT_OPTION_LIMITS[field];
  if (typeof value !== "number" || !Number.isInteger(value) || value < range.min || value > range.max) {
    throw invalid(`${field} must be a whole number from ${range.min} to ${range.max}, got ${describeInput(value)}`);
  }
  return value;
}

function protectedBuckets(value: unknown): ReportOptions["protectedBuckets"] {
  if (!Array.isArray(value)) throw invalid(`protectedBuckets must be a list of {"bucket", "replica"}, got ${describeInput(value)}`);
  return value.map((entry: unknown, i) => {
    if (!isFields(entry)) throw invalid(`protectedBuckets[${i}] must be {"bucket", "replica"}, got ${describeInput(entry)}`);
    refuseUnknown(entry, BUCKET_FIELDS, `protectedBuckets[${i}]: `);
    const names = BUCKET_FIELDS.map((field) => {
      const name = entry[field];
      if (typeof name !== "string" || !BUCKET_NAME.test(name)) throw invalid(`protectedBuckets[${i}].${field} must be an S3 bucket name, got ${describeInput(name)}`);
      return name;
    });
    return { bucket: names[0], replica: names[1] };
  });
}
