// asl-validator (a pinned devDependency without type declarations), typed for the tests; and the graph of a definition
// (successors, reachability, scopes, Tasks) that the machine specs check.
import { createRequire } from "module";
import type { AslScope, AslState, AslTask } from "../../infra/asl";

export interface AslValidation {
  isValid: boolean;
  errorsText: (separator?: string) => string;
}

const load = createRequire(__filename);

const validator = load("asl-validator") as (definition: unknown, options?: { checkPaths?: boolean; checkArn?: boolean }) => AslValidation;

/**
 * Validates a States Language definition: the JSON schema, transitions, terminal states, paths. On a copy: the
 * validator writes a QueryLanguage into every state it reads.
 */
export function validateAsl(definition: unknown, options?: { checkPaths?: boolean; checkArn?: boolean }): AslValidation {
  return validator(JSON.parse(JSON.stringify(definition)), options);
}

/** The states a state can go to next in its own scope (Next, Choices, Default, Catch); a Map's iteration is its own scope. */
export function successors(state: AslState): string[] {
  const next: string[] = [];
  if ("Next" in state && state.Next !== undefined) next.push(state.Next);
  if (state.Type === "Choice") next.push(...state.Choices.map((c) => c.Next), state.Default);
  if (state.Type === "Task" || state.Type === "Map") next.push(...state.Catch.map((c) => c.Next));
  return next;
}

/** The states reachable from a scope's StartAt, within that scope. */
export function reachableFrom(scope: AslScope, from: string = scope.StartAt): Set<string> {
  const seen = new Set<string>();
  const queue = [from];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    if (seen.has(name)) continue;
    seen.add(name);
    const state = scope.States[name];
    if (state !== undefined) queue.push(...successors(state));
  }
  return seen;
}

/** Every scope of a definition: the machine's own, then each Map's iteration (recursively), with the Map's name. */
export function scopes(scope: AslScope, map = "(machine)"): Array<{ map: string; scope: AslScope }> {
  return [{ map, scope }, ...Object.entries(scope.States).flatMap(([name, s]) => (s.Type === "Map" ? scopes(s.ItemProcessor, name) : []))];
}

/** Every Task of a definition, in any scope, by name. */
export function tasks(scope: AslScope): Array<[string, AslTask]> {
  return scopes(scope).flatMap(({ scope: sc }) => Object.entries(sc.States).flatMap(([name, s]) => (s.Type === "Task" ? [[name, s] as [string, AslTask]] : [])));
}
