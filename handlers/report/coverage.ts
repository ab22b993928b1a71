// Coverage, pure (no AWS): from the plans, the primary region's inventory and both regions' points, per opted-in source
// and region its newest completed point against the plan's RPO there (handlers/report/rpo.ts), its points per tier and
// its encryption (shown, never out of policy: that is the controls'); a source the backup skips on purpose (the kind's
// inventory says why: InventoryItem.skip) is "skipped-by-backup", and one whose point is still being taken "in-progress";
// per plan a summary; and every other primary-region resource as unselected, with the reason.
//
// A source is opted in when its selection tag names a plan of this stack whose `resources` include its kind. When a
// kind's inventory could not be read, its sources are the ones this stack's points name (of a plan backing the kind
// up), their primary status "unknown": a source that was never backed up cannot be seen then (the error is recorded).
import { OUT_OF_POLICY_STATUS, type InventoryItem, type ReportOptions } from "./contract";
import type { LastPoint, PlanSummary, RegionCoverage, SourceCoverage, Unselected } from "./schema";
import type { Collected, RegionRole } from "./collect";
import { planRpo, type PlanRpo } from "./rpo";
import { duration } from "../lib/duration";
import { TIERS, type RunPlan, type TierCounts } from "../plan";
import type { RecoveryPoint } from "../restore/contract";

export interface CoverageInput {
  plans: readonly RunPlan[];
  collected: Collected;
  now: Date;
  options: Pick<ReportOptions, "graceSeconds" | "drLagSeconds">;
  selectionTagKey: string;
  regions: Record<RegionRole, string>;
  /** Each region's customer-managed key: lastPoint.customerKey says whether a point is under it (never out of policy). */
  keys: Record<RegionRole, string>;
}

export interface Coverage {
  plans: PlanSummary[];
  sources: SourceCoverage[];
  unselected: Unselected[];
}

export function coverage(input: CoverageInput): Coverage {
  const { plans, collected } = input;
  const rpos = new Map(plans.map((plan) => [plan.name, planRpo(plan, input.options)]));
  const selected: Array<{ plan: RunPlan; item: InventoryItem; unknownPrimary: boolean }> = [];
  const unselected: Unselected[] = [];
  for (const item of collected.inventory) {
    const plan = plans.find((p) => p.name === item.selection);
    if (plan !== undefined && plan.resources.includes(item.kind)) selected.push({ plan, item, unknownPrimary: false });
    else unselected.push({ kind: item.kind, id: item.id, ...optional("name", item.name), ...optional("selection", item.selection), reason: unselectedReason(item, plan, input.selectionTagKey) });
  }
  selected.push(...fromPoints(plans, collected).map((s) => ({ ...s, unknownPrimary: true })));
  const index = pointIndex(collected);
  const sources = selected.map(({ plan, item, unknownPrimary }) => {
    const rpo = rpos.get(plan.name) ?? planRpo(plan, input.options);
    return sourceCoverage(input, index, plan, rpo, item, unknownPrimary);
  });
  const summaries = plans.map((plan): PlanSummary => {
    const rpo = rpos.get(plan.name) ?? planRpo(plan, input.options);
    const own = sources.filter((s) => s.plan === plan.name);
    return {
      name: plan.name,
      schedule: plan.schedule.expression,
      timezone: plan.timezone,
      resources: [...plan.resources],
      copyToDr: plan.copyToDr,
      rpoSeconds: rpo.rpoSeconds,
      ...optional("drRpoSeconds", rpo.drRpoSeconds),
      keep: { ...plan.keep },
      drKeep: { ...plan.drKeep },
      sources: own.length,
      outOfPolicy: own.filter((s) => s.outOfPolicy).length,
    };
  });
  return { plans: summaries, sources, unselected };
}

function unselectedReason(item: InventoryItem, plan: RunPlan | undefined, tagKey: string): string {
  // Still listed: a restored database kept as the new production one is unprotected until it is opted in.
  if (item.restoreId !== undefined) return `restored by backup-dr (restore ${item.restoreId}); opt it into a plan if you keep it`;
  if (item.selection === undefined) return `no ${tagKey} tag`;
  if (plan === undefined) return `"${item.selection}" is not a plan of this stack`;
  return `plan "${plan.name}" does not back up ${item.kind}`;
}

