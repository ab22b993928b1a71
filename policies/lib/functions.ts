// The stack's Lambda functions and what refers to them: log groups by name, invoke configs and alarms
// by function name or ARN, roles by ARN.
import * as aws from "@pulumi/aws";
import type { PolicyResource } from "@pulumi/policy";
import type { ResolvedResource } from "@pulumi/pulumi/queryable";
import { ofClass, type Loose } from "./resources";

export interface FunctionView {
  resource: PolicyResource;
  props: Loose<ResolvedResource<aws.lambda.Function>>;
}

export const functionsOf = (resources: PolicyResource[]): FunctionView[] => ofClass(resources, aws.lambda.Function);

/** The function of the stack with this resource name, if any. */
export const functionNamed = (resources: PolicyResource[], name: string): FunctionView | undefined =>
  functionsOf(resources).find((f) => f.resource.name === name);

/** True when `reference` names the function: its name or ARN, optionally with a version or alias. */
export function refersTo(reference: unknown, fn: FunctionView): boolean {
  if (typeof reference !== "string" || reference === "") return false;
  return [fn.props.name, fn.props.arn].some((id) => typeof id === "string" && id !== "" && (reference === id || reference.startsWith(`${id}:`)));
}

/** The log group the function writes to: its loggingConfig's, else Lambda's default `/aws/lambda/<name>`. */
export function logGroupNameOf(fn: FunctionView): string | undefined {
  const configured = fn.props.loggingConfig?.logGroup;
  if (typeof configured === "string" && configured !== "") return configured;
  return typeof fn.props.name === "string" && fn.props.name !== "" ? `/aws/lambda/${fn.props.name}` : undefined;
}
