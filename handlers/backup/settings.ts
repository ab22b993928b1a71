// The backup function's settings, read from its environment variables (listed in handlers/backup.ts).
import { jsonSetting, oneOfSetting, optionalSetting, rangedSetting, requireSetting, type Env } from "../lib/env";
import { CONCURRENCY, DEFAULT_NOTIFY_ON, DEFAULT_SELECTION_TAG_KEY, NOTIFY_ON } from "../lib/shared-settings";
import { readSnapshotLockMode } from "../lib/snapshot-lock";
import { readRunDeadlineMinutes } from "../lib/run-deadline";
import { readSnapshotRate } from "../lib/snapshot-rate";
import { PLANS_SETTING, readPlans } from "../plan";
import type { BackupSettings } from "./types";

/** Reads and checks every setting; throws missingSettingError or invalidSettingError naming the variable. */
export function readBackupSettings(env: Env): BackupSettings {
  return {
    stackTag: requireSetting(env, "BACKUP_DR_STACK"),
    plans: readPlans(jsonSetting(env, PLANS_SETTING)),
    selectionTagKey: optionalSetting(env, "BACKUP_DR_SELECTION_TAG_KEY", DEFAULT_SELECTION_TAG_KEY),
    vaultBucket: requireSetting(env, "BACKUP_DR_VAULT_BUCKET"),
    topicArn: requireSetting(env, "BACKUP_DR_TOPIC_ARN"),
    notifyOn: oneOfSetting(env, "BACKUP_DR_NOTIFY_ON", NOTIFY_ON, DEFAULT_NOTIFY_ON),
    concurrency: rangedSetting(env, "BACKUP_DR_CONCURRENCY", CONCURRENCY),
    snapshotLock: readSnapshotLockMode(env),
    snapshotRate: readSnapshotRate(env),
    runDeadlineMinutes: readRunDeadlineMinutes(env),
  };
}
