// One cleanup run: event checked first, both regions listed, the rules applied (decide.ts), deletions made with
// bounded concurrency until the time limit nears, then the manifest, metrics, notification, and an error if anything failed.
import type { S3Client } from "@aws-sdk/client-s3";
import type { SNSClient } from "@aws-sdk/client-sns";
import type { KindClients } from "../kinds/clients";
import { describeError } from "../lib/errors";
import type { Log } from "../lib/observability";
import { unpaced, type Pace } from "../lib/pace";
import { settleWithConcurrency } from "../lib/pool";
import { finishRun, type RunEndDeps } from "../lib/run-end";
import { isoSeconds, manifestKey } from "../lib/run-id";
import { decideCleanup } from "./decide";
import { deleteSnapshot } from "./delete";
import { parseCleanupEvent } from "./event";
import { listRegion, type RegionListResult } from "./list";
import { cleanupChangedSomething, countOutcomes, failureLines, notification, regionMetrics, sumCounts, type CleanupManifest, type RegionReport } from "./report";
import type { CleanupSettings, Decision, SnapshotOutcome } from "./types";

/** Deletions stop starting when less than this is left of the Lambda's time: enough to finish those in flight and report. */
export const TIME_MARGIN_MS = 60_000;

/** The kinds' clients of a region (handlers/kinds/clients.ts). */
export type RegionClients = KindClients;

export interface CleanupDeps {
  /** The kinds' clients of a region (the primary and the DR region). */
  regionClients(region: string): RegionClients;
  /** The primary region's S3 (manifest) and SNS (notification) clients. */
  s3: S3Client;
  sns: SNSClient;
  now: () => Date;
  /** Milliseconds left before Lambda stops the invocation (context.getRemainingTimeInMillis). */
  remainingMs: () => number;
  log: Log;
  /** Receives each metric set (Powertools Metrics in Lambda). */
  publishMetrics: RunEndDeps["publishMetrics"];
  /** Paces the deletes of paced kinds in a region (the snapshot token bucket refills 5 a second); none when absent. */
  paceDeletes?: (region: string) => Pace;
}

export function cleanupRunId(slot: Date, dryRun: boolean): string {
  return `${dryRun ? "cleanup-dry-run" : "cleanup"}@${isoSeconds(slot)}`;
}

function outcomeOf(d: Decision, status: SnapshotOutcome["status"], reason: string, extra: Partial<SnapshotOutcome> = {}): SnapshotOutcome {
  const { region, kind, id, source, created, expires, taken, takenFrom, takenTagIgnored, lock, notice } = d;
  return {
    region,
    kind,
    id,
    ...(source === undefined ? {} : { source }),
    ...(created === undefined ? {} : { created }),
    ...(expires === undefined ? {} : { expires }),
    ...(taken === undefined ? {} : { taken, takenFrom }),
    ...(takenTagIgnored === undefined ? {} : { takenTagIgnored }),
    ...(lock === undefined ? {} : { lock }),
    status,
    reason,
    ...(notice ? { notice } : {}),
    ...extra,
  };
}

/** Runs the cleanup; resolves with the manifest (written only when cleanupChangedSomething), or throws runFailedError naming every failure after finishing the rest. */
export async function runCleanup(deps: CleanupDeps, settings: CleanupSettings, event: unknown): Promise<CleanupManifest> {
  const started = deps.now();
  const request = parseCleanupEvent(event, started);
  const dryRun = settings.dryRun || request.dryRun;
  const runId = cleanupRunId(request.slot, dryRun);
  const regionNames = [settings.primaryRegion, settings.drRegion];
  const policy = { stackTag: settings.stackTag, minAgeDays: settings.minAgeDays, maxDeleteFraction: settings.maxDeleteFraction, maxDeletions: settings.maxDeletions };
  deps.log.info("cleanup run started", { runId, dryRun, regions: regionNames, ...policy });

  const listed: RegionListResult[] = await Promise.all(regionNames.map((region) => listRegion(region, deps.regionClients(region), settings.stackTag)));
  const decidedAt = deps.now();
  const plan = decideCleanup(
    listed.map((l) => l.listing),
    decidedAt,
    policy,
  );

  const outcomes: SnapshotOutcome[] = plan.decisions.filter((d) => d.verdict !== "delete").map((d) => outcomeOf(d, d.verdict === "defer" ? "deferred" : "kept", d.reason));
  const toDelete = plan.decisions.filter((d) => d.verdict === "delete");
  let timeLimitStop = false;
  if (dryRun) {
    outcomes.push(...toDelete.map((d) => outcomeOf(d, "would-delete", "expired; dry run")));
  } else {
    const paces = new Map(regionNames.map((r) => [r, deps.paceDeletes?.(r) ?? unpaced]));
    const settled = await settleWithConcurrency(toDelete, settings.concurrency, async (d): Promise<SnapshotOutcome> => {
      if (timeLimitStop || deps.remainingMs() < TIME_MARGIN_MS) {
        timeLimitStop = true;
        return outcomeOf(d, "deferred", "expired; deferred, the Lambda time limit came near");
      }
      const result = await deleteSnapshot(deps.regionClients(d.region), d, paces.get(d.region) ?? unpaced);
      return outcomeOf(d, result.status, result.reason, result.status === "failed" ? { error: result.error } : result.status === "kept" ? { notice: true } : {});
    });
    settled.forEach((result, i) => outcomes.push(result.status === "fulfilled" ? result.value : outcomeOf(toDelete[i], "failed", "delete failed", { error: describeError(result.reason) })));
  }
  for (const o of outcomes) {
    const attributes = { runId, ...o };
    if (o.status === "failed") deps.log.error("snapshot not deleted", attributes);
    else if (o.status === "deleted" || o.status === "would-delete") deps.log.info(`snapshot ${o.status}`, attributes);
    else if (o.notice) deps.log.warn(`snapshot ${o.status}`, attributes);
  }

  const sortedOutcomes = [...outcomes].sort((a, b) => a.region.localeCompare(b.region) || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id));
  const regions: RegionReport[] = plan.regions.map((r, i) => {
    const { failures, manualSnapshots } = listed[i];
    const mine = sortedOutcomes.filter((o) => o.region === r.region);
    return { ...r, role: i === 0 ? "primary" : "dr", counts: countOutcomes(mine, failures.length + (r.massDeletionStop ? 1 : 0)), manualSnapshots, listingFailures: failures };
  });
  const finished = deps.now();
  const manifest: CleanupManifest = {
    function: "cleanup",
    stack: settings.stackTag,
    runId,
    slot: isoSeconds(request.slot),
    dryRun,
    settings: { ...policy, dryRun: settings.dryRun, concurrency: settings.concurrency },
    decidedAt: decidedAt.toISOString(),
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    timeLimitStop,
    counts: sumCounts(regions.map((r) => r.counts)),
    regions,
    snapshots: sortedOutcomes,
  };

  await finishRun(
    { s3: deps.s3, sns: deps.sns, log: deps.log, publishMetrics: deps.publishMetrics },
    {
      function: "cleanup",
      runId,
      manifest,
      bucket: settings.vaultBucket,
      key: cleanupChangedSomething(manifest) ? manifestKey("cleanup", request.slot, runId) : undefined,
      metrics: regionMetrics(regions),
      failures: failureLines(manifest),
      notifyOn: settings.notifyOn,
      topicArn: settings.topicArn,
      message: (uri, problems) => notification(manifest, uri, [...failureLines(manifest), ...problems]),
      summary: { runId, dryRun, counts: manifest.counts, timeLimitStop },
    },
  );
  return manifest;
}
