// Lookups over the resources a mocked program registered.
import type { Registered } from "./program";

export function ofType(resources: Registered[], type: string): Registered[] {
  return resources.filter((r) => r.type === type);
}

/** The one resource of `type` named `name`; fails when there is none or more than one. */
export function one(resources: Registered[], type: string, name: string): Registered {
  const found = resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) {
    const names = ofType(resources, type).map((r) => r.name);
    throw new Error(`expected one ${type} named ${name}, found ${found.length} (have: ${names.join(", ") || "none"})`);
  }
  return found[0];
}

/** A resource's input as a parsed JSON policy document. */
export function jsonInput<T>(resource: Registered, key: string): T {
  const value = resource.inputs[key];
  if (typeof value !== "string") throw new Error(`${resource.name}.${key} is not a JSON string`);
  return JSON.parse(value) as T;
}

/** The provider name (`primary` or `dr`) a resource was registered with. */
export function providerName(resource: Registered): string {
  const match = /::pulumi:providers:aws::([^:]+)::/.exec(resource.provider);
  return match ? match[1] : "";
}

/** The resource types the infra specs look up, by a short name. */
export const TYPE = {
  fn: "aws:lambda/function:Function",
  policy: "aws:iam/rolePolicy:RolePolicy",
  role: "aws:iam/role:Role",
  machine: "aws:sfn/stateMachine:StateMachine",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  queue: "aws:sqs/queue:Queue",
  schedule: "aws:scheduler/schedule:Schedule",
} as const;
