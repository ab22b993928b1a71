// A small interpreter of exactly the States Language subset this program's machines use (infra/asl.ts; the restore
// machine infra/restore-machine.ts, the drill machine infra/drill-machine.ts, the run machine infra/run-machine.ts):
// Task (Parameters with `.$` paths and the `$$` context, ResultSelector, ResultPath, OutputPath, Retry, Catch; the
// optimized `lambda:invoke` integration; a Task's TimeoutSeconds is not simulated: a test throws States.Timeout), Pass
// (Parameters, ResultPath), Wait (SecondsPath), Choice (StringEquals, BooleanEquals, NumericGreaterThanEquals,
// IsPresent, Default), an inline Map (ItemsPath, ItemSelector with `$$.Map.Item.Value` / `.Index`, MaxConcurrency,
// ResultPath, Catch), Succeed, Fail, End, and the machine's
// TimeoutSeconds. Time is virtual: waits and retry backoffs advance a clock, nothing sleeps. A Map's
// iterations each keep their own clock; at most MaxConcurrency run at once, and the one furthest behind in virtual time
// always moves next (one state at a time), so calls reach the test in time order, as they would reach AWS.
// The test supplies `invoke(resource, payload)`: what a Task calls (for lambda:invoke, the function's ARN and the
// Payload; its return value becomes `Payload` of the result, a throw becomes the error `name`).
import { EXECUTION_EVENTS, HISTORY_EVENTS, MAP_ITERATION_EVENTS, TASK_FAILED_ATTEMPT_EVENTS, type AslCatcher, type AslChoiceRule, type AslDefinition, type AslMap, type AslRetrier, type AslScope, type AslState, type AslTask } from "../../infra/asl";

/** Which iteration of which Map a state ran in. */
export interface Iteration {
  map: string;
  index: number;
}

export type Invoke = (resource: string, payload: unknown, call: { state: string; attempt: number; now: Date; iteration?: Iteration }) => Promise<unknown>;

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
  /** Set for the states of a Map's iteration. */
  iteration?: Iteration;
}