/** The sources of kinds whose inventory failed, as this stack's points in either region name them (one per source). */
function fromPoints(plans: readonly RunPlan[], collected: Collected): Array<{ plan: RunPlan; item: InventoryItem }> {
  const out: Array<{ plan: RunPlan; item: InventoryItem }> = [];
  const seen = new Set<string>();
  for (const point of [...collected.points.primary, ...collected.points.dr]) {
    if (!collected.inventoryFailed.includes(point.kind)) continue;
    const plan = plans.find((p) => p.name === point.plan);
    const key = `${point.kind} ${point.source}`;
    if (plan === undefined || !plan.resources.includes(point.kind) || seen.has(key)) continue;
    seen.add(key);
    out.push({ plan, item: { kind: point.kind, id: point.source, selection: plan.name } });
  }
  return out;
}

/** Per region, "<kind> <source>" -> its points of the region's origin (backups in primary, copies in DR): completed ones, and ones still in progress. */
type PointIndex = Record<RegionRole, { completed: Map<string, RecoveryPoint[]>; inProgress: Map<string, RecoveryPoint[]> }>;

function pointIndex(collected: Collected): PointIndex {
  const index: PointIndex = { primary: { completed: new Map(), inProgress: new Map() }, dr: { completed: new Map(), inProgress: new Map() } };
  const origin: Record<RegionRole, RecoveryPoint["origin"]> = { primary: "backup", dr: "copy" };
  for (const role of ["primary", "dr"] as const) {
    for (const point of collected.points[role]) {
      if (point.origin !== origin[role] || (!point.completed && point.failed === true)) continue;
      const into = point.completed ? index[role].completed : index[role].inProgress;
      const key = `${point.kind} ${point.source}`;
      into.set(key, [...(into.get(key) ?? []), point]);
    }
  }
  return index;
}

function sourceCoverage(input: CoverageInput, index: PointIndex, plan: RunPlan, rpo: PlanRpo, item: InventoryItem, unknownPrimary: boolean): SourceCoverage {
  const primary = regionCoverage(input, index, "primary", item, rpo.rpoSeconds, plan.keep, unknownPrimary);
  const dr = rpo.drRpoSeconds === undefined ? undefined : regionCoverage(input, index, "dr", item, rpo.drRpoSeconds, plan.drKeep, false);
  const reasons = [...regionReasons("primary", primary, unknownPrimary), ...(dr === undefined ? [] : regionReasons("dr", dr, false))];
  return {
    plan: plan.name,
    kind: item.kind,
    source: item.id,
    ...optional("name", item.name),
    ...optional("createdAt", item.createdAt),
    ...optional("skip", item.skip),
    primary,
    ...optional("dr", dr),
    outOfPolicy: reasons.length > 0,
    reasons,
  };
}

/** Longest a point may stay in progress and still count as on its way (the DR-lag alarm's bound for a copy in flight). */
export const IN_PROGRESS_MAX_SECONDS = 24 * 3600;

function regionCoverage(input: CoverageInput, index: PointIndex, role: RegionRole, item: InventoryItem, rpoSeconds: number, keep: TierCounts, unknown: boolean): RegionCoverage {
  const key = `${item.kind} ${item.id}`;
  const points = index[role].completed.get(key) ?? [];
  const base = { region: input.regions[role], rpoSeconds, pointsByTier: byTier(points), keep: { ...keep } };
  if (unknown || input.collected.pointsFailed[role].includes(item.kind)) return { ...base, status: "unknown" };
  const newest = newestTaken(points);
  const last = newest === undefined ? {} : { lastPoint: lastPoint(newest.point, newest.taken, input.keys[role]), ageSeconds: ageOf(input.now, newest.taken) };
  if (item.skip !== undefined) return { ...base, status: "skipped-by-backup", ...last };
  if (last.ageSeconds !== undefined && last.ageSeconds <= rpoSeconds) return { ...base, status: "ok", ...last };
  if (newest === undefined && firstPending(input, index, role, item, rpoSeconds)) return { ...base, status: "pending-first-backup" };
  const onItsWay = (index[role].inProgress.get(key) ?? []).some((p) => p.taken !== undefined && ageOf(input.now, p.taken) <= Math.min(rpoSeconds, IN_PROGRESS_MAX_SECONDS));
  if (onItsWay) return { ...base, status: "in-progress", ...last };
  return { ...base, status: newest === undefined ? "never-backed-up" : "late", ...last };
}

