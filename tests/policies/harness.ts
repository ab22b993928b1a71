// Synthetic stacks for policy tests: plain resources shaped as the mock-program harness captures them, and
// one policy run over them with the same in-process evaluator `npm run policy` uses.
import type { Policy, PolicyResourceOptions } from "@pulumi/policy";
import { evaluate } from "../../tools/policy-check/evaluate";
import { resourceLabel, type StackResource } from "../../tools/policy-check/model";

export const ACCOUNT = "123456789012";
export const STACK_TAGS = { "backup-dr:stack": "backup-dr/test", environment: "test" };

export interface ResourceOptions {
  provider?: StackResource;
  parent?: string;
  ignoreChanges?: string[];
  /** The `protect` resource option (the analyzer passes it; it does not pass retainOnDelete). */
  protect?: boolean;
  /** Outputs beside the inputs (what the provider computes, e.g. an ARN). */
  computed?: Record<string, unknown>;
}

export const urnOf = (type: string, name: string) => `urn:pulumi:test::backup-dr::${type}::${name}`;

export function resource(type: string, name: string, inputs: Record<string, unknown>, options: ResourceOptions = {}): StackResource {
  const opts: PolicyResourceOptions = {
    protect: options.protect ?? false,
    ignoreChanges: options.ignoreChanges ?? [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(options.parent === undefined ? {} : { parent: options.parent }),
  };
  return {
    type,
    name,
    urn: urnOf(type, name),
    inputs,
    outputs: { ...inputs, ...options.computed },
    opts,
    provider: options.provider?.urn,
    parent: options.parent,
    dependencies: [],
    propertyDependencies: {},
  };
}

/** An AWS provider as the program registers it: region and default tags (as JSON text). */
export function provider(name: string, region: string | undefined, tags: Record<string, string> = STACK_TAGS): StackResource {
  return resource("pulumi:providers:aws", name, { ...(region === undefined ? {} : { region }), defaultTags: JSON.stringify({ tags }) });
}

/** A copy of `r` with some inputs (and outputs) replaced; `undefined` removes one. */
export function withProps(r: StackResource, changes: Record<string, unknown>): StackResource {
  const apply = (props: Record<string, unknown>) => {
    const next = { ...props, ...changes };
    for (const [key, value] of Object.entries(changes)) if (value === undefined) delete next[key];
    return next;
  };
  return { ...r, inputs: apply(r.inputs), outputs: apply(r.outputs) };
}

/** Stack resources with one replaced (matched by URN) or, with `undefined`, removed. */
export function replace(resources: StackResource[], urn: string, next: StackResource | undefined): StackResource[] {
  return resources.flatMap((r) => (r.urn === urn ? (next === undefined ? [] : [next]) : [r]));
}

/** `resource label: message` for every violation the policy reports. */
export async function check(policy: Policy, resources: StackResource[], config?: Record<string, unknown>): Promise<string[]> {
  const violations = await evaluate([policy], resources, { packConfig: config === undefined ? {} : { [policy.name]: config } });
  return violations.map((v) => `${resourceLabel(v.urn)}: ${v.message}`);
}

export const json = (value: unknown) => JSON.stringify(value);

/** A copy of `r` with its `protect` option set. */
export const withProtect = (r: StackResource, protect: boolean): StackResource => ({ ...r, opts: { ...r.opts, protect } });
