// The pick step: which of this stack's sources the drill restores. Per plan with targets (or the one plan asked for)
// and per kind the plan backs up (DrillOptions.kinds; without it every kind), the sources with a restorable point are
// the candidates; `samplePerPlan` of them are chosen with the seeded generator (handlers/drill/prng.ts), each at its
// newest completed point taken at or before the drill's start. At most DrillOptions.maxSamples restores in all (Step
// Functions' history limit): the chosen past it are listed as unsampled, saying why.
// Reads the kinds' points listings only; creates nothing. The flow never names a kind.
import type { ResourceKind } from "../catalog";
import type { KindClients } from "../kinds/clients";
import type { RestoreKind } from "../kinds/kind";
import { restoreKinds } from "../kinds/registry";
import { unknownPlanError } from "../lib/errors";
import type { RecoveryPoint, RestoreRequest } from "../restore/contract";
import type { RestoreKinds } from "../restore/steps";
import { composedRestoreName, DRILL_NAME_PREFIX } from "../restore/naming";
import type { Drill, DrillRequest, DrillSample, DrillUnsampled } from "./contract";
import { choose, seededRandom, shortHash } from "./prng";
import type { DrillSettings } from "./settings";
import { restoreIdOf } from "./state";
import { secondsBetween } from "./measure";

export interface PickDeps {
  clients: KindClients;
  /** The kinds to sample (the registry's restore facets by default; tests inject stubs). */
  kinds?: Pick<RestoreKinds, "all">;
}

interface Group {
  plan: string;
  kind: RestoreKind;
  /** Source -> its newest restorable point taken by the drill's start. */
  restorable: Map<string, RecoveryPoint>;
  /** Every source of the plan and kind with a point of this stack in the region. */
  sources: Set<string>;
}

/** The plans the drill covers: the one asked for (which must have targets), else every plan with targets, sorted. */
export function drilledPlans(settings: DrillSettings, request: DrillRequest): string[] {
  const known = Object.keys(settings.options.targets).sort();
  if (request.plan === undefined) return known;
  if (!known.includes(request.plan)) throw unknownPlanError(request.plan, known);
  return [request.plan];
}

const validTaken = (p: RecoveryPoint): number => (p.taken === undefined ? Number.NaN : Date.parse(p.taken));

/** Whether the drill may restore the point: completed, restorable, this stack's, taken by the drill's start. */
function restorableBy(point: RecoveryPoint, stackTag: string, startedAt: number): boolean {
  const taken = validTaken(point);
  return point.completed && point.notRestorable === undefined && point.stack === stackTag && !Number.isNaN(taken) && taken <= startedAt;
}

/** A drill restore's name: `drill-<source>-<8 hex digits of the restore id's hash>`, unique per restore of any drill. */
export function drillRestoreName(source: string, restoreId: string): string {
  return composedRestoreName(`${DRILL_NAME_PREFIX}${source}`, shortHash(restoreId));
}

/** The restore request of a sample: its exact point, the drill's machine mode and classes, the drill's name. */
function requestFor(settings: DrillSettings, kind: ResourceKind, point: RecoveryPoint, restoreId: string): RestoreRequest {
  const { machineMode, instanceType, instanceClass } = settings.options;
  // A point of volume snapshots is a machine's: it has modes and an instance type; the others have an instance class.
  const machine = point.volumes !== undefined;
  return {
    source: point.source,
    kind,
    point: point.id,
    ...(machine ? { mode: machineMode } : {}),
    ...(machine && instanceType !== undefined ? { instanceType } : {}),
    ...(!machine && instanceClass !== undefined ? { instanceClass } : {}),
    name: drillRestoreName(point.source, restoreId),
  };
}

/** Groups the kind's points by plan: each source's newest restorable point, and every source seen. */
function groupsOf(kind: RestoreKind, plans: readonly string[], points: readonly RecoveryPoint[], stackTag: string, startedAt: number): Group[] {
  return plans.map((plan) => {
    const group: Group = { plan, kind, restorable: new Map(), sources: new Set() };
    for (const point of points.filter((p) => p.plan === plan && p.stack === stackTag)) {
      group.sources.add(point.source);
      if (!restorableBy(point, stackTag, startedAt)) continue;
      const held = group.restorable.get(point.source);
      // Newest taken wins; equal times: the larger id, so the choice never depends on the listing's order.
      if (held === undefined || validTaken(point) > validTaken(held) || (validTaken(point) === validTaken(held) && point.id > held.id)) group.restorable.set(point.source, point);
    }
    return group;
  });
}

