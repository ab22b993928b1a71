// Resolving a restore's options, each from the first that has it: the request, the facts the recovery point
// recorded, the region's restore network (config backup-dr:restore); then the kind may fill more from the region
// (its regionDefaults, e.g. a zone from the first restore subnet). What the kind says is still missing is refused with
// a named error naming every missing option or config key, before anything is created.
import type { RestoreKind } from "../kinds/kind";
import type { RecoveryPoint, RestoreNetwork, RestoreRequest, RestoreState } from "./contract";
import type { NetworkHint } from "../lib/restore-facts";
import { missingRestoreNetworkError, missingRestoreOptionsError } from "./errors";
import { restoreName } from "./naming";

/** What resolving needs besides the request and the point. */
export interface ResolveScope {
  restoreId: string;
  startedAt: string;
  region: string;
  network: RestoreNetwork;
}

/** Only the fields that have a value (the state travels as JSON: no keys holding undefined). */
function present<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as T;
}

/** A zone the point recorded, if it is in this region (a DR copy records the primary region's zone). */
function zoneHere(zone: string | undefined, region: string): string | undefined {
  return zone !== undefined && zone.startsWith(region) && /^[a-z]$/.test(zone.slice(region.length)) ? zone : undefined;
}

/** The state the start step hands the kind: every option resolved, nothing created yet. */
export function resolveState(scope: ResolveScope, kind: RestoreKind, point: RecoveryPoint, request: RestoreRequest): RestoreState {
  const machine = point.machine === undefined && request.machine === undefined ? undefined : { ...point.machine, ...request.machine };
  const database = point.database === undefined && request.database === undefined ? undefined : { ...point.database, ...request.database };
  // A point of volume snapshots has modes (volumes, or an image and an instance); others have none.
  const mode = point.volumes === undefined ? undefined : (request.mode ?? "volumes");
  const deadline = new Date(Date.parse(scope.startedAt) + kind.timeoutMinutes * 60_000);
  return present({
    restoreId: scope.restoreId,
    startedAt: scope.startedAt,
    region: scope.region,
    kind: kind.name,
    source: request.source,
    point,
    name: restoreName(request.source, scope.restoreId, request.name),
    mode,
    zone: request.zone ?? zoneHere(machine?.zone, scope.region),
    instanceType: request.instanceType ?? machine?.instanceType,
    instanceClass: request.instanceClass ?? database?.instanceClass,
    keepImage: mode === "instance" ? (request.keepImage ?? false) : undefined,
    subnetId: scope.network.subnetIds[0],
    securityGroupIds: scope.network.securityGroupIds.length === 0 ? undefined : [...scope.network.securityGroupIds],
    dbSubnetGroup: scope.network.dbSubnetGroup,
    instanceProfileArn: mode === "instance" ? scope.network.instanceProfileArn : undefined,
    machine,
    database,
    phase: "start",
    status: "pending",
    waitSeconds: kind.pollSeconds,
    deadline: deadline.toISOString(),
    created: [],
  });
}

/** Throws the named error for what the kind says is missing: the network's config keys first (with the options too). */
export function refuseMissing(missing: readonly string[], regionRole: string, hint?: NetworkHint): void {
  const options = missing.filter((m) => m.startsWith("option:")).map((m) => m.slice("option:".length));
  const network = missing.filter((m) => m.startsWith("network:")).map((m) => m.slice("network:".length));
  // Anything else (e.g. `point:volumes.device`) is kept whole: the message says the point lacks it.
  const other = missing.filter((m) => !m.startsWith("option:") && !m.startsWith("network:"));
  if (network.length > 0) throw missingRestoreNetworkError(network, regionRole, [...options, ...other], hint);
  if (options.length > 0 || other.length > 0) throw missingRestoreOptionsError([...options, ...other]);
}
