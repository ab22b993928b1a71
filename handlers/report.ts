// Lambda entry of the report function (issue 19): settings from the environment, clients once per container, then one
// step. Deployed in the primary region; reads both regions (a region it cannot read is "unknown", never a failure).
//
// Events (the JSON each takes and returns: handlers/report/contract.ts):
//   { "step": "coverage" } -> CoverageResult. Every few minutes: each opted-in source's newest completed point in the
//                             primary and (when its plan copies) DR region against the plan's RPO; publishes
//                             SourcesChecked and SourcesOutOfPolicy per plan. Writes nothing.
//   { "step": "report" }   -> ReportResult. Daily: the compliance report (JSON and HTML) to the primary vault under
//                             reports/compliance/<yyyy>/<mm>/<dd>, the metrics, and the summary to the topic.
// Either can be invoked by hand (aws lambda invoke) with the same JSON; a malformed one is a MalformedEventError before
// any AWS call. Reference: docs/report.md.
//
// Environment variables (a missing or bad one is MissingSettingError / InvalidSettingError before any AWS call):
//   BACKUP_DR_STACK               required. Value of the backup-dr:stack tag: only its recovery points count.
//   BACKUP_DR_PLANS               required. JSON of the normalised plans (handlers/plan.ts readPlans).
//   BACKUP_DR_SELECTION_TAG_KEY   optional, default backup-plan. The tag whose value names a resource's plan.
//   BACKUP_DR_PRIMARY_REGION      required. The primary region; must equal AWS_REGION when that is set.
//   BACKUP_DR_DR_REGION           required. The DR region (not the primary region).
//   BACKUP_DR_KEY_ARN             required. The primary region's customer-managed KMS key: a point under another key is
//                                 out of policy.
//                                 Its partition (arn:<partition>:) is the stack's: the replica vaults' ARNs use it.
//   BACKUP_DR_DR_KEY_ARN          required. The DR region's customer-managed KMS key.
//   BACKUP_DR_VAULT_BUCKET        required. The primary vault: the report goes to reports/compliance/ there.
//   BACKUP_DR_DR_VAULT_BUCKET     required. The DR vault (its Object Lock is reported).
//   BACKUP_DR_TOPIC_ARN           required. The primary region's SNS topic: the report's summary goes there.
//   BACKUP_DR_REPORT              required. JSON of the report options (handlers/report/contract.ts ReportOptions):
//                                 {"graceSeconds", "drLagSeconds", "notifyOn", "costTags", "requiredFrequencySeconds",
//                                 "requiredRetentionDays", "protectedBuckets": [{"bucket", "replica"}]}; every field checked.
//   BACKUP_DR_CONCURRENCY         optional, default 8. AWS calls at once.
//   AWS_REGION                    set by Lambda. AWS_ENDPOINT_URL (optional) points every client at another endpoint.
//   POWERTOOLS_LOG_LEVEL          optional, default INFO.
//
// Nothing heavy lives at module scope: Pulumi serializes `handler` into the function's code.
import type { Context } from "aws-lambda";
import { perContainer } from "./lib/container";
import { createLogger, createMetrics, publishMetricSet } from "./lib/observability";
import { createReportClients } from "./report/clients";
import { parseReportEvent } from "./report/event";
import { runParsedReportStep, type ReportStepResult } from "./report/run";
import { readReportSettings } from "./report/settings";

export async function handler(event: unknown, context: Context): Promise<ReportStepResult> {
  const { logger, metrics } = perContainer("report:observability", () => ({ logger: createLogger("report"), metrics: createMetrics("report") }));
  logger.addContext(context);
  try {
    const settings = readReportSettings(process.env);
    const step = parseReportEvent(event);
    const endpoint = process.env.AWS_ENDPOINT_URL ?? "";
    const clients = perContainer(`report:clients:${settings.primaryRegion}|${settings.drRegion}|${endpoint}`, () => createReportClients(settings.primaryRegion, settings.drRegion));
    const result = await runParsedReportStep({ clients, now: () => new Date(), publishMetrics: (metricSet) => publishMetricSet(metrics, metricSet) }, settings, step);
    logger.info("report step done", { step: step.step, ...outline(result) });
    return result;
  } catch (error) {
    logger.error("report step failed", error instanceof Error ? error : String(error));
    throw error;
  }
}

/** A few fields of a step's result for the log line. */
function outline(result: ReportStepResult): Record<string, unknown> {
  if (result.step === "coverage") return { outOfPolicy: result.outOfPolicy, plans: result.plans.length, errors: result.errors.length };
  return { date: result.date, jsonKey: result.jsonKey, outOfPolicy: result.outOfPolicy, unselected: result.unselected, notified: result.notified };
}
