// Lambda entry of the drill function: settings from the environment, clients once per container, then one step.
// Deployed in the drill's region (the DR region by default); it restores there from that region's recovery points
// only, through the restore flow's own steps, and deletes only what carries this drill's id and this stack.
//
// Events: one step of the drill state machine (the JSON each takes and returns: handlers/drill/contract.ts):
//   { "step": "pick", "drillId", "startedAt", "request": { "plan"?, "seed"? } }  -> DrillState { drill }
//   { "step": "start", "sample", "startedAt" }                      -> DrillRestore { sample, state }
//   { "step": "poll", "sample", "state" }                           -> DrillRestore
//   { "step": "validate", "sample", "state" }                       -> DrillRestore (state.validation, validatedAt)
//   { "step": "measure", "sample", "state"?, "error"? }             -> DrillResult
//   { "step": "cleanup", "state" }                                  -> DrillState with cleanup
//   { "step": "report", "drillId", "startedAt", "state"?, "error"? } -> DrillReport
//   { "step": "watch" }                                             -> DrillWatch
// Any step can be invoked by hand (aws lambda invoke) with the same JSON; a malformed one is a MalformedEventError
// before any AWS call. Reference: docs/drill.md.
//
// Environment variables (a missing or bad one is MissingSettingError / InvalidSettingError before any AWS call):
//   BACKUP_DR_STACK               required. Value of the backup-dr:stack tag: only its points are drilled, only
//                                 resources carrying it (and the drill's id) are deleted.
//   BACKUP_DR_REGION              required. The drill's region; must equal AWS_REGION when that is set.
//   BACKUP_DR_REGION_ROLE         required. "primary" or "dr": which entry of backup-dr:restore messages name.
//   BACKUP_DR_KEY_ARN             required. The region's KMS key: restored volumes are encrypted with it.
//   BACKUP_DR_VAULT_BUCKET        required. The region's vault; manifests go to runs/drill/<yyyy>/<mm>/<dd>/<drillId>.json.
//   BACKUP_DR_RESTORE_NETWORK     optional. JSON of the region's backup-dr:restore entry (as the restore function's).
//   BACKUP_DR_TOPIC_ARN           required. The region's SNS topic: the drill's summary goes there.
//   BACKUP_DR_DRILL               required. JSON of the drill options (handlers/drill/contract.ts DrillOptions):
//                                 {"samplePerPlan", "keepSeconds", "machineMode", "instanceType"?, "instanceClass"?,
//                                 "targets": {"<plan>": {"rtoSeconds", "rpoSeconds"}}, "schedule", "timezone",
//                                 "machineTimeoutSeconds"}; every field checked.
//   AWS_REGION                    set by Lambda. AWS_ENDPOINT_URL (optional) points every client at another endpoint.
//   POWERTOOLS_LOG_LEVEL          optional, default INFO.
//
// Nothing heavy lives at module scope: Pulumi serializes `handler` into the function's code.
import type { Context } from "aws-lambda";
import { parseDrillEvent } from "./drill/event";
import { runParsedDrillStep, type DrillStepResult } from "./drill/run";
import { readDrillSettings } from "./drill/settings";
import { createClients } from "./lib/clients";
import { perContainer } from "./lib/container";
import { createLogger, createMetrics, publishMetricSet } from "./lib/observability";

export async function handler(event: unknown, context: Context): Promise<DrillStepResult> {
  const { logger, metrics } = perContainer("drill:observability", () => ({ logger: createLogger("drill"), metrics: createMetrics("drill") }));
  logger.addContext(context);
  try {
    const settings = readDrillSettings(process.env);
    const step = parseDrillEvent(event);
    const endpoint = process.env.AWS_ENDPOINT_URL ?? "";
    const clients = perContainer(`drill:clients:${settings.region}|${endpoint}`, () => createClients(settings.region));
    const result = await runParsedDrillStep(
      { clients, s3: clients.s3, sns: clients.sns, now: () => new Date(), publishMetrics: (metricSet) => publishMetricSet(metrics, metricSet) },
      settings,
      step,
    );
    logger.info("drill step done", { step: step.step, ...outline(result) });
    return result;
  } catch (error) {
    logger.error("drill step failed", error instanceof Error ? error : String(error));
    throw error;
  }
}

/** A few fields of a step's result for the log line. */
function outline(result: DrillStepResult): Record<string, unknown> {
  if ("drill" in result) return { drillId: result.drill.drillId, samples: result.drill.samples.length, cleanup: result.cleanup?.status };
  if ("sample" in result) return { restoreId: result.sample.restoreId, status: result.state.status, phase: result.state.phase };
  if ("outcome" in result) return { restoreId: result.restoreId, outcome: result.outcome };
  if ("overdue" in result) return { overdue: result.overdue };
  return { drillId: result.drillId, status: result.status, manifest: result.manifest };
}
