// AWS region names and KMS key ARNs, as the functions' settings accept them.

/** us-east-1, eu-central-2, us-gov-west-1, cn-north-1, ap-southeast-5 ... */
export const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/** A KMS key ARN; the first group is its region (arn:aws:kms:<region>:<account>:key/<id>). */
export const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):\d{12}:key\/[A-Za-z0-9-]+$/;
