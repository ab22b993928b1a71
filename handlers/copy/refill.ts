// A refill run: the DR region says a DR copy of one kind finished, failed or was cancelled (its event, forwarded to
// the primary region's bus and queued like every other run), so a place of that kind may be free. It runs the sweep's
// start logic for that kind only (handlers/copy/sweep.ts startKinds): the kind's backups in the primary region, its
// copies in the DR region with ours in flight counted, failed copies replaced, then limit minus in flight started,
// oldest first. Counting ours in flight first means no refused copy call while the places are ours; a place a
// foreign copy holds is found by AWS's one refusal (handlers/copy/limiter.ts).
//
// The event is not read further: a copy that is not ours (another stack's, a person's) finishing triggers a refill
// that finds no free place of ours, or starts what a sweep would have started anyway; both are harmless. The DR lag
// is left to the sweep, which lists every copied kind (a refill sees one kind, so its lag would be partial).
import { copiedKinds, startKinds } from "./sweep";
import type { CopyRequest } from "./event";
import type { CopySettings } from "./types";
import { emptyWork, type CopyDeps, type Work } from "./work";

export type RefillRequest = Extract<CopyRequest, { trigger: "refill" }>;

/** Why the function does not act on this refill (not the DR region's, or a kind no plan copies), or undefined. */
export function refillIgnored(request: RefillRequest, settings: CopySettings): string | undefined {
  if (request.ignore !== undefined) return request.ignore;
  const { region } = request.event;
  if (region !== undefined && region !== settings.drRegion) return `the event is from ${region}; a refill follows a copy finishing in the DR region ${settings.drRegion}`;
  if (!copiedKinds(settings).includes(request.kind)) return `no plan that copies to DR backs up ${request.kind}`;
  return undefined;
}

export async function refill(deps: CopyDeps, settings: CopySettings, request: RefillRequest, now: Date): Promise<Work> {
  if (refillIgnored(request, settings) !== undefined) return emptyWork();
  return (await startKinds(deps, settings, now, [request.kind])).work;
}
