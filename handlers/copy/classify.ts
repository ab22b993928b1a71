// Decides what a primary snapshot is to the copy function: a backup of ours to copy (a Candidate), or why not.
import { RESTORE_FACT_TAGS, TAG_COPY_OF, TAG_EXPIRES, TAG_PLAN, TAG_RUN, TAG_SET_SIZE, TAG_SOURCE, TAG_STACK, TAG_TAKEN, TAG_TIER } from "../catalog";
import { copyKind } from "../kinds/registry";
import { readCatalog } from "../lib/catalog-record";
import { slotRetention, type Retention } from "../lib/retention";
import { isoSeconds } from "../lib/run-id";
import type { Tag } from "../lib/tags";
import { slotOfRun, takenTime } from "../taken";
import type { Candidate, CopyOutcome, CopyPlan, SnapshotRecord } from "./types";

export interface Classifier {
  /** A Candidate, or the outcome (ignored, skipped, deferred) that says why the snapshot is not copied now. */
  classify(snapshot: SnapshotRecord): Candidate | CopyOutcome;
}

export const isCandidate = (value: Candidate | CopyOutcome): value is Candidate => "copyOf" in value;

/** The value a DR copy of the snapshot carries in `backup-dr:copy-of` (its kind says which: an id or an ARN). */
export function copyOfValue(snapshot: SnapshotRecord): string {
  return copyKind(snapshot.kind).copyOf(snapshot);
}

/** The backup's slot, from its run tag (`<plan>@<ISO slot>`, a manual run's ending `/manual`), else when the snapshot was taken. */
export function slotOf(snapshot: SnapshotRecord): Date | undefined {
  return slotOfRun(readCatalog(snapshot.tags).run) ?? snapshot.created;
}

/** One per run: retention is computed once per plan and slot (a run's backups share both). */
export function classifier(stackTag: string, plans: readonly CopyPlan[], now: Date): Classifier {
  const retentions = new Map<string, Retention>();
  const drRetention = (plan: CopyPlan, slot: Date): Retention => {
    const key = `${plan.name}|${slot.toISOString()}`;
    const known = retentions.get(key);
    if (known) return known;
    const computed = slotRetention(plan.schedule, slot, plan.timezone, plan.drKeep);
    retentions.set(key, computed);
    return computed;
  };
  return {
    classify(snapshot) {
      const base = { kind: snapshot.kind, source: snapshot.id, ...(snapshot.arn ? { sourceArn: snapshot.arn } : {}) };
      const entry = readCatalog(snapshot.tags);
      const stack = entry.stack;
      if (stack !== stackTag) return { ...base, status: "ignored", reason: stack === undefined ? "not a backup of this stack (no backup-dr:stack tag)" : `not a backup of this stack (backup-dr:stack is "${stack}")` };
      if (entry.copyOf !== undefined) return { ...base, status: "ignored", reason: `a DR copy (of ${entry.copyOf}), not a backup` };
      const planName = entry.plan;
      const plan = plans.find((p) => p.name === planName);
      if (plan === undefined) return { ...base, status: "ignored", reason: `plan ${JSON.stringify(planName ?? null)} is not one of this function's plans` };
      const withPlan = { ...base, plan: plan.name };
      if (!plan.copyToDr) return { ...withPlan, status: "ignored", reason: `plan ${plan.name} does not copy to DR (copyToDr is false)` };
      if (snapshot.state === "failed") return { ...withPlan, status: "skipped", reason: `the backup itself failed (${snapshot.status})` };
      if (snapshot.state !== "ready") return { ...withPlan, status: "deferred", reason: `the backup is not completed yet (${snapshot.status || "unknown"}); the sweep copies it` };
      const slot = slotOf(snapshot);
      if (slot === undefined) return { ...withPlan, status: "skipped", reason: "no backup-dr:run tag and no creation time: the DR expiry cannot be computed" };
      const { tier, expires } = drRetention(plan, slot);
      // A slot no DR tier keeps would be copied only to expire at the next slot: not worth a place in flight.
      if (plan.drKeep[tier] === 0) return { ...withPlan, status: "skipped", reason: `no DR tier of plan ${plan.name} keeps this slot` };
      if (expires.getTime() <= now.getTime()) return { ...withPlan, status: "skipped", reason: `its DR retention already ended at ${isoSeconds(expires)}` };
      return { source: snapshot, plan, copyOf: copyOfValue(snapshot), slot, tier: entry.tier ?? tier, expires };
    },
  };
}

/**
 * The copy's tags: the source's catalog tags (set size and restore facts included), copy-of, the DR expiry (written explicitly, not
 * copied), and when the data was taken: the source's creation time as AWS reports it (never the slot), so the copy's
 * own creation time in the DR region, which says only when the copy was made, never stands in for it.
 */
export function copyTags(candidate: Candidate): Tag[] {
  const { tags } = candidate.source;
  const carried = [TAG_STACK, TAG_PLAN, TAG_SOURCE, TAG_RUN, TAG_SET_SIZE, ...RESTORE_FACT_TAGS].flatMap((key) => (tags[key] === undefined ? [] : [{ Key: key, Value: tags[key] }]));
  const taken = takenTime(candidate.source);
  return [
    ...carried,
    ...(taken?.from === "created" ? [{ Key: TAG_TAKEN, Value: taken.at.toISOString() }] : []),
    { Key: TAG_TIER, Value: candidate.tier },
    { Key: TAG_EXPIRES, Value: isoSeconds(candidate.expires) },
    { Key: TAG_COPY_OF, Value: candidate.copyOf },
  ];
}
