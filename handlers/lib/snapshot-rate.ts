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

/** The range of each part, for this setting and the config key backup-dr:pacing alike. */
export const PER_SECOND_RULE = "a number above 0 and at most 100";
export const BURST_RULE = "a whole number from 1 to 1000";
export const isPerSecond = (n: number): boolean => n > 0 && n <= 100;
export const isBurst = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 1000;

const RULE = `expected <perSecond>/<burst>: perSecond ${PER_SECOND_RULE}, burst ${BURST_RULE}, e.g. 5/100`;

/** The setting's value for a rate (what infra writes). */
export function snapshotRateSetting(rate: SnapshotRate): string {
  return `${rate.perSecond}/${rate.burst}`;
}

/** BACKUP_DR_SNAPSHOT_RATE, "<perSecond>/<burst>" (default AWS's 5/100); throws invalidSettingError naming the variable. */
export function readSnapshotRate(env: Env): SnapshotRate {
  const value = env[SNAPSHOT_RATE_SETTING];
  if (value === undefined || value.trim() === "") return AWS_SNAPSHOT_RATE;
  const match = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(\d+)\s*$/.exec(value);
  const perSecond = Number(match?.[1]);
  const burst = Number(match?.[2]);
  if (!match || !isPerSecond(perSecond) || !isBurst(burst)) {
    throw invalidSettingError(SNAPSHOT_RATE_SETTING, `${RULE}, got "${value}"`);
  }
  return { perSecond, burst };
}
