// An event run: the snapshots one completion event names are read in the primary region (their tags decide whether
// they are ours), matched against the DR region, and copied within the room the DR region has. The DR region is read
// for the copies of these backups and for our copies in flight (two filtered requests side by side where a kind needs them), so an event
// that arrives while the places are full defers its copies without a refused call (AWS's refusal still stops the kind
// when copies that are not ours fill it, handlers/copy/limiter.ts).
import { copyKind } from "../kinds/registry";
import { describeError } from "../lib/errors";
import { classifier, isCandidate } from "./classify";
import { inFlightOf, readDr, type DrIndex } from "./dr-copies";
import type { CopyRequest } from "./event";
import { matchExisting } from "./existing";
import { startWithinLimits } from "./limiter";
import { startCopy } from "./start-copy";
import type { Candidate, CopySettings, SnapshotRecord } from "./types";
import { copyTarget, emptyWork, liveLockableCopies, type CopyDeps, type Work } from "./work";

type EventRequest = Extract<CopyRequest, { trigger: "event" }>;

export async function copyForEvent(deps: CopyDeps, settings: CopySettings, request: EventRequest, now: Date): Promise<Work> {
  const work = emptyWork();
  const { kind } = request;
  const module = copyKind(kind);
  const ignoreAll = (reason: string) => request.snapshots.forEach((source) => work.copies.push({ kind, source, status: "ignored", reason }));
  if (request.ignore !== undefined) return work;
  if (request.event.region !== undefined && request.event.region !== settings.primaryRegion) {
    ignoreAll(`the event is from ${request.event.region}; this function copies backups of ${settings.primaryRegion}`);
    return work;
  }
  const notOurs = module.notOursById(request.snapshots[0]);
  if (notOurs !== undefined) {
    ignoreAll(notOurs);
    return work;
  }

  let sources: SnapshotRecord[];
  try {
    sources = await module.readBackups(deps.primary, request.snapshots, request.arn);
  } catch (error) {
    work.problems.push({ what: `reading ${kind} snapshot ${request.snapshots.join(", ")} in ${settings.primaryRegion}`, error: describeError(error) });
    return work;
  }
  for (const missing of request.snapshots.filter((id) => !sources.some((s) => s.id === id))) {
    work.copies.push({ kind, source: missing, status: "skipped", reason: `not found in ${settings.primaryRegion}: deleted since the event` });
  }

  const classify = classifier(settings.stackTag, settings.plans, now);
  const candidates: Candidate[] = [];
  for (const source of sources) {
    const verdict = classify.classify(source);
    if (isCandidate(verdict)) candidates.push(verdict);
    else work.copies.push(verdict);
  }
  if (candidates.length === 0) return work;

  let index: DrIndex;
  try {
    index = await readDr(deps.dr, kind, settings.stackTag, candidates.map((c) => c.copyOf));
  } catch (error) {
    // Without knowing what the DR region holds, a copy could be a duplicate: none is started.
    for (const c of candidates) work.copies.push({ kind, source: c.source.id, plan: c.plan.name, status: "failed", error: describeError(error), reason: `reading ${kind} copies in ${settings.drRegion}` });
    return work;
  }
  work.inFlight[kind] = inFlightOf(index.copies);
  const matched = await matchExisting(deps.dr, index, candidates, settings.concurrency);
  work.replaced.push(...matched.replaced);
  work.copies.push(...matched.failed);
  work.live.push(...liveLockableCopies(matched.copied));
  for (const { candidate, copy } of matched.copied) {
    work.copies.push({ kind, source: candidate.source.id, ...(candidate.source.arn ? { sourceArn: candidate.source.arn } : {}), plan: candidate.plan.name, status: "skipped", copyId: copy.id, reason: "already copied" });
  }
  const target = copyTarget(deps, settings);
  work.copies.push(...(await startWithinLimits(matched.toStart, { limits: settings.limits, inFlight: work.inFlight }, settings.concurrency, (c) => startCopy(target, c))));
  return work;
}
