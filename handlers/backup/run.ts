// One backup invocation: event (or cursor) checked first, sources selected, backed up in kind-then-id order with
// bounded concurrency until the Lambda's time nears its end or the run's deadline passes; then either a part and
// the next cursor, or (the run's last invocation) the one manifest, metrics and notification of the whole run.
import type { BackupCursor, Unfinished } from "../lib/cursor";
import { describeError } from "../lib/errors";
import type { KindClients } from "../kinds/clients";
import type { AwsClients } from "../lib/clients";
import type { Log } from "../lib/observability";
import { unpaced, type Pace } from "../lib/pace";
import { settleWithConcurrency } from "../lib/pool";
import { slotRetention } from "../lib/retention";
import { deadlineReason, runDeadline, stopCause, type StopCause } from "../lib/run-deadline";
import { finishRun, type RunEndDeps } from "../lib/run-end";
import { isoSeconds, manifestKey, manualRunIdFor, runIdFor } from "../lib/run-id";
import { isPartOf, mergeOutcomes, nextBase, readParts, writePart, type PartHeader } from "../lib/run-parts";
import { backupSource } from "./backup-source";
import { lockOutcome } from "./lock-backups";
import { parseBackupEvent } from "./event";
import { kindAfter, orderedWork, workAfter, type WorkItem } from "./order";
import { backupMetrics, buildManifest, failureLines, notification, type BackupManifest } from "./report";
import { selectPlan } from "./select";
import type { BackupPlan, BackupRun, BackupSettings, SelectionFailure, SourceOutcome } from "./types";

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
  /** Milliseconds left of the invocation (context.getRemainingTimeInMillis); absent: the invocation never runs short. */
  remainingMs?: () => number;
}

/** What one invocation comes to: the run finished (its manifest), or the cursor to go on with. */
export type BackupStep = { done: true; manifest: BackupManifest } | Unfinished<BackupCursor>;

