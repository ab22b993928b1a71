// One copy run: the event checked first, then the event's snapshots or the sweep, then the manifest, metrics, message.
import { finishRun } from "../lib/run-end";
import { isoSeconds, manifestKey } from "../lib/run-id";
import { parseCopyEvent, type CopyRequest } from "./event";
import { lockCopies } from "./lock-copies";
import { copyForEvent } from "./on-event";
import { refill, refillIgnored } from "./refill";
import { countOutcomes, failureLines, notification, planMetrics, type CopyManifest } from "./report";
import { sweep } from "./sweep";
import type { CopySettings } from "./types";
import type { CopyDeps } from "./work";

export interface CopyRun {
  manifest: CopyManifest;
  /** Where the manifest was written; undefined when the run changed nothing (copyChangedSomething), so wrote none. */
  manifestUri?: string;
}

/**
 * Whether a copy run leaves a manifest: it started, deferred or failed a copy (a failed listing included), or deleted
 * (or tried to delete) a failed DR copy, or placed a lock on an existing copy. A run that only found its backups
 * copied, skipped or ignored writes none: the vault's Object Lock would keep every such manifest for the lock period.
 * A refill's deferrals are no news (the places are still taken; the last sweep or run recorded them): a refill that
 * started, failed and replaced nothing writes none.
 */
export function copyChangedSomething(manifest: CopyManifest): boolean {
  const { started, deferred, failed } = manifest.counts;
  const news = started + (manifest.trigger === "refill" ? 0 : deferred) + failed;
  return news > 0 || manifest.replaced.length > 0 || (manifest.relocked ?? []).length > 0;
}

/**
 * The run id: `sweep@<start>`, or `event@<event time>-<event id>` / `refill@<event time>-<event id>` (the same for
 * retries of one event).
 */
export function copyRunId(request: CopyRequest, started: Date): { runId: string; day: Date } {
  if (request.trigger === "sweep") return { runId: `sweep@${isoSeconds(started)}`, day: started };
  const time = request.event.time === undefined ? undefined : new Date(request.event.time);
  const at = time !== undefined && !Number.isNaN(time.getTime()) ? time : started;
  return { runId: `${request.trigger}@${isoSeconds(at)}${request.event.id ? `-${request.event.id}` : ""}`, day: at };
}

/** The request, a refill's reason not to act (handlers/copy/refill.ts) made its `ignore`. */
function decided(request: CopyRequest, settings: CopySettings): CopyRequest {
  if (request.trigger !== "refill") return request;
  const ignore = refillIgnored(request, settings);
  return ignore === undefined ? request : { ...request, ignore };
}

/** Runs the copy; resolves with the manifest, or throws runFailedError naming every failure after finishing the rest. */
export async function runCopy(deps: CopyDeps, settings: CopySettings, event: unknown): Promise<CopyRun> {
  const request = decided(parseCopyEvent(event), settings);
  const started = deps.now();
  const { runId, day } = copyRunId(request, started);
  deps.log.info("copy run started", { runId, trigger: request.trigger, ...(request.trigger === "sweep" ? {} : { detailType: request.event.detailType, snapshots: request.snapshots, ignore: request.ignore }) });

  const work =
    request.trigger === "sweep" ? await sweep(deps, settings, started) : request.trigger === "refill" ? await refill(deps, settings, request, started) : await copyForEvent(deps, settings, request, started);
  await lockCopies(deps.dr, settings.snapshotLock, work, deps.now, settings.concurrency);
  for (const problem of work.problems) deps.log.error("listing failed", { runId, ...problem });
  for (const outcome of work.copies) {
    const attributes = { runId, ...outcome };
    if (outcome.status === "failed") deps.log.error("copy failed", attributes);
    else if (outcome.unencrypted) deps.log.warn("copy started unencrypted", attributes);
    else deps.log.info(`copy ${outcome.status}`, attributes);
  }
  for (const replaced of work.replaced) deps.log.warn(replaced.deleted ? "failed DR copy deleted" : "failed DR copy not deleted", { runId, ...replaced });

  const finished = deps.now();
  const manifest: CopyManifest = {
    function: "copy",
    stack: settings.stackTag,
    runId,
    trigger: request.trigger,
    ...(request.trigger === "sweep" ? {} : { event: { ...request.event, snapshots: request.snapshots, ...(request.trigger === "refill" ? { result: request.result } : {}), ...(request.ignore ? { ignore: request.ignore } : {}) } }),
    primaryRegion: settings.primaryRegion,
    drRegion: settings.drRegion,
    drKeyArn: settings.drKeyArn,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    limits: settings.limits,
    inFlight: work.inFlight,
    counts: countOutcomes(work.copies, work.replaced, work.problems),
    copies: [...work.copies].sort((a, b) => a.kind.localeCompare(b.kind) || a.source.localeCompare(b.source)),
    replaced: work.replaced,
    problems: work.problems,
    ...(work.relocked.length > 0 ? { relocked: work.relocked } : {}),
    ...(work.oldestUncopiedAgeSeconds ? { oldestUncopiedAgeSeconds: work.oldestUncopiedAgeSeconds } : {}),
  };

  // An event about snapshots that are not this stack's copy-enabled backups leaves no trace but the log: completion
  // events cannot always be filtered by tag, and the vault's Object Lock would keep every such manifest for years.
  // Nor does a refill that changed nothing (no metrics either: a copy finishing is not a run of any plan's).
  const onlyIgnored = request.trigger === "event" && work.problems.length === 0 && work.copies.every((c) => c.status === "ignored");
  const idleRefill = request.trigger === "refill" && !copyChangedSomething(manifest);
  if (onlyIgnored || idleRefill) {
    deps.log.info("copy run finished", { runId, counts: manifest.counts, ignored: manifest.copies.map((c) => `${c.source}: ${c.reason ?? ""}`), ignore: request.ignore });
    return { manifest };
  }

  const manifestUri = await finishRun(
    { s3: deps.primary.s3, sns: deps.primary.sns, log: deps.log, publishMetrics: deps.publishMetrics },
    {
      function: "copy",
      runId,
      manifest,
      bucket: settings.vaultBucket,
      key: copyChangedSomething(manifest) ? manifestKey("copy", day, runId) : undefined,
      metrics: planMetrics(manifest, settings.plans.filter((p) => p.copyToDr).map((p) => p.name)),
      failures: failureLines(manifest),
      notifyOn: settings.notifyOn,
      topicArn: settings.topicArn,
      message: (uri, problems) => notification(manifest, uri, problems),
      summary: { runId, counts: manifest.counts },
    },
  );
  return { manifest, ...(manifestUri === undefined ? {} : { manifestUri }) };
}
