// Starts one DR copy in the DR region, encrypted with the DR key, tagged as part of the copy; never throws.
//
// The copy call is the kind's (handlers/kinds/): each goes through createOnce, so after a lost answer the DR region is
// searched for the copy before any re-send (a copy that keeps its identifier stays counted as started, not "already
// copied"). A kind whose source cannot be encrypted by copying it copies it as it is and says why (flagged unencrypted).
import { TAG_COPY_OF, TAG_STACK } from "../catalog";
import type { CopyTarget } from "../kinds/kind";
import { copyKind } from "../kinds/registry";
import { describeError, errorName } from "../lib/errors";
import { isoSeconds } from "../lib/run-id";
import { copyTags } from "./classify";
import type { Candidate, CopyOutcome, SnapshotRecord } from "./types";

export type { CopyTarget };

/** AWS's refusals for copies in flight or snapshots per region (SDK class names and wire codes): defer, not fail. */
export const LIMIT_ERRORS = ["ResourceLimitExceeded", "SnapshotQuotaExceeded", "SnapshotQuotaExceededFault"];

export interface Attempt {
  outcome: CopyOutcome;
  /** AWS said the DR region is full: stop starting copies of this kind. */
  limitReached: boolean;
  /** A copy of it may now be in flight in the DR region: started, found after a lost answer, or unknown (look-up failed). */
  inFlight: boolean;
}

/** Starts the copy; resolves with what happened, including AWS's refusals. */
export async function startCopy(target: CopyTarget, candidate: Candidate): Promise<Attempt> {
  const { source } = candidate;
  const base: CopyOutcome = {
    kind: source.kind,
    source: source.id,
    ...(source.arn ? { sourceArn: source.arn } : {}),
    plan: candidate.plan.name,
    status: "started",
    expires: isoSeconds(candidate.expires),
    ...(candidate.replaces ? { replaced: candidate.replaces } : {}),
  };
  try {
    const isCopy = (record: SnapshotRecord | undefined): record is SnapshotRecord => isCopyOf(candidate, record);
    const { created, unencrypted } = await copyKind(source.kind).startCopy(target, candidate, copyTags(candidate), isCopy);
    const { value: copyId, foundAfterLostAnswer } = created;
    return {
      outcome: {
        ...base,
        copyId,
        ...(unencrypted !== undefined ? { unencrypted: true, reason: unencrypted } : { kmsKeyId: target.drKeyArn }),
        ...(foundAfterLostAnswer && unencrypted === undefined ? { reason: "AWS's answer was lost; the copy was found in the DR region" } : {}),
      },
      limitReached: false,
      inFlight: true,
    };
  } catch (error) {
    const name = errorName(error);
    const { message } = describeError(error);
    const settled = (outcome: CopyOutcome, limitReached = false): Attempt => ({ outcome, limitReached, inFlight: false });
    // Whether AWS made the copy is unknown: its place stays taken, and the sweep's look-up of the DR region decides.
    if (name === "LookUpFailedError") return { outcome: { ...base, status: "deferred", reason: message }, limitReached: false, inFlight: true };
    if (LIMIT_ERRORS.includes(name)) return settled({ ...base, status: "deferred", reason: `${target.drRegion} is at its limit (${name}: ${message}); the sweep starts it` }, true);
    const kind = copyKind(source.kind);
    // The DR identifier is taken: a copy of this backup exists (or a deleted failed copy is still going away).
    if (kind.copyExists.includes(name)) {
      if (candidate.replaces) return settled({ ...base, status: "deferred", reason: `the failed copy ${candidate.replaces} is still being deleted; the sweep starts it` });
      return settled({ ...base, status: "skipped", copyId: source.id, reason: "already copied" });
    }
    // The backup was deleted after it was read: its kind's "snapshot not found" errors.
    if (kind.snapshotGone.includes(name)) return settled({ ...base, status: "skipped", reason: `the backup no longer exists (${name})` });
    // The backup is not in a state AWS copies from (e.g. being deleted): try again at the next sweep.
    if (kind.copySourceBusy.includes(name)) return settled({ ...base, status: "deferred", reason: `AWS cannot copy the backup now (${name}: ${message}); the sweep retries` });
    return settled({ ...base, status: "failed", error: describeError(error) });
  }
}

/** A live (in flight or ready) DR copy of this backup made by this stack: what a lost copy call would have made. */
function isCopyOf(candidate: Candidate, record: SnapshotRecord | undefined): record is SnapshotRecord {
  return record !== undefined && (record.state === "in-progress" || record.state === "ready") && record.tags[TAG_COPY_OF] === candidate.copyOf && record.tags[TAG_STACK] === candidate.source.tags[TAG_STACK];
}
