// Lambda entry of the cleanup function: settings from the environment, clients for both regions once per
// container, then the run (handlers/cleanup/run.ts; the rules are in handlers/cleanup/decide.ts).
//
// Event: { "scheduledTime": "2026-11-22T03:30:00Z" } from the daily schedule (EventBridge Scheduler's
// <aws.scheduler.scheduled-time>: names the run and its manifest; the rules always use the real clock);
// { "dryRun": true } for a manual preview (report only, whatever BACKUP_DR_DRY_RUN says; "dryRun": false never
// overrides a configured dry run); {} runs now; { "cursor": {...} } (alone) continues a run where an earlier
// invocation stopped (handlers/lib/cursor.ts). The run machine's first event wraps any of these with the execution's
// start, { "input": {...}, "executionStartTime": "..." } (handlers/lib/run-envelope.ts): a run without scheduledTime
// takes its slot from it, so a retried first turn is the same run. Anything else (unknown field, wrong type, malformed
// time or cursor field, a cursor of another function) is a MalformedEventError before any AWS call.
//
// Result: { "done": true, runId, dryRun, counts, regions, deadlineStop, manifest? } when the run finished (its one
// manifest, metrics and notification); { "done": false, "cursor": {...}, "part": "s3://..." } when the Lambda's time
// came near first (fewer than 60 s left: no deletion starts, those in flight finish; never in a dry run, which deletes
// nothing): this invocation's outcomes are in the part, and invoking again with { "cursor": <that cursor> } lists
// both regions again, decides again and goes on (the cursor's `deleted` counts against BACKUP_DR_MAX_DELETIONS).
// Past the run's deadline no deletion starts: the rest is deferred (deadlineStop), the run finishes and fails.
//
// Environment variables (a missing or bad one is MissingSettingError / InvalidSettingError before any AWS call):
//   BACKUP_DR_STACK                required. Value of the backup-dr:stack tag, "<pulumi project>/<stack>": only
//                                  snapshots carrying exactly this value can be deleted.
//   BACKUP_DR_PRIMARY_REGION       required. The primary region (where the function runs, the vault and the topic are).
//   BACKUP_DR_DR_REGION            required, different from the primary. The DR region, cleaned too.
//   BACKUP_DR_VAULT_BUCKET         required. Primary vault bucket; manifests go to runs/cleanup/<yyyy>/<mm>/<dd>/<run id>.json
//                                  (only from a run that deleted, deferred or failed something: cleanupChangedSomething).
//   BACKUP_DR_TOPIC_ARN            required. SNS topic for the run notification.
//   BACKUP_DR_NOTIFY_ON            optional, "failure" (default) or "always".
//   BACKUP_DR_DRY_RUN              optional, "true" or "false" (default): true reports what would go and deletes nothing.
//   BACKUP_DR_MAX_DELETIONS        optional, 1-10000, default 200. Deletions per run (all its invocations), both regions together; the rest
//                                  (oldest first goes first) is deferred to the next run.
//   BACKUP_DR_MIN_AGE_DAYS         optional, 0-3650, default 1. Nothing younger (by AWS's creation time) is deleted.
//   BACKUP_DR_MAX_DELETE_FRACTION  optional, 0 < f <= 1, default 0.5. If in a region more than this share of the
//                                  stack's backups would be deleted, nothing there is and the run fails.
//   BACKUP_DR_CONCURRENCY          optional, 1-50, default 8. Deletions in flight at once.
//   BACKUP_DR_SNAPSHOT_RATE        optional, "<perSecond>/<burst>", default "5/100" (AWS's own bucket): the pace of the
//                                  paced kinds' deletes, halved on AWS's throttling (handlers/lib/pace.ts).
//   BACKUP_DR_RUN_DEADLINE_MINUTES optional, 15-1440, default 120: the run's deadline is this many minutes after its
//                                  slot, or after its first invocation started when that is later.
// Locked snapshots (of kinds with locks; any lock, whoever placed it) are kept until the lock ends.
//   AWS_REGION                     set by Lambda. AWS_ENDPOINT_URL (optional) points every client at another endpoint.
//   POWERTOOLS_LOG_LEVEL           optional, default INFO.
//
// Nothing heavy lives at module scope: Pulumi serializes `handler` into the function's code.
import type { Context } from "aws-lambda";
import { cleanupChangedSomething, type CleanupCounts } from "./cleanup/report";
import { stepCleanup } from "./cleanup/run";
import { readCleanupSettings } from "./cleanup/settings";
import { watchPacedCalls } from "./kinds/clients";
import { createClients } from "./lib/clients";
import { perContainer } from "./lib/container";
import { createLogger, createMetrics, publishMetricSet } from "./lib/observability";
import { tokenBucket } from "./lib/pace";
import type { CleanupCursor, Continued } from "./lib/cursor";
import { manifestKey } from "./lib/run-id";

/** What an invocation returns: enough to find the manifest, free of timings so reruns compare equal. */
export interface CleanupResult {
  runId: string;
  dryRun: boolean;
  counts: CleanupCounts;
  regions: { region: string; counts: CleanupCounts; massDeletionStop: boolean }[];
  /** The run's deadline passed with deletions left (deferred; the run failed). */
  deadlineStop: boolean;
  /** s3:// URI of the manifest; absent when the run only kept snapshots (cleanupChangedSomething), so wrote none. */
  manifest?: string;
}

export async function handler(event: unknown, context: Context): Promise<Continued<CleanupResult, CleanupCursor>> {
  const { logger, metrics } = perContainer("cleanup:observability", () => ({ logger: createLogger("cleanup"), metrics: createMetrics("cleanup") }));
  logger.addContext(context);
  try {
    const settings = readCleanupSettings(process.env);
    const endpoint = process.env.AWS_ENDPOINT_URL ?? "";
    const clientsFor = (region: string) => perContainer(`cleanup:clients:${region}|${endpoint}`, () => createClients(region));
    const primary = clientsFor(settings.primaryRegion);
    const { perSecond, burst } = settings.snapshotRate;
    const step = await stepCleanup(
      {
        regionClients: (region) => clientsFor(region),
        s3: primary.s3,
        sns: primary.sns,
        now: () => new Date(),
        remainingMs: () => context.getRemainingTimeInMillis(),
        log: logger,
        publishMetrics: (metricSet) => publishMetricSet(metrics, metricSet),
        // One bucket per container and region, like AWS's (per account and region), told of AWS's throttling by the client.
        paceDeletes: (region) => perContainer(`cleanup:pace:${region}|${endpoint}|${perSecond}/${burst}`, () => watchPacedCalls(clientsFor(region), tokenBucket(perSecond, burst))),
      },
      settings,
      event,
    );
    if (!step.done) return step;
    const { manifest } = step;
    const key = cleanupChangedSomething(manifest) ? manifestKey("cleanup", new Date(manifest.slot), manifest.runId) : undefined;
    return {
      done: true,
      runId: manifest.runId,
      dryRun: manifest.dryRun,
      counts: manifest.counts,
      regions: manifest.regions.map((r) => ({ region: r.region, counts: r.counts, massDeletionStop: r.massDeletionStop })),
      deadlineStop: manifest.deadlineStop,
      ...(key === undefined ? {} : { manifest: `s3://${settings.vaultBucket}/${key}` }),
    };
  } catch (error) {
    logger.error("cleanup run failed", error instanceof Error ? error : String(error));
    throw error;
  }
}