/** Whole seconds from `taken` to now (0 for a point from the future; NaN when unreadable, which compares false). */
function ageOf(now: Date, taken: string): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(taken)) / 1000));
}

/**
 * No completed point yet, and its first may still come. Primary: the source was created less than the RPO ago, or its
 * creation time is unknown (a database still being created). An older source newly opted in is never-backed-up: it
 * really has no point until the plan's next slot or a backup run by hand. DR: the source's oldest completed primary
 * point was taken less than drLagSeconds ago, or it has none yet (the primary region reports that).
 */
function firstPending(input: CoverageInput, index: PointIndex, role: RegionRole, item: InventoryItem, rpoSeconds: number): boolean {
  if (role === "dr") {
    const taken = (index.primary.completed.get(`${item.kind} ${item.id}`) ?? []).flatMap((p) => (p.taken === undefined || Number.isNaN(Date.parse(p.taken)) ? [] : [ageOf(input.now, p.taken)]));
    return taken.length === 0 || Math.max(...taken) < input.options.drLagSeconds;
  }
  const created = item.createdAt === undefined ? Number.NaN : Date.parse(item.createdAt);
  return Number.isNaN(created) || input.now.getTime() - created <= rpoSeconds * 1000;
}

function newestTaken(points: readonly RecoveryPoint[]): { point: RecoveryPoint; taken: string } | undefined {
  let newest: { point: RecoveryPoint; taken: string; at: number } | undefined;
  for (const point of points) {
    const at = point.taken === undefined ? Number.NaN : Date.parse(point.taken);
    if (point.taken === undefined || Number.isNaN(at)) continue;
    if (newest === undefined || at > newest.at) newest = { point, taken: point.taken, at };
  }
  return newest;
}

function lastPoint(point: RecoveryPoint, taken: string, keyArn: string): LastPoint {
  const encrypted = point.encryption?.encrypted ?? false;
  const kmsKeyIds = [...new Set(point.encryption?.kmsKeyIds ?? [])].sort();
  return {
    id: point.id,
    taken: new Date(Date.parse(taken)).toISOString(),
    ...optional("tier", point.tier),
    encrypted,
    customerKey: encrypted && kmsKeyIds.length > 0 && kmsKeyIds.every((k) => k === keyArn),
    kmsKeyIds,
  };
}

function byTier(points: readonly RecoveryPoint[]): TierCounts {
  const counts = Object.fromEntries(TIERS.map((t) => [t, 0])) as TierCounts; // every tier, 0 each
  for (const point of points) if (point.tier !== undefined) counts[point.tier] += 1;
  return counts;
}

/**
 * One sentence per reason the source is out of policy in the region (none when it is not): its status only. How its
 * newest point is encrypted is in lastPoint and the BACKUP_RECOVERY_POINT_ENCRYPTED control, never a missed backup.
 */
function regionReasons(role: RegionRole, region: RegionCoverage, inventoryFailed: boolean): string[] {
  const where = `${role === "primary" ? "Primary" : "DR"} region ${region.region}`;
  return OUT_OF_POLICY_STATUS.includes(region.status) ? [statusReason(where, region, inventoryFailed)] : [];
}

function statusReason(where: string, region: RegionCoverage, inventoryFailed: boolean): string {
  const rpo = duration(region.rpoSeconds);
  switch (region.status) {
    case "late":
      return `${where}: late by ${duration((region.ageSeconds ?? 0) - region.rpoSeconds)} (newest point ${duration(region.ageSeconds ?? 0)} old, RPO ${rpo}).`;
    case "never-backed-up":
      return `${where}: never backed up (no completed point, RPO ${rpo}).`;
    default:
      return inventoryFailed ? `${where}: its resources could not be read (see errors).` : `${where}: its recovery points could not be read (see errors).`;
  }
}

/** `{ [field]: value }` when the value is defined, else nothing (the schema's optional fields are absent, not undefined). */
function optional<K extends string, V>(field: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [field]: value } as Record<K, V>);
}
