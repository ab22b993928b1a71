// The cleanup function's settings, read from its environment variables (listed in handlers/cleanup.ts).
import { readRunDeadlineMinutes } from "../lib/run-deadline";
import { readSnapshotRate } from "../lib/snapshot-rate";
import { invalidSettingError } from "../lib/errors";
import { oneOfSetting, optionalSetting, rangedSetting, requireSetting, type Env } from "../lib/env";
import { REGION } from "../lib/region";
import { CLEANUP_VALVES, CONCURRENCY, DELETE_FRACTION_RANGE, isDeleteFraction, DEFAULT_NOTIFY_ON, NOTIFY_ON } from "../lib/shared-settings";
import type { CleanupSettings } from "./types";

const DECIMAL = /^(?:\d+(?:\.\d+)?|\.\d+)$/;

function regionSetting(env: Env, name: string): string {
  const value = requireSetting(env, name).trim();
  if (!REGION.test(value)) throw invalidSettingError(name, `expected an AWS region name such as us-east-1, got "${value}"`);
  return value;
}

/** A fraction within the shared range (isDeleteFraction), written as a plain decimal. */
function fractionSetting(env: Env, name: string, fallback: number): number {
  const value = optionalSetting(env, name, String(fallback)).trim();
  const number = Number(value);
  if (!DECIMAL.test(value) || !isDeleteFraction(number)) throw invalidSettingError(name, `expected ${DELETE_FRACTION_RANGE} (such as 0.5), got "${value}"`);
  return number;
}

/** Reads and checks every setting; throws missingSettingError or invalidSettingError naming the variable. */
export function readCleanupSettings(env: Env): CleanupSettings {
  const primaryRegion = regionSetting(env, "BACKUP_DR_PRIMARY_REGION");
  const drRegion = regionSetting(env, "BACKUP_DR_DR_REGION");
  if (drRegion === primaryRegion) throw invalidSettingError("BACKUP_DR_DR_REGION", `must differ from BACKUP_DR_PRIMARY_REGION (both are "${drRegion}")`);
  return {
    stackTag: requireSetting(env, "BACKUP_DR_STACK"),
    primaryRegion,
    drRegion,
    vaultBucket: requireSetting(env, "BACKUP_DR_VAULT_BUCKET"),
    topicArn: requireSetting(env, "BACKUP_DR_TOPIC_ARN"),
    notifyOn: oneOfSetting(env, "BACKUP_DR_NOTIFY_ON", NOTIFY_ON, DEFAULT_NOTIFY_ON),
    dryRun: oneOfSetting(env, "BACKUP_DR_DRY_RUN", ["true", "false"] as const, CLEANUP_VALVES.dryRun ? "true" : "false") === "true",
    maxDeletions: rangedSetting(env, "BACKUP_DR_MAX_DELETIONS", CLEANUP_VALVES.maxDeletionsPerRun),
    minAgeDays: rangedSetting(env, "BACKUP_DR_MIN_AGE_DAYS", CLEANUP_VALVES.minAgeDays),
    maxDeleteFraction: fractionSetting(env, "BACKUP_DR_MAX_DELETE_FRACTION", CLEANUP_VALVES.maxDeleteFraction),
    concurrency: rangedSetting(env, "BACKUP_DR_CONCURRENCY", CONCURRENCY),
    snapshotRate: readSnapshotRate(env),
    runDeadlineMinutes: readRunDeadlineMinutes(env),
  };
}
