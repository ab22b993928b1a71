// The drill's summary, what a person reads (SNS): the verdict, per restore its plan, kind, source and point with RTO
// and RPO against the targets and the outcome, what was not sampled, the cleanup, and where the manifest is.
import { duration } from "../lib/duration";
import { listedSection } from "../lib/notify";
import type { DrillCleanup, DrillReport, DrillResult } from "./contract";

function restoreLine(r: DrillResult): string {
  const rto = r.rtoSeconds === undefined ? "RTO not reached (never validated)" : `RTO ${duration(r.rtoSeconds)} (target ${duration(r.targets.rtoSeconds)})`;
  const rpo = `RPO ${duration(r.rpoSeconds)} (target ${duration(r.targets.rpoSeconds)})`;
  const missed = r.outcome === "missed-target" ? `, missed ${r.missed.join(" and ").toUpperCase()}` : "";
  const why = r.failure === undefined ? "" : ` - ${r.failure.name}${r.failure.message === "" ? "" : `: ${r.failure.message}`}`;
  return `${r.plan} ${r.kind} ${r.source} from ${r.pointId} (taken ${r.taken}): ${r.outcome}${missed}; ${rto}; ${rpo}${why}`;
}

function cleanupLines(cleanup: DrillCleanup | undefined, samples: number): string[] {
  if (cleanup === undefined) return ["", samples === 0 ? "Cleanup: nothing to clean (no restore)" : "Cleanup: DID NOT RUN - what the restores created may still exist (tagged backup-dr:drill-id)"];
  const head = `Cleanup: ${cleanup.status}: ${cleanup.deleted.length} deleted, ${cleanup.remaining.length} remaining${cleanup.status === "done" ? "" : ` (deadline ${cleanup.deadline})`}`;
  return [
    "",
    head,
    ...listedSection("Still there", cleanup.remaining.map((e) => `${e.restoreId}: ${e.type} ${e.id}${e.state === undefined ? "" : ` (${e.state})`}`)),
    ...listedSection("Refused (not tagged with this drill and stack)", cleanup.refused.map((e) => `${e.restoreId}: ${e.type} ${e.id}: ${e.reason}`)),
    ...listedSection("Cleanup failures", cleanup.failures.map((f) => `${f.restoreId}: ${f.name}: ${f.message}`)),
  ];
}

/** The subject and lines sent to the topic. */
export function drillSummary(report: Omit<DrillReport, "summary">, stack: string, samples: number): { subject: string; lines: string[] } {
  const verdict = report.status === "passed" ? "PASSED" : "FAILED";
  const passed = report.results.filter((r) => r.outcome === "passed").length;
  return {
    subject: `backup-dr DR drill ${verdict}: ${stack} in ${report.region}`,
    lines: [
      `DR drill ${report.drillId} of ${stack} in ${report.region}: ${verdict}`,
      `Started ${report.startedAt}, reported ${report.finishedAt}; ${passed} of ${report.results.length} restore${report.results.length === 1 ? "" : "s"} passed.`,
      ...(report.failure === undefined ? [] : ["", `The drill failed: ${report.failure.name}: ${report.failure.message}`]),
      ...listedSection("Restores (plan kind source from point: outcome; RTO; RPO)", report.results.map(restoreLine)),
      ...listedSection("Not sampled", report.unsampled.map((u) => `${u.plan} ${u.kind}: ${u.reason}`)),
      ...cleanupLines(report.cleanup, samples),
      "",
      `Manifest: ${report.manifest}`,
    ],
  };
}
