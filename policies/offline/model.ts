// A resource of a stack as the offline runner hands it to the policies: what the Pulumi engine sends
// an analyzer (inputs for resource policies, outputs for stack policies, options, provider, parent,
// dependencies), as plain data that tests can also build by hand.
import type { EnforcementLevel, PolicyResourceOptions } from "@pulumi/policy";

export interface StackResource {
  type: string;
  name: string;
  urn: string;
  /** What resource policies see: the inputs the program registered. */
  inputs: Record<string, unknown>;
  /** What stack policies see: the outputs (under mocks, the inputs plus what the mock computes). */
  outputs: Record<string, unknown>;
  opts: PolicyResourceOptions;
  /** URN of the provider resource the resource was registered with. */
  provider?: string;
  parent?: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
}

export interface Violation {
  policy: string;
  level: EnforcementLevel;
  /** The resource reported on; absent for a violation of the stack as a whole. */
  urn?: string;
  message: string;
}

/** `name (type)` of the resource a URN names; `(stack)` for none. */
export function resourceLabel(urn: string | undefined): string {
  if (urn === undefined) return "(stack)";
  const parts = urn.split("::");
  const type = (parts[2] ?? "").split("$").pop() ?? "";
  return `${parts[3] ?? urn} (${type})`;
}
