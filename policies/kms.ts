// KMS keys: every customer-managed key rotates, keeps a deletion window long enough to notice a
// mistake (a deleted key makes every backup encrypted under it unreadable), and its key policy
// names no `*` principal.
import * as aws from "@pulumi/aws";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";
import { STRICT_ENVIRONMENTS_SCHEMA, configSchema, settings } from "./lib/config";
import { isAllow, isEveryone, statementLabel, statementsOf } from "./lib/documents";
import { DEFAULT_STRICT_ENVIRONMENTS, TAG_ENVIRONMENT } from "./lib/names";
import { effectiveTags } from "./lib/resources";

/** What AWS uses when a key does not set `deletionWindowInDays`. */
const AWS_DEFAULT_DELETION_WINDOW_DAYS = 30;

export const kmsKeyRotation: ResourceValidationPolicy = {
  name: "kms-key-rotation",
  description: "Every symmetric customer-managed KMS key has automatic key rotation on.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.kms.Key, (key, args, reportViolation) => {
    // AWS rotates only symmetric encryption keys; HMAC and asymmetric keys cannot turn it on.
    const symmetric = (key.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT") === "SYMMETRIC_DEFAULT" && (key.keyUsage ?? "ENCRYPT_DECRYPT") === "ENCRYPT_DECRYPT";
    if (!symmetric) args.notApplicable("only symmetric encryption keys rotate");
    if (key.enableKeyRotation !== true) {
      reportViolation("KMS key rotation is off: set enableKeyRotation: true on the key.");
    }
  }),
};

const deletionWindowDefaults = { minimumDays: 7, strictMinimumDays: 30, strictEnvironments: DEFAULT_STRICT_ENVIRONMENTS };

export const kmsKeyDeletionWindow: ResourceValidationPolicy = {
  name: "kms-key-deletion-window",
  description: "Every KMS key waits at least the configured number of days (more in strict environments) before it is deleted.",
  enforcementLevel: "mandatory",
  configSchema: configSchema(deletionWindowDefaults, {
    minimumDays: { type: "integer", minimum: 7, maximum: 30, description: "Minimum deletion window in every stack." },
    strictMinimumDays: { type: "integer", minimum: 7, maximum: 30, description: "Minimum deletion window in strict environments." },
    strictEnvironments: STRICT_ENVIRONMENTS_SCHEMA,
  }),
  validateResource: validateResourceOfType(aws.kms.Key, (key, args, reportViolation) => {
    const c = settings(args, deletionWindowDefaults);
    const environment = effectiveTags(key, args.provider?.props)[TAG_ENVIRONMENT];
    const strict = environment !== undefined && c.strictEnvironments.includes(environment);
    const minimum = strict ? Math.max(c.minimumDays, c.strictMinimumDays) : c.minimumDays;
    const days = key.deletionWindowInDays ?? AWS_DEFAULT_DELETION_WINDOW_DAYS;
    if (days < minimum) {
      const where = strict ? ` for environment "${environment}"` : "";
      reportViolation(
        `KMS key deletion window is ${days} days, below the minimum of ${minimum}${where}: ` +
          `set deletionWindowInDays (backup-dr:kmsDeletionWindowDays) to at least ${minimum}.`,
      );
    }
  }),
};

export const kmsKeyPolicyNoWildcardPrincipal: ResourceValidationPolicy = {
  name: "kms-key-policy-no-wildcard-principal",
  description: "No statement of a KMS key policy allows the principal \"*\".",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.kms.Key, (key, _args, reportViolation) => {
    // No policy means AWS's default key policy, which names only the account.
    (statementsOf(key.policy) ?? []).forEach((statement, i) => {
      if (isAllow(statement) && isEveryone(statement.Principal)) {
        reportViolation(
          `KMS key policy statement ${statementLabel(statement, i)} allows the principal "*": ` +
            "name the account root, a role or a service principal instead.",
        );
      }
    });
  }),
};

export const KMS_POLICIES = [kmsKeyRotation, kmsKeyDeletionWindow, kmsKeyPolicyNoWildcardPrincipal];
