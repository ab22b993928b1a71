// What `npm run restore` prints while it follows an execution: each state entered with the time since the start
// (Start, Wait, Poll n, Validate, Report), what the steps decided (the point, the phase, the checks), any error; and
// at the end the restore's report.
import type { HistoryEvent } from "@aws-sdk/client-sfn";
import { isFields } from "../../handlers/lib/values";
import type { RestoreReport, RestoreState } from "../../handlers/restore/contract";
import { STATE } from "../../infra/restore-machine";
import type { ExecutionProgress, ExecutionView } from "../lib/follow";
import { elapsed, EventLines, eventFailure, failureText, parseJson } from "../lib/progress";

/** The restore state in a step's input or output: the machine carries it as `{"state": RestoreState}`. */
export function restoreState(data: string | undefined): RestoreState | undefined {
  const parsed = parseJson(data);
  const value = isFields(parsed) && isFields(parsed.state) ? parsed.state : parsed;
  return isFields(value) && typeof value.restoreId === "string" && isFields(value.point) && typeof value.status === "string" ? (value as unknown as RestoreState) : undefined;
}

/** The report step's output (or the execution's), when it is a report. */
export function restoreReport(output: string | undefined): RestoreReport | undefined {
  const value = parseJson(output);
  return isFields(value) && typeof value.restoreId === "string" && (value.status === "succeeded" || value.status === "failed") && Array.isArray(value.created) ? (value as unknown as RestoreReport) : undefined;
}

/** What the steps of one restore decided, as lines: the point it chose (at its start), each new phase, the validation. */
export class RestoreStateLines {
  private lastPhase = "";

  lines(state: RestoreState, started: boolean): string[] {
    const lines: string[] = [];
    if (started) {
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
      lines.push(state.validation.ok ? `validation passed (${state.validation.checks.length} check${state.validation.checks.length === 1 ? "" : "s"})` : `validation failed: ${failed.map((c) => `${c.check}${c.detail ? ` (${c.detail})` : ""}`).join("; ")}`);
    }
    return lines;
  }
}

/** Turns a restore execution's history events into progress lines; remembers what it printed (poll count, the last phase). */
export class ProgressPrinter extends EventLines implements ExecutionProgress<RestoreReport> {
  private readonly entered = new Map<string, number>();
  private readonly state = new RestoreStateLines();
  /** The last report step's output seen. */
  report?: RestoreReport;

  protected describe(event: HistoryEvent): string[] {
    const type = event.type ?? "";
    const failure = eventFailure(event);
    if (failure !== undefined) return [failureText(type, failure)];
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
    return state === undefined ? [] : this.state.lines(state, name === STATE.start);
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

/** How `npm run restore` follows the restore machine's executions. */
export const RESTORE_VIEW: ExecutionView<RestoreReport> = {
  progress: (startDate) => new ProgressPrinter(startDate),
  reportOf: restoreReport,
  format: formatReport,
  passed: (report) => report.status === "succeeded",
  noun: "restore report",
};
