// The sweep: every completed backup of a copy-enabled plan that has no live DR copy (a lost event, a deferred copy, a
// failed copy, which is deleted first) is started within the limits, oldest first; and the DR lag is measured.
// A refill (handlers/copy/refill.ts) runs the same start logic for one kind, without the lag, leaving failed copies
// to the sweep and not counting the copies its event says finished.
import type { SnapshotKind } from "../catalog";
import { copyKind } from "../kinds/registry";
import { describeError } from "../lib/errors";
import { classifier, isCandidate } from "./classify";
import { inFlightOf, readDr, type DrIndex } from "./dr-copies";
import { drLagSeconds } from "./lag";
import { matchExisting, type MatchOptions, type Matched } from "./existing";
import { startWithinLimits } from "./limiter";
import { startCopy } from "./start-copy";
import type { Candidate, CopySettings, SnapshotRecord } from "./types";
import { copyTarget, emptyWork, liveLockableCopies, type CopyDeps, type Work } from "./work";

/** What the sweep found of one kind: its backups to copy, and how they match the DR region. */
export interface KindFound {
  kind: SnapshotKind;
  candidates: Candidate[];
  matched: Matched;
}

/** The snapshot kinds of the copy-enabled plans, sorted. */
export function copiedKinds(settings: CopySettings): SnapshotKind[] {
  const plans = settings.plans.filter((p) => p.copyToDr);
  return [...new Set(plans.flatMap((p) => p.resources.map((r) => copyKind(r).snapshotKind)))].sort();
}

/** How startKinds treats the DR region's copies: the sweep's way, or a refill's. */
export interface StartOptions extends MatchOptions {
  /** DR copies an event says finished (or failed, or were cancelled): not in flight, whatever the listing still says. */
  finished: readonly string[];
}

/**
 * The sweep's start logic for `kinds`: list each kind's backups in the primary region and copies in the DR region
 * (counting ours in flight), replace failed copies, and start the rest within limit minus in flight, oldest first.
 * A refill runs it for one kind with its own options; `perKind[i]` is undefined when kind i could not be listed (a
 * problem of the run).
 */
export async function startKinds(deps: CopyDeps, settings: CopySettings, now: Date, kinds: readonly SnapshotKind[], options: StartOptions = { replaceFailed: true, finished: [] }): Promise<{ work: Work; perKind: (KindFound | undefined)[] }> {
  const work = emptyWork();
  const planNames = settings.plans.filter((p) => p.copyToDr).map((p) => p.name);
  const classify = classifier(settings.stackTag, settings.plans, now);

  const perKind = await Promise.all(
    kinds.map(async (kind): Promise<KindFound | undefined> => {
      let backups: SnapshotRecord[];
      let index: DrIndex;
      try {
        [backups, index] = await Promise.all([copyKind(kind).listBackups(deps.primary, settings.stackTag, planNames), readDr(deps.dr, kind, settings.stackTag)]);
      } catch (error) {
        work.problems.push({ what: `listing ${kind} backups in ${settings.primaryRegion} and copies in ${settings.drRegion}`, error: describeError(error) });
        return undefined;
      }
      work.inFlight[kind] = inFlightOf(index.copies, options.finished);
      // Backups not (or no longer) to be copied are left out silently: a backup past its DR retention would otherwise
      // be copied again after cleanup deleted its copy.
      const candidates = backups.map((b) => classify.classify(b)).filter(isCandidate);
      return { kind, candidates, matched: await matchExisting(deps.dr, index, candidates, settings.concurrency, options) };
    }),
  );

  const toStart: Candidate[] = [];
  for (const found of perKind) {
    if (found === undefined) continue;
    work.replaced.push(...found.matched.replaced);
    work.copies.push(...found.matched.failed, ...found.matched.leftFailed);
    work.live.push(...liveLockableCopies(found.matched.copied));
    toStart.push(...found.matched.toStart);
  }
  const target = copyTarget(deps, settings);
  work.copies.push(...(await startWithinLimits(toStart, { limits: settings.limits, inFlight: work.inFlight }, settings.concurrency, (c) => startCopy(target, c))));
  return { work, perKind };
}

export async function sweep(deps: CopyDeps, settings: CopySettings, now: Date): Promise<Work> {
  const plans = settings.plans.filter((p) => p.copyToDr);
  const kinds = copiedKinds(settings);
  const { work, perKind } = await startKinds(deps, settings, now, kinds);

  // DR lag: the oldest completed backup whose DR copy is not available yet, from when a copy could first start
  // (handlers/copy/lag.ts: a copy in flight is progressing for a while, not lagging).
  const ages: Record<string, number> = Object.fromEntries(plans.map((p) => [p.name, 0]));
  for (const found of perKind) {
    if (found === undefined) continue;
    const live = new Map(found.matched.copied.map(({ candidate, copy }) => [candidate.source.id, copy]));
    const kindAges = drLagSeconds(Object.keys(ages), found.candidates, (c) => live.get(c.source.id), now);
    for (const [plan, age] of Object.entries(kindAges)) ages[plan] = Math.max(ages[plan] ?? 0, age);
  }
  // A plan whose backups could not all be listed gets no lag value rather than one that may be too low.
  const unlisted = kinds.filter((_, i) => perKind[i] === undefined);
  for (const plan of plans) if (plan.resources.some((r) => unlisted.includes(copyKind(r).snapshotKind))) delete ages[plan.name];
  work.oldestUncopiedAgeSeconds = ages;
  return work;
}
