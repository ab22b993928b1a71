// What a backup run reports: the manifest (audit trail), the metric counts and the message a person reads.
import { metricSet, type MetricSet } from "../lib/metrics";
import { listedSection, manifestLine, verdict } from "../lib/notify";
import { isoSeconds } from "../lib/run-id";
import { lockFailureLine } from "../lib/snapshot-lock";
import type { BackupRun, SelectionFailure, SourceOutcome } from "./types";

export interface BackupCounts {
  created: number;
  skipped: number;
  /** Failed sources, sources deferred past the run's deadline, and listings that failed (each hides an unknown number of sources). */
  failed: number;
}

export interface BackupManifest {
  function: "backup";
  stack: string;
  plan: string;
  slot: string;
  timezone: string;
  runId: string;
  tier: string;
  expires: string;
  /** When the run's first invocation started, and its last finished. */
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** No invocation started new work after this (runDeadlineMinutes after the slot, or after the run's start if later). */
  deadline: string;
  /** Invocations the run took (handlers/lib/cursor.ts); more than one: each earlier one wrote a part. */
  invocations: number;
  /** Vault keys of the earlier invocations' parts, merged here. */
  parts: string[];
  counts: BackupCounts;
  sources: SourceOutcome[];
  selectionFailures: SelectionFailure[];
}

export function buildManifest(args: {
  run: BackupRun;
  timezone: string;
  started: Date;
  finished: Date;
  deadline: Date;
  parts: readonly string[];
  outcomes: readonly SourceOutcome[];
  selectionFailures: readonly SelectionFailure[];
}): BackupManifest {
  const { run, outcomes, selectionFailures } = args;
  const count = (status: SourceOutcome["status"]) => outcomes.filter((o) => o.status === status).length;
  return {
    function: "backup",
    stack: run.stackTag,
    plan: run.plan,
    slot: isoSeconds(run.slot),
    timezone: args.timezone,
    runId: run.runId,
    tier: run.tier,
    expires: isoSeconds(run.expires),
    startedAt: args.started.toISOString(),
    finishedAt: args.finished.toISOString(),
    durationMs: args.finished.getTime() - args.started.getTime(),
    deadline: isoSeconds(args.deadline),
    invocations: args.parts.length + 1,
    parts: [...args.parts],
    counts: { created: count("created"), skipped: count("skipped"), failed: count("failed") + count("deferred") + selectionFailures.length },
    sources: [...outcomes].sort((a, b) => a.kind.localeCompare(b.kind) || a.source.localeCompare(b.source)),
    selectionFailures: [...selectionFailures],
  };
}

/** One line per failure, for the thrown error and the notification. */
export function failureLines(manifest: BackupManifest): string[] {
  const deferred = manifest.sources.filter((o) => o.status === "deferred");
  return [
    ...(deferred.length === 0 ? [] : [`${deferred.length} source${deferred.length === 1 ? "" : "s"} not backed up: ${deferred[0].reason ?? "deferred"}`]),
    ...manifest.selectionFailures.map((f) => `listing ${f.kind} resources: ${f.error.name}: ${f.error.message}`),
    ...manifest.sources.filter((o) => o.status === "failed").map((o) => `${o.kind} ${o.source}: ${o.error?.name ?? "Error"}: ${o.error?.message ?? ""}`),
    ...manifest.sources.flatMap((o) => (o.locks ?? []).filter((l) => l.status === "failed").map((l) => lockFailureLine(`${o.kind} ${o.source}`, l))),
  ];
}

/** The run's counts for its plan, as CloudWatch gets them. */
export function backupMetrics(manifest: BackupManifest): MetricSet {
  const { created, skipped, failed } = manifest.counts;
  return metricSet("backupRun", { Plan: manifest.plan }, { BackupsCreated: created, BackupsSkipped: skipped, BackupsFailed: failed });
}

/** Subject and body of the notification: plan, slot, counts, each failure with its reason, where the manifest is. */
export function notification(manifest: BackupManifest, manifestUri: string | undefined, extraProblems: readonly string[]): { subject: string; lines: string[] } {
  const failures = [...failureLines(manifest), ...extraProblems];
  const { created, skipped, failed } = manifest.counts;
  const result = verdict(failures);
  const skippedLines = manifest.sources.filter((o) => o.status === "skipped" && o.reason !== "already exists").map((o) => `${o.kind} ${o.source}: ${o.reason ?? ""}`);
  return {
    subject: `backup-dr backup ${result}: plan ${manifest.plan}, slot ${manifest.slot}`,
    lines: [
      `Backup run of plan "${manifest.plan}" for the slot ${manifest.slot} (${manifest.timezone}) on stack ${manifest.stack}: ${result}.`,
      "",
      `Created: ${created}   Skipped: ${skipped}   Failed: ${failed}`,
      `Tier: ${manifest.tier}, expires ${manifest.expires}`,
      ...(manifest.invocations > 1 ? [`Invocations: ${manifest.invocations} (deadline ${manifest.deadline})`] : []),
      manifestLine(manifestUri),
      ...listedSection("Failures", failures),
      ...listedSection("Skipped (not already existing)", skippedLines),
    ],
  };
}
