// The daily report step (handlers/report/contract.ts: report -> ReportResult): coverage of both regions, the vaults'
// Object Lock, the protected buckets' replication, last month's snapshot cost and the controls, assembled into the
// compliance report (schema.ts); written as JSON and as an HTML page to the primary vault under
// reports/compliance/<yyyy>/<mm>/<dd> (a rerun the same day writes the same keys: the versioned, locked vault keeps
// every version); the coverage metrics and ResourcesNotSelected published; the summary sent when due.
//
// What cannot be read (a region down, a denied call) is in the report's `errors` and marked there (unknown, error);
// the report is still written. A failed write or notification throws: Lambda's error metric and retry apply.
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { writeManifest } from "../lib/manifest";
import { metricSet } from "../lib/metrics";
import { notify } from "../lib/notify";
import { REPORT_FOLDER, REPORT_SCHEMA_VERSION, type ReportDeps, type ReportResult } from "./contract";
import { evaluateControls } from "./controls";
import { readCost } from "./cost";
import { assessCoverage, publishCoverage } from "./coverage-step";
import { renderReportHtml } from "./html";
import { readReplication } from "./replication";
import { reportSummary, shouldNotify } from "./report-summary";
import type { ComplianceReport } from "./schema";
import type { ReportSettings } from "./settings";
import { readVaults } from "./vaults";

/** The day's keys in the vault: reports/compliance/<yyyy>/<mm>/<dd>.json and .html (UTC). */
export function reportKeys(date: string): { json: string; html: string } {
  const [yyyy, mm, dd] = date.split("-");
  const base = `${REPORT_FOLDER}/${yyyy}/${mm}/${dd}`;
  return { json: `${base}.json`, html: `${base}.html` };
}

/** Builds the compliance report from both regions, Cost Explorer and the settings; never throws for a failed read. */
export async function buildReport(deps: ReportDeps, settings: ReportSettings): Promise<ComplianceReport> {
  const now = deps.now();
  const { clients } = deps;
  const regions = { primary: settings.primaryRegion, dr: settings.drRegion };
  const [covered, vaults, replication, cost] = await Promise.all([
    assessCoverage({ clients, now: () => now }, settings),
    readVaults([
      { role: "primary", region: regions.primary, bucket: settings.vaultBucket, s3: clients.primary.s3 },
      { role: "dr", region: regions.dr, bucket: settings.drVaultBucket, s3: clients.dr.s3 },
    ]),
    readReplication(clients.primary.s3, settings.options.protectedBuckets, settings.partition),
    readCost(clients.ce, { stack: settings.stackTag, regions: [regions.primary, regions.dr], costTags: settings.options.costTags, now }),
  ]);
  const controls = evaluateControls({ plans: settings.plans, sources: covered.sources, unselected: covered.unselected, vaults, options: settings.options });
  const errors = [
    ...covered.errors,
    ...vaults.flatMap((v) => (v.error ? [{ where: `${v.region} vault ${v.bucket}`, ...v.error }] : [])),
    ...replication.flatMap((r) => (r.error ? [{ where: `${regions.primary} replication ${r.bucket}`, ...r.error }] : [])),
    ...(cost.error ? [{ where: "cost explorer", ...cost.error }] : []),
  ];
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    stack: settings.stackTag,
    generatedAt: now.toISOString(),
    date: now.toISOString().slice(0, 10),
    regions,
    summary: {
      plans: covered.plans.length,
      sources: covered.sources.length,
      outOfPolicy: covered.sources.filter((s) => s.outOfPolicy).length,
      unselected: covered.unselected.length,
      controlsFailed: controls.filter((c) => !c.passed).length,
    },
    plans: covered.plans,
    sources: covered.sources,
    unselected: covered.unselected,
    vaults,
    replication,
    cost,
    controls,
    errors,
  };
}

export async function runReport(deps: ReportDeps, settings: ReportSettings): Promise<ReportResult> {
  const report = await buildReport(deps, settings);
  const keys = reportKeys(report.date);
  const s3 = deps.clients.primary.s3;
  await writeManifest(s3, settings.vaultBucket, keys.json, report);
  await s3.send(new PutObjectCommand({ Bucket: settings.vaultBucket, Key: keys.html, Body: renderReportHtml(report), ContentType: "text/html; charset=utf-8" }));
  publishCoverage(deps, report);
  deps.publishMetrics(metricSet("unselected", { Region: settings.primaryRegion }, { ResourcesNotSelected: report.summary.unselected }));
  const notified = shouldNotify(report, settings.options.notifyOn);
  if (notified) {
    const { subject, lines } = reportSummary(report, { json: `s3://${settings.vaultBucket}/${keys.json}`, html: `s3://${settings.vaultBucket}/${keys.html}` });
    await notify(deps.clients.primary.sns, settings.topicArn, subject, lines);
  }
  return {
    step: "report",
    date: report.date,
    jsonKey: keys.json,
    htmlKey: keys.html,
    outOfPolicy: report.summary.outOfPolicy,
    unselected: report.summary.unselected,
    controlsFailed: report.summary.controlsFailed,
    notified,
  };
}
