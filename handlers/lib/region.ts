// AWS region names, KMS key ARNs and SNS topic ARNs, as the functions' settings accept them.
import { requireSetting, type Env } from "./env";
import { invalidSettingError } from "./errors";

/** us-east-1, eu-central-2, us-gov-west-1, cn-north-1, ap-southeast-5 ... */
export const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/** A KMS key ARN; the first group is its region (arn:aws:kms:<region>:<account>:key/<id>). */
export const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):\d{12}:key\/[A-Za-z0-9-]+$/;

/** An SNS topic ARN; the first group is its region. */
export const TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):\d{12}:[A-Za-z0-9_-]{1,256}$/;

/** The region an environment variable names; MissingSettingError or InvalidSettingError naming the variable otherwise. */
export function regionSetting(env: Env, name: string): string {
  const value = requireSetting(env, name);
  if (!REGION.test(value)) throw invalidSettingError(name, `expected an AWS region name such as us-west-2, got "${value}"`);
  return value;
}
