// Storage protection in strict environments: the KMS keys and the vault buckets (replica vaults
// included) hold or unlock every backup, so the engine must refuse to delete them, on `pulumi destroy`
// and when they leave the program. The analyzer passes a resource's `protect` option but not its
// `retainOnDelete` (see policies/README.md: Limits); the program sets both from backup-dr:protectStorage.
import * as aws from "@pulumi/aws";
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { bucketsOf } from "./lib/buckets";
import { STRICT_ENVIRONMENTS_SCHEMA, configSchema, settings } from "./lib/config";
import { DEFAULT_STRICT_ENVIRONMENTS } from "./lib/names";
import { ofClass, stackEnvironments, strictEnvironment } from "./lib/resources";

const protectionDefaults = { strictEnvironments: DEFAULT_STRICT_ENVIRONMENTS };

export const drStorageProtected: StackValidationPolicy = {
  name: "dr-storage-protected",
  description: "In strict environments every KMS key and vault bucket (replica vaults included) is protected, so neither pulumi destroy nor removing it from the program deletes it.",
  enforcementLevel: "mandatory",
  configSchema: configSchema(protectionDefaults, { strictEnvironments: STRICT_ENVIRONMENTS_SCHEMA }),
  validateStack: (args, reportViolation) => {
    const c = settings(args, protectionDefaults);
    const environment = strictEnvironment(stackEnvironments(args.resources), c.strictEnvironments);
    if (environment === undefined) args.notApplicable("not a strict environment");
    const fix = `environment "${environment}" requires keys and vaults protected: set backup-dr:protectStorage to true (protect and retainOnDelete).`;
    const stored: { what: string; resource: PolicyResource }[] = [
      ...ofClass(args.resources, aws.kms.Key).map((k) => ({ what: "The KMS key", resource: k.resource })),
      ...bucketsOf(args.resources)
        .filter((b) => b.vault)
        .map((b) => ({ what: "The vault bucket", resource: b.resource })),
    ];
    for (const { what, resource } of stored) {
      if (resource.opts.protect !== true) reportViolation(`${what} is not protected, so pulumi destroy deletes it; ${fix}`, resource.urn);
    }
  },
};

export const PROTECTION_POLICIES = [drStorageProtected];
