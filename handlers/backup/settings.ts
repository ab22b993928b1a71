// The backup function's settings, read from its environment variables (listed in handlers/backup.ts).
import { intSetting, jsonSetting, oneOfSetting, optionalSetting, requireSetting, type Env } from "../lib/env";
import { readSnapshotLockMode } from "../lib/snapshot-lock";
import { PLANS_SETTING, parsePlans } from "./plans";
import type { BackupSettings } from "./types";

export const DEFAULT_SELECTION_TAG_KEY = "backup-plan";
export const DEFAULT_CONCURRENCY = 8;

/** Reads and checks every setting; throws missingSettingError or invalidSettingError naming the variable. */
export function readBackupSettings(env: Env): BackupSettings {
  return {
    stackTag: requireSetting(env, "BACKUP_DR_STACK"),
    plans: parsePlans(jsonSetting(env, PLANS_SETTING)),
    selectionTagKey: optionalSetting(env, "BACKUP_DR_SELECTION_TAG_KEY", DEFAULT_SELECTION_TAG_KEY),
    vaultBucket: requireSetting(env, "BACKUP_DR_VAULT_BUCKET"),
    topicArn: requireSetting(env, "BACKUP_DR_TOPIC_ARN"),
    notifyOn: oneOfSetting(env, "BACKUP_DR_NOTIFY_ON", ["failure", "always"] as const, "failure"),
    concurrency: intSetting(env, "BACKUP_DR_CONCURRENCY", DEFAULT_CONCURRENCY, 1, 50),
    snapshotLock: readSnapshotLockMode(env),
  };
}
