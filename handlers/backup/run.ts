// One backup run: event checked first, sources selected, backed up with bounded concurrency, then reported.
import { describeError } from "../lib/errors";
import type { KindClients } from "../kinds/clients";
import type { AwsClients } from "../lib/clients";
import type { Log } from "../lib/observability";
import { unpaced, type Pace } from "../lib/pace";
import { settleWithConcurrency } from "../lib/pool";
import { slotRetention } from "../lib/retention";
import { finishRun, type RunEndDeps } from "../lib/run-end";
import { manifestKey, manualRunIdFor, runIdFor } from "../lib/run-id";
import { backupSource } from "./backup-source";
import { lockBackups } from "./lock-backups";
import { parseBackupEvent } from "./event";
import { backupMetrics, buildManifest, failureLines, notification, type BackupManifest } from "./report";
import { selectPlan } from "./select";
import type { BackupPlan, BackupRun, BackupSettings, SourceOutcome } from "./types";

export interface BackupDeps {
  clients: Pick<AwsClients, keyof KindClients | "s3" | "sns">;
  now: () => Date;
  log: Log;
  /** Receives the run's metric set (Powertools Metrics in Lambda). */
  publishMetrics: RunEndDeps["publishMetrics"];
  /** Paces the creates of kinds that share the account's snapshot token bucket (refill 5 a second); none when absent. */
  paceCreates?: Pace;
  /** Waits while another delivery of the run holds a source's claim; a timer when absent. */
  sleep?: (ms: number) => Promise<void>;
}

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The run of a plan for a slot: its id, tier and expiry, shared by every backup it makes. A manual run (no
 * scheduledTime) gets an id no scheduled run has; any time off the schedule gets its scheduled slot's retention.
 */
export function planRun(stackTag: string, plan: BackupPlan, slot: Date, scheduled = true): BackupRun {
  const { tier, expires } = slotRetention(plan.schedule, slot, plan.timezone, plan.keep);
  return { stackTag, plan: plan.name, slot, runId: scheduled ? runIdFor(plan.name, slot) : manualRunIdFor(plan.name, slot), tier, expires };
}

/** Runs the backup; resolves with the manifest, or throws runFailedError naming every failure after finishing the rest. */
export async function runBackup(deps: BackupDeps, settings: BackupSettings, event: unknown): Promise<BackupManifest> {
  const started = deps.now();
  const { plan, slot, scheduled } = parseBackupEvent(event, settings.plans, started);
  const run = planRun(settings.stackTag, plan, slot, scheduled);
  deps.log.info("backup run started", { runId: run.runId, tier: run.tier, expires: run.expires.toISOString(), resources: plan.resources });

  const selection = await selectPlan(deps.clients, settings.selectionTagKey, plan, run);
  for (const failure of selection.failures) deps.log.error("listing failed", { runId: run.runId, ...failure });
  const claims = { s3: deps.clients.s3, bucket: settings.vaultBucket, now: deps.now, sleep: deps.sleep ?? timer };
  const context = { clients: deps.clients, run, now: deps.now, pace: deps.paceCreates ?? unpaced, claims };
  const settled = await settleWithConcurrency(selection.sources, settings.concurrency, (source) => backupSource(context, source));
  const made: SourceOutcome[] = [
    ...selection.skipped,
    ...settled.map((result, i): SourceOutcome => {
      if (result.status === "fulfilled") return result.value;
      const { kind, id } = selection.sources[i];
      return { kind, source: id, status: "failed", snapshotIds: [], error: describeError(result.reason), durationMs: 0 };
    }),
  ];
  const outcomes = await lockBackups(deps.clients, settings.snapshotLock, run, made, settings.concurrency, deps.now);
  for (const outcome of outcomes) {
    const attributes = { runId: run.runId, ...outcome };
    if (outcome.status === "failed") deps.log.error("backup failed", attributes);
    else deps.log.info(`backup ${outcome.status}`, attributes);
  }

  const manifest = buildManifest({ run, timezone: plan.timezone, started, finished: deps.now(), outcomes, selectionFailures: selection.failures });
  await finishRun(
    { s3: deps.clients.s3, sns: deps.clients.sns, log: deps.log, publishMetrics: deps.publishMetrics },
    {
      function: "backup",
      runId: run.runId,
      manifest,
      bucket: settings.vaultBucket,
      key: manifestKey("backup", slot, run.runId),
      metrics: [backupMetrics(manifest)],
      failures: failureLines(manifest),
      notifyOn: settings.notifyOn,
      topicArn: settings.topicArn,
      message: (manifestUri, problems) => notification(manifest, manifestUri, problems),
      summary: { runId: run.runId, counts: manifest.counts },
    },
  );
  return manifest;
}
