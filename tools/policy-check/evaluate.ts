// An in-process analyzer: runs every resource and stack policy over a stack's resources the way the
// policy SDK's analyzer server does (enforcement levels and pack config, notApplicable, getConfig,
// isType/asType by type token, parents and dependencies resolved), without starting a gRPC server.
import type {
  EnforcementLevel,
  Policies,
  Policy,
  PolicyPackConfig,
  PolicyProviderResource,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { StackResource, Violation } from "./model";

export interface EvaluateOptions {
  /** The pack config, as `--policy-pack-config` would pass it: per policy, a level or settings. */
  packConfig?: PolicyPackConfig;
}

class NotApplicable extends Error {}

const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};

/** Mirrors the SDK: a class's static `__pulumiType`, else its `isInstance`. */
function isTypeOf(type: string, resourceClass: object): boolean {
  const cls = resourceClass as { __pulumiType?: unknown; isInstance?: unknown };
  if (typeof cls.__pulumiType === "string") return cls.__pulumiType === type;
  return typeof cls.isInstance === "function" && (cls.isInstance as (o: unknown) => unknown)({ __pulumiType: type }) === true;
}

const isStackPolicy = (p: Policy): p is StackValidationPolicy => "validateStack" in p;
const isResourcePolicy = (p: Policy): p is ResourceValidationPolicy => "validateResource" in p;

function levelOf(p: Policy, config: PolicyPackConfig): EnforcementLevel {
  const configured = config[p.name];
  const level = typeof configured === "string" ? configured : configured?.enforcementLevel;
  const resolved = level ?? p.enforcementLevel ?? "advisory";
  // As in the SDK: a remediation that still leaves a violation is reported as mandatory.
  return resolved === "remediate" ? "mandatory" : resolved;
}

function configOf(p: Policy, config: PolicyPackConfig): Record<string, unknown> {
  const configured = config[p.name];
  if (configured === undefined || typeof configured === "string") return {};
  // As the SDK's getConfig: the policy's settings, without its enforcement level.
  const properties: Record<string, unknown> = { ...configured };
  delete properties.enforcementLevel;
  return properties;
}

function providerOf(r: StackResource, byUrn: Map<string, StackResource>): PolicyProviderResource | undefined {
  const provider = r.provider === undefined ? undefined : byUrn.get(r.provider);
  return provider === undefined ? undefined : { type: provider.type, props: provider.outputs, urn: provider.urn, name: provider.name };
}

/** What the analyzer tells a policy of any one resource: its identity, properties (outputs or inputs) and type tests. */
function resourceView(r: StackResource, props: Record<string, unknown>, byUrn: Map<string, StackResource>) {
  return {
    type: r.type,
    props,
    urn: r.urn,
    name: r.name,
    opts: r.opts,
    provider: providerOf(r, byUrn),
    isType: (resourceClass: object) => isTypeOf(r.type, resourceClass),
  };
}

/** asType: the engine hands policies untyped JSON, so this only names the shape the policy expects. */
const asTypeOf = (r: StackResource, props: Record<string, unknown>) => (resourceClass: object) => (isTypeOf(r.type, resourceClass) ? props : undefined);

/** The stack's resources as stack policies see them, parents and dependencies linked. */
function policyResources(resources: StackResource[], byUrn: Map<string, StackResource>): PolicyResource[] {
  const built = new Map<string, PolicyResource>();
  for (const r of resources) {
    const props = r.outputs;
    built.set(r.urn, { ...resourceView(r, props, byUrn), asType: asTypeOf(r, props) as PolicyResource["asType"], dependencies: [], propertyDependencies: {} });
  }
  const lookup = (urns: string[]) => urns.map((u) => built.get(u)).filter((x): x is PolicyResource => x !== undefined);
  for (const r of resources) {
    const resource = built.get(r.urn);
    if (resource === undefined) continue;
    if (r.parent !== undefined) resource.parent = built.get(r.parent);
    resource.dependencies = lookup(r.dependencies);
    resource.propertyDependencies = Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, urns]) => [k, lookup(urns)]));
  }
  return [...built.values()];
}

async function runResourcePolicy(p: ResourceValidationPolicy, level: EnforcementLevel, config: Record<string, unknown>, resources: StackResource[], byUrn: Map<string, StackResource>): Promise<Violation[]> {
  const violations: Violation[] = [];
  const validations = p.validateResource === undefined ? [] : Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
  for (const r of resources) {
    const props = r.inputs;
    const args: ResourceValidationArgs = {
      ...resourceView(r, props, byUrn),
      asType: asTypeOf(r, props) as ResourceValidationArgs["asType"],
      stackTags: new Map<string, string>(),
      getConfig: <T extends object>() => config as T,
      notApplicable,
    };
    for (const validate of validations) {
      try {
        await validate(args, (message) => violations.push({ policy: p.name, level, urn: r.urn, message }));
      } catch (error) {
        if (!(error instanceof NotApplicable)) throw failed(p, r.urn, error);
      }
    }
  }
  return violations;
}

async function runStackPolicy(p: StackValidationPolicy, level: EnforcementLevel, config: Record<string, unknown>, resources: PolicyResource[]): Promise<Violation[]> {
  const violations: Violation[] = [];
  const args: StackValidationArgs = { resources, stackTags: new Map<string, string>(), getConfig: <T extends object>() => config as T, notApplicable };
  try {
    await p.validateStack(args, (message, urn) => violations.push({ policy: p.name, level, urn, message }));
  } catch (error) {
    if (!(error instanceof NotApplicable)) throw failed(p, undefined, error);
  }
  return violations;
}

/** A policy that throws is a bug in the pack: the real analyzer fails the preview, and so does this. */
function failed(p: Policy, urn: string | undefined, error: unknown): Error {
  const cause = error instanceof Error ? error.message : String(error);
  return new Error(`policy ${p.name} failed${urn === undefined ? "" : ` on ${urn}`}: ${cause}`, { cause: error });
}

/** Every violation the policies report on the resources, in policy order. */
export async function evaluate(policies: Policies, resources: StackResource[], options: EvaluateOptions = {}): Promise<Violation[]> {
  const packConfig = options.packConfig ?? {};
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const violations: Violation[] = [];
  for (const p of policies) {
    const level = levelOf(p, packConfig);
    if (level === "disabled") continue;
    const config = configOf(p, packConfig);
    if (isResourcePolicy(p)) violations.push(...(await runResourcePolicy(p, level, config, resources, byUrn)));
    else if (isStackPolicy(p)) violations.push(...(await runStackPolicy(p, level, config, policyResources(resources, byUrn))));
  }
  return violations;
}
