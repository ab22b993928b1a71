// Pure checks for the strings the stack config carries: regions, schedules, names (time zones: handlers/plan.ts).
// Each returns true when the value is acceptable; the schema attaches the message.
import { Region } from "@pulumi/aws";
import { scheduleProblem } from "../handlers/lib/schedule";

const REGIONS: readonly string[] = Object.values(Region);

/** A region AWS has, as the @pulumi/aws Region enum lists them (the provider refuses others). */
export function isRegion(value: string): boolean {
  return REGIONS.includes(value);
}

/** EventBridge Scheduler recurring expressions the functions can also evaluate: `rate(N unit)` or six-field `cron(...)`. */
export function isScheduleExpression(value: string): boolean {
  return scheduleProblem(value) === undefined;
}

/** Plan names end up in snapshot identifiers, schedule names and metric dimensions (the plan contract's rule). */
export { isPlanName } from "../handlers/plan";

/** S3 general purpose bucket naming rules. */
export function isBucketName(value: string): boolean {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value)) return false;
  if (value.includes("..") || /^\d+\.\d+\.\d+\.\d+$/.test(value)) return false;
  const reservedPrefixes = ["xn--", "sthree-", "amzn-s3-demo-"];
  const reservedSuffixes = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];
  return !reservedPrefixes.some((p) => value.startsWith(p)) && !reservedSuffixes.some((s) => value.endsWith(s));
}

const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * An address an SNS email subscription can deliver to: at most 254 characters (RFC 5321 path limit), a local part of
 * at most 64 characters without empty dot-separated parts, and a domain of DNS labels (no "..") with a letter top level.
 */
export function isEmail(value: string): boolean {
  if (value.length > 254) return false;
  const at = value.lastIndexOf("@");
  const local = value.slice(0, at);
  const labels = value.slice(at + 1).split(".");
  if (at < 1 || local.length > 64 || !EMAIL_LOCAL.test(local)) return false;
  if (labels.length < 2 || !labels.every((l) => DOMAIN_LABEL.test(l))) return false;
  return /^[A-Za-z]{2,63}$/.test(labels[labels.length - 1]);
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

/** EC2 resource ids: a prefix and 8 (older) or 17 lowercase hex digits. */
const ec2Id = (prefix: string) => new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`);

export const SUBNET_ID_MSG = "expected a subnet id: subnet- and 8 or 17 lowercase hex digits";
export const SECURITY_GROUP_ID_MSG = "expected a security group id: sg- and 8 or 17 lowercase hex digits";
export const DB_SUBNET_GROUP_MSG = "expected a DB subnet group name of 1-255 letters, digits, spaces, periods, underscores and hyphens";
export const INSTANCE_PROFILE_ARN_MSG = "expected an instance profile ARN: arn:<partition>:iam::<12-digit account>:instance-profile/<path/><name>";
/** Security groups per network interface: AWS's default quota is 5, raisable to 16. */
export const MAX_RESTORE_SECURITY_GROUPS = 16;

export function isSubnetId(value: string): boolean {
  return ec2Id("subnet").test(value);
}

export function isSecurityGroupId(value: string): boolean {
  return ec2Id("sg").test(value);
}

/** CreateDBSubnetGroup's rule: at most 255 letters, digits, spaces, periods, underscores or hyphens. */
export function isDbSubnetGroupName(value: string): boolean {
  return /^[A-Za-z0-9 ._-]{1,255}$/.test(value);
}

/** IAM names are 1-128 of [\w+=,.@-]; a path is /-separated segments of the same characters. */
export function isInstanceProfileArn(value: string): boolean {
  return /^arn:aws(-[a-z]+)*:iam::\d{12}:instance-profile\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/.test(value);
}

export const INSTANCE_TYPE_MSG = "expected an EC2 instance type such as m7g.large (family, a dot, size; lowercase)";
export const DB_INSTANCE_CLASS_MSG = "expected a DB instance class such as db.r6g.large (db., class, a dot, size; lowercase)";

/** An EC2 instance type's shape: `<family>.<size>` (m7g.large, u-6tb1.metal); whether it exists is EC2's to say. */
export function isInstanceType(value: string): boolean {
  return /^[a-z][a-z0-9-]{0,30}\.[a-z0-9-]{1,30}$/.test(value);
}

/** A DB instance class's shape: `db.<class>.<size>` (db.r6g.large, db.t4g.micro). */
export function isDbInstanceClass(value: string): boolean {
  return /^db\.[a-z0-9-]{1,30}\.[a-z0-9-]{1,30}$/.test(value);
}
