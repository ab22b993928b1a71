// Every policy of the pack, in one list: what index.ts serves and what the offline check (tools/policy-check) evaluates.
// Importing this (unlike index.ts) starts no server.
import type { Policies } from "@pulumi/policy";
import { BUCKET_POLICIES } from "./buckets";
import { CLEANUP_POLICIES } from "./cleanup";
import { DRILL_POLICIES } from "./drill";
import { DR_POLICIES } from "./dr";
import { DR_STRICT_POLICIES } from "./dr-strict";
import { FORECAST_POLICIES } from "./forecast-quotas";
import { FUNCTION_POLICIES } from "./functions";
import { IAM_POLICIES } from "./iam";
import { KMS_POLICIES } from "./kms";
import { MESSAGING_POLICIES } from "./messaging";
import { PROTECTION_POLICIES } from "./protection";
import { RESTORE_POLICIES } from "./restore";
import { TAG_POLICIES } from "./tags";

export const ALL_POLICIES: Policies = [
  ...DR_POLICIES,
  ...DR_STRICT_POLICIES,
  ...PROTECTION_POLICIES,
  ...CLEANUP_POLICIES,
  ...KMS_POLICIES,
  ...BUCKET_POLICIES,
  ...MESSAGING_POLICIES,
  ...FUNCTION_POLICIES,
  ...IAM_POLICIES,
  ...TAG_POLICIES,
  ...FORECAST_POLICIES,
  ...RESTORE_POLICIES,
  ...DRILL_POLICIES,
];
