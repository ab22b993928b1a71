// AWS region names, as the settings of the copy and cleanup functions accept them.

/** us-east-1, eu-central-2, us-gov-west-1, cn-north-1, ap-southeast-5 ... */
export const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
