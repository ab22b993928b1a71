// The continuation contract of a run longer than one invocation (the backup and the cleanup functions).
//
// A slot's run may need more than one Lambda invocation (10,000 snapshot creates at AWS's 5 a second take 33 minutes;
// a Lambda runs 15). An invocation stops starting work when its own time nears its end, writes what it did as a
// *part* (`<manifest key without .json>.part-<n>-<execution's start>.json`, in the run's manifest folder) and answers
// `{ "done": false, "cursor": {...} }`. Invoking the function with `{ "cursor": {...} }` (alone: the cursor names its
// plan and slot) goes on where it stopped. The invocation that finishes answers `{ "done": true, ... }` and writes
// the run's one manifest, which merges every part (a later invocation's outcome for a source replaces an earlier
// one's), and sends the run's one notification. The backup and the cleanup state machines (infra/run-machine.ts) loop
// on `done`; a person can drive the same loop by hand.
//
// Nothing is done twice and nothing skipped:
//   - backup: the sources are taken in one order (kind, then id); `after` is the last source whose backup finished.
//     A later invocation (or a retry of a lost or killed one, with the same cursor) lists again and backs up the
//     sources after it; a source already backed up in this run is found by its run id tag and skipped (as on any rerun).
//   - cleanup: each invocation lists both regions again and decides again; what an earlier one deleted is gone.
//     `deleted` counts toward the run's maxDeletionsPerRun. Before deleting, an invocation records what it is about
//     to delete (handlers/cleanup/intent.ts), so a retry of a killed one counts and reports what that one deleted.
// The run's deadline (backup-dr:pacing.runDeadlineMinutes after the slot, or after the first invocation's start when
// that is later: a rerun of an old slot) bounds the whole run: past it, an
// invocation starts nothing new, reports the rest as deferred and finishes the run (done: true).
//
// handlers/lib/cursor-input.ts checks a cursor's fields; handlers/lib/run-parts.ts writes, reads and merges the parts;
// handlers/lib/run-deadline.ts says when an invocation stops starting work.
//
// The cursor is plain JSON (it travels through Step Functions, at most 256 KB a state) and is validated like the rest
// of the event: a malformed one is a MalformedEventError before any AWS call.

/** What every function's cursor carries. */
export interface RunCursorBase {
  runId: string;
  /** The run's slot, ISO-8601 UTC to the second. */
  slot: string;
  /** When the run's first invocation started, ISO-8601 UTC (the manifest's startedAt). */
  startedAt: string;
  /** No invocation starts new work after this instant, ISO-8601 UTC. */
  deadline: string;
  /**
   * How many invocations have ended so far (1 after the first): the next part is `part-<invocation + 1>`. Only an
   * unfinished invocation answers a cursor and each writes one part, so `parts` has exactly this many keys.
   */
  invocation: number;
  /** The vault keys of the parts written so far, in order. */
  parts: string[];
}

export interface BackupCursor extends RunCursorBase {
  function: "backup";
  plan: string;
  /** False for a manual run (its run id ends in /manual). */
  scheduled: boolean;
  /**
   * `<kind>/<id>` of the last source (in kind, then id order) whose backup ended; the next invocation starts after it.
   * Empty when no source has ended yet (an invocation that stopped before starting any).
   */
  after: string;
}

export interface CleanupCursor extends RunCursorBase {
  function: "cleanup";
  dryRun: boolean;
  /** Snapshots deleted by the run's earlier invocations (counted against maxDeletionsPerRun). */
  deleted: number;
}

export type RunCursor = BackupCursor | CleanupCursor;

/** What an invocation that did not finish its run answers. */
export interface Unfinished<C extends RunCursor> {
  done: false;
  cursor: C;
  /** The part this invocation wrote (s3:// URI). */
  part: string;
}

/** What an invocation that finished its run answers: the function's result, marked done. */
export type Finished<R> = R & { done: true };

export type Continued<R, C extends RunCursor> = Finished<R> | Unfinished<C>;

/**
 * The key of a run's n-th part, beside its manifest, named for the execution that writes it (its first invocation's
 * start, to the millisecond): `runs/backup/2026/11/22/gold-2026-11-22T11-00-00Z.part-2-20261122T110012345Z.json`. Two
 * executions of one slot (a scheduler retry, a person's rerun while the first still runs) so never overwrite each
 * other's parts; a retry of one turn (same cursor) writes the same key again.
 */
export function partKey(manifestKey: string, n: number, startedAt: string): string {
  return manifestKey.replace(/\.json$/, `.part-${n}-${executionStamp(startedAt)}.json`);
}

/** An execution's start as it appears in its part keys: `20261122T110012345Z` (UTC, to the millisecond). */
export function executionStamp(startedAt: string): string {
  return new Date(startedAt).toISOString().replace(/[-:.]/g, "");
}
