// The copy function's settings, read from its environment variables (listed in handlers/copy.ts).
import { jsonSetting, oneOfSetting, rangedSetting, requireSetting, type Env } from "../lib/env";
import { invalidSettingError } from "../lib/errors";
import { KMS_KEY_ARN, regionSetting } from "../lib/region";
import { CONCURRENCY, DEFAULT_NOTIFY_ON, NOTIFY_ON } from "../lib/shared-settings";
import { readSnapshotLockMode } from "../lib/snapshot-lock";
import { PLANS_SETTING, readPlans } from "../plan";
import { copyKinds } from "../kinds/registry";
import type { CopySettings, Limits } from "./types";


/** Reads and checks every setting; throws missingSettingError or invalidSettingError naming the variable. */
export function readCopySettings(env: Env): CopySettings {
  const stackTag = requireSetting(env, "BACKUP_DR_STACK");
  const plans = readPlans(jsonSetting(env, PLANS_SETTING));
  const primaryRegion = regionSetting(env, "BACKUP_DR_PRIMARY_REGION");
  const drRegion = regionSetting(env, "BACKUP_DR_DR_REGION");
  if (drRegion === primaryRegion) throw invalidSettingError("BACKUP_DR_DR_REGION", `expected a region other than the primary region ${primaryRegion}`);
  const drKeyArn = requireSetting(env, "BACKUP_DR_DR_KEY_ARN");
  const key = KMS_KEY_ARN.exec(drKeyArn);
  if (!key) throw invalidSettingError("BACKUP_DR_DR_KEY_ARN", `expected a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), got "${drKeyArn}"`);
  if (key[1] !== drRegion) throw invalidSettingError("BACKUP_DR_DR_KEY_ARN", `the key is in ${key[1]}, but copies are made in the DR region ${drRegion}; use a key of ${drRegion}`);
  return {
    stackTag,
    plans,
    primaryRegion,
    drRegion,
    drKeyArn,
    vaultBucket: requireSetting(env, "BACKUP_DR_VAULT_BUCKET"),
    topicArn: requireSetting(env, "BACKUP_DR_TOPIC_ARN"),
    notifyOn: oneOfSetting(env, "BACKUP_DR_NOTIFY_ON", NOTIFY_ON, DEFAULT_NOTIFY_ON),
    limits: readLimits(env),
    concurrency: rangedSetting(env, "BACKUP_DR_CONCURRENCY", CONCURRENCY),
    snapshotLock: readSnapshotLockMode(env),
  };
}

/** Each kind's in-flight copy limit, read from the kind's own setting with its default and range. */
function readLimits(env: Env): Limits {
  const entries = copyKinds().map((kind) => [kind.snapshotKind, rangedSetting(env, kind.copyLimit.setting, kind.copyLimit)] as const);
  return Object.fromEntries(entries) as Limits; // copyKinds() has one facet per kind (tests/handlers/kinds-registry.spec.ts)
}
