// What a cleanup run reports: the manifest (audit trail), metric values per region and the message a person reads.
import { QUOTA_KINDS, TAG_EXPIRES, type QuotaKind } from "../catalog";
import { metricSet, type MetricSet } from "../lib/metrics";
import { listedSection, manifestLine, verdict } from "../lib/notify";
import { DEADLINE_MARK } from "../lib/run-deadline";
import type { CleanupPolicy, ListingFailure, RegionDecision, SnapshotOutcome } from "./types";

export interface CleanupCounts {
  deleted: number;
  /** Dry run: what a real run would have deleted (still there). */
  wouldDelete: number;
  kept: number;
  deferred: number;
  /** Failed deletions, failed listings, and 1 for a mass-deletion stop. */
  failed: number;
}

export interface RegionReport extends RegionDecision {
  role: "primary" | "dr";
  counts: CleanupCounts;
  /** Manual snapshots of every owner in the region (the quota is 100 each); absent when that listing failed. */
  manualSnapshots: Partial<Record<QuotaKind, number>>;
  listingFailures: ListingFailure[];
}

export interface CleanupManifest {
  function: "cleanup";
  stack: string;
  runId: string;
  slot: string;
  dryRun: boolean;
  settings: CleanupPolicy & { dryRun: boolean; concurrency: number };
  /** The clock the rules were applied with (expiry and minimum age). */
  decidedAt: string;
  /** When the run's first invocation started, and its last finished. */
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** No invocation started a deletion after this (runDeadlineMinutes after the slot, or after the run's start if later). */
  deadline: string;
  /** The deadline passed with deletions left: they are deferred, and the run failed. */
  deadlineStop: boolean;
  /** Invocations the run took (handlers/lib/cursor.ts); more than one: each earlier one wrote a part. */
  invocations: number;
  /** Vault keys of the earlier invocations' parts, merged here. */
  parts: string[];
  counts: CleanupCounts;
  regions: RegionReport[];
  /** Every snapshot carrying this stack's tag, with what happened to it and why. */
  snapshots: SnapshotOutcome[];
}

export function countOutcomes(outcomes: readonly SnapshotOutcome[], extraFailures: number): CleanupCounts {
  const count = (status: SnapshotOutcome["status"]) => outcomes.filter((o) => o.status === status).length;
  return { deleted: count("deleted"), wouldDelete: count("would-delete"), kept: count("kept"), deferred: count("deferred"), failed: count("failed") + extraFailures };
}

/**
 * Whether a cleanup run leaves a manifest: it deleted, would delete (dry run), deferred or failed something (a failed
 * listing, a mass-deletion stop and a deadline stop included), or took more than one invocation (its parts are in the
 * vault). A run that only kept writes none (its "worth a look" snapshots are logged as warnings): the vault's Object
 * Lock would keep every such manifest.
 */
export function cleanupChangedSomething(manifest: CleanupManifest): boolean {
  const { deleted, wouldDelete, deferred, failed } = manifest.counts;
  return deleted + wouldDelete + deferred + failed > 0 || manifest.deadlineStop || manifest.invocations > 1;
}

export function sumCounts(all: readonly CleanupCounts[]): CleanupCounts {
  const total: CleanupCounts = { deleted: 0, wouldDelete: 0, kept: 0, deferred: 0, failed: 0 };
  for (const c of all) for (const key of Object.keys(total) as (keyof CleanupCounts)[]) total[key] += c[key];
  return total;
}

/**
 * Per region: its counts (dimension Region; a dry run's would-be deletions are, truthfully, kept), then the manual
 * snapshots of each quota kind (QUOTA_KINDS) whose listing worked (dimensions Region and Kind).
 */
export function regionMetrics(regions: readonly RegionReport[]): MetricSet[] {
  return regions.flatMap((r) => [
    metricSet("cleanupRegion", { Region: r.region }, { SnapshotsDeleted: r.counts.deleted, SnapshotsKept: r.counts.kept + r.counts.wouldDelete, SnapshotsDeferred: r.counts.deferred, CleanupFailed: r.counts.failed }),
    ...QUOTA_KINDS.flatMap((kind) => {
      const count = r.manualSnapshots[kind];
      return count === undefined ? [] : [metricSet("cleanupQuota", { Region: r.region, Kind: kind }, { ManualSnapshotsUsed: count })];
    }),
  ]);
}

/** One line per failure, for the thrown error and the notification. */
export function failureLines(manifest: CleanupManifest): string[] {
  return [
    ...manifest.regions.flatMap((r) => r.listingFailures.map((f) => `${f.region}: listing ${f.listing}: ${f.error.name}: ${f.error.message}`)),
    ...manifest.regions
      .filter((r) => r.massDeletionStop)
      .map((r) => `${r.region}: mass-deletion stop: ${r.candidates} of ${r.backups} backups would be deleted, more than maxDeleteFraction ${manifest.settings.maxDeleteFraction}; nothing deleted there (check the clock and the ${TAG_EXPIRES} tags)`),
    ...manifest.snapshots.filter((o) => o.status === "failed").map((o) => `${o.region} ${o.kind} ${o.id}: ${o.error?.name ?? "Error"}: ${o.error?.message ?? ""}`),
    ...(manifest.deadlineStop ? [`${deadlineDeferred(manifest.snapshots).length} expired snapshot(s) not deleted: ${deadlineDeferred(manifest.snapshots)[0]?.reason ?? "the run's deadline passed"}`] : []),
  ];
}

/** What the run's deadline left undeleted (deferred with the deadline's reason). */
export function deadlineDeferred(outcomes: readonly SnapshotOutcome[]): SnapshotOutcome[] {
  return outcomes.filter((o) => o.status === "deferred" && o.reason.includes(DEADLINE_MARK));
}

export function notification(manifest: CleanupManifest, manifestUri: string | undefined, failures: readonly string[]): { subject: string; lines: string[] } {
  const result = verdict(failures);
  const mode = manifest.dryRun ? " (dry run)" : "";
  const line = (o: SnapshotOutcome) => `${o.region} ${o.kind} ${o.id}${o.source ? ` (${o.source})` : ""}: ${o.reason}`;
  const { deleted, wouldDelete, kept, deferred, failed } = manifest.counts;
  return {
    subject: `backup-dr cleanup ${result}${mode}: ${manifest.stack}`,
    lines: [
      `Cleanup run ${manifest.runId} on stack ${manifest.stack}${mode}: ${result}.`,
      "",
      manifest.dryRun ? `Would delete: ${wouldDelete}   Kept: ${kept}   Deferred: ${deferred}   Failed: ${failed}` : `Deleted: ${deleted}   Kept: ${kept}   Deferred: ${deferred}   Failed: ${failed}`,
      ...manifest.regions.map(
        (r) =>
          `${r.region} (${r.role}): ${r.backups} backups of this stack, ${r.candidates} expired and deletable; deleted ${r.counts.deleted}, ` +
          `${manifest.dryRun ? `would delete ${r.counts.wouldDelete}, ` : ""}deferred ${r.counts.deferred}; manual snapshots: ${QUOTA_KINDS.map((kind) => `${kind} ${r.manualSnapshots[kind] ?? "?"}`).join(", ")} (quota 100 each)`,
      ),
      ...(manifest.invocations > 1 ? [`Invocations: ${manifest.invocations} (deadline ${manifest.deadline})`] : []),
      manifestLine(manifestUri),
      ...listedSection("Failures", failures),
      ...listedSection("Kept, worth a look", manifest.snapshots.filter((o) => o.status === "kept" && o.notice === true).map(line)),
      ...(manifest.dryRun ? listedSection("Would delete", manifest.snapshots.filter((o) => o.status === "would-delete").map(line)) : []),
    ],
  };
}

