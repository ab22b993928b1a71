// Typed, honest views of the resources a stack policy sees, and what their providers say (region,
// default tags, environment). Outputs are typed from the @pulumi/aws classes but every field is
// optional: a resource the program registers without an input simply lacks it.
import type { PolicyResource } from "@pulumi/policy";
import type * as pulumi from "@pulumi/pulumi";
import type { ResolvedResource } from "@pulumi/pulumi/queryable";
import { PROVIDER_TYPE, TAG_ENVIRONMENT } from "./names";

/** `T` with every property, at every depth, optional. */
export type Loose<T> = T extends readonly (infer U)[] ? Loose<U>[] : T extends object ? { [K in keyof T]?: Loose<T[K]> } : T;

/** A resource class such as `aws.kms.Key` (its args type `A` is inferred); only its type token is used. */
export type ResourceClass<T extends pulumi.Resource, A> = new (name: string, args: A) => T;

export interface Typed<T extends pulumi.Resource> {
  resource: PolicyResource;
  props: Loose<ResolvedResource<T>>;
}

/** Every resource of the stack of one class, with its outputs typed. */
export function ofClass<T extends pulumi.Resource, A>(resources: PolicyResource[], cls: ResourceClass<T, A>): Typed<T>[] {
  const found: Typed<T>[] = [];
  for (const resource of resources) {
    // Widening the resolved outputs to their all-optional view (what the engine really hands over).
    const props = resource.asType(cls) as Loose<ResolvedResource<T>> | undefined;
    if (props !== undefined) found.push({ resource, props });
  }
  return found;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** An object, or the object its JSON text holds (provider inputs travel as JSON strings). */
function objectOf(value: unknown): Record<string, unknown> | undefined {
  let parsed = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value) as unknown;
    } catch {
      return undefined;
    }
  }
  return isObject(parsed) ? parsed : undefined;
}

/** A map's string values (tags). */
export function stringMap(value: unknown): Record<string, string> {
  const map = objectOf(value) ?? {};
  return Object.fromEntries(Object.entries(map).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** The default tags an AWS provider adds to every resource it creates. */
export function providerDefaultTags(providerProps: Record<string, unknown> | undefined): Record<string, string> {
  return stringMap(objectOf(providerProps?.defaultTags)?.tags);
}

export function providerRegion(providerProps: Record<string, unknown> | undefined): string | undefined {
  const region = providerProps?.region;
  return typeof region === "string" && region !== "" ? region : undefined;
}

export const awsProviders = (resources: PolicyResource[]): PolicyResource[] => resources.filter((r) => r.type === PROVIDER_TYPE);

/** The stack's environments: the `environment` default tag of each of its AWS providers. */
export function stackEnvironments(resources: PolicyResource[]): string[] {
  const found = awsProviders(resources).map((p) => providerDefaultTags(p.props)[TAG_ENVIRONMENT]);
  return [...new Set(found.filter((e): e is string => e !== undefined))].sort();
}

/** The strict environment a stack belongs to, if any (strict when any of its providers says so). */
export function strictEnvironment(environments: string[], strict: string[]): string | undefined {
  return environments.find((e) => strict.includes(e));
}

/** The region a resource lives in: its own `region` input (AWS provider v7), else its provider's. */
export function regionOf(props: { region?: unknown }, providerProps: Record<string, unknown> | undefined): string | undefined {
  return typeof props.region === "string" && props.region !== "" ? props.region : providerRegion(providerProps);
}

/** The tags AWS will put on a resource: its provider's default tags under its own. */
export function effectiveTags(props: { tags?: unknown; tagsAll?: unknown }, providerProps: Record<string, unknown> | undefined): Record<string, string> {
  return { ...providerDefaultTags(providerProps), ...stringMap(props.tags), ...stringMap(props.tagsAll) };
}
