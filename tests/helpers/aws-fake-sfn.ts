// Step Functions in the fake AWS, over its real wire format (JSON 1.0, X-Amz-Target AWSStepFunctions.<Action>):
// StartExecution, DescribeExecution and GetExecutionHistory (nextToken paging, reverseOrder). An execution does not
// run anything: the test scripts it, as history events appended step by step, one step per DescribeExecution.
import { AwsFault, pageOffset, pageToken } from "./aws-wire";

export const SFN_CONTENT_TYPE = "application/x-amz-json-1.0";
export const SFN_TARGET_PREFIX = "AWSStepFunctions.";

/** One history event as the test writes it: its type and details field (e.g. stateEnteredEventDetails). */
export interface ScriptedEvent {
  type: string;
  /** When it happened, in seconds after the execution's start (default: its step's time). */
  secondsAfterStart?: number;
  [details: string]: unknown;
}

/** How a scripted execution ends once every step is appended. */
export interface ScriptedEnd {
  status: "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";
  output?: string;
  error?: string;
  cause?: string;
}

/** What an execution does: the events of each step (appended one step per DescribeExecution), then its end. */
export interface ExecutionScript {
  steps: ScriptedEvent[][];
  end?: ScriptedEnd;
  /** Virtual seconds between steps (default 10). */
  stepSeconds?: number;
}

interface HistoryEvent extends ScriptedEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
}

interface Execution {
  arn: string;
  machineArn: string;
  name: string;
  input: string;
  startDate: number;
  script: ExecutionScript;
  nextStep: number;
  events: HistoryEvent[];
  end?: ScriptedEnd;
}

/** The JSON 1.0 error body: the SDK reads the code from `__type`. */
export function sfnErrorBody(fault: AwsFault): string {
  return JSON.stringify({ __type: fault.code, message: fault.message });
}

/** The action a JSON 1.0 request names in its X-Amz-Target header ("" when none). */
export function sfnAction(target: string): string {
  return target.startsWith(SFN_TARGET_PREFIX) ? target.slice(SFN_TARGET_PREFIX.length) : "";
}

/** The request body's top-level fields as the fake's call record keeps them (non-strings as JSON). */
export function sfnParams(body: string): Map<string, string> {
  const parsed: unknown = body === "" ? {} : JSON.parse(body);
  const fields = typeof parsed === "object" && parsed !== null ? Object.entries(parsed) : [];
  return new Map(fields.map(([key, value]): [string, string] => [key, typeof value === "string" ? value : JSON.stringify(value)]));
}

const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

export class FakeStepFunctions {
  /** Most events one GetExecutionHistory page returns (AWS: maxResults up to 1000); small values force paging. */
  pageCap = 1000;
  /** Virtual epoch seconds of the first execution's start; steps advance each execution's own clock. */
  clockStart = Date.parse("2026-12-02T03:00:00Z") / 1000;
  private readonly machines = new Map<string, ExecutionScript | undefined>();
  private readonly executions = new Map<string, Execution>();

  /** A state machine that exists; each execution started on it follows `script` (none: it stays RUNNING with no events). */
  addMachine(arn: string, script?: ExecutionScript): void {
    this.machines.set(arn, script);
  }

  /** Every execution started, in order (what a test asserts on: name, input). */
  started(): Array<{ arn: string; machineArn: string; name: string; input: string }> {
    return [...this.executions.values()].map(({ arn, machineArn, name, input }) => ({ arn, machineArn, name, input }));
  }

  handle(action: string, body: string, region: string): string {
    const request = sfnParams(body);
    switch (action) {
      case "StartExecution":
        return JSON.stringify(this.start(request, region));
      case "DescribeExecution":
        return JSON.stringify(this.describe(this.execution(request)));
      case "GetExecutionHistory":
        return JSON.stringify(this.history(this.execution(request), request));
      default:
        throw new AwsFault("UnknownOperationException", 400, `The fake does not implement Step Functions ${action}`);
    }
  }

