// Every recovery point of a source in the regions asked for, newest first. Each region is read on its own: a region
// that fails (down, no access) is reported with its error and never hides the other region's points.
import type { RecoveryPoint } from "../../handlers/restore/contract";
import { describeError, type ErrorInfo } from "../../handlers/lib/errors";
import type { ClientsOf } from "../lib/clients";
import type { PointsKind } from "./common-args";
import type { RegionRole } from "../lib/stack-outputs";

export interface ListedPoint extends RecoveryPoint {
  regionRole: RegionRole;
  /** A backup's DR copy: "copied" (every snapshot's copy completed), "copying", "not copied", or "not read" (the DR
   * region was not asked or did not answer); "-" on a copy. */
  drCopy: DrCopyState;
  restorable: boolean;
  /** Why it cannot be restored (absent when it can). */
  whyNot?: string;
}

export interface RegionFailure {
  regionRole: RegionRole;
  region: string;
  error: ErrorInfo;
}

export interface PointListing {
  points: ListedPoint[];
  failures: RegionFailure[];
}

export type DrCopyState = "copied" | "copying" | "not copied" | "not read" | "-";

/** What a backup's DR copies are copies of: a DB snapshot's ARN, or each volume snapshot's id. */
function copyKeys(point: RecoveryPoint): string[] {
  return point.arn === undefined ? point.snapshotIds : [point.arn];
}

/** The DR copy state of a backup, from the DR region's points (undefined: the DR region was not read). */
export function drCopyState(point: RecoveryPoint, drPoints: readonly RecoveryPoint[] | undefined): DrCopyState {
  if (point.origin === "copy") return "-";
  if (drPoints === undefined) return "not read";
  const keys = copyKeys(point);
  const copiedBy = (copies: readonly RecoveryPoint[]) => new Set(copies.flatMap((c) => c.copyOf ?? []));
  const done = copiedBy(drPoints.filter((c) => c.completed));
  if (keys.every((k) => done.has(k))) return "copied";
  const any = copiedBy(drPoints);
  return keys.some((k) => any.has(k)) ? "copying" : "not copied";
}

/** Why a point cannot be restored, as the restore's start step would refuse it; undefined when it can be. */
export function whyNotRestorable(point: RecoveryPoint): string | undefined {
  if (point.notRestorable !== undefined) return point.notRestorable;
  return point.completed ? undefined : "not completed yet";
}

/** Newest taken first; a point without a taken time last; ties by region role then id, so the order is stable. */
export function newestFirst(a: ListedPoint, b: ListedPoint): number {
  const time = (p: ListedPoint) => (p.taken === undefined ? Number.NEGATIVE_INFINITY : Date.parse(p.taken));
  return time(b) - time(a) || a.regionRole.localeCompare(b.regionRole) || a.id.localeCompare(b.id);
}

export async function listRecoveryPoints(
  regions: ReadonlyArray<{ role: RegionRole; region: string }>,
  kinds: readonly PointsKind[],
  clientsOf: ClientsOf,
  stackTag: string,
  source: string,
): Promise<PointListing> {
  const perRegion = await Promise.all(
    regions.map(async ({ role, region }) => {
      try {
        const clients = clientsOf(region).kinds;
        const lists = await Promise.all(kinds.map((kind) => kind.listPoints(clients, stackTag, source)));
        return { points: lists.flat().map((point) => listed(point, role)), failures: [] };
      } catch (error) {
        return { points: [], failures: [{ regionRole: role, region, error: describeError(error) }] };
      }
    }),
  );
  const failures = perRegion.flatMap((r) => r.failures);
  const points = perRegion.flatMap((r) => r.points);
  const drRead = regions.some((r) => r.role === "dr") && !failures.some((f) => f.regionRole === "dr");
  const drPoints = drRead ? points.filter((p) => p.regionRole === "dr") : undefined;
  return { points: points.map((p) => ({ ...p, drCopy: drCopyState(p, drPoints) })).sort(newestFirst), failures };
}

function listed(point: RecoveryPoint, regionRole: RegionRole): ListedPoint {
  const whyNot = whyNotRestorable(point);
  return { ...point, regionRole, drCopy: "-", restorable: whyNot === undefined, ...(whyNot === undefined ? {} : { whyNot }) };
}
