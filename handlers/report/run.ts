// One report step: the event checked (before any AWS call), then the step it names.
import type { CoverageResult, ReportDeps, ReportEvent, ReportResult } from "./contract";
import { runCoverage } from "./coverage-step";
import { parseReportEvent } from "./event";
import { runReport } from "./report-step";
import type { ReportSettings } from "./settings";

export type ReportStepResult = CoverageResult | ReportResult;

/** Checks the event (before any AWS call), then runs the step it names. */
export async function runReportStep(deps: ReportDeps, settings: ReportSettings, event: unknown): Promise<ReportStepResult> {
  return runParsedReportStep(deps, settings, parseReportEvent(event));
}

/** Runs a checked step event. */
export async function runParsedReportStep(deps: ReportDeps, settings: ReportSettings, event: ReportEvent): Promise<ReportStepResult> {
  switch (event.step) {
    case "coverage":
      return runCoverage(deps, settings);
    case "report":
      return runReport(deps, settings);
  }
}
