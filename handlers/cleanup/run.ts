// One cleanup invocation: event (or cursor) checked first, both regions listed, the rules applied (decide.ts),
// deletions made with bounded concurrency until the Lambda's time nears its end or the run's deadline passes; then
// either a part and the next cursor, or (the run's last invocation) the one manifest, metrics and notification of the
// whole run, and an error if anything failed.
import type { S3Client } from "@aws-sdk/client-s3";
import type { SNSClient } from "@aws-sdk/client-sns";
import type { KindClients } from "../kinds/clients";
import { describeError } from "../lib/errors";
import type { Log } from "../lib/observability";
import { unpaced, type Pace } from "../lib/pace";
import { settleWithConcurrency } from "../lib/pool";
import { finishRun, type RunEndDeps } from "../lib/run-end";
import type { CleanupCursor, Unfinished } from "../lib/cursor";
import { deadlineReason, runDeadline, stopCause, type StopCause } from "../lib/run-deadline";
import { isoSeconds, manifestKey } from "../lib/run-id";
import { nextBase, readParts, writePart } from "../lib/run-parts";
import { decideCleanup } from "./decide";
import { deleteSnapshot } from "./delete";
import { cleanupRunId, parseCleanupEvent } from "./event";
import { earlierAttempt, intentKey, readIntent, writeIntent } from "./intent";
import { listRegion, type RegionListResult } from "./list";
import { acceptCleanupPart, mergeRegions, mergeSnapshots, partChanges, type CleanupPart } from "./parts";
import { cleanupChangedSomething, countOutcomes, deadlineDeferred, failureLines, notification, regionMetrics, sumCounts, type CleanupManifest, type RegionReport } from "./report";
import type { CleanupSettings, Decision, SnapshotOutcome } from "./types";

/** The kinds' clients of a region (handlers/kinds/clients.ts). */
export type RegionClients = KindClients;

