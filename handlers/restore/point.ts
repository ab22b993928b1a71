// Choosing the recovery point a restore starts from, in the function's own region, through the kinds' points half
// (never naming a kind): `latest`, an ISO instant (the newest completed point taken at or before it), or an explicit
// snapshot id or ARN. Every refusal is a named error thrown before anything is created.
import type { KindClients } from "../kinds/clients";
import type { RestoreKind } from "../kinds/kind";
import { malformedEventError } from "../lib/errors";
import { describeInput, INSTANT_RULE, parseInstant } from "../lib/event-input";
import type { RecoveryPoint, RestoreRequest } from "./contract";
import { ambiguousSourceError, foreignRecoveryPointError, incompleteRecoveryPointError, noRecoveryPointError, otherSourceRecoveryPointError, unknownSourceError } from "./errors";

export interface ChosenPoint {
  kind: RestoreKind;
  point: RecoveryPoint;
}

/** Where points are looked for: the region's clients, this stack's tag, the kinds that can be restored. */
export interface PointScope {
  clients: KindClients;
  region: string;
  stackTag: string;
  kinds: readonly RestoreKind[];
}

/** What `point` asks for: the newest, the newest at or before an instant, or one snapshot. */
export type PointWanted = { latest: true } | { at: Date } | { explicit: string };

/** Reads `point` (before any AWS call): "latest", an instant, or an id/ARN some kind can take; else MalformedEventError. */
export function pointWanted(point: string, kinds: readonly RestoreKind[]): PointWanted {
  if (point === "latest") return { latest: true };
  const at = parseInstant(point);
  if (at !== undefined) return { at };
  if (kinds.some((k) => k.mayBePoint(point))) return { explicit: point };
  throw malformedEventError(`request.point must be "latest", ${INSTANT_RULE}, or a snapshot id or ARN of a kind this function restores, got ${describeInput(point)}`);
}

/** The kinds the request may mean: the one it names, else all. */
function candidateKinds(scope: PointScope, request: RestoreRequest): readonly RestoreKind[] {
  return request.kind === undefined ? scope.kinds : scope.kinds.filter((k) => k.name === request.kind);
}

/**
 * The point the request names, or the named error saying why there is none to restore. `latestBy`: `latest` means
 * the newest taken by then (the restore's start, so a rerun of the step chooses the same point).
 */
export async function choosePoint(scope: PointScope, request: RestoreRequest, latestBy?: Date): Promise<ChosenPoint> {
  const kinds = candidateKinds(scope, request);
  const wanted = pointWanted(request.point, kinds);
  if ("explicit" in wanted) return explicitPoint(scope, kinds, request, wanted.explicit);
  return "at" in wanted ? newestPoint(scope, kinds, request.source, wanted.at, `a point taken at or before ${wanted.at.toISOString()}`) : newestPoint(scope, kinds, request.source, latestBy, "latest");
}

const byTakenDesc = (a: RecoveryPoint, b: RecoveryPoint) => Date.parse(b.taken ?? "") - Date.parse(a.taken ?? "");

/** The newest completed point of the source (taken at or before `at`, when given); `wanted` says what was asked. */
async function newestPoint(scope: PointScope, kinds: readonly RestoreKind[], source: string, at: Date | undefined, wanted: string): Promise<ChosenPoint> {
  const sourceKinds = kinds.filter((k) => k.mayBeSource(source));
  const listed = await Promise.all(sourceKinds.map(async (kind) => ({ kind, points: await kind.listPoints(scope.clients, scope.stackTag, source) })));
  const found = listed.filter((l) => l.points.length > 0);
  if (found.length === 0) throw unknownSourceError(source, scope.region, sourceKinds.map((k) => k.name));
  if (found.length > 1) throw ambiguousSourceError(source, found.map((l) => l.kind.name));
  const [{ kind, points }] = found;
  const restorable = points.filter((p) => p.completed && p.notRestorable === undefined && p.taken !== undefined && !Number.isNaN(Date.parse(p.taken)));
  const inTime = restorable.filter((p) => at === undefined || Date.parse(p.taken ?? "") <= at.getTime()).sort(byTakenDesc);
  if (inTime.length === 0) {
    const oldest = restorable.map((p) => p.taken ?? "").sort()[0];
    const detail =
      restorable.length === 0
        ? `${scope.region} holds ${points.length} point${points.length === 1 ? "" : "s"} of it, none completed (${points[0].notRestorable ?? "not completed"})`
        : `the oldest completed point in ${scope.region} was taken at ${oldest}`;
    throw noRecoveryPointError(source, wanted, detail);
  }
  return { kind, point: inTime[0] };
}

/** The region a generic ARN names (arn:partition:service:region:...), or undefined. */
function arnRegion(text: string): string | undefined {
  const parts = text.split(":");
  return parts[0] === "arn" && parts.length > 5 && parts[3] !== "" ? parts[3] : undefined;
}

/** The one point an explicit id or ARN names, if it is this stack's, of the source, and restorable. */
async function explicitPoint(scope: PointScope, kinds: readonly RestoreKind[], request: RestoreRequest, idOrArn: string): Promise<ChosenPoint> {
  const pointKinds = kinds.filter((k) => k.mayBePoint(idOrArn));
  const read = await Promise.all(pointKinds.map(async (kind) => ({ kind, point: await kind.readPoint(scope.clients, idOrArn) })));
  const found = read.flatMap(({ kind, point }) => (point === undefined ? [] : [{ kind, point }]));
  if (found.length === 0) {
    const elsewhere = arnRegion(idOrArn);
    const hint =
      elsewhere !== undefined && elsewhere !== scope.region
        ? `the ARN names ${elsewhere}: restore there, or name this region's copy of it`
        : `a DR copy of a volume snapshot has an id of its own: list this region's points with npm run recovery-points`;
    throw noRecoveryPointError(request.source, idOrArn, `${scope.region} has no such snapshot (${hint})`);
  }
  if (found.length > 1) throw ambiguousSourceError(idOrArn, found.map((f) => f.kind.name));
  const [chosen] = found;
  const { point } = chosen;
  if (point.stack !== scope.stackTag) throw foreignRecoveryPointError(idOrArn, point.stack, scope.stackTag);
  if (point.source !== request.source) throw otherSourceRecoveryPointError(idOrArn, point.source, request.source);
  if (!point.completed || point.notRestorable !== undefined) throw incompleteRecoveryPointError(idOrArn, point.notRestorable ?? "not completed");
  return chosen;
}
