// The drill's report as a person reads it at the end of `npm run drill`: per restore its plan, kind, source, point,
// RTO and RPO against the plan's targets and the outcome (then why, for one that did not pass); the plans and kinds
// not sampled; cleanup; the drill's own failure; the manifest.
import { isFields } from "../../handlers/lib/values";
import type { DrillCleanup, DrillReport, DrillResult } from "../../handlers/drill/contract";
import { elapsed, parseJson } from "../lib/progress";

/** The report step's output (or the execution's), when it is a drill report. */
export function drillReport(output: string | undefined): DrillReport | undefined {
  const value = parseJson(output);
  return isFields(value) && typeof value.drillId === "string" && (value.status === "passed" || value.status === "failed") && Array.isArray(value.results) && typeof value.manifest === "string"
    ? (value as unknown as DrillReport)
    : undefined;
}

/** A restore's short name: `r<n>` of `<drillId>-r<n>`. */
export function restoreLabel(drillId: string, restoreId: string): string {
  return restoreId.startsWith(`${drillId}-`) ? restoreId.slice(drillId.length + 1) : restoreId;
}

/** `1:35 / 4:00:00`: measured against target (`-` when never measured). */
const versus = (seconds: number | undefined, target: number) => `${seconds === undefined ? "-" : elapsed(seconds)} / ${elapsed(target)}`;

/** The outcome, with the targets missed. */
export function outcomeText(result: DrillResult): string {
  return result.outcome === "missed-target" ? `missed-target (${result.missed.join(", ")})` : result.outcome;
}

const COLUMNS = ["RESTORE", "PLAN", "KIND", "SOURCE", "POINT", "RTO / TARGET", "RPO / TARGET", "OUTCOME"] as const;

function table(drillId: string, results: readonly DrillResult[]): string[] {
  const rows = results.map((r) => [restoreLabel(drillId, r.restoreId), r.plan, r.kind, r.source, r.pointId, versus(r.rtoSeconds, r.targets.rtoSeconds), versus(r.rpoSeconds, r.targets.rpoSeconds), outcomeText(r)]);
  const widths = COLUMNS.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]) => `  ${cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ")}`;
  return [line(COLUMNS), ...rows.map(line)];
}

/** Why a restore did not pass: its failure and failed checks. */
function whyLines(drillId: string, result: DrillResult): string[] {
  const label = restoreLabel(drillId, result.restoreId);
  const lines: string[] = [];
  if (result.failure !== undefined) lines.push(`  ${label}: ${result.failure.name}: ${result.failure.message}`);
  for (const check of result.checks ?? []) if (!check.ok) lines.push(`  ${label}: check failed: ${check.check}${check.detail ? ` (${check.detail})` : ""}`);
  return lines;
}

/** Cleanup in one line, then what it could not delete. */
export function cleanupLines(drillId: string, cleanup: DrillCleanup | undefined): string[] {
  if (cleanup === undefined) return ["  cleanup: none reported"];
  const counts = [`${cleanup.deleted.length} deleted`, `${cleanup.remaining.length} remaining`, ...(cleanup.refused.length > 0 ? [`${cleanup.refused.length} refused`] : []), ...(cleanup.failures.length > 0 ? [`${cleanup.failures.length} failed`] : [])];
  const lines = [`  cleanup: ${cleanup.status} (${counts.join(", ")})`];
  for (const r of cleanup.remaining) lines.push(`    remaining: ${r.type} ${r.id} (${restoreLabel(drillId, r.restoreId)})`);
  for (const r of cleanup.refused) lines.push(`    refused: ${r.type} ${r.id} (${restoreLabel(drillId, r.restoreId)}): ${r.reason}`);
  for (const f of cleanup.failures) lines.push(`    failed: ${restoreLabel(drillId, f.restoreId)}: ${f.name}: ${f.message}`);
  return lines;
}

export function formatDrillReport(report: DrillReport): string[] {
  const lines = [`Drill ${report.drillId} ${report.status} in ${report.region} (started ${report.startedAt}, finished ${report.finishedAt})`];
  if (report.results.length === 0) lines.push("  no restores");
  else lines.push(...table(report.drillId, report.results), ...report.results.flatMap((r) => whyLines(report.drillId, r)));
  for (const u of report.unsampled) lines.push(`  not sampled: ${u.plan} ${u.kind}: ${u.reason}`);
  lines.push(...cleanupLines(report.drillId, report.cleanup));
  if (report.failure !== undefined) lines.push(`  failure: ${report.failure.name}: ${report.failure.message}`);
  lines.push(`  manifest: ${report.manifest}`);
  return lines;
}
