// Lambda entry of the backup function: settings from the environment, clients once per container, then the run.
//
// Event: { "plan": "gold", "scheduledTime": "2026-11-22T06:00:00Z" } starts a run. scheduledTime is EventBridge
// Scheduler's <aws.scheduler.scheduled-time>; when absent (manual run) the current time, to the minute, is the slot.
// { "cursor": {...} } (alone) continues a run where an earlier invocation stopped (handlers/lib/cursor.ts). The run
// machine's first event wraps either with the execution's start, { "input": {...}, "executionStartTime": "..." }
// (handlers/lib/run-envelope.ts): a manual run's slot is then that start, so a retried first turn is the same run.
//
// Result: { "done": true, runId, plan, slot, tier, expires, counts, manifest } when the run finished (its one
// manifest, metrics and notification); { "done": false, "cursor": {...}, "part": "s3://..." } when the Lambda's
// time came near first (fewer than 60 s left: no source starts, those in flight finish): this invocation's outcomes
// are in the part, and invoking again with { "cursor": <that cursor> } goes on after the last source that ended
// (sources are taken in kind, then id order). A retry with the same cursor (a lost answer, a killed invocation) is
// safe: the run's snapshots are found by their run id tag and not made again. Past the run's deadline no source
// starts: the rest is reported as deferred, the run finishes (done: true) and fails.
//
// Environment variables:
//   BACKUP_DR_STACK              required. Value of the backup-dr:stack tag, "<pulumi project>/<stack>".
//   BACKUP_DR_PLANS              required. JSON array of plans, the normalised output of the plan contract
//                                (handlers/plan.ts): [{ "name", "schedule", "timezone", "resources", "keep",
//                                "drKeep", "copyToDr" }], read with the same validator as the config.
//   BACKUP_DR_SELECTION_TAG_KEY  optional, default "backup-plan". Tag key whose value names a resource's plan.
//   BACKUP_DR_VAULT_BUCKET       required. Primary vault bucket; manifests go to runs/backup/<yyyy>/<mm>/<dd>/.
//   BACKUP_DR_TOPIC_ARN          required. SNS topic for the run notification.
//   BACKUP_DR_NOTIFY_ON          optional, "failure" (default) or "always".
//   BACKUP_DR_CONCURRENCY        optional, 1-50, default 8. Sources backed up at once.
//   BACKUP_DR_SNAPSHOT_LOCK      optional, "off" (default), "GOVERNANCE" or "COMPLIANCE" (vaultLock.mode): lock each
//                                snapshot of a kind with locks until its backup-dr:expires (handlers/lib/snapshot-lock.ts).
//   BACKUP_DR_SNAPSHOT_RATE      optional, "<perSecond>/<burst>", default "5/100" (AWS's own bucket): the pace of the
//                                paced kinds' snapshot creates, halved on AWS's throttling (handlers/lib/pace.ts).
//   BACKUP_DR_RUN_DEADLINE_MINUTES  optional, 15-1440, default 120: the run's deadline is this many minutes after its
//                                slot, or after its first invocation started when that is later (a rerun of an old slot).
//   AWS_REGION                   set by Lambda. AWS_ENDPOINT_URL (optional) points every client at another endpoint.
//   POWERTOOLS_LOG_LEVEL         optional, default INFO.
//
// Nothing heavy lives at module scope: Pulumi serializes `handler` into the function's code.
import type { Context } from "aws-lambda";
import type { BackupCounts } from "./backup/report";
import { stepBackup } from "./backup/run";
import { readBackupSettings } from "./backup/settings";
import { watchPacedCalls } from "./kinds/clients";
import { createClients } from "./lib/clients";
import { perContainer } from "./lib/container";
import { createLogger, createMetrics, publishMetricSet } from "./lib/observability";
import { tokenBucket } from "./lib/pace";
import type { BackupCursor, Continued } from "./lib/cursor";
import { manifestKey } from "./lib/run-id";

/** What an invocation returns: enough to find the manifest, free of timings so reruns compare equal. */
export interface BackupResult {
  runId: string;
  plan: string;
  slot: string;
  tier: string;
  expires: string;
  counts: BackupCounts;
  manifest: string;
}

export async function handler(event: unknown, context: Context): Promise<Continued<BackupResult, BackupCursor>> {
  const { logger, metrics } = perContainer("backup:observability", () => ({ logger: createLogger("backup"), metrics: createMetrics("backup") }));
  logger.addContext(context);
  try {
    const settings = readBackupSettings(process.env);
    const endpoint = `${process.env.AWS_REGION ?? ""}|${process.env.AWS_ENDPOINT_URL ?? ""}`;
    const clients = perContainer(`backup:clients:${endpoint}`, () => createClients());
    // One bucket per container and region, like AWS's (per account and region), told of AWS's throttling by the client.
    const { perSecond, burst } = settings.snapshotRate;
    const paceCreates = perContainer(`backup:pace:${endpoint}|${perSecond}/${burst}`, () => watchPacedCalls(clients, tokenBucket(perSecond, burst)));
    const step = await stepBackup(
      {
        clients,
        now: () => new Date(),
        remainingMs: () => context.getRemainingTimeInMillis(),
        log: logger,
        publishMetrics: (metricSet) => publishMetricSet(metrics, metricSet),
        paceCreates,
      },
      settings,
      event,
    );
    if (!step.done) return step;
    const { manifest } = step;
    const key = manifestKey("backup", new Date(manifest.slot), manifest.runId);
    return { done: true, runId: manifest.runId, plan: manifest.plan, slot: manifest.slot, tier: manifest.tier, expires: manifest.expires, counts: manifest.counts, manifest: `s3://${settings.vaultBucket}/${key}` };
  } catch (error) {
    logger.error("backup run failed", error instanceof Error ? error : String(error));
    throw error;
  }
}
