// What the policy check works on and reports: a stack's resources as the Pulumi engine sends them to an
// analyzer (recorded by the mock-program harness, tools/mock-program/capture.ts; tests build them by
// hand too) and the violations the policies find.
import type { EnforcementLevel } from "@pulumi/policy";

export type { StackResource } from "../mock-program/capture";

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