export interface Invocation {
  state: string;
  resource: string;
  payload: unknown;
  attempt: number;
  /** What the call threw (its name), if it threw. */
  error?: string;
  /** The virtual time of the call. */
  at: Date;
  iteration?: Iteration;
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
  /**
   * The history events Step Functions would have written (infra/asl.ts HISTORY_EVENTS per state run, a Map's
   * iterations, failed attempts): at most MAX_HISTORY_EVENTS fit in one execution.
   */
  historyEvents: number;
  /** Per Map state: its MaxConcurrency, and the most iterations that were in flight at once. */
  maps: Record<string, { maxConcurrency: number; mostInFlight: number; iterations: number }>;
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

/** The execution ran past the machine's TimeoutSeconds: unwinds every scope (no Catch takes it here). */
type TimedOut = Error & { timedOut: true };
function isTimedOut(value: unknown): value is TimedOut {
  return value instanceof Error && "timedOut" in value;
}

/** What every thread of one execution shares. */
interface Execution {
  context: { Id: string; Name: string; StartTime: string; Input: unknown };
  options: RunOptions;
  deadline: number;
  transitions: Transition[];
  invocations: Invocation[];
  maps: RunResult["maps"];
  steps: number;
}

/** One thread of states: the machine's own, or one iteration of a Map (its own clock). */
interface Thread {
  scope: AslScope;
  name: string;
  data: unknown;
  now: number;
  iteration?: Iteration;
  /** A Task between its attempts: the next attempt is the thread's next step (so calls reach the test in time order). */
  task?: TaskInFlight;
  /** Set when the thread reached its end: its output, or the error it failed with (a Fail, an uncaught error). */
  end?: { output: unknown } | { error: StateError };
}

/** A Task entered and not yet finished: what every attempt sends (evaluated once, on entry), and the retries used. */
interface TaskInFlight {
  state: AslTask;
  transition: Transition;
  input: unknown;
  context: object;
  resource: string;
  payload: unknown;
  lambda: boolean;
  attempt: number;
  retries: Map<AslRetrier, number>;
}

/** Runs `definition` on `input` to its end. */
export async function runStateMachine(definition: AslDefinition, input: unknown, options: RunOptions): Promise<RunResult> {
  const start = options.startTime ?? new Date("2026-01-01T00:00:00.000Z");
  const name = options.name ?? "restore-test";
  const execution: Execution = {
    context: { Id: `arn:aws:states:us-east-1:123456789012:execution:machine:${name}`, Name: name, StartTime: start.toISOString(), Input: clone(input) },
    options,
    deadline: start.getTime() + definition.TimeoutSeconds * 1000,
    transitions: [],
    invocations: [],
    maps: {},
    steps: 0,
  };
  const main: Thread = { scope: definition, name: definition.StartAt, data: clone(input), now: start.getTime() };
  const end = (r: Omit<RunResult, "transitions" | "invocations" | "elapsedSeconds" | "maps" | "historyEvents">): RunResult => ({
    ...r,
    transitions: execution.transitions,
    invocations: execution.invocations,
    maps: execution.maps,
    historyEvents: historyEvents(execution),
    elapsedSeconds: (main.now - start.getTime()) / 1000,
  });
  try {
    while (main.end === undefined) await step(main, execution);
  } catch (e) {
    if (isTimedOut(e)) return end({ status: "TIMED_OUT", error: "States.Timeout", cause: `the execution ran longer than ${definition.TimeoutSeconds} s` });
    if (isStateError(e)) return end({ status: "FAILED", error: e.stateError.Error, cause: e.stateError.Cause });
    throw e;
  }
  const outcome = main.end;
  return "output" in outcome ? end({ status: "SUCCEEDED", output: outcome.output }) : end({ status: "FAILED", error: outcome.error.Error, cause: outcome.error.Cause });
}

/** The history a run would have written: each state run, each Map iteration, each failed attempt, the execution. */
function historyEvents(execution: Execution): number {
  const iterations = new Set(execution.transitions.flatMap((t) => (t.iteration === undefined ? [] : [`${t.iteration.map}/${t.iteration.index}`])));
  const states = execution.transitions.reduce((n, t) => n + HISTORY_EVENTS[t.type], 0);
  const failedAttempts = execution.invocations.filter((i) => i.error !== undefined).length;
  return EXECUTION_EVENTS + states + iterations.size * MAP_ITERATION_EVENTS + failedAttempts * TASK_FAILED_ATTEMPT_EVENTS;
}

function checkTime(thread: Thread, execution: Execution): void {
  if (thread.now > execution.deadline) throw Object.assign(new Error("States.Timeout"), { timedOut: true as const });
}

/** Where a state goes after it ran: its Next, or the end of the thread with `data` as the output. */
function proceed(thread: Thread, state: { Next?: string; End?: true }, data: unknown): void {
  thread.data = data;
  if (state.Next !== undefined) thread.name = state.Next;
  else thread.end = { output: data };
}

/** Runs the thread's current state (a Map: all its iterations). States.Runtime and the timeout are thrown. */
async function step(thread: Thread, execution: Execution): Promise<void> {
  checkTime(thread, execution);
  if (thread.task !== undefined) return attemptTask(thread, thread.task, execution);
  const limit = execution.options.maxTransitions ?? 10000;
  if (++execution.steps > limit) throw new Error(`the execution made more than ${limit} transitions`);
  const name = thread.name;
  const state = thread.scope.States[name];
  if (state === undefined) throw new Error(`no state named ${name}`);
  const data = thread.data;
  const transition: Transition = { state: name, type: state.Type, input: clone(data), at: new Date(thread.now), ...(thread.iteration === undefined ? {} : { iteration: thread.iteration }) };
  execution.transitions.push(transition);
  const context = { Execution: execution.context, State: { Name: name, EnteredTime: new Date(thread.now).toISOString() }, StateMachine: { Name: "machine" } };
  switch (state.Type) {
    case "Succeed":
      thread.end = { output: data };
      break;
    case "Fail":
      thread.end = { error: { Error: state.Error, Cause: state.Cause } };
      break;
    case "Pass":
      proceed(thread, state, applyResultPath(state.ResultPath, data, applyTemplate(state.Parameters, data, context)));
      break;
    case "Wait": {
      const seconds = readPath(state.SecondsPath, data, context);
      // Step Functions takes a whole number of seconds from 0 to 99999999.
      if (typeof seconds !== "number" || !Number.isInteger(seconds) || seconds < 0 || seconds > 99_999_999) throw runtimeError(`SecondsPath ${state.SecondsPath} is not a whole number of seconds: ${JSON.stringify(seconds)}`);
      thread.now += seconds * 1000;
      proceed(thread, state, data);
      break;
    }
    case "Choice": {
      const rule = state.Choices.find((c) => ruleMatches(c, data, context));
      thread.name = rule?.Next ?? state.Default;
      break;
    }
    case "Task": {
      const parameters = applyTemplate(state.Parameters, data, context) as Record<string, unknown>;
      const lambda = LAMBDA_INVOKE.test(state.Resource);
      const resource = lambda ? String(parameters.FunctionName) : state.Resource;
      const payload = lambda ? parameters.Payload : parameters;
      thread.task = { state, transition, input: data, context, resource, payload, lambda, attempt: 1, retries: new Map() };
      return attemptTask(thread, thread.task, execution);
    }
    case "Map": {
      const outcome = await runMap(state, thread, data, context, execution);
      if ("error" in outcome) caught(thread, state, data, outcome.error);
      else proceed(thread, state, applyResultPath(state.ResultPath, data, outcome.output));
      break;
    }
  }
  recordOutput(thread, transition);
}

/** The state's output on its transition, once it has left the state (not after a failure that ends the thread). */
function recordOutput(thread: Thread, transition: Transition): void {
  if (thread.end === undefined || "output" in thread.end) transition.output = clone(thread.end === undefined ? thread.data : thread.end.output);
}

/** A Task's or Map's error after its retries: to the first matching catcher, else the thread fails with it. */
function caught(thread: Thread, state: AslTask | AslMap, input: unknown, error: StateError): void {
  const catcher = findCatcher(state.Catch, error.Error);
  if (catcher === undefined) thread.end = { error };
  else {
    thread.data = applyResultPath(catcher.ResultPath, input, error);
    thread.name = catcher.Next;
  }
}

/**
 * An inline Map: one thread per item, at most MaxConcurrency in flight; the thread furthest behind in virtual time
 * moves next, an item starts when a slot frees (at that time). The first iteration that fails fails the Map with its
 * error (the others stop); the output is the iterations' outputs in item order. The Map ends when its last iteration does.
 */
async function runMap(state: AslMap, parent: Thread, input: unknown, context: object, execution: Execution): Promise<{ output: unknown[] } | { error: StateError }> {
  const items = readPath(state.ItemsPath, input, context);
  if (!Array.isArray(items)) throw runtimeError(`ItemsPath ${state.ItemsPath} is not an array: ${JSON.stringify(items)}`);
  const values: unknown[] = items;
  if (!Number.isInteger(state.MaxConcurrency) || state.MaxConcurrency < 1) throw new Error(`the interpreter runs only a bounded Map (MaxConcurrency ${state.MaxConcurrency})`);
  const record = { maxConcurrency: state.MaxConcurrency, mostInFlight: 0, iterations: values.length };
  execution.maps[parent.name] = record;
  const outputs: unknown[] = new Array<unknown>(values.length);
  const active: Thread[] = [];
  let next = 0;
  let finished = parent.now;
  const launch = (at: number) => {
    const index = next++;
    const itemContext = { ...context, Map: { Item: { Index: index, Value: clone(values[index]) } } };
    const data = state.ItemSelector === undefined ? clone(values[index]) : applyTemplate(state.ItemSelector, input, itemContext);
    active.push({ scope: state.ItemProcessor, name: state.ItemProcessor.StartAt, data, now: at, iteration: { map: parent.name, index } });
    record.mostInFlight = Math.max(record.mostInFlight, active.length);
  };
  while (next < values.length && active.length < state.MaxConcurrency) launch(parent.now);
  while (active.length > 0) {
    const thread = active.reduce((a, b) => (b.now < a.now ? b : a));
    await step(thread, execution);
    if (thread.end === undefined) continue;
    if ("error" in thread.end) {
      parent.now = thread.now;
      return { error: thread.end.error };
    }
    outputs[thread.iteration?.index ?? -1] = thread.end.output;
    finished = Math.max(finished, thread.now);
    active.splice(active.indexOf(thread), 1);
    if (next < values.length) launch(thread.now);
  }
  parent.now = finished;
  return { output: outputs };
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

/** One Choice rule: IsPresent, or a comparison (a value of another type, or none, does not match). */
function ruleMatches(rule: AslChoiceRule, data: unknown, context: unknown): boolean {
  const value = readPathOrUndefined(rule.Variable, data, context);
  if ("IsPresent" in rule) return (value !== undefined) === rule.IsPresent;
  if ("StringEquals" in rule) return value === rule.StringEquals;
  if ("BooleanEquals" in rule) return value === rule.BooleanEquals;
  return typeof value === "number" && value >= rule.NumericGreaterThanEquals;
}

function findCatcher(catchers: readonly AslCatcher[], error: string): AslCatcher | undefined {
  return catchers.find((c) => matches(c.ErrorEquals, error));
}

/** The delay before retry `attempt` (1-based) of a retrier: no jitter (its upper bound), capped by MaxDelaySeconds. */
function retryDelaySeconds(r: AslRetrier, attempt: number): number {
  const delay = r.IntervalSeconds * r.BackoffRate ** (attempt - 1);
  return r.MaxDelaySeconds === undefined ? delay : Math.min(delay, r.MaxDelaySeconds);
}

/**
 * One attempt of a Task (its Parameters, hence `$$.State.EnteredTime`, evaluated once on entry). A failure a retrier
 * takes leaves the Task in flight, the clock moved by the backoff; otherwise the Task ends: its output, or the Catch.
 */
async function attemptTask(thread: Thread, task: TaskInFlight, execution: Execution): Promise<void> {
  const { state, input, context, resource, payload, lambda, attempt } = task;
  const where = thread.iteration === undefined ? {} : { iteration: thread.iteration };
  const invocation: Invocation = { state: thread.name, resource, payload: clone(payload), attempt, at: new Date(thread.now), ...where };
  execution.invocations.push(invocation);
  let error: StateError;
  try {
    const returned = await execution.options.invoke(resource, clone(payload), { state: thread.name, attempt, now: new Date(thread.now), ...where });
    const raw = lambda ? { Payload: clone(returned), StatusCode: 200, ExecutedVersion: "$LATEST" } : clone(returned);
    const selected = state.ResultSelector === undefined ? raw : applyTemplate(state.ResultSelector, raw, context);
    const combined = applyResultPath(state.ResultPath, input, selected);
    thread.task = undefined;
    proceed(thread, state, state.OutputPath === undefined ? combined : readPath(state.OutputPath, combined, context));
    return recordOutput(thread, task.transition);
  } catch (e) {
    if (isStateError(e)) throw e;
    error = taskError(e);
    invocation.error = error.Error;
  }
  const retrier = state.Retry.find((r) => matches(r.ErrorEquals, error.Error));
  const used = retrier === undefined ? 0 : (task.retries.get(retrier) ?? 0);
  if (retrier === undefined || used >= retrier.MaxAttempts) {
    thread.task = undefined;
    caught(thread, state, input, error);
    return recordOutput(thread, task.transition);
  }
  task.retries.set(retrier, used + 1);
  task.attempt = attempt + 1;
  thread.now += retryDelaySeconds(retrier, used + 1) * 1000;
}
