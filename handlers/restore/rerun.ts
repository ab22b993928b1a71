// A rerun of the start step (the machine's retry after a lost answer or a failure part-way) keeps to the recovery
// point the restore's first run chose. `latest` and a point in time are chosen again on a rerun, and a point taken
// before the start that completed in between would now be the choice: a second set of volumes, or a DB restore
// recorded with a point it was not restored from. What the restore id already created names its point in the
// backup-dr:restored-from tag: the rerun asks for that point explicitly.
import { parseInstant } from "../lib/event-input";
import type { RestoreRequest } from "./contract";
import { REGISTRY_KINDS, type RestoreDeps } from "./steps";

/** The request a start runs with: as given, or pinned to the point of what this restore id already created. */
export async function keepToEarlierPoint(deps: RestoreDeps, restoreId: string, request: RestoreRequest): Promise<RestoreRequest> {
  if (request.point !== "latest" && parseInstant(request.point) === undefined) return request;
  const kinds = (deps.kinds ?? REGISTRY_KINDS).all().filter((k) => (request.kind === undefined ? k.mayBeSource(request.source) : k.name === request.kind));
  for (const kind of kinds) {
    const earlier = (await kind.findCreated(deps.clients, restoreId)).find((r) => r.restoredFrom !== undefined)?.restoredFrom;
    if (earlier !== undefined) return { ...request, kind: kind.name, point: earlier };
  }
  return request;
}
