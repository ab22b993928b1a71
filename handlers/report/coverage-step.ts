// The coverage step (handlers/report/contract.ts: coverage -> CoverageResult): collect (read-only, both regions) and
// coverage (pure), then the `coverage` metric set per plan, every plan, 0 included. Writes nothing. The report step
// reads the same through assessCoverage.
import { reportKinds } from "../kinds/registry";
import { metricSet } from "../lib/metrics";
import type { ErrorInfo } from "../lib/errors";
import { collect } from "./collect";
import type { CoverageResult, PlanCoverage, ReportDeps } from "./contract";
import { coverage, type Coverage } from "./coverage";
import type { ReportSettings } from "./settings";

/** Out-of-policy sources a plan's result names (the rest are counted). */
export const COVERAGE_EXAMPLES = 20;

export interface CoverageAssessment extends Coverage {
  checkedAt: string;
  errors: Array<ErrorInfo & { where: string }>;
}

/** Reads both regions and evaluates every plan's sources; never throws for a region or kind it cannot read. */
export async function assessCoverage(deps: Pick<ReportDeps, "clients" | "now">, settings: ReportSettings): Promise<CoverageAssessment> {
  const checkedAt = deps.now();
  const collected = await collect({ primary: deps.clients.primary, dr: deps.clients.dr }, reportKinds(), {
    stackTag: settings.stackTag,
    selectionTagKey: settings.selectionTagKey,
    primaryRegion: settings.primaryRegion,
    drRegion: settings.drRegion,
    readDr: settings.plans.some((p) => p.copyToDr),
    concurrency: settings.concurrency,
  });
  const result = coverage({
    plans: settings.plans,
    collected,
    now: checkedAt,
    options: settings.options,
    selectionTagKey: settings.selectionTagKey,
    regions: { primary: settings.primaryRegion, dr: settings.drRegion },
    keys: { primary: settings.keyArn, dr: settings.drKeyArn },
  });
  return { ...result, checkedAt: checkedAt.toISOString(), errors: collected.errors };
}

/** Publishes the `coverage` set for every plan of the assessment (0 included: the alarm sees data, not a gap). */
export function publishCoverage(deps: Pick<ReportDeps, "publishMetrics">, assessment: Coverage): void {
  for (const plan of assessment.plans) {
    deps.publishMetrics(metricSet("coverage", { Plan: plan.name }, { SourcesChecked: plan.sources, SourcesOutOfPolicy: plan.outOfPolicy }));
  }
}

/** Per plan: its sources, how many are out of policy, and the first few of those with their reasons. */
export function planCoverage(assessment: Coverage): PlanCoverage[] {
  return assessment.plans.map((plan) => {
    const out = assessment.sources.filter((s) => s.plan === plan.name && s.outOfPolicy);
    return { plan: plan.name, sources: plan.sources, outOfPolicy: plan.outOfPolicy, examples: out.slice(0, COVERAGE_EXAMPLES).map((s) => `${s.source}: ${s.reasons.join(" ")}`) };
  });
}

export async function runCoverage(deps: ReportDeps, settings: ReportSettings): Promise<CoverageResult> {
  const assessment = await assessCoverage(deps, settings);
  publishCoverage(deps, assessment);
  const plans = planCoverage(assessment);
  return { step: "coverage", checkedAt: assessment.checkedAt, plans, outOfPolicy: plans.reduce((sum, p) => sum + p.outOfPolicy, 0), errors: assessment.errors };
}
