// What coverage reads, read-only: every report kind's inventory in the primary region and this stack's recovery points
// in the primary region and (when a plan copies) the DR region, a few calls at a time. A region or kind that cannot be
// read is recorded in `errors` (where: "<region> <kind>") and in `failed`, never thrown: coverage marks what it could
// not see "unknown".
import type { ReportKind } from "../kinds/kind";
import type { KindClients } from "../kinds/clients";
import { describeError, type ErrorInfo } from "../lib/errors";
import { settleWithConcurrency } from "../lib/pool";
import type { ResourceKind } from "../plan";
import type { RecoveryPoint } from "../restore/contract";
import type { InventoryItem } from "./contract";

export type RegionRole = "primary" | "dr";

export interface CollectScope {
  stackTag: string;
  selectionTagKey: string;
  primaryRegion: string;
  drRegion: string;
  /** Read the DR region's points (some plan copies). */
  readDr: boolean;
  concurrency: number;
}

export interface Collected {
  /** The primary region's resources of every kind whose inventory was read. */
  inventory: InventoryItem[];
  /** This stack's recovery points per region (as listed: completed or not, of any origin). */
  points: Record<RegionRole, RecoveryPoint[]>;
  /** The kinds whose inventory could not be read (primary region). */
  inventoryFailed: ResourceKind[];
  /** Per region, the kinds whose points could not be read. */
  pointsFailed: Record<RegionRole, ResourceKind[]>;
  errors: Array<ErrorInfo & { where: string }>;
}

interface Task {
  kind: ReportKind;
  role: RegionRole;
  what: "inventory" | "points";
}

type Listed = { inventory: InventoryItem[] } | { points: RecoveryPoint[] };

/** Reads everything coverage needs; never throws for a failed call (it is in `errors`). */
export async function collect(clients: Record<RegionRole, KindClients>, kinds: readonly ReportKind[], scope: CollectScope): Promise<Collected> {
  const roles: RegionRole[] = scope.readDr ? ["primary", "dr"] : ["primary"];
  const tasks: Task[] = kinds.flatMap((kind) => [
    { kind, role: "primary" as const, what: "inventory" as const },
    ...roles.map((role) => ({ kind, role, what: "points" as const })),
  ]);
  const settled = await settleWithConcurrency(tasks, scope.concurrency, async (task): Promise<Listed> =>
    task.what === "inventory"
      ? { inventory: await task.kind.inventory(clients[task.role], scope.selectionTagKey) }
      : { points: await task.kind.listPoints(clients[task.role], scope.stackTag) },
  );
  const out: Collected = { inventory: [], points: { primary: [], dr: [] }, inventoryFailed: [], pointsFailed: { primary: [], dr: [] }, errors: [] };
  settled.forEach((result, i) => {
    const task = tasks[i];
    const region = task.role === "primary" ? scope.primaryRegion : scope.drRegion;
    if (result.status === "rejected") {
      out.errors.push({ where: `${region} ${task.kind.name}`, ...describeError(result.reason) });
      if (task.what === "inventory") out.inventoryFailed.push(task.kind.name);
      else out.pointsFailed[task.role].push(task.kind.name);
      return;
    }
    // A kind answers for its own kind only: anything else it returned is not counted twice.
    const listed = result.value;
    if ("inventory" in listed) out.inventory.push(...listed.inventory.filter((item) => item.kind === task.kind.name));
    else out.points[task.role].push(...listed.points.filter((p) => p.kind === task.kind.name));
  });
  return out;
}
