// The offline check of one stack: evaluate every policy of the pack over its resources and sort the
// violations into blocking (mandatory), pending (mandatory, but listed in pending.ts) and advisory.
import type { PolicyPackConfig } from "@pulumi/policy";
import { ALL_POLICIES } from "../../policies/all";
import { evaluate } from "./evaluate";
import type { StackResource, Violation } from "./model";
import { PENDING_POLICIES } from "./pending";
import { runStack } from "./run-stack";

export interface CheckOptions {
  packConfig?: PolicyPackConfig;
  /** Count pending policies' violations as blocking too. */
  strict?: boolean;
}

export interface CheckResult {
  stack: string;
  resourceCount: number;
  violations: Violation[];
  /** Mandatory violations that fail the check. */
  blocking: Violation[];
  /** Mandatory violations of policies listed in pending.ts (shown, not failing). */
  pending: Violation[];
  advisory: Violation[];
}

export async function checkResources(stack: string, resources: StackResource[], options: CheckOptions = {}): Promise<CheckResult> {
  const violations = await evaluate(ALL_POLICIES, resources, { packConfig: options.packConfig });
  const mandatory = violations.filter((v) => v.level === "mandatory");
  const isPending = (v: Violation) => options.strict !== true && PENDING_POLICIES.has(v.policy);
  return {
    stack,
    resourceCount: resources.length,
    violations,
    blocking: mandatory.filter((v) => !isPending(v)),
    pending: mandatory.filter(isPending),
    advisory: violations.filter((v) => v.level !== "mandatory"),
  };
}

/** Runs the program under mocks with the stack's config (Pulumi.<stack>.yaml's by default) and checks it. */
export async function checkStack(stack: string, options: CheckOptions = {}, values?: Record<string, unknown>): Promise<CheckResult> {
  return checkResources(stack, await runStack(stack, values), options);
}
