// The vaults' Object Lock as S3 reports it, for the report's vault section and its vault-lock control. Read-only; a
// vault that cannot be read is recorded with its error (the report still goes out), never thrown.
import { GetObjectLockConfigurationCommand, type S3Client } from "@aws-sdk/client-s3";
import { describeError, errorName } from "../lib/errors";
import type { VaultState } from "./schema";

/** One vault to read: its role, region, bucket and that region's S3 client. */
export interface VaultTarget {
  role: VaultState["role"];
  region: string;
  bucket: string;
  s3: S3Client;
}

/** S3's answer for a bucket created without Object Lock: not an error, the vault is simply not locked. */
const NOT_LOCKED = "ObjectLockConfigurationNotFoundError";
const DAYS_PER_YEAR = 365;

/**
 * Object Lock of each vault, in the order given: `locked` only when Object Lock is Enabled AND a default retention (Days
 * or Years) is set; otherwise `locked: false` with no error. A failed read is `locked: false` with the error.
 */
export async function readVaults(targets: readonly VaultTarget[]): Promise<VaultState[]> {
  return Promise.all(targets.map((target) => readVault(target)));
}

async function readVault({ role, region, bucket, s3 }: VaultTarget): Promise<VaultState> {
  const base = { role, region, bucket };
  try {
    const { ObjectLockConfiguration: config } = await s3.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }));
    const retention = config?.Rule?.DefaultRetention;
    const days = retention?.Days ?? (retention?.Years === undefined ? undefined : retention.Years * DAYS_PER_YEAR);
    // Object Lock enabled without a default retention locks nothing the stack writes (it sets no retention per object).
    return {
      ...base,
      locked: config?.ObjectLockEnabled === "Enabled" && days !== undefined && days > 0,
      ...(retention?.Mode === undefined ? {} : { mode: retention.Mode }),
      ...(days === undefined ? {} : { retentionDays: days }),
    };
  } catch (error) {
    if (errorName(error) === NOT_LOCKED) return { ...base, locked: false };
    return { ...base, locked: false, error: describeError(error) };
  }
}
