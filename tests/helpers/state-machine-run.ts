// A small interpreter of exactly the States Language subset the restore machine uses (infra/restore-machine.ts):
// Task (Parameters with `.$` paths and the `$$` context, ResultSelector, ResultPath, OutputPath, Retry, Catch; the
// optimized `lambda:invoke` integration), Pass (Parameters), Wait (SecondsPath), Choice (StringEquals, Default),
// Succeed, Fail, and the machine's TimeoutSeconds. Time is virtual: waits and retry backoffs advance a clock, nothing
// sleeps. The test supplies `invoke(resource, payload)`: what a Task calls (for lambda:invoke, the function's ARN and
// the Payload; its return value becomes `Payload` of the result, a throw becomes the error `name`).
import type { AslCatcher, AslDefinition, AslRetrier, AslState } from "../../infra/restore-machine";

export type Invoke = (resource: string, payload: unknown, call: { state: string; attempt: number; now: Date }) => Promise<unknown>;

export interface RunOptions {
  invoke: Invoke;
  /** The execution's name ($$.Execution.Name); default "restore-test". */
  name?: string;
  startTime?: Date;
  /** A runaway guard: the run fails the test after this many state transitions (default 10000). */
  maxTransitions?: number;
}

export interface Transition {
  state: string;
  type: AslState["Type"];
  input: unknown;
  output?: unknown;
  /** The virtual time the state was entered. */
  at: Date;
}

export interface Invocation {
  state: string;
  resource: string;
  payload: unknown;
  attempt: number;
  /** What the call threw (its name), if it threw. */
  error?: string;
}

export interface RunResult {
  status: "SUCCEEDED" | "FAILED" | "TIMED_OUT";
  output?: unknown;
  error?: string;
  cause?: string;
  transitions: Transition[];
  invocations: Invocation[];
  /** Virtual seconds from the start to the end. */
  elapsedSeconds: number;
}

const LAMBDA_INVOKE = /^arn:[a-z-]+:states:::lambda:invoke$/;

/** A failure inside a state: `Error` and `Cause` as Step Functions reports them. */
interface StateError {
  Error: string;
  Cause: string;
}

type RuntimeFailure = Error & { stateError: StateError };

function isStateError(value: unknown): value is RuntimeFailure {
  return value instanceof Error && "stateError" in value;
}

