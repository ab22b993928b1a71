// Lambda entry of the restore function: settings from the environment, clients once per container, then one step.
// Deployed in each region of the stack; it restores into its own region from that region's recovery points only
// (backups in the primary region, DR copies in the DR region), so a restore in the DR region needs nothing of the
// primary region.
//
// Events: one step of the restore state machine (the JSON each takes and returns: handlers/restore/contract.ts):
//   { "step": "start", "restoreId", "startedAt", "request" }   -> RestoreState (or a named error, nothing created)
//   { "step": "poll", "state" }                               -> RestoreState
//   { "step": "validate", "state" }                           -> RestoreState with validation
//   { "step": "report", "restoreId", "startedAt", "state"?, "request"?, "error"? } -> RestoreReport
// Any step can be invoked by hand (aws lambda invoke) with the same JSON.
//
// Environment variables:
//   BACKUP_DR_STACK               required. Value of the backup-dr:stack tag, "<pulumi project>/<stack>": only points
//                                 carrying it are restored.
//   BACKUP_DR_REGION              required. The region restored into; must equal AWS_REGION when that is set.
//   BACKUP_DR_REGION_ROLE         required. "primary" or "dr": which entry of backup-dr:restore messages name.
//   BACKUP_DR_KEY_ARN             required. The region's KMS key: restored volumes are encrypted with it.
//   BACKUP_DR_VAULT_BUCKET        required. The region's vault; manifests go to runs/restore/<yyyy>/<mm>/<dd>/<restoreId>.json.
//   BACKUP_DR_RESTORE_NETWORK     optional. JSON of the region's backup-dr:restore entry: {"subnetIds": [...],
//                                 "securityGroupIds": [...], "dbSubnetGroup"?: ..., "instanceProfileArn"?: ...};
//                                 "{}" (or unset) when none is configured: a kind that needs it is refused, naming the key.
//   AWS_REGION                    set by Lambda. AWS_ENDPOINT_URL (optional) points every client at another endpoint.
//   POWERTOOLS_LOG_LEVEL          optional, default INFO.
//
// Nothing heavy lives at module scope: Pulumi serializes `handler` into the function's code.
import type { Context } from "aws-lambda";
import type { RestoreReport, RestoreState } from "./restore/contract";
import { runRestoreStep } from "./restore/run";
import { readRestoreSettings } from "./restore/settings";
import { createClients } from "./lib/clients";
import { perContainer } from "./lib/container";
import { createLogger } from "./lib/observability";

export async function handler(event: unknown, context: Context): Promise<RestoreState | RestoreReport> {
  const logger = perContainer("restore:logger", () => createLogger("restore"));
  logger.addContext(context);
  try {
    const settings = readRestoreSettings(process.env);
    const endpoint = process.env.AWS_ENDPOINT_URL ?? "";
    const clients = perContainer(`restore:clients:${settings.region}|${endpoint}`, () => createClients(settings.region));
    const result = await runRestoreStep({ clients, s3: clients.s3, now: () => new Date() }, settings, event);
    logger.info("restore step done", { step: stepOf(event), status: result.status, ...("phase" in result ? { phase: result.phase } : {}) });
    return result;
  } catch (error) {
    logger.error("restore step failed", error instanceof Error ? error : String(error));
    throw error;
  }
}

/** The step an event names, for the log (the parser has checked it by then, or thrown). */
function stepOf(event: unknown): string {
  return typeof event === "object" && event !== null && "step" in event && typeof event.step === "string" ? event.step : "";
}
