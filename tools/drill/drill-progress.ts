// What `npm run drill` prints while it follows a drill execution: each top-level state entered with the time since the
// start (Pick, Restores, Keep, Cleanup, Report), the sample picked, and inside the Map each restore's own steps (the
// restores' Start, Wait, Poll n, Validate, Measure events, labelled r<n>) with what they decided, its measured result,
// cleanup's progress, any error. Only the data decides what a line says (a sample on the input: a restore's step; a
// pending restore state: a poll), not the state names, so the machine's names can change without this file.
import type { HistoryEvent } from "@aws-sdk/client-sfn";
import type { DrillReport, DrillResult, DrillState } from "../../handlers/drill/contract";
import { isFields } from "../../handlers/lib/values";
import type { ExecutionProgress, ExecutionView } from "../lib/follow";
import { elapsed, EventLines, eventFailure, failureText, parseJson } from "../lib/progress";
import { restoreState, RestoreStateLines } from "../restore/progress-format";
import { cleanupLines, drillReport, formatDrillReport, outcomeText, restoreLabel } from "./drill-report";

/** What a line needs of a sample (the Map item). */
interface SampleRef {
  drillId: string;
  restoreId: string;
  plan: string;
  kind: string;
  source: string;
}

function sampleOf(data: string | undefined): SampleRef | undefined {
  const value = parseJson(data);
  const sample = isFields(value) ? value.sample : undefined;
  return isFields(sample) && typeof sample.drillId === "string" && typeof sample.restoreId === "string" && typeof sample.plan === "string" && typeof sample.kind === "string" && typeof sample.source === "string"
    ? { drillId: sample.drillId, restoreId: sample.restoreId, plan: sample.plan, kind: sample.kind, source: sample.source }
    : undefined;
}

/** The drill state between the top-level states: `{"state": DrillState}`. */
function drillState(data: string | undefined): DrillState | undefined {
  const value = parseJson(data);
  const state = isFields(value) ? value.state : undefined;
  return isFields(state) && isFields(state.drill) && typeof state.drill.drillId === "string" && Array.isArray(state.drill.samples) ? (state as unknown as DrillState) : undefined;
}

/** A restore's measured result (the Measure step's output, or the machine's fallback after Measure failed). */
function drillResult(data: string | undefined): DrillResult | undefined {
  const value = parseJson(data);
  return isFields(value) && typeof value.restoreId === "string" && typeof value.outcome === "string" && isFields(value.targets) ? (value as unknown as DrillResult) : undefined;
}

/** Which restore (`r<n>`, none at the top level) and which state an event belongs to. */
interface Origin {
  restore?: string;
  state?: string;
}

const ENTERED = new Set(["TaskStateEntered", "WaitStateEntered", "MapStateEntered"]);

/** Turns a drill execution's history events into progress lines; remembers per restore what it printed. */
export class DrillProgressPrinter extends EventLines implements ExecutionProgress<DrillReport> {
  /** Per restore label (or "" for the top level) and state name: how often it was entered. */
  private readonly entered = new Map<string, number>();
  private readonly restores = new Map<string, RestoreStateLines>();
  /** Each event's restore and state (AWS chains a state's events by previousEventId), to say whose a failure is. */
  private readonly origins = new Map<number, Origin>();
  /** The last report step's output seen. */
  report?: DrillReport;

  /** The restore (`r<n>`) and the state an event belongs to, from its own details or the event it follows. */
  private origin(event: HistoryEvent): Origin {
    const type = event.type ?? "";
    const iteration = event.mapIterationStartedEventDetails ?? event.mapIterationFailedEventDetails ?? event.mapIterationAbortedEventDetails ?? event.mapIterationSucceededEventDetails;
    let origin: Origin;
    if (iteration?.index !== undefined) origin = { restore: `r${iteration.index + 1}` };
    else if (type.endsWith("StateEntered")) {
      const sample = sampleOf(event.stateEnteredEventDetails?.input);
      origin = { restore: sample && restoreLabel(sample.drillId, sample.restoreId), state: event.stateEnteredEventDetails?.name };
    } else origin = this.origins.get(event.previousEventId ?? 0) ?? {};
    if (event.id !== undefined) this.origins.set(event.id, origin);
    return origin;
  }