/** States.Runtime (a path that is not there, a bad Wait): not caught by States.ALL, the execution fails. */
function runtimeError(cause: string): RuntimeFailure {
  return Object.assign(new Error(cause), { stateError: { Error: "States.Runtime", Cause: cause } });
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Reads `$`, `$.a.b` from `data`, or `$$.a.b` from the context object. */
export function readPath(path: string, data: unknown, context: unknown): unknown {
  const [root, rest] = path.startsWith("$$") ? [context, path.slice(2)] : [data, path.slice(1)];
  if (rest !== "" && !rest.startsWith(".")) throw runtimeError(`unsupported path ${path}`);
  let value: unknown = root;
  for (const segment of rest === "" ? [] : rest.slice(1).split(".")) {
    if (typeof value !== "object" || value === null || !(segment in value)) throw runtimeError(`the path ${path} was not found in the input`);
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** A Parameters / ResultSelector template: keys ending `.$` are paths, the rest literal (objects recursively). */
export function applyTemplate(template: unknown, data: unknown, context: unknown): unknown {
  if (typeof template !== "object" || template === null || Array.isArray(template)) return clone(template);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith(".$")) {
      if (typeof value !== "string") throw runtimeError(`${key} must be a path`);
      out[key.slice(0, -2)] = clone(readPath(value, data, context));
    } else {
      out[key] = applyTemplate(value, data, context);
    }
  }
  return out;
}

/** ResultPath: "$" replaces the input, "$.a.b" sets that field of a copy of the input. */
export function applyResultPath(path: string | undefined, input: unknown, result: unknown): unknown {
  if (path === undefined || path === "$") return result;
  if (!path.startsWith("$.")) throw runtimeError(`unsupported ResultPath ${path}`);
  const copy = clone(input);
  if (typeof copy !== "object" || copy === null || Array.isArray(copy)) throw runtimeError(`ResultPath ${path} cannot be applied to ${JSON.stringify(input)}`);
  const segments = path.slice(2).split(".");
  let target = copy as Record<string, unknown>;
  for (const segment of segments.slice(0, -1)) {
    const next = target[segment];
    if (typeof next !== "object" || next === null) target[segment] = {};
    target = target[segment] as Record<string, unknown>;
  }
  target[segments[segments.length - 1]] = result;
  return copy;
}

/** Whether a retrier's or catcher's ErrorEquals matches (States.ALL and States.TaskFailed match a task's own errors). */
function matches(errorEquals: readonly string[], error: string): boolean {
  if (error === "States.Runtime") return false;
  return errorEquals.some((e) => e === error || e === "States.ALL" || (e === "States.TaskFailed" && !error.startsWith("States.")));
}

function taskError(thrown: unknown): StateError {
  const name = thrown instanceof Error ? thrown.name : "Error";
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return { Error: name, Cause: JSON.stringify({ errorType: name, errorMessage: message }) };
}

/** Runs `definition` on `input` to its end. */
export async function runStateMachine(definition: AslDefinition, input: unknown, options: RunOptions): Promise<RunResult> {
  const start = options.startTime ?? new Date("2026-01-01T00:00:00.000Z");
  let now = start.getTime();
  const deadline = now + definition.TimeoutSeconds * 1000;
  const execution = { Id: `arn:aws:states:us-east-1:123456789012:execution:restore:${options.name ?? "restore-test"}`, Name: options.name ?? "restore-test", StartTime: start.toISOString(), Input: clone(input) };
  const transitions: Transition[] = [];
  const invocations: Invocation[] = [];
  const end = (r: Omit<RunResult, "transitions" | "invocations" | "elapsedSeconds">): RunResult => ({ ...r, transitions, invocations, elapsedSeconds: (now - start.getTime()) / 1000 });
  const timedOut = () => now > deadline;

  let name = definition.StartAt;
  let data: unknown = clone(input);
  for (let step = 0; ; step++) {
    if (step >= (options.maxTransitions ?? 10000)) throw new Error(`the execution made more than ${options.maxTransitions ?? 10000} transitions`);
    if (timedOut()) return end({ status: "TIMED_OUT", error: "States.Timeout", cause: `the execution ran longer than ${definition.TimeoutSeconds} s` });
    const state = definition.States[name];
    if (state === undefined) throw new Error(`no state named ${name}`);
    const transition: Transition = { state: name, type: state.Type, input: clone(data), at: new Date(now) };
    transitions.push(transition);
    const context = { Execution: execution, State: { Name: name, EnteredTime: new Date(now).toISOString() }, StateMachine: { Name: "restore" } };
    try {
      switch (state.Type) {
        case "Succeed":
          transition.output = data;
          return end({ status: "SUCCEEDED", output: data });
        case "Fail":
          return end({ status: "FAILED", error: state.Error, cause: state.Cause });
        case "Pass":
          data = applyTemplate(state.Parameters, data, context);
          name = state.Next;
          break;
        case "Wait": {
          const seconds = readPath(state.SecondsPath, data, context);
          if (typeof seconds !== "number" || !Number.isInteger(seconds) || seconds < 0) throw runtimeError(`SecondsPath ${state.SecondsPath} is not a whole number of seconds: ${JSON.stringify(seconds)}`);
          now += seconds * 1000;
          name = state.Next;
          break;
        }
        case "Choice": {
          const rule = state.Choices.find((c) => readPathOrUndefined(c.Variable, data, context) === c.StringEquals);
          name = rule?.Next ?? state.Default;
          break;
        }
        case "Task": {
          const outcome = await runTask(state, name, data, context, options.invoke, invocations, () => now, (ms) => (now += ms), timedOut);
          if ("timedOut" in outcome) return end({ status: "TIMED_OUT", error: "States.Timeout", cause: `the execution ran longer than ${definition.TimeoutSeconds} s` });
          if ("error" in outcome) {
            const catcher = findCatcher(state.Catch, outcome.error.Error);
            if (catcher === undefined) return end({ status: "FAILED", error: outcome.error.Error, cause: outcome.error.Cause });
            data = applyResultPath(catcher.ResultPath, data, outcome.error);
            name = catcher.Next;
          } else {
            data = outcome.output;
            name = state.Next;
          }
          break;
        }
      }
    } catch (e) {
      if (!isStateError(e)) throw e;
      return end({ status: "FAILED", error: e.stateError.Error, cause: e.stateError.Cause });
    }
    transition.output = clone(data);
  }
}

/** A Choice rule's variable that is not there does not match (it does not fail the execution). */
function readPathOrUndefined(path: string, data: unknown, context: unknown): unknown {
  try {
    return readPath(path, data, context);
  } catch (e) {
    if (isStateError(e)) return undefined;
    throw e;
  }
}

function findCatcher(catchers: readonly AslCatcher[], error: string): AslCatcher | undefined {
  return catchers.find((c) => matches(c.ErrorEquals, error));
}

/** The delay before retry `attempt` (1-based) of a retrier: no jitter (its upper bound), capped by MaxDelaySeconds. */
function retryDelaySeconds(r: AslRetrier, attempt: number): number {
  const delay = r.IntervalSeconds * r.BackoffRate ** (attempt - 1);
  return r.MaxDelaySeconds === undefined ? delay : Math.min(delay, r.MaxDelaySeconds);
}

type TaskOutcome = { output: unknown } | { error: StateError } | { timedOut: true };

async function runTask(
  state: Extract<AslState, { Type: "Task" }>,
  name: string,
  input: unknown,
  context: { Execution: unknown; State: unknown; StateMachine: unknown },
  invoke: Invoke,
  invocations: Invocation[],
  now: () => number,
  advance: (ms: number) => void,
  timedOut: () => boolean,
): Promise<TaskOutcome> {
  const parameters = applyTemplate(state.Parameters, input, context) as Record<string, unknown>;
  const lambda = LAMBDA_INVOKE.test(state.Resource);
  const resource = lambda ? String(parameters.FunctionName) : state.Resource;
  const payload = lambda ? parameters.Payload : parameters;
  const retries = new Map<AslRetrier, number>();
  for (let attempt = 1; ; attempt++) {
    const invocation: Invocation = { state: name, resource, payload: clone(payload), attempt };
    invocations.push(invocation);
    let error: StateError;
    try {
      const returned = await invoke(resource, clone(payload), { state: name, attempt, now: new Date(now()) });
      const raw = lambda ? { Payload: clone(returned), StatusCode: 200, ExecutedVersion: "$LATEST" } : clone(returned);
      const selected = state.ResultSelector === undefined ? raw : applyTemplate(state.ResultSelector, raw, context);
      const combined = applyResultPath(undefined, input, selected);
      return { output: state.OutputPath === undefined ? combined : readPath(state.OutputPath, combined, context) };
    } catch (e) {
      if (isStateError(e)) throw e;
      error = taskError(e);
      invocation.error = error.Error;
    }
    const retrier = state.Retry.find((r) => matches(r.ErrorEquals, error.Error));
    const used = retrier === undefined ? 0 : (retries.get(retrier) ?? 0);
    if (retrier === undefined || used >= retrier.MaxAttempts) return { error };
    retries.set(retrier, used + 1);
    advance(retryDelaySeconds(retrier, used + 1) * 1000);
    if (timedOut()) return { timedOut: true };
  }
}
