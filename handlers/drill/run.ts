// One drill step: the event checked (before any AWS call), then the step it names.
import type { S3Client } from "@aws-sdk/client-s3";
import type { SNSClient } from "@aws-sdk/client-sns";
import type { MetricSet } from "../lib/metrics";
import type { RestoreDeps } from "../restore/steps";
import { cleanupDrill } from "./cleanup";
import type { DrillReport, DrillRestore, DrillResult, DrillState, DrillStepEvent, DrillWatch } from "./contract";
import { parseDrillEvent } from "./event";
import type { DrillKinds } from "./kinds";
import { measureRestore } from "./measure";
import { drilledPlans, pickDrill } from "./pick";
import { reportDrill } from "./report";
import { startDrillRestore, pollDrillRestore, validateDrillRestore } from "./restores";
import type { DrillSettings } from "./settings";
import { watchDrills } from "./watch";

/** The region's clients, the clock, where metrics go, and the kinds (the registry by default; tests inject stubs). */
export interface DrillDeps extends RestoreDeps {
  s3: S3Client;
  sns: SNSClient;
  publishMetrics: (metricSet: MetricSet) => void;
  drillKinds?: DrillKinds;
}

export type DrillStepResult = DrillState | DrillRestore | DrillResult | DrillReport | DrillWatch;

/** Checks the event (before any AWS call), then runs the step it names. */
export async function runDrillStep(deps: DrillDeps, settings: DrillSettings, event: unknown): Promise<DrillStepResult> {
  return runParsedDrillStep(deps, settings, parseDrillEvent(event));
}

/** Runs a checked step event. */
export async function runParsedDrillStep(deps: DrillDeps, settings: DrillSettings, step: DrillStepEvent): Promise<DrillStepResult> {
  switch (step.step) {
    case "pick":
      // A plan without targets is refused here, before any AWS call.
      drilledPlans(settings, step.request);
      return { drill: await pickDrill({ clients: deps.clients, kinds: deps.kinds }, settings, step.drillId, step.startedAt, step.request) };
    case "start":
      return startDrillRestore(deps, settings, step.sample, step.startedAt);
    case "poll":
      return pollDrillRestore(deps, settings, step.sample, step.state);
    case "validate":
      return validateDrillRestore(deps, settings, step.sample, step.state);
    case "measure":
      return measureRestore(step.sample, step.state, step.error);
    case "cleanup":
      return { ...step.state, cleanup: await cleanupDrill(deps, settings.stackTag, step.state) };
    case "report":
      return reportDrill(deps, settings, step);
    case "watch":
      return watchDrills(deps, settings);
  }
}