/** Whether the drill samples the kind for the plan: the plan's own kinds when the options name them, else every kind. */
function plansKind(settings: DrillSettings, plan: string, kind: ResourceKind): boolean {
  const kinds = settings.options.kinds;
  return kinds === undefined || (kinds[plan] ?? []).includes(kind);
}

/** The entry of a group whose chosen sources the cap left out. */
function cappedOf(group: Group, left: number, maxSamples: number): DrillUnsampled {
  const what = `${left} chosen ${group.kind.name} source${left === 1 ? "" : "s"} of plan ${group.plan}`;
  return {
    plan: group.plan,
    kind: group.kind.name,
    reason: `${what} not restored: the drill already starts ${maxSamples} restores, the most one drill may (Step Functions keeps at most 25,000 history events of an execution)`,
  };
}

function unsampledOf(group: Group, region: string): DrillUnsampled | undefined {
  if (group.restorable.size > 0) return undefined;
  const base = { plan: group.plan, kind: group.kind.name, sources: group.sources.size };
  if (group.sources.size === 0) return { ...base, reason: `no ${group.kind.name} source of plan ${group.plan} has a recovery point of this stack in ${region}` };
  const n = group.sources.size;
  return { ...base, reason: `${n} ${group.kind.name} source${n === 1 ? "" : "s"} of plan ${group.plan} ha${n === 1 ? "s" : "ve"} points in ${region}, none completed, restorable and taken by the drill's start` };
}

/**
 * The drill: samples in a fixed order (plans sorted, kinds in the registry's order, then the order drawn), restore ids
 * `<drillId>-r<n>` from 1. Each plan and kind draws from its own generator, seeded `<seed>/<plan>/<kind>`, over its
 * candidates sorted by source id: adding a source to one plan never changes another plan's sample.
 */
export async function pickDrill(deps: PickDeps, settings: DrillSettings, drillId: string, startedAt: string, request: DrillRequest): Promise<Drill> {
  const plans = drilledPlans(settings, request);
  // Only the kinds some drilled plan backs up are listed; each plan's groups are its own kinds.
  const kinds = (deps.kinds?.all() ?? restoreKinds()).filter((kind) => plans.some((plan) => plansKind(settings, plan, kind.name)));
  const start = Date.parse(startedAt);
  const seed = request.seed ?? drillId;
  const listed = await Promise.all(kinds.map(async (kind) => groupsOf(kind, plans, await kind.listPoints(deps.clients, settings.stackTag), settings.stackTag, start)));
  // Plan-major order: every kind of the first plan, then the next plan.
  const groups = plans.flatMap((plan) => listed.flat().filter((g) => g.plan === plan && plansKind(settings, plan, g.kind.name)));
  const maxSamples = settings.options.maxSamples ?? Number.POSITIVE_INFINITY;
  const samples: DrillSample[] = [];
  const unsampled: DrillUnsampled[] = [];
  for (const group of groups) {
    const missing = unsampledOf(group, settings.region);
    if (missing !== undefined) {
      unsampled.push(missing);
      continue;
    }
    const candidates = [...group.restorable.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const drawn = choose(candidates, settings.options.samplePerPlan, seededRandom(`${seed}/${group.plan}/${group.kind.name}`));
    const room = Math.max(0, maxSamples - samples.length);
    const chosen = drawn.slice(0, room);
    if (drawn.length > chosen.length) unsampled.push(cappedOf(group, drawn.length - chosen.length, maxSamples));
    for (const source of chosen) {
      const point = group.restorable.get(source);
      if (point === undefined || point.taken === undefined) continue; // chosen from the map's own keys
      const restoreId = restoreIdOf(drillId, samples.length + 1);
      samples.push({
        drillId,
        restoreId,
        plan: group.plan,
        kind: group.kind.name,
        source,
        pointId: point.id,
        taken: point.taken,
        drillStartedAt: startedAt,
        rpoSeconds: secondsBetween(point.taken, startedAt),
        request: requestFor(settings, group.kind.name, point, restoreId),
        targets: settings.options.targets[group.plan],
      });
    }
  }
  return { drillId, startedAt, region: settings.region, request, seed, samples, unsampled, keepSeconds: settings.options.keepSeconds };
}