export interface CleanupDeps {
  /** The kinds' clients of a region (the primary and the DR region). */
  regionClients(region: string): RegionClients;
  /** The primary region's S3 (manifest) and SNS (notification) clients. */
  s3: S3Client;
  sns: SNSClient;
  now: () => Date;
  /** Milliseconds left before Lambda stops the invocation (context.getRemainingTimeInMillis); absent: never short of time. */
  remainingMs?: () => number;
  log: Log;
  /** Receives each metric set (Powertools Metrics in Lambda). */
  publishMetrics: RunEndDeps["publishMetrics"];
  /** Paces the deletes of paced kinds in a region (the snapshot token bucket refills 5 a second); none when absent. */
  paceDeletes?: (region: string) => Pace;
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

/** What one invocation comes to: the run finished (its manifest), or the cursor to go on with. */
export type CleanupStep = { done: true; manifest: CleanupManifest } | Unfinished<CleanupCursor>;

/** The reason of a deletion not made because its intent record (intent.ts) could not be written. */
const NOT_RECORDED = "expired; not deleted, the intent record could not be written (a deletion must be counted even if the invocation is stopped)";

/** The reason of a deletion left for the run's next invocation. */
const NEXT_INVOCATION = "expired; deferred to the run's next invocation, the Lambda time limit came near";

/**
 * Runs a whole cleanup run in this process, invocation after invocation, as the state machine does; resolves with
 * its manifest (written only when cleanupChangedSomething), or throws runFailedError naming every failure after
 * finishing the rest. Each step should get fresh time from `deps.remainingMs`.
 */
export async function runCleanup(deps: CleanupDeps, settings: CleanupSettings, event: unknown): Promise<CleanupManifest> {
  let step = await stepCleanup(deps, settings, event);
  while (!step.done) step = await stepCleanup(deps, settings, { cursor: step.cursor });
  return step.manifest;
}

/** One invocation of the run (the Lambda entry's): resolves with done and the manifest, or with the next cursor. */
export async function stepCleanup(deps: CleanupDeps, settings: CleanupSettings, event: unknown): Promise<CleanupStep> {
  const started = deps.now();
  const request = parseCleanupEvent(event, started);
  const { cursor } = request;
  // A configured dry run holds even for a run that began as a real one (nothing is deleted); the run keeps its id.
  const dryRun = settings.dryRun || request.dryRun;
  const runId = cursor?.runId ?? cleanupRunId(request.slot, dryRun);
  const deadline = cursor === undefined ? runDeadline(request.slot, started, settings.runDeadlineMinutes) : new Date(cursor.deadline);
  const deletedBefore = cursor?.deleted ?? 0;
  const invocation = (cursor?.invocation ?? 0) + 1;
  const regionNames = [settings.primaryRegion, settings.drRegion];
  const policy = { stackTag: settings.stackTag, minAgeDays: settings.minAgeDays, maxDeleteFraction: settings.maxDeleteFraction, maxDeletions: settings.maxDeletions };
  deps.log.info(cursor === undefined ? "cleanup run started" : "cleanup run continued", { runId, dryRun, regions: regionNames, ...policy, invocation, deletedBefore, deadline: isoSeconds(deadline) });

  const key = manifestKey("cleanup", request.slot, runId);
  // What a killed earlier attempt of this turn recorded before deleting (intent.ts): what of it is gone, it deleted.
  const intentAt = intentKey(key, cursor, request.execution);
  const recorded = dryRun ? [] : await readIntent(deps.s3, settings.vaultBucket, intentAt, runId);
  const listed: RegionListResult[] = await Promise.all(regionNames.map((region) => listRegion(region, deps.regionClients(region), settings.stackTag)));
  const earlier = earlierAttempt(
    recorded,
    listed.map((l) => l.listing),
    listed.flatMap((l) => l.failures),
  );
  if (earlier.gone.length + earlier.unknown > 0) deps.log.warn("an earlier attempt of this invocation deleted snapshots before it stopped; they count toward maxDeletionsPerRun", { runId, invocation, deleted: earlier.gone.length, unknown: earlier.unknown, intent: intentAt });
  const decidedAt = deps.now();
  const plan = decideCleanup(
    listed.map((l) => l.listing),
    decidedAt,
    policy,
    deletedBefore + earlier.gone.length + earlier.unknown,
  );

  const outcomes: SnapshotOutcome[] = [...earlier.gone, ...plan.decisions.filter((d) => d.verdict !== "delete").map((d) => outcomeOf(d, d.verdict === "defer" ? "deferred" : "kept", d.reason))];
  const toDelete = plan.decisions.filter((d) => d.verdict === "delete");
  let stop: StopCause | undefined;
  // A bare first turn's record is the run's (it has no cursor or execution to name its own): emptied when it ends. An
  // execution's is its own, kept for a retry whose earlier attempt ended but was not heard.
  const emptyRunIntent = cursor === undefined && request.execution === undefined && (recorded.length > 0 || (!dryRun && toDelete.length > 0));
  const emptyIntent = async (): Promise<void> => {
    if (!emptyRunIntent) return;
    await writeIntent(deps.s3, settings.vaultBucket, intentAt, { function: "cleanup", runId, invocation, snapshots: [] }).catch((error: unknown) => deps.log.warn("the run's intent record was not emptied; a later rerun of the slot counts its deletions as its own", { runId, intent: intentAt, error: describeError(error) }));
  };
  // No deletion without its record: a vault that cannot take it fails each deletion of this invocation instead.
  let unrecorded: ReturnType<typeof describeError> | undefined;
  if (!dryRun && toDelete.length > 0) {
    const intent = mergeSnapshots([recorded, toDelete.map((d) => outcomeOf(d, "deleted", "expired"))]);
    await writeIntent(deps.s3, settings.vaultBucket, intentAt, { function: "cleanup", runId, invocation, snapshots: intent }).catch((error: unknown) => {
      unrecorded = describeError(error);
      deps.log.error("the intent record was not written; nothing is deleted in this invocation", { runId, intent: intentAt, error: unrecorded });
    });
  }
  if (dryRun) {
    outcomes.push(...toDelete.map((d) => outcomeOf(d, "would-delete", "expired; dry run")));
  } else {
    const paces = new Map(regionNames.map((r) => [r, deps.paceDeletes?.(r) ?? unpaced]));
    const settled = await settleWithConcurrency(toDelete, settings.concurrency, async (d): Promise<SnapshotOutcome> => {
      if (unrecorded !== undefined) return outcomeOf(d, "failed", NOT_RECORDED, { error: unrecorded });
      stop ??= stopCause(deps, deadline);
      if (stop !== undefined) return outcomeOf(d, "deferred", stop === "time" ? NEXT_INVOCATION : `expired; deferred, ${deadlineReason(deadline)}`);
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

  const sortedOutcomes = mergeSnapshots([outcomes]);
  const regions: RegionReport[] = plan.regions.map((r, i) => {
    const { failures, manualSnapshots } = listed[i];
    const mine = sortedOutcomes.filter((o) => o.region === r.region);
    return { ...r, role: i === 0 ? "primary" : "dr", counts: countOutcomes(mine, failures.length + (r.massDeletionStop ? 1 : 0)), manualSnapshots, listingFailures: failures };
  });

  if (stop === "time") {
    const part: CleanupPart = { function: "cleanup", runId, invocation, startedAt: started.toISOString(), finishedAt: deps.now().toISOString(), decidedAt: decidedAt.toISOString(), regions, snapshots: partChanges(sortedOutcomes) };
    const partKey = await writePart(deps.s3, settings.vaultBucket, key, cursor, part);
    await emptyIntent();
    const deleted = deletedBefore + sortedOutcomes.filter((o) => o.status === "deleted").length;
    const base = nextBase(cursor, { runId, slot: isoSeconds(request.slot), startedAt: started.toISOString(), deadline: isoSeconds(deadline) }, partKey);
    deps.log.info("cleanup run goes on in the next invocation", { runId, invocation, deleted, part: partKey, left: sortedOutcomes.filter((o) => o.reason === NEXT_INVOCATION).length });
    return { done: false, cursor: { function: "cleanup", ...base, dryRun, deleted }, part: `s3://${settings.vaultBucket}/${partKey}` };
  }

  // The run's last invocation: every part merged into the one manifest.
  const read = await readParts(deps.s3, settings.vaultBucket, cursor?.parts ?? [], acceptCleanupPart(runId));
  const snapshots = mergeSnapshots([...read.parts.map((p) => p.snapshots), sortedOutcomes]);
  const mergedRegions = mergeRegions([...read.parts.map((p) => p.regions), regions], snapshots);
  const finished = deps.now();
  const manifest: CleanupManifest = {
    function: "cleanup",
    stack: settings.stackTag,
    runId,
    slot: isoSeconds(request.slot),
    dryRun,
    settings: { ...policy, dryRun: settings.dryRun, concurrency: settings.concurrency },
    decidedAt: read.parts[0]?.decidedAt ?? decidedAt.toISOString(),
    startedAt: cursor?.startedAt ?? started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - Date.parse(cursor?.startedAt ?? started.toISOString()),
    deadline: isoSeconds(deadline),
    deadlineStop: deadlineDeferred(snapshots).length > 0,
    invocations: invocation,
    parts: cursor?.parts ?? [],
    counts: sumCounts(mergedRegions.map((r) => r.counts)),
    regions: mergedRegions,
    snapshots,
  };
  const failures = [...failureLines(manifest), ...read.problems];

  try {
    await finishRun(
      { s3: deps.s3, sns: deps.sns, log: deps.log, publishMetrics: deps.publishMetrics },
      {
        function: "cleanup",
        runId,
        manifest,
        bucket: settings.vaultBucket,
        key: cleanupChangedSomething(manifest) ? key : undefined,
        metrics: regionMetrics(mergedRegions),
        failures,
        notifyOn: settings.notifyOn,
        topicArn: settings.topicArn,
        message: (uri, problems) => notification(manifest, uri, [...failures, ...problems]),
        summary: { runId, dryRun, counts: manifest.counts, deadlineStop: manifest.deadlineStop, invocations: invocation },
      },
    );
  } finally {
    await emptyIntent();
  }
  return { done: true, manifest };
}
