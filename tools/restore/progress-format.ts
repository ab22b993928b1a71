// What `npm run restore` prints while it follows an execution: each state entered with the time since the start
// (Start, Wait, Poll n, Validate, Report), what the steps decided (the point, the phase, the checks), any error; and
// at the end the restore's report.
import type { HistoryEvent } from "@aws-sdk/client-sfn";
import { isFields } from "../../handlers/lib/values";
import type { RestoreReport, RestoreState } from "../../handlers/restore/contract";
import { STATE } from "../../infra/restore-machine";

/** `m:ss`, or `h:mm:ss` from an hour. */
export function elapsed(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const two = (n: number) => String(n).padStart(2, "0");
  const hours = Math.floor(s / 3600);
  return hours > 0 ? `${hours}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}` : `${Math.floor(s / 60)}:${two(s % 60)}`;
}

function json(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The restore state in a step's input or output: the machine carries it as `{"state": RestoreState}`. */
function restoreState(data: string | undefined): RestoreState | undefined {
  const parsed = json(data);
  const value = isFields(parsed) && isFields(parsed.state) ? parsed.state : parsed;
  return isFields(value) && typeof value.restoreId === "string" && isFields(value.point) && typeof value.status === "string" ? (value as unknown as RestoreState) : undefined;
}

/** The report step's output (or the execution's), when it is a report. */
export function restoreReport(output: string | undefined): RestoreReport | undefined {
  const value = json(output);
  return isFields(value) && typeof value.restoreId === "string" && (value.status === "succeeded" || value.status === "failed") && Array.isArray(value.created) ? (value as unknown as RestoreReport) : undefined;
}

/** An error's cause: a Lambda's `{errorType, errorMessage}` shown as its message. */
export function causeText(cause: string | undefined): string {
  const value = json(cause);
  if (isFields(value) && typeof value.errorMessage === "string") return value.errorMessage;
  return cause ?? "";
}

/** The failure an event records, if it is a failure event. */
export function eventFailure(event: HistoryEvent): { error: string; cause: string } | undefined {
  const details = event.taskFailedEventDetails ?? event.lambdaFunctionFailedEventDetails ?? event.taskTimedOutEventDetails ?? event.lambdaFunctionTimedOutEventDetails ??
    event.executionFailedEventDetails ?? event.executionTimedOutEventDetails ?? event.executionAbortedEventDetails;
  if (details === undefined) return undefined;
  return { error: details.error ?? event.type ?? "Error", cause: causeText(details.cause) };
}

/** Turns history events into progress lines; remembers what it printed (poll count, the last phase). */
export class ProgressPrinter {
  private readonly entered = new Map<string, number>();
  private lastPhase = "";
  /** The last report step's output seen. */
  report?: RestoreReport;

  constructor(private readonly startDate: Date) {}

  lines(events: readonly HistoryEvent[]): string[] {
    return events.flatMap((event) => {
      const at = `  +${elapsed(((event.timestamp?.getTime() ?? this.startDate.getTime()) - this.startDate.getTime()) / 1000)}`.padEnd(11);
      return this.describe(event).map((text) => `${at}${text}`);
    });
  }

  private describe(event: HistoryEvent): string[] {
    const type = event.type ?? "";
    const failure = eventFailure(event);
    if (failure !== undefined) return [`${type}: ${failure.error}${failure.cause === "" ? "" : `: ${failure.cause}`}`];
    const entered = event.stateEnteredEventDetails;
    if (entered?.name !== undefined && (type === "TaskStateEntered" || type === "WaitStateEntered")) {
      const count = (this.entered.get(entered.name) ?? 0) + 1;
      this.entered.set(entered.name, count);
      if (type === "WaitStateEntered") {
        const waitSeconds = restoreState(entered.input)?.waitSeconds;
        const seconds = typeof waitSeconds === "number" ? ` ${waitSeconds} s` : "";
        return [`${entered.name}${seconds}`];
      }
      return [entered.name === STATE.poll ? `${STATE.poll} ${count}` : entered.name];
    }
    const exited = event.stateExitedEventDetails;
    if (exited?.name !== undefined && type === "TaskStateExited") return this.exited(exited.name, exited.output);
    return [];
  }

  private exited(name: string, output: string | undefined): string[] {
    const report = restoreReport(output);
    if (report !== undefined) {
      this.report = report;
      return [`report: ${report.status}`];
    }
    const state = restoreState(output);
    if (state === undefined) return [];
    const lines: string[] = [];
    if (name === STATE.start) {
      const p = state.point;
      lines.push(`point ${p.id} (${state.kind} ${p.origin}${p.taken ? ` taken ${p.taken}` : ""}${p.tier ? `, ${p.tier}` : ""}) -> ${state.name}${state.mode ? `, mode ${state.mode}` : ""}`);
    }
    const phase = `${state.phase} ${state.status}`;
    if (phase !== this.lastPhase) {
      lines.push(`phase ${state.phase}: ${state.status}${state.endpoint ? ` (${state.endpoint})` : ""}${state.failure ? ` - ${state.failure.name}: ${state.failure.message}` : ""}`);
      this.lastPhase = phase;
    }
    if (state.validation !== undefined) {
      const failed = state.validation.checks.filter((c) => !c.ok);
      lines.push(state.validation.ok ? `validation passed (${state.validation.checks.length} checks)` : `validation failed: ${failed.map((c) => `${c.check}${c.detail ? ` (${c.detail})` : ""}`).join("; ")}`);
    }
    return lines;
  }
}

/** The report as a person reads it at the end. */
export function formatReport(report: RestoreReport): string[] {
  const lines = [`Restore ${report.restoreId} ${report.status} in ${report.region}${report.kind ? ` (${report.kind} ${report.source ?? ""} from ${report.pointId ?? "?"})` : ""}`];
  if (report.endpoint !== undefined) lines.push(`  endpoint: ${report.endpoint}`);
  if (report.secondsToAvailable !== undefined) lines.push(`  available after: ${elapsed(report.secondsToAvailable)} (${report.secondsToAvailable} s)`);
  lines.push(report.created.length === 0 ? "  created: nothing" : "  created:");
  for (const resource of report.created) lines.push(`    ${resource.type} ${resource.id}${resource.state ? ` (${resource.state})` : ""}`);
  if (report.failure !== undefined) lines.push(`  failure: ${report.failure.name}: ${report.failure.message}`);
  lines.push(`  manifest: ${report.manifest}`);
  return lines;
}
