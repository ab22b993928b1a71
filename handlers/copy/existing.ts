// Matches backups to what the DR region already holds: a live copy means done; a failed copy is deleted and replaced,
// or (a refill: replacing failed copies is the sweep's, once per sweep interval) left for the sweep.
import type { KindClients } from "../kinds/clients";
import { describeError } from "../lib/errors";
import { settleWithConcurrency } from "../lib/pool";
import { isoSeconds } from "../lib/run-id";
import { deleteCopy, type DrIndex } from "./dr-copies";
import { deferred } from "./limiter";
import type { Candidate, CopyOutcome, ReplacedCopy, SnapshotRecord } from "./types";

export interface Matched {
  /** Backups with no live DR copy (failed copies of them deleted): to be started. */
  toStart: Candidate[];
  /** Backups with a live DR copy, and that copy (ready or still in flight). */
  copied: { candidate: Candidate; copy: SnapshotRecord }[];
  /** Backups whose failed copy could not be deleted: failed, not started. */
  failed: CopyOutcome[];
  replaced: ReplacedCopy[];
  /** Backups whose only DR copies failed, left alone (replaceFailed false): deferred to the sweep. */
  leftFailed: CopyOutcome[];
}

/** What the DR region's failed copies get: deleted and replaced (sweep, event run), or left for the sweep (refill). */
export interface MatchOptions {
  replaceFailed: boolean;
}

export async function matchExisting(dr: KindClients, index: DrIndex, candidates: readonly Candidate[], concurrency: number, options: MatchOptions = { replaceFailed: true }): Promise<Matched> {
  const matched: Matched = { toStart: [], copied: [], failed: [], replaced: [], leftFailed: [] };
  const replacing: { candidate: Candidate; broken: SnapshotRecord[] }[] = [];
  for (const candidate of candidates) {
    const copies = index.copiesOf(candidate);
    const live = copies.find((c) => c.state !== "failed");
    if (live !== undefined) matched.copied.push({ candidate, copy: live });
    else if (copies.length > 0 && !options.replaceFailed) matched.leftFailed.push(leftForSweep(candidate, copies));
    else if (copies.length > 0) replacing.push({ candidate, broken: copies });
    else matched.toStart.push(candidate);
  }
  await settleWithConcurrency(replacing, concurrency, async ({ candidate, broken }) => {
    const errors: string[] = [];
    for (const copy of broken) {
      const entry: ReplacedCopy = { kind: copy.kind, plan: candidate.plan.name, copyId: copy.id, copyOf: candidate.copyOf, status: copy.status, deleted: true };
      try {
        await deleteCopy(dr, copy);
      } catch (error) {
        entry.deleted = false;
        entry.error = describeError(error);
        errors.push(`deleting its failed DR copy ${copy.id}: ${entry.error.name}: ${entry.error.message}`);
      }
      matched.replaced.push(entry);
    }
    if (errors.length === 0) {
      matched.toStart.push({ ...candidate, replaces: broken.map((c) => c.id).join(",") });
    } else {
      matched.failed.push({
        kind: candidate.source.kind,
        source: candidate.source.id,
        ...(candidate.source.arn ? { sourceArn: candidate.source.arn } : {}),
        plan: candidate.plan.name,
        status: "failed",
        expires: isoSeconds(candidate.expires),
        error: { name: "FailedCopyNotDeleted", message: errors.join("; ") },
      });
    }
  });
  return matched;
}

/**
 * A backup whose failed DR copies a refill leaves alone: a copy failing for a lasting reason (the DR key unusable, the
 * source unreadable) would otherwise be deleted and copied again at each of its failure events, every few minutes.
 */
function leftForSweep(candidate: Candidate, broken: readonly SnapshotRecord[]): CopyOutcome {
  return deferred(candidate, `its DR copy ${broken.map((c) => c.id).join(", ")} failed; the sweep replaces failed copies`);
}
