// The cleanup function's safety valves as a stack policy sees them: the environment variables the
// program sets from backup-dr:cleanup (the handler reads the same ones).
import type { PolicyResource } from "@pulumi/policy";
import { functionNamed, type FunctionView } from "./functions";
import { CLEANUP_FUNCTION, CLEANUP_VALVE_VARIABLES } from "./names";

export type Valve = keyof typeof CLEANUP_VALVE_VARIABLES;

/** Each valve's value, or undefined when its variable is missing or not a plain number. */
export type Valves = Record<Valve, number | undefined>;

const NUMBER = /^(?:\d+(?:\.\d+)?|\.\d+)$/;

function numberOf(value: unknown): number | undefined {
  return typeof value === "string" && NUMBER.test(value.trim()) ? Number(value) : undefined;
}

export function cleanupFunction(resources: PolicyResource[]): FunctionView | undefined {
  return functionNamed(resources, CLEANUP_FUNCTION);
}

export function valvesOf(cleanup: FunctionView): Valves {
  const variables = cleanup.props.environment?.variables ?? {};
  const read = (valve: Valve) => numberOf(variables[CLEANUP_VALVE_VARIABLES[valve]]);
  return { maxDeleteFraction: read("maxDeleteFraction"), minAgeDays: read("minAgeDays"), maxDeletionsPerRun: read("maxDeletionsPerRun") };
}
