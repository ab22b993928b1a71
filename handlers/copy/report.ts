// What a copy run reports: the manifest (audit trail), the metrics per plan and the message a person reads.
import type { SnapshotKind } from "../catalog";
import { metricSet, type MetricSet } from "../lib/metrics";
import { listedSection, manifestLine, verdict } from "../lib/notify";
import { lockFailureLine } from "../lib/snapshot-lock";
import type { EventInfo } from "./event";
import type { RelockedCopy } from "./lock-copies";
import type { CopyOutcome, Limits, Problem, ReplacedCopy } from "./types";

export interface CopyCounts {
  started: number;
  skipped: number;
  deferred: number;
  /** Copies that failed (including a failed copy that could not be deleted to make way) and listings that failed. */
  failed: number;
  /** Snapshots that are not this stack's copy-enabled backups (foreign, a copy, copyToDr false, unknown plan). */
  ignored: number;
  /** Copies started unencrypted (sources of a kind that a copy cannot encrypt). */
  unencrypted: number;
  /** Failed DR copies deleted so their backups are copied again. */
  replaced: number;
}

export interface CopyManifest {
  function: "copy";
  stack: string;
  runId: string;
  trigger: "sweep" | "event" | "refill";
  /** The EventBridge event that triggered an event run or a refill (a refill's snapshots are the DR copies it names, with what AWS said of them). */
  event?: EventInfo & { snapshots: string[]; result?: string; ignore?: string };
  primaryRegion: string;
  drRegion: string;
  drKeyArn: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  limits: Limits;
  /** Copies of ours in flight in the DR region before the run, per kind it looked at. */
  inFlight: Partial<Record<SnapshotKind, number>>;
  counts: CopyCounts;
  copies: CopyOutcome[];
  replaced: ReplacedCopy[];
  problems: Problem[];
  /** Locks placed on (or tried on) DR copies that existed before the run and were not locked until their DR expiry. */
  relocked?: RelockedCopy[];
  /** Sweeps: per copy-enabled plan, age in seconds of the oldest completed backup without an available DR copy. */
  oldestUncopiedAgeSeconds?: Record<string, number>;
}

export function countOutcomes(copies: readonly CopyOutcome[], replaced: readonly ReplacedCopy[], problems: readonly Problem[]): CopyCounts {
  const count = (status: CopyOutcome["status"]) => copies.filter((c) => c.status === status).length;
  return {
    started: count("started"),
    skipped: count("skipped"),
    deferred: count("deferred"),
    failed: count("failed") + problems.length,
    ignored: count("ignored"),
    unencrypted: copies.filter((c) => c.status === "started" && c.unencrypted === true).length,
    replaced: replaced.filter((r) => r.deleted).length,
  };
}

/** One line per failure, for the thrown error and the notification. Deferrals are not failures. */
export function failureLines(manifest: CopyManifest): string[] {
  return [
    ...manifest.problems.map((p) => `${p.what}: ${p.error.name}: ${p.error.message}`),
    ...manifest.copies.filter((c) => c.status === "failed").map((c) => `${c.kind} ${c.source}: ${c.error?.name ?? "Error"}: ${c.error?.message ?? ""}`),
    ...manifest.copies.flatMap((c) => (c.lock?.status === "failed" ? [lockFailureLine(`${c.kind} ${c.source}: its DR copy`, c.lock)] : [])),
    ...(manifest.relocked ?? []).filter((l) => l.status === "failed").map((l) => lockFailureLine(`${l.kind} ${l.source}: its DR copy`, l)),
  ];
}

/**
 * The metrics of each plan the run concerned: counts for every plan with an outcome, plus DR lag on sweeps. A refill
 * publishes no CopiesDeferred: it runs once per finished copy and would count the whole queue again each time (the
 * sweeps and event runs that deferred those copies counted them), so the metric keeps meaning "deferred by a run".
 */
export function planMetrics(manifest: CopyManifest, copyPlans: readonly string[]): MetricSet[] {
  const plans = [...(manifest.trigger === "sweep" ? copyPlans : []), ...manifest.copies.filter((c) => c.status !== "ignored").flatMap((c) => (c.plan === undefined ? [] : [c.plan]))];
  return [...new Set(plans)].sort().map((plan) => {
    const mine = manifest.copies.filter((c) => c.plan === plan);
    const count = (status: CopyOutcome["status"]) => mine.filter((c) => c.status === status).length;
    const age = manifest.oldestUncopiedAgeSeconds?.[plan];
    return metricSet(
      "copyPlan",
      { Plan: plan },
      {
        CopiesStarted: count("started"),
        CopiesSkipped: count("skipped"),
        ...(manifest.trigger === "refill" ? {} : { CopiesDeferred: count("deferred") }),
        CopiesFailed: count("failed"),
        CopiesUnencrypted: mine.filter((c) => c.status === "started" && c.unencrypted === true).length,
        ...(age === undefined ? {} : { OldestUncopiedAgeSeconds: age }),
      },
    );
  });
}

/** Subject and body of the notification: trigger, counts, each failure and deferral with its reason, the manifest. */
export function notification(manifest: CopyManifest, manifestUri: string | undefined, extraProblems: readonly string[]): { subject: string; lines: string[] } {
  const failures = [...failureLines(manifest), ...extraProblems];
  const { started, skipped, deferred, failed, ignored, unencrypted, replaced } = manifest.counts;
  const result = verdict(failures);
  const what = manifest.trigger === "sweep" ? "sweep" : `${manifest.trigger} ${manifest.event?.detailType ?? ""}`.trim();
  const line = (c: CopyOutcome) => `${c.kind} ${c.source}${c.plan ? ` (plan ${c.plan})` : ""}: ${c.reason ?? ""}`;
  const ages = Object.entries(manifest.oldestUncopiedAgeSeconds ?? {}).map(([plan, seconds]) => `${plan}: ${seconds} s`);
  return {
    subject: `backup-dr copy ${result}: ${what} ${manifest.startedAt.slice(0, 19)}Z`,
    lines: [
      `DR copy run ${manifest.runId} (${what}) on stack ${manifest.stack}, ${manifest.primaryRegion} -> ${manifest.drRegion}: ${result}.`,
      "",
      `Started: ${started}   Skipped: ${skipped}   Deferred: ${deferred}   Failed: ${failed}   Ignored: ${ignored}   Replaced: ${replaced}   Unencrypted: ${unencrypted}`,
      manifestLine(manifestUri),
      ...(ages.length > 0 ? [`Oldest backup without a DR copy, per plan: ${ages.join(", ")}`] : []),
      ...listedSection("Failures", failures),
      ...listedSection("Copied unencrypted", manifest.copies.filter((c) => c.status === "started" && c.unencrypted === true).map(line)),
      ...listedSection("Deferred", manifest.copies.filter((c) => c.status === "deferred").map(line)),
      ...listedSection("Skipped", manifest.copies.filter((c) => c.status === "skipped" && c.reason !== "already copied").map(line)),
    ],
  };
}
