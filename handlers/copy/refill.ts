// A refill run: the DR region says a DR copy of one kind finished, failed or was cancelled (its event, forwarded to
// the primary region's bus and queued like every other run), so a place of that kind may be free. It runs the sweep's
// start logic for that kind only (handlers/copy/sweep.ts startKinds): the kind's backups in the primary region, its
// copies in the DR region with ours in flight counted, then limit minus in flight started, oldest first. Counting ours
// in flight first means no refused copy call while the places are ours; a place a foreign copy holds is found by AWS's
// one refusal (handlers/copy/limiter.ts).
//
// Two differences from the sweep:
// - The copy the event names is not counted in flight, whatever the DR listing says: read seconds after the copy
//   finished, DescribeSnapshots can still show it pending, and the place it freed would stay empty until the next
//   sweep. Were AWS still counting it, its refusal stops the kind after one call.
// - Failed DR copies are not replaced (their backups are deferred to the sweep): a copy failing for a lasting reason
//   (the DR key unusable, the source unreadable) would otherwise be deleted and copied again at each of its own
//   failure events, every few minutes, each turn writing a manifest the vault keeps for the lock period. The sweep
//   replaces a failed copy at most once per sweep interval.
//
// The event's copy need not be ours: a copy that is not ours (another stack's, a person's) finishing triggers a
// refill that finds no free place of ours, or starts what a sweep would have started anyway; both are harmless. The
// DR lag is left to the sweep, which lists every copied kind (a refill sees one kind, so its lag would be partial).
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
  return (await startKinds(deps, settings, now, [request.kind], { replaceFailed: false, finished: request.snapshots })).work;
}
