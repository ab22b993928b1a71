// Lambda entry of the DR copy function: settings from the environment, clients once per container, then the run.
// The function runs in the primary region; it reads backups there and requests every copy in the DR region.
//
// Events (EventBridge, primary region): each resource kind's completion events (the `events` of its module in
// handlers/kinds/, with the fields read; the envelope: handlers/copy/event.ts); each kind's copy-finished events of
// the DR region (its `copyFinishedEvents`), forwarded to the primary region's bus, which start a refill of that kind
// (handlers/copy/refill.ts; one from any other region is ignored); and { "sweep": true } from the sweep schedule.
// Deployed, all of these arrive through the copy FIFO queue (one message group, so one run at a time) as an SQS
// event with one record whose body is the event; invoked by hand, the bare event works the same.
//
// Environment variables:
//   BACKUP_DR_STACK               required. Value of the backup-dr:stack tag, "<pulumi project>/<stack>".
//   BACKUP_DR_PLANS               required. JSON array of plans, as for the backup function (handlers/plan.ts); this
//                                 function reads "drKeep" (counts per tier kept in the DR region) and "copyToDr".
//   BACKUP_DR_PRIMARY_REGION      required. Where the backups are (and the vault and topic).
//   BACKUP_DR_DR_REGION           required. Where the copies are made; not the primary region.
//   BACKUP_DR_DR_KEY_ARN          required. ARN of the DR region's KMS key every copy is encrypted with.
//   BACKUP_DR_VAULT_BUCKET        required. Primary vault bucket; manifests go to runs/copy/<yyyy>/<mm>/<dd>/ (only from
//                                 a run that started, deferred, failed or replaced something, a refill's deferrals
//                                 not counted: copyChangedSomething).
//   BACKUP_DR_TOPIC_ARN           required. SNS topic for the run notification.
//   BACKUP_DR_NOTIFY_ON           optional, "failure" (default) or "always".
//   BACKUP_DR_MAX_<KIND>_COPIES   optional, 1-100. Per resource kind, its snapshot copies in flight to the DR region at
//                                 most: the setting and default are the kind's `copyLimit` (handlers/kinds/).
//   BACKUP_DR_CONCURRENCY         optional, 1-50, default 8. AWS calls (copies, deletions) made at once.
//   BACKUP_DR_SNAPSHOT_LOCK       optional, "off" (default), "GOVERNANCE" or "COMPLIANCE" (vaultLock.mode): lock each DR
//                                 copy of a kind with locks until its DR expiry (handlers/lib/snapshot-lock.ts, handlers/copy/lock-copies.ts).
//   AWS_REGION                    set by Lambda (the primary region). AWS_ENDPOINT_URL (optional) points every client
//                                 at another endpoint.
//   POWERTOOLS_LOG_LEVEL          optional, default INFO.
//
// Nothing heavy lives at module scope: Pulumi serializes `handler` into the function's code.
import type { Context } from "aws-lambda";
import type { CopyCounts, CopyManifest } from "./copy/report";
import { unwrapQueuedEvent } from "./copy/queued";
import { runCopy } from "./copy/run";
import { readCopySettings } from "./copy/settings";
import { createClients } from "./lib/clients";
import { perContainer } from "./lib/container";
import { createLogger, createMetrics, publishMetricSet } from "./lib/observability";

/** What an invocation returns: enough to find the manifest, free of timings. */
export interface CopyResult {
  runId: string;
  trigger: CopyManifest["trigger"];
  counts: CopyCounts;
  /** s3:// URI of the manifest; absent when the run changed nothing (it found every backup copied, skipped or ignored). */
  manifest?: string;
}

export async function handler(event: unknown, context: Context): Promise<CopyResult> {
  const { logger, metrics } = perContainer("copy:observability", () => ({ logger: createLogger("copy"), metrics: createMetrics("copy") }));
  logger.addContext(context);
  try {
    const settings = readCopySettings(process.env);
    const endpoint = process.env.AWS_ENDPOINT_URL ?? "";
    const primary = perContainer(`copy:clients:${settings.primaryRegion}|${endpoint}`, () => createClients(settings.primaryRegion));
    const dr = perContainer(`copy:clients:${settings.drRegion}|${endpoint}`, () => createClients(settings.drRegion));
    const { manifest, manifestUri } = await runCopy(
      {
        primary,
        dr,
        now: () => new Date(),
        log: logger,
        publishMetrics: (metricSet) => publishMetricSet(metrics, metricSet),
      },
      settings,
      unwrapQueuedEvent(event),
    );
    return { runId: manifest.runId, trigger: manifest.trigger, counts: manifest.counts, ...(manifestUri ? { manifest: manifestUri } : {}) };
  } catch (error) {
    logger.error("copy run failed", error instanceof Error ? error : String(error));
    throw error;
  }
}
