// AWS limits that grow with the config, checked while the program runs (so at `pulumi preview`), not at deploy time.
import type { PolicyDocument } from "./policy-documents";

/** Lambda: "total size of all environment variables" of a function (Lambda quotas page). */
export const LAMBDA_ENVIRONMENT_BYTES = 4096;
/** IAM: a role's inline policies together, characters not counting whitespace (IAM quotas page). */
export const ROLE_INLINE_POLICY_CHARACTERS = 10_240;
/** Stand-in length of a value known only after deploy (an ARN, a bucket or topic name); longer than any this stack makes. */
export const UNKNOWN_VALUE_BYTES = 200;

/**
 * Throws, naming the limit, when a function's environment would exceed Lambda's 4 KB. Values not known yet (Outputs)
 * count as UNKNOWN_VALUE_BYTES; the largest variables are named so the message says what to shorten.
 */
export function checkEnvironmentSize(functionName: string, variables: Record<string, unknown>): void {
  const sized = Object.entries(variables).map(([name, value]) => ({ name, bytes: typeof value === "string" ? Buffer.byteLength(value, "utf8") : UNKNOWN_VALUE_BYTES }));
  const total = sized.reduce((sum, v) => sum + Buffer.byteLength(v.name, "utf8") + v.bytes, 0);
  if (total <= LAMBDA_ENVIRONMENT_BYTES) return;
  const largest = [...sized].sort((a, b) => b.bytes - a.bytes).slice(0, 2).map((v) => `${v.name} ${v.bytes} bytes`).join(", ");
  throw new Error(
    `The ${functionName} function's environment variables would take about ${total} bytes, over Lambda's limit of 4 KB (${LAMBDA_ENVIRONMENT_BYTES} bytes) ` +
      `for all variables of a function (largest: ${largest}). The plans travel as JSON in BACKUP_DR_PLANS: use fewer plans (merge plans with the same schedule) or shorter names.`,
  );
}

/** Throws, naming the limit, when a role's inline policy (as IAM counts it: no whitespace) would exceed 10,240 characters. */
export function checkInlinePolicySize(what: string, policy: PolicyDocument, advice: string): void {
  const characters = JSON.stringify(policy).replace(/\s/g, "").length;
  if (characters <= ROLE_INLINE_POLICY_CHARACTERS) return;
  throw new Error(`${what} would be ${characters} characters, over IAM's limit of ${ROLE_INLINE_POLICY_CHARACTERS} characters for a role's inline policies. ${advice}`);
}
