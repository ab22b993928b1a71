// "Did you mean": the one allowed key a mistyped key is nearest to, for messages about unknown keys.

/** Edits from `a` to `b`: insertions, deletions, substitutions, and a swap of two neighbours counting as one. */
export function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2] + 1);
      current.push(best);
    }
    [before, previous] = [previous, current];
  }
  return previous[b.length];
}

/** Keys at most this many edits away (case aside) count as close. */
export const CLOSE_EDITS = 2;

/**
 * The allowed key `key` was most likely meant to be: the nearest one when it is at most CLOSE_EDITS edits away,
 * case ignored, and no other allowed key is as near; undefined otherwise.
 */
export function closestKey(key: string, allowed: readonly string[]): string | undefined {
  const ranked = allowed.map((candidate) => ({ candidate, edits: editDistance(key.toLowerCase(), candidate.toLowerCase()) })).filter((r) => r.edits <= CLOSE_EDITS);
  const nearest = Math.min(...ranked.map((r) => r.edits));
  const best = ranked.filter((r) => r.edits === nearest);
  return best.length === 1 ? best[0].candidate : undefined;
}

/** ` (did you mean "daily"?)` for a key close to exactly one allowed key; empty otherwise. */
export function didYouMean(key: string, allowed: readonly string[]): string {
  const meant = closestKey(key, allowed);
  return meant === undefined ? "" : ` (did you mean "${meant}"?)`;
}
