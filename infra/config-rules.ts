// Pure checks for the strings the stack config carries: regions, schedules, time zones, names.
// Each returns true when the value is acceptable; the schema attaches the message.
import { parseSchedule } from "../handlers/lib/schedule";

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

export function isRegion(value: string): boolean {
  return REGION.test(value);
}

/** IANA time zone names the runtime knows (EventBridge Scheduler accepts the same database). */
export function isTimeZone(value: string): boolean {
  if (value.trim() !== value || value === "") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** EventBridge Scheduler recurring expressions the functions can also evaluate: `rate(N unit)` or six-field `cron(...)`. */
export function isScheduleExpression(value: string): boolean {
  try {
    parseSchedule(value);
    return true;
  } catch {
    return false;
  }
}

/** Plan names end up in snapshot identifiers, schedule names and metric dimensions. */
export function isPlanName(value: string): boolean {
  return /^[a-z][a-z0-9-]{0,19}$/.test(value) && !value.includes("--") && !value.endsWith("-");
}

/** S3 general purpose bucket naming rules. */
export function isBucketName(value: string): boolean {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value)) return false;
  if (value.includes("..") || /^\d+\.\d+\.\d+\.\d+$/.test(value)) return false;
  const reservedPrefixes = ["xn--", "sthree-", "amzn-s3-demo-"];
  const reservedSuffixes = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];
  return !reservedPrefixes.some((p) => value.startsWith(p)) && !reservedSuffixes.some((s) => value.endsWith(s));
}

export function isEmail(value: string): boolean {
  return /^[^@\s]+@[^@\s]+\.[^@\s.]+$/.test(value);
}

const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Tag keys users may set: AWS tag rules, and not in the reserved `aws:` namespace. */
export function isUserTagKey(value: string): boolean {
  return value.length >= 1 && value.length <= 128 && TAG_CHARS.test(value) && !value.toLowerCase().startsWith("aws:");
}

export function isTagValue(value: string): boolean {
  return value.length <= 256 && TAG_CHARS.test(value);
}

/** The retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
