// The report step: the drill's verdict, its manifest runs/drill/<yyyy>/<mm>/<dd>/<drillId>.json in the region's vault
// (the date is the drill's start, so a rerun overwrites the same object), the metrics per plan, and the summary sent
// to the region's topic. Every part is tried; a failed manifest write or notification then fails the step (named).
import type { S3Client } from "@aws-sdk/client-s3";
import type { SNSClient } from "@aws-sdk/client-sns";
import { describeError, namedError, type ErrorInfo } from "../lib/errors";
import { writeManifest } from "../lib/manifest";
import type { MetricSet } from "../lib/metrics";
import { notify } from "../lib/notify";
import { manifestKey } from "../lib/run-id";
import { caughtFailure } from "../restore/report";
import { DRILL_MANIFEST_FOLDER, type DrillReport, type DrillRequest, type DrillResult, type DrillState } from "./contract";
import { cutFailure, measureRestore } from "./measure";
import { planFigures, planMetrics, type PlanFigures } from "./plan-metrics";
import type { DrillSettings } from "./settings";
import { drillSummary } from "./summary";

export interface ReportDeps {
  s3: S3Client;
  sns: SNSClient;
  now: () => Date;
  /** Receives each metric set (Powertools Metrics in Lambda). */
  publishMetrics: (metricSet: MetricSet) => void;
}

export interface ReportInput {
  drillId: string;
  startedAt: string;
  /** The execution's input, given after a failed pick (with a state, the drill's own request is read). */
  request?: DrillRequest;
  state?: DrillState;
  error?: { Error: string; Cause: string };
}

/** The manifest: the report, with the drill as picked and the figures the metrics were published from. */
export interface DrillManifest extends Omit<DrillReport, "manifest" | "summary"> {
  stack: string;
  regionRole: string;
  seed?: string;
  request?: DrillState["drill"]["request"];
  keepSeconds?: number;
  samples: DrillState["drill"]["samples"];
  plans: PlanFigures[];
}

/**
 * A result as reported: the machine's fallback (its caught error whole) given its failure, every failure message cut to
 * MAX_FAILURE_MESSAGE, and "rpo" missed whenever the RPO is over its target (the fallback cannot compare).
 */
function reportedResult(result: DrillResult): DrillResult {
  const { error, ...rest } = result;
  const failure = rest.failure ?? (error === undefined ? undefined : caughtFailure({ Error: error.Error, Cause: error.Cause ?? "" }));
  const rpoMissed = rest.rpoSeconds > rest.targets.rpoSeconds && !rest.missed.includes("rpo");
  return { ...rest, missed: rpoMissed ? [...rest.missed, "rpo"] : rest.missed, ...(failure === undefined ? {} : { failure: cutFailure(failure) }) };
}

/** Every sample's result: the Map's, else (the Map failed, or lost an item) failed with the drill's error. */
function resultsOf(state: DrillState | undefined, failure: ErrorInfo | undefined): DrillResult[] {
  if (state === undefined) return [];
  const given = state.results ?? [];
  const cause = failure ?? { name: "DrillRestoreLost", message: "the drill's Map returned no result for this restore" };
  return state.drill.samples.map((sample) => reportedResult(given.find((r) => r.restoreId === sample.restoreId) ?? measureRestore(sample, undefined, { Error: cause.name, Cause: cause.message })));
}

/** Why the drill as a whole failed: the error the report was given, else the Map's. */
function drillFailure(input: ReportInput): ErrorInfo | undefined {
  const error = input.error ?? input.state?.error;
  if (error !== undefined) return caughtFailure(error);
  if (input.state === undefined) return { name: "DrillNotPicked", message: "the report was given neither a state nor an error" };
  return undefined;
}

/** Cleanup is settled when it is done, or when there was nothing to clean. */
function cleanupSettled(state: DrillState | undefined): boolean {
  if (state === undefined) return true;
  return state.cleanup === undefined ? state.drill.samples.length === 0 : state.cleanup.status === "done";
}

/** Resources cleanup found but refused to delete fail the drill: something of the drill's is left for a person. */
function refusedAny(state: DrillState | undefined): boolean {
  return (state?.cleanup?.refused.length ?? 0) > 0;
}

/**
 * The plans reported: those the drill covered (the plan asked for when it has targets, none when it has not; every
 * plan with targets when none was asked) and any it sampled. The request is the drill's, else the one given after a
 * failed pick; a mistyped plan thus raises no plan's failure alarm.
 */
function reportedPlans(settings: DrillSettings, input: ReportInput, results: readonly DrillResult[]): string[] {
  const { state } = input;
  const asked = (state?.drill.request ?? input.request)?.plan;
  const all = Object.keys(settings.options.targets).sort();
  const covered = asked === undefined ? all : all.filter((p) => p === asked);
  const seen = [...results.map((r) => r.plan), ...(state?.drill.unsampled ?? []).map((u) => u.plan)];
  return [...covered, ...[...new Set(seen)].filter((p) => !covered.includes(p)).sort()];
}

export async function reportDrill(deps: ReportDeps, settings: DrillSettings, input: ReportInput): Promise<DrillReport> {
  const { state } = input;
  const found = drillFailure(input);
  const failure = found === undefined ? undefined : cutFailure(found);
  const results = resultsOf(state, failure);
  const unsampled = state?.drill.unsampled ?? [];
  const figures = planFigures(reportedPlans(settings, input, results), results, unsampled);
  const failed = failure !== undefined || !cleanupSettled(state) || refusedAny(state) || figures.some((f) => f.failures > 0);
  const key = manifestKey(DRILL_MANIFEST_FOLDER, new Date(input.startedAt), input.drillId);
  const reported: Omit<DrillReport, "summary" | "manifest"> = {
    drillId: input.drillId,
    status: failed ? "failed" : "passed",
    region: settings.region,
    startedAt: input.startedAt,
    finishedAt: deps.now().toISOString(),
    results,
    unsampled,
    ...(state?.cleanup === undefined ? {} : { cleanup: state.cleanup }),
    ...(failure === undefined ? {} : { failure }),
  };
  const report = { ...reported, manifest: `s3://${settings.vaultBucket}/${key}` };
  const { subject, lines } = drillSummary(report, settings.stackTag, state?.drill.samples.length ?? 0);
  const manifest: DrillManifest = {
    ...reported,
    stack: settings.stackTag,
    regionRole: settings.regionRole,
    ...(state === undefined ? (input.request === undefined ? {} : { request: input.request }) : { seed: state.drill.seed, request: state.drill.request, keepSeconds: state.drill.keepSeconds }),
    samples: state?.drill.samples ?? [],
    plans: figures,
  };
  const problems: string[] = [];
  try {
    await writeManifest(deps.s3, settings.vaultBucket, key, manifest);
  } catch (error) {
    const { name, message } = describeError(error);
    problems.push(`writing the manifest ${report.manifest}: ${name}: ${message}`);
  }
  for (const metricSet of planMetrics(figures)) deps.publishMetrics(metricSet);
  try {
    await notify(deps.sns, settings.topicArn, subject, problems.length === 0 ? lines : [...lines, "", ...problems]);
  } catch (error) {
    const { name, message } = describeError(error);
    problems.push(`notifying ${settings.topicArn}: ${name}: ${message}`);
  }
  if (problems.length > 0) throw namedError("DrillReportFailedError", `The report of drill ${input.drillId} is incomplete: ${problems.join("; ")}`, { drillId: input.drillId });
  return { ...report, summary: lines.join("\n") };
}
