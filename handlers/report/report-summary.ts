// The daily report's summary for the topic: plain text a person reads, pointing at the report in the vault.
import { listedSection } from "../lib/notify";
import type { ReportNotifyOn } from "./contract";
import type { ComplianceReport } from "./schema";

/**
 * Whether the summary goes out: a source out of policy, or always with notifyOn "always". A failing control alone does
 * not send it (an unselected resource fails one every day): it is in the report.
 */
export function shouldNotify(report: ComplianceReport, notifyOn: ReportNotifyOn): boolean {
  return notifyOn === "always" || report.summary.outOfPolicy > 0;
}

/** Subject and body of the summary (the subject is cut to SNS's 100 characters by notify()). */
export function reportSummary(report: ComplianceReport, where: { json: string; html: string }): { subject: string; lines: string[] } {
  const { summary } = report;
  const verdict = summary.outOfPolicy === 0 && summary.controlsFailed === 0 ? "OK" : `${summary.outOfPolicy} out of policy, ${summary.controlsFailed} controls failing`;
  const subject = `backup-dr ${report.stack}: compliance ${report.date}: ${verdict}`;
  const outOfPolicy = report.sources.filter((s) => s.outOfPolicy).map((s) => `${s.source} (${s.plan}): ${s.reasons.join("; ")}`);
  const controls = report.controls.filter((c) => !c.passed).map((c) => `${c.id}: ${c.failing} of ${c.checked} failing${c.examples.length > 0 ? `, e.g. ${c.examples.slice(0, 5).join(", ")}` : ""}`);
  const unlocked = report.vaults.filter((v) => !v.locked).map((v) => `${v.role} vault ${v.bucket} (${v.region}): not locked${v.error ? ` (${v.error.name}: ${v.error.message})` : ""}`);
  const replication = report.replication.filter((r) => r.status !== "enabled").map((r) => `${r.bucket} -> ${r.replica}: ${r.status}${r.error ? ` (${r.error.name}: ${r.error.message})` : ""}`);
  return {
    subject,
    lines: [
      `Compliance report of stack ${report.stack} for ${report.date} (generated ${report.generatedAt}; primary ${report.regions.primary}, DR ${report.regions.dr}).`,
      `Page: ${where.html}`,
      `JSON: ${where.json}`,
      "",
      `Plans: ${summary.plans}. Sources: ${summary.sources}, out of policy: ${summary.outOfPolicy}. Resources no plan selects: ${summary.unselected}. Controls failing: ${summary.controlsFailed} of ${report.controls.length}.`,
      `Cost (${report.cost.period.start} to ${report.cost.period.end}): ${costLine(report.cost)}`,
      ...listedSection("Out of policy", outOfPolicy),
      ...listedSection("Failing controls", controls),
      ...listedSection("Vaults", unlocked),
      ...listedSection("Replication", replication),
      ...listedSection("Could not be read", report.errors.map((e) => `${e.where}: ${e.name}: ${e.message}`)),
    ],
  };
}

function costLine(cost: ComplianceReport["cost"]): string {
  if (cost.status === "available") {
    const total = cost.byPlan.reduce((sum, p) => sum + p.amount, 0) + (cost.untagged ?? 0);
    return `${Math.round(total * 100) / 100} ${cost.currency ?? ""}`.trim();
  }
  if (cost.status === "error") return `could not be read (${cost.error?.name ?? "Error"})`;
  return cost.status;
}
