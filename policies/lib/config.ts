// Policy thresholds: one defaults object per policy is both its configSchema (with `default`s, so
// `pulumi policy validate-config` and the Pulumi console show them) and what getConfig falls back to.
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/** JSON schema for each setting of `T`, without its default (taken from the defaults object). */
export type SettingsSchema<T> = { [K in keyof T]: Omit<PolicyConfigJSONSchema, "default"> };

export function configSchema<T extends object>(defaults: T, schema: SettingsSchema<T>): PolicyConfigSchema {
  const properties: Record<string, PolicyConfigJSONSchema> = {};
  for (const key of Object.keys(schema) as (keyof T & string)[]) {
    properties[key] = { ...schema[key], default: defaults[key] as PolicyConfigJSONSchema["default"] };
  }
  return { properties };
}

/**
 * The policy's settings: the pack config's values over the defaults. The CLI fills schema defaults
 * in, but an in-process runner (and an older CLI) may not, so the defaults are applied here too.
 */
export function settings<T extends object>(args: { getConfig<C extends object>(): C }, defaults: T): T {
  return { ...defaults, ...args.getConfig<Partial<T>>() };
}

export const STRICT_ENVIRONMENTS_SCHEMA: Omit<PolicyConfigJSONSchema, "default"> = {
  type: "array",
  items: { type: "string" },
  description: "Environments (the stack's `environment` tag) that get the strict thresholds.",
};