/** What an unfinished invocation writes (handlers/lib/run-parts.ts): its outcomes, merged by the run's last invocation. */
export interface BackupPart extends PartHeader {
  function: "backup";
  after: string;
  sources: SourceOutcome[];
  selectionFailures: SelectionFailure[];
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

/**
 * Runs a whole backup run in this process, invocation after invocation, as the state machine does; resolves with
 * its manifest, or throws runFailedError naming every failure after finishing the rest. Each step should get fresh
 * time from `deps.remainingMs` (one that gets none makes no progress, and the run then ends at its deadline).
 */
export async function runBackup(deps: BackupDeps, settings: BackupSettings, event: unknown): Promise<BackupManifest> {
  let step = await stepBackup(deps, settings, event);
  while (!step.done) step = await stepBackup(deps, settings, { cursor: step.cursor });
  return step.manifest;
}

/** One invocation of the run (the Lambda entry's): resolves with done and the manifest, or with the next cursor. */
export async function stepBackup(deps: BackupDeps, settings: BackupSettings, event: unknown): Promise<BackupStep> {
  const started = deps.now();
  const { plan, slot, scheduled, cursor } = parseBackupEvent(event, settings.plans, started);
  const run = planRun(settings.stackTag, plan, slot, scheduled);
  const deadline = cursor === undefined ? runDeadline(slot, started, settings.runDeadlineMinutes) : new Date(cursor.deadline);
  const invocation = (cursor?.invocation ?? 0) + 1;
  deps.log.info(cursor === undefined ? "backup run started" : "backup run continued", { runId: run.runId, tier: run.tier, expires: run.expires.toISOString(), resources: plan.resources, invocation, after: cursor?.after ?? "", deadline: isoSeconds(deadline) });

  const selection = await selectPlan(deps.clients, settings.selectionTagKey, plan, run);
  // A listing that fails for a kind the earlier invocations already finished (before `after`) is no failure of the run.
  const selectionFailures = selection.failures.filter((failure) => kindAfter(failure.kind, cursor?.after ?? ""));
  for (const failure of selection.failures) {
    if (selectionFailures.includes(failure)) deps.log.error("listing failed", { runId: run.runId, ...failure });
    else deps.log.warn("listing failed for a kind the run already finished", { runId: run.runId, after: cursor?.after ?? "", ...failure });
  }
  const work = workAfter(orderedWork(selection), cursor?.after ?? "");
  const { ended: outcomes, stop } = await backUpInOrder(deps, settings, run, work, deadline);
  for (const outcome of outcomes) {
    const attributes = { runId: run.runId, ...outcome };
    if (outcome.status === "failed") deps.log.error("backup failed", attributes);
    else deps.log.info(`backup ${outcome.status}`, attributes);
  }
  const rest = work.slice(outcomes.length);
  const key = manifestKey("backup", slot, run.runId);

  if (stop === "time" && rest.length > 0) {
    const after = work[outcomes.length - 1]?.key ?? cursor?.after ?? "";
    const part: BackupPart = { function: "backup", runId: run.runId, invocation, startedAt: started.toISOString(), finishedAt: deps.now().toISOString(), after, sources: outcomes, selectionFailures };
    const partKey = await writePart(deps.clients.s3, settings.vaultBucket, key, cursor, part);
    const base = nextBase(cursor, { runId: run.runId, slot: isoSeconds(slot), startedAt: started.toISOString(), deadline: isoSeconds(deadline) }, partKey);
    deps.log.info("backup run goes on in the next invocation", { runId: run.runId, invocation, after, part: partKey, left: rest.length });
    return { done: false, cursor: { function: "backup", ...base, plan: plan.name, scheduled, after }, part: `s3://${settings.vaultBucket}/${partKey}` };
  }

  // The run's last invocation: what is left is deferred (the deadline passed), then every part merged into the manifest.
  const deferred = rest.map((item) => ("outcome" in item ? item.outcome : deferredOutcome(item, deadline)));
  const read = await readParts(deps.clients.s3, settings.vaultBucket, cursor?.parts ?? [], (value) => (isPartOf(value, "backup", run.runId, "sources") && Array.isArray(value.selectionFailures) ? (value as unknown as BackupPart) : undefined));
  const manifest = buildManifest({
    run,
    timezone: plan.timezone,
    started: cursor === undefined ? started : new Date(cursor.startedAt),
    finished: deps.now(),
    deadline,
    parts: cursor?.parts ?? [],
    outcomes: mergeOutcomes([...read.parts.map((p) => p.sources), [...outcomes, ...deferred]], (o) => `${o.kind}/${o.source}`),
    selectionFailures: mergeOutcomes([...read.parts.map((p) => p.selectionFailures), selectionFailures], (f) => `${f.kind}\u0000${f.error.name}\u0000${f.error.message}`),
  });
  await finishRun(
    { s3: deps.clients.s3, sns: deps.clients.sns, log: deps.log, publishMetrics: deps.publishMetrics },
    {
      function: "backup",
      runId: run.runId,
      manifest,
      bucket: settings.vaultBucket,
      key,
      metrics: [backupMetrics(manifest)],
      failures: [...failureLines(manifest), ...read.problems],
      notifyOn: settings.notifyOn,
      topicArn: settings.topicArn,
      message: (manifestUri, problems) => notification(manifest, manifestUri, [...read.problems, ...problems]),
      summary: { runId: run.runId, counts: manifest.counts, invocations: manifest.invocations },
    },
  );
  return { done: true, manifest };
}

/**
 * Backs up the items in order, starting none once `stopCause` says stop (it is asked before each start and, once it
 * says stop, never again) and finishing those in flight: what ended is a prefix of the items. A source's work
 * includes locking its snapshots (when the stack locks them), so what runs past the stop check is bounded by the
 * sources in flight, not by what the invocation made.
 */
async function backUpInOrder(deps: BackupDeps, settings: BackupSettings, run: BackupRun, work: readonly WorkItem[], deadline: Date): Promise<{ ended: SourceOutcome[]; stop?: StopCause }> {
  const claims = { s3: deps.clients.s3, bucket: settings.vaultBucket, now: deps.now, sleep: deps.sleep ?? timer };
  const context = { clients: deps.clients, run, now: deps.now, pace: deps.paceCreates ?? unpaced, claims };
  let stop: StopCause | undefined;
  const settled = await settleWithConcurrency(work, settings.concurrency, async (item): Promise<SourceOutcome | undefined> => {
    stop ??= stopCause(deps, deadline);
    if (stop !== undefined) return undefined;
    const outcome = "outcome" in item ? item.outcome : await backupSource(context, item.source);
    return lockOutcome(deps.clients, settings.snapshotLock, run, outcome, deps.now);
  });
  const ended: SourceOutcome[] = [];
  for (const [i, result] of settled.entries()) {
    const { kind, id } = work[i];
    if (result.status === "rejected") ended.push({ kind, source: id, status: "failed", snapshotIds: [], error: describeError(result.reason), durationMs: 0 });
    else if (result.value === undefined) break;
    else ended.push(result.value);
  }
  return { ended, ...(stop === undefined ? {} : { stop }) };
}

function deferredOutcome(item: WorkItem, deadline: Date): SourceOutcome {
  return { kind: item.kind, source: item.id, status: "deferred", snapshotIds: [], reason: `not started: ${deadlineReason(deadline)}`, durationMs: 0 };
}
