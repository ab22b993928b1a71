// The sweep: every completed backup of a copy-enabled plan that has no live DR copy (a lost event, a deferred copy, a
// failed copy, which is deleted first) is started within the limits, oldest first; and the DR lag is measured.
import { TAG_PLAN, TAG_STACK, type SnapshotKind } from "../catalog";
import { describeError } from "../lib/errors";
import { classifier, isCandidate } from "./classify";
import { readDr, type DrIndex } from "./dr-copies";
import { drLagSeconds } from "./lag";
import { matchExisting } from "./existing";
import { startWithinLimits } from "./limiter";
import { describeEbsSnapshots, listClusterSnapshots, listDbSnapshots } from "./snapshots";
import { startCopy } from "./start-copy";
import type { Candidate, CopyPlan, CopySettings, SnapshotRecord } from "./types";
import { copyTarget, emptyWork, liveEbsCopies, type CopyDeps, type Work } from "./work";

const KIND_OF_RESOURCE = { ec2: "ebs", rds: "rds", aurora: "aurora" } as const;

export async function sweep(deps: CopyDeps, settings: CopySettings, now: Date): Promise<Work> {
  const work = emptyWork();
  const plans = settings.plans.filter((p) => p.copyToDr);
  const kinds = [...new Set(plans.flatMap((p) => p.resources.map((r) => KIND_OF_RESOURCE[r])))].sort();
  const classify = classifier(settings.stackTag, settings.plans, now);

  const perKind = await Promise.all(
    kinds.map(async (kind) => {
      let backups: SnapshotRecord[];
      let index: DrIndex;
      try {
        [backups, index] = await Promise.all([primaryBackups(deps, settings.stackTag, plans, kind), readDr(deps.dr, kind, settings.stackTag)]);
      } catch (error) {
        work.problems.push({ what: `listing ${kind} backups in ${settings.primaryRegion} and copies in ${settings.drRegion}`, error: describeError(error) });
        return undefined;
      }
      work.inFlight[kind] = index.inFlight;
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
    work.live.push(...liveEbsCopies(found.matched.copied));
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
  for (const plan of plans) if (plan.resources.some((r) => unlisted.includes(KIND_OF_RESOURCE[r]))) delete ages[plan.name];
  work.oldestUncopiedAgeSeconds = ages;
  return work;
}

/** This stack's backups of copy-enabled plans in the primary region (EBS: completed only, filtered by EC2). */
async function primaryBackups(deps: CopyDeps, stackTag: string, plans: readonly CopyPlan[], kind: SnapshotKind): Promise<SnapshotRecord[]> {
  const names = plans.map((p) => p.name);
  const ours = (s: SnapshotRecord) => s.tags[TAG_STACK] === stackTag && names.includes(s.tags[TAG_PLAN] ?? "");
  switch (kind) {
    case "ebs":
      return describeEbsSnapshots(deps.primary.ec2, [
        { Name: `tag:${TAG_STACK}`, Values: [stackTag] },
        { Name: `tag:${TAG_PLAN}`, Values: names },
        { Name: "status", Values: ["completed"] },
      ]);
    case "rds":
      return (await listDbSnapshots(deps.primary.rds)).filter(ours);
    case "aurora":
      return (await listClusterSnapshots(deps.primary.rds)).filter(ours);
  }
}
