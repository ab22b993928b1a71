// The sweep: every completed backup of a copy-enabled plan that has no live DR copy (a lost event, a deferred copy, a
// failed copy, which is deleted first) is started within the limits, oldest first; and the DR lag is measured.
import { copyKind } from "../kinds/registry";
import { describeError } from "../lib/errors";
import { classifier, isCandidate } from "./classify";
import { readDr, type DrIndex } from "./dr-copies";
import { drLagSeconds } from "./lag";
import { matchExisting } from "./existing";
import { startWithinLimits } from "./limiter";
import { startCopy } from "./start-copy";
import type { Candidate, CopySettings, SnapshotRecord } from "./types";
import { copyTarget, emptyWork, liveLockableCopies, type CopyDeps, type Work } from "./work";

export async function sweep(deps: CopyDeps, settings: CopySettings, now: Date): Promise<Work> {
  const work = emptyWork();
  const plans = settings.plans.filter((p) => p.copyToDr);
  const kinds = [...new Set(plans.flatMap((p) => p.resources.map((r) => copyKind(r).snapshotKind)))].sort();
  const planNames = plans.map((p) => p.name);
  const classify = classifier(settings.stackTag, settings.plans, now);

  const perKind = await Promise.all(
    kinds.map(async (kind) => {
      let backups: SnapshotRecord[];
      let index: DrIndex;
      try {
        [backups, index] = await Promise.all([copyKind(kind).listBackups(deps.primary, settings.stackTag, planNames), readDr(deps.dr, kind, settings.stackTag)]);
      } catch (error) {
        work.problems.push({ what: `listing ${kind} backups in ${settings.primaryRegion} and copies in ${settings.drRegion}`, error: describeError(error) });
        return undefined;
      }
      work.inFlight[kind] = index.inFlight ?? 0; // a sweep always counts (readDr without copyOf lists every copy)
      // Backups not (or no longer) to be copied are left out silently: a backup past its DR retention would otherwise
      // be copied again after cleanup deleted its copy.
      const candidates = backups.map((b) => classify.classify(b)).filter(isCandidate);
      return { kind, candidates, matched: await matchExisting(deps.dr, index, candidates, settings.concurrency) };
    }),
  );

  const toStart: Candidate[] = [];
  for (const found of perKind) {
    if (found === undefined) continue;
    work.replaced.push(...found.matched.replaced);
    work.copies.push(...found.matched.failed);
    work.live.push(...liveLockableCopies(found.matched.copied));
    toStart.push(...found.matched.toStart);
  }
  const target = copyTarget(deps, settings);
  work.copies.push(...(await startWithinLimits(toStart, { limits: settings.limits, inFlight: work.inFlight }, settings.concurrency, (c) => startCopy(target, c))));

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
