// The restore function's settings, read from its environment variables (listed in handlers/restore.ts). One
// function per region restores into its own region: everything it names (key, vault, network) is of that region.
import { jsonSetting, oneOfSetting, requireSetting, type Env } from "../lib/env";
import { invalidSettingError } from "../lib/errors";
import { KMS_KEY_ARN, REGION } from "../lib/region";
import { isFields } from "../lib/values";
import type { RestoreNetwork } from "./contract";

/** Which of the stack's two regions the function serves: names the config keys in messages (`backup-dr:restore` dr.subnetIds). */
export const REGION_ROLES = ["primary", "dr"] as const;
export type RegionRole = (typeof REGION_ROLES)[number];

export interface RestoreSettings {
  /** Value of the `backup-dr:stack` tag: only points carrying it are restored. */
  stackTag: string;
  region: string;
  regionRole: RegionRole;
  /** The region's customer-managed key: restored volumes are encrypted with it. */
  keyArn: string;
  /** The region's vault: manifests under runs/restore/. */
  vaultBucket: string;
  network: RestoreNetwork;
}

const NETWORK_SETTING = "BACKUP_DR_RESTORE_NETWORK";
const NETWORK_FIELDS = ["subnetIds", "securityGroupIds", "dbSubnetGroup", "instanceProfileArn"];

/** Reads and checks every setting; throws missingSettingError or invalidSettingError naming the variable. */
export function readRestoreSettings(env: Env): RestoreSettings {
  const stackTag = requireSetting(env, "BACKUP_DR_STACK");
  const region = requireSetting(env, "BACKUP_DR_REGION");
  if (!REGION.test(region)) throw invalidSettingError("BACKUP_DR_REGION", `expected an AWS region name such as us-west-2, got "${region}"`);
  const lambdaRegion = env.AWS_REGION;
  if (lambdaRegion !== undefined && lambdaRegion !== "" && lambdaRegion !== region) {
    throw invalidSettingError("BACKUP_DR_REGION", `the function runs in ${lambdaRegion} (AWS_REGION) but is set up for ${region}; each region's restore function restores into its own region`);
  }
  requireSetting(env, "BACKUP_DR_REGION_ROLE");
  const regionRole = oneOfSetting(env, "BACKUP_DR_REGION_ROLE", REGION_ROLES, "primary");
  const keyArn = requireSetting(env, "BACKUP_DR_KEY_ARN");
  const key = KMS_KEY_ARN.exec(keyArn);
  if (!key) throw invalidSettingError("BACKUP_DR_KEY_ARN", `expected a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), got "${keyArn}"`);
  if (key[1] !== region) throw invalidSettingError("BACKUP_DR_KEY_ARN", `the key is in ${key[1]}, but restores are made in ${region}; use a key of ${region}`);
  return { stackTag, region, regionRole, keyArn, vaultBucket: requireSetting(env, "BACKUP_DR_VAULT_BUCKET"), network: readNetwork(env) };
}

/** BACKUP_DR_RESTORE_NETWORK: JSON of the region's `backup-dr:restore` entry, "{}" when none is configured. */
function readNetwork(env: Env): RestoreNetwork {
  const value = env[NETWORK_SETTING] === undefined || env[NETWORK_SETTING]?.trim() === "" ? {} : jsonSetting(env, NETWORK_SETTING);
  if (!isFields(value)) throw invalidSettingError(NETWORK_SETTING, "expected a JSON object {subnetIds, securityGroupIds, dbSubnetGroup?, instanceProfileArn?}");
  const unknown = Object.keys(value).filter((k) => !NETWORK_FIELDS.includes(k));
  if (unknown.length > 0) throw invalidSettingError(NETWORK_SETTING, `unknown fields ${unknown.join(", ")}; allowed: ${NETWORK_FIELDS.join(", ")}`);
  const ids = (key: string): string[] => {
    const list = value[key] ?? [];
    if (!Array.isArray(list) || !list.every((v): v is string => typeof v === "string" && v !== "")) throw invalidSettingError(NETWORK_SETTING, `${key} must be a list of ids`);
    return list;
  };
  const optional = (key: string): string | undefined => {
    const text = value[key];
    if (text === undefined) return undefined;
    if (typeof text !== "string" || text === "") throw invalidSettingError(NETWORK_SETTING, `${key} must be non-empty text`);
    return text;
  };
  const dbSubnetGroup = optional("dbSubnetGroup");
  const instanceProfileArn = optional("instanceProfileArn");
  return {
    subnetIds: ids("subnetIds"),
    securityGroupIds: ids("securityGroupIds"),
    ...(dbSubnetGroup === undefined ? {} : { dbSubnetGroup }),
    ...(instanceProfileArn === undefined ? {} : { instanceProfileArn }),
  };
}