  private start(request: ReadonlyMap<string, string>, region: string): { executionArn: string; startDate: number } {
    const machineArn = request.get("stateMachineArn") ?? "";
    const name = request.get("name") ?? "";
    const input = request.get("input") ?? "{}";
    if (!this.machines.has(machineArn)) throw new AwsFault("StateMachineDoesNotExist", 400, `State Machine Does Not Exist: '${machineArn}'`);
    if (!EXECUTION_NAME.test(name)) throw new AwsFault("InvalidName", 400, `Invalid Name: '${name}'`);
    const machineRegion = machineArn.split(":")[3];
    if (machineRegion !== region) throw new AwsFault("InvalidArn", 400, `Invalid Arn: 'the state machine is in ${machineRegion}, the request went to ${region}'`);
    const arn = `${machineArn.replace(":stateMachine:", ":execution:")}:${name}`;
    const existing = this.executions.get(arn);
    if (existing) {
      // AWS: the same name and input return the running execution (idempotent); anything else is refused.
      if (existing.input !== input || existing.end !== undefined) throw new AwsFault("ExecutionAlreadyExists", 400, `Execution Already Exists: '${arn}'`);
      return { executionArn: arn, startDate: existing.startDate };
    }
    const script = this.machines.get(machineArn) ?? { steps: [] };
    const startDate = this.clockStart + this.executions.size;
    this.executions.set(arn, { arn, machineArn, name, input, startDate, script, nextStep: 0, events: [] });
    return { executionArn: arn, startDate };
  }

  private execution(request: ReadonlyMap<string, string>): Execution {
    const arn = request.get("executionArn") ?? "";
    const found = this.executions.get(arn);
    if (found === undefined) throw new AwsFault("ExecutionDoesNotExist", 400, `Execution Does Not Exist: '${arn}'`);
    return found;
  }

  /** Appends the next step's events (or ends the execution), as time passing would. */
  private advance(execution: Execution): void {
    const { script } = execution;
    if (execution.end !== undefined) return;
    if (execution.nextStep >= script.steps.length) {
      if (script.end) execution.end = script.end;
      return;
    }
    const at = execution.startDate + (execution.nextStep + 1) * (script.stepSeconds ?? 10);
    for (const { secondsAfterStart, ...event } of script.steps[execution.nextStep]) {
      const id = execution.events.length + 1;
      execution.events.push({ ...event, id, previousEventId: id - 1, timestamp: secondsAfterStart === undefined ? at : execution.startDate + secondsAfterStart });
    }
    execution.nextStep += 1;
  }

  private describe(execution: Execution): Record<string, unknown> {
    this.advance(execution);
    const end = execution.end;
    const stopDate = end ? (execution.events.at(-1)?.timestamp ?? execution.startDate) + 1 : undefined;
    return {
      executionArn: execution.arn,
      stateMachineArn: execution.machineArn,
      name: execution.name,
      status: end?.status ?? "RUNNING",
      startDate: execution.startDate,
      input: execution.input,
      ...(stopDate === undefined ? {} : { stopDate }),
      ...(end?.output === undefined ? {} : { output: end.output }),
      ...(end?.error === undefined ? {} : { error: end.error }),
      ...(end?.cause === undefined ? {} : { cause: end.cause }),
    };
  }

  private history(execution: Execution, request: ReadonlyMap<string, string>): { events: HistoryEvent[]; nextToken?: string } {
    const asked = Number(request.get("maxResults") ?? "100");
    const size = Math.max(1, Math.min(asked === 0 ? 100 : asked, 1000, this.pageCap));
    const ordered = request.get("reverseOrder") === "true" ? [...execution.events].reverse() : execution.events;
    const offset = pageOffset(request.get("nextToken"));
    const events = ordered.slice(offset, offset + size);
    return offset + size < ordered.length ? { events, nextToken: pageToken(offset + size) } : { events };
  }
}
