// The pace of the snapshot creates and deletes that share AWS's snapshot token bucket (per account and region:
// bursts of 100, refilled 5 a second, AWS's API throttling guide), as the backup and cleanup functions read it.
import type { Env } from "./env";
import { invalidSettingError } from "./errors";

export const SNAPSHOT_RATE_SETTING = "BACKUP_DR_SNAPSHOT_RATE";

export interface SnapshotRate {
  /** Calls per second once the burst is spent (decimals allowed). */
  perSecond: number;
  /** Calls at once from a full bucket. */
  burst: number;
}

/** AWS's own bucket: the default, so a run uses all of it and backs off only when AWS throttles (handlers/lib/pace.ts). */
export const AWS_SNAPSHOT_RATE: SnapshotRate = { perSecond: 5, burst: 100 };

const RULE = "expected <perSecond>/<burst>: perSecond a number above 0 and at most 100, burst a whole number from 1 to 1000, e.g. 5/100";

/** BACKUP_DR_SNAPSHOT_RATE, "<perSecond>/<burst>" (default AWS's 5/100); throws invalidSettingError naming the variable. */
export function readSnapshotRate(env: Env): SnapshotRate {
  const value = env[SNAPSHOT_RATE_SETTING];
  if (value === undefined || value.trim() === "") return AWS_SNAPSHOT_RATE;
  const match = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(\d+)\s*$/.exec(value);
  const perSecond = Number(match?.[1]);
  const burst = Number(match?.[2]);
  if (!match || !(perSecond > 0 && perSecond <= 100) || !Number.isInteger(burst) || burst < 1 || burst > 1000) {
    throw invalidSettingError(SNAPSHOT_RATE_SETTING, `${RULE}, got "${value}"`);
  }
  return { perSecond, burst };
}
