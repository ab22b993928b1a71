// The coverage step (handlers/report/contract.ts: coverage -> CoverageResult). Interim: replaced by collect + coverage.
import type { CoverageResult, ReportDeps } from "./contract";
import type { ReportSettings } from "./settings";

export async function runCoverage(deps: ReportDeps, settings: ReportSettings): Promise<CoverageResult> {
  void deps;
  void settings;
  return Promise.reject(new Error("the coverage step is not built yet"));
}
