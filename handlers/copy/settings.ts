// The copy function's settings, read from its environment variables (listed in handlers/copy.ts).
import { intSetting, jsonSetting, oneOfSetting, requireSetting, type Env } from "../lib/env";
import { invalidSettingError } from "../lib/errors";
import { REGION } from "../lib/region";
import { PLANS_SETTING } from "../backup/plans";
import { readSnapshotLockMode } from "../lib/snapshot-lock";
import { parseCopyPlans } from "./plans";
import type { CopySettings } from "./types";

export const DEFAULT_CONCURRENCY = 8;
/** AWS's limits per destination region: 20 concurrent EBS snapshot copies, 20 RDS copies; Aurora treated as 5. */
export const DEFAULT_LIMITS = { ebs: 20, rds: 20, aurora: 5 };

const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):\d{12}:key\/[A-Za-z0-9-]+$/;

function region(env: Env, name: string): string {
  const value = requireSetting(env, name);
  if (!REGION.test(value)) throw invalidSettingError(name, `expected an AWS region name such as us-west-2, got "${value}"`);
  return value;
}

/** Reads and checks every setting; throws missingSettingError or invalidSettingError naming the variable. */
export function readCopySettings(env: Env): CopySettings {
  const stackTag = requireSetting(env, "BACKUP_DR_STACK");
  const plans = parseCopyPlans(jsonSetting(env, PLANS_SETTING));
  const primaryRegion = region(env, "BACKUP_DR_PRIMARY_REGION");
  const drRegion = region(env, "BACKUP_DR_DR_REGION");
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
    notifyOn: oneOfSetting(env, "BACKUP_DR_NOTIFY_ON", ["failure", "always"] as const, "failure"),
    limits: {
      ebs: intSetting(env, "BACKUP_DR_MAX_EBS_COPIES", DEFAULT_LIMITS.ebs, 1, 100),
      rds: intSetting(env, "BACKUP_DR_MAX_RDS_COPIES", DEFAULT_LIMITS.rds, 1, 100),
      aurora: intSetting(env, "BACKUP_DR_MAX_CLUSTER_COPIES", DEFAULT_LIMITS.aurora, 1, 100),
    },
    concurrency: intSetting(env, "BACKUP_DR_CONCURRENCY", DEFAULT_CONCURRENCY, 1, 50),
    snapshotLock: readSnapshotLockMode(env),
  };
}