  protected describe(event: HistoryEvent): string[] {
    const type = event.type ?? "";
    const origin = this.origin(event);
    const label = origin.restore;
    const prefix = label === undefined ? "" : `${label} `;
    const failure = eventFailure(event);
    if (failure !== undefined) {
      const state = origin.state !== undefined && !type.startsWith("Execution") ? `${origin.state} ` : "";
      return [`${prefix}${state}${failureText(type, failure)}`];
    }
    if (type === "MapStateStarted") return [`${event.mapStateStartedEventDetails?.length ?? 0} restores`];
    if (type === "MapIterationFailed" || type === "MapIterationAborted") return [`${prefix}${type}`];
    const entered = event.stateEnteredEventDetails;
    if (entered?.name !== undefined && ENTERED.has(type)) return [`${prefix}${this.enteredText(type, entered.name, entered.input, label)}`];
    const exited = event.stateExitedEventDetails;
    if (exited?.name !== undefined && type === "TaskStateExited") return this.exited(exited.output).map((line) => `${prefix}${line}`);
    return [];
  }

  private enteredText(type: string, name: string, input: string | undefined, label: string | undefined): string {
    const key = `${label ?? ""} ${name}`;
    const count = (this.entered.get(key) ?? 0) + 1;
    this.entered.set(key, count);
    if (type === "WaitStateEntered") {
      const seconds = this.waitSeconds(input);
      return seconds === undefined ? name : `${name} ${seconds} s`;
    }
    // A pending restore's state and its sample, nothing else (the measure event has its step): a poll.
    const value = parseJson(input);
    const sample = sampleOf(input);
    if (sample !== undefined && isFields(value) && value.step === undefined && restoreState(input)?.status === "pending") return `${name} ${count}`;
    // The Map item alone (`{"sample"}`): the restore's first step.
    if (sample !== undefined && isFields(value) && Object.keys(value).length === 1) return `${name} (${sample.plan} ${sample.kind} ${sample.source})`;
    return name;
  }

  /** A restore's poll interval, the keep before cleanup, or cleanup's wait: whichever the Wait's input carries. */
  private waitSeconds(input: string | undefined): number | undefined {
    const restore = restoreState(input);
    if (restore !== undefined) return restore.waitSeconds;
    const drill = drillState(input);
    if (drill === undefined) return undefined;
    return drill.cleanup !== undefined ? drill.cleanup.waitSeconds : drill.drill.keepSeconds;
  }

  private exited(output: string | undefined): string[] {
    const report = drillReport(output);
    if (report !== undefined) {
      this.report = report;
      return [`report: ${report.status}`];
    }
    const result = drillResult(output);
    if (result !== undefined) return [this.resultLine(result)];
    const state = drillState(output);
    if (state === undefined) return this.restoreLines(output);
    if (state.cleanup === undefined) return this.picked(state);
    // While pending, the counts (the machine calls again); the resources once it has ended.
    const lines = cleanupLines(state.drill.drillId, state.cleanup).map((l) => l.trim());
    return state.cleanup.status === "pending" ? lines.slice(0, 1) : lines;
  }

  private restoreLines(output: string | undefined): string[] {
    const sample = sampleOf(output);
    const restore = restoreState(output);
    if (sample === undefined || restore === undefined) return [];
    let lines = this.restores.get(sample.restoreId);
    const started = lines === undefined;
    lines ??= new RestoreStateLines();
    this.restores.set(sample.restoreId, lines);
    return lines.lines(restore, started);
  }

  private picked(state: DrillState): string[] {
    const { drill } = state;
    const lines = [`picked ${drill.samples.length} restore${drill.samples.length === 1 ? "" : "s"} in ${drill.region} (seed ${drill.seed}${drill.request.plan ? `, plan ${drill.request.plan}` : ""})`];
    for (const s of drill.samples) lines.push(`  ${restoreLabel(drill.drillId, s.restoreId)} ${s.plan} ${s.kind} ${s.source} at ${s.pointId} (taken ${s.taken})`);
    for (const u of drill.unsampled) lines.push(`  not sampled: ${u.plan} ${u.kind}: ${u.reason}`);
    return lines;
  }

  private resultLine(result: DrillResult): string {
    const rto = result.rtoSeconds === undefined ? "not validated" : elapsed(result.rtoSeconds);
    const why = result.failure === undefined ? "" : ` - ${result.failure.name}: ${result.failure.message}`;
    return `${outcomeText(result)}: RTO ${rto} (target ${elapsed(result.targets.rtoSeconds)}), RPO ${elapsed(result.rpoSeconds)} (target ${elapsed(result.targets.rpoSeconds)})${why}`;
  }
}

/** How `npm run drill` follows the drill machine's executions. */
export const DRILL_VIEW: ExecutionView<DrillReport> = {
  progress: (startDate) => new DrillProgressPrinter(startDate),
  reportOf: drillReport,
  format: formatDrillReport,
  passed: (report) => report.status === "passed",
  noun: "drill report",
};
