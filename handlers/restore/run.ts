// One restore step: the event checked (before any AWS call), then the step it names.
import type { S3Client } from "@aws-sdk/client-s3";
import type { RestoreReport, RestoreState } from "./contract";
import { parseRestoreEvent } from "./event";
import { reportRestore } from "./report";
import type { RestoreSettings } from "./settings";
import { pollRestore, startRestore, validateRestore, type RestoreDeps } from "./steps";

/** The region's clients (the kinds' and S3 for the manifest), the clock, and the kinds (the registry by default). */
export type RestoreStepDeps = RestoreDeps & { s3: S3Client };

export async function runRestoreStep(deps: RestoreStepDeps, settings: RestoreSettings, event: unknown): Promise<RestoreState | RestoreReport> {
  const step = parseRestoreEvent(event);
  switch (step.step) {
    case "start":
      return startRestore(deps, settings, step.restoreId, step.startedAt, step.request);
    case "poll":
      return pollRestore(deps, settings, step.state);
    case "validate":
      return validateRestore(deps, settings, step.state);
    case "report":
      return reportRestore(deps, settings, step);
  }
}
