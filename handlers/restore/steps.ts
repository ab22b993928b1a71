// The restore steps start, poll and validate (the JSON: handlers/restore/contract.ts). Each is one short call: the
// state machine waits between polls, never the function. The kinds come from the deps (the registry by default), so
// the flow never names one.
import { TAG_DRILL_ID, TAG_RESTORED_FROM, TAG_RESTORE_ID, TAG_RESTORE_OF, TAG_STACK, type ResourceKind } from "../catalog";
import type { KindClients } from "../kinds/clients";
import type { RestoreContext, RestoreKind } from "../kinds/kind";
import { restoreKind, restoreKinds } from "../kinds/registry";
import type { Tag } from "../lib/tags";
import type { RestoreRequest, RestoreState } from "./contract";
import { restoreTimedOutError } from "./errors";
import { refuseMissing, resolveState } from "./options";
import { choosePoint } from "./point";
import type { RestoreSettings } from "./settings";

/** The kinds a restore may use: every restorable kind, and one by name. */
export interface RestoreKinds {
  all(): readonly RestoreKind[];
  named(name: ResourceKind): RestoreKind;
}

/** The registry's restore facets: what the deployed function uses. */
export const REGISTRY_KINDS: RestoreKinds = { all: () => restoreKinds(), named: (name) => restoreKind(name) };

/** What the steps are given: the region's clients, the clock, and the kinds (tests inject a stub kind). */
export interface RestoreDeps {
  clients: KindClients;
  now: () => Date;
  kinds?: RestoreKinds;
}

const kindsOf = (deps: RestoreDeps): RestoreKinds => deps.kinds ?? REGISTRY_KINDS;

/** The tags on every resource the restore creates: restore id, source, recovery point, the stack, its name, and a drill's id. */
export function restoreTags(state: RestoreState, stackTag: string): Tag[] {
  return [
    { Key: TAG_RESTORE_ID, Value: state.restoreId },
    { Key: TAG_RESTORE_OF, Value: state.source },
    { Key: TAG_RESTORED_FROM, Value: state.point.id },
    { Key: TAG_STACK, Value: stackTag },
    { Key: "Name", Value: state.name },
    ...(state.drillId === undefined ? [] : [{ Key: TAG_DRILL_ID, Value: state.drillId }]),
  ];
}

function kindContext(deps: RestoreDeps, settings: RestoreSettings, state: RestoreState): RestoreContext {
  return { clients: deps.clients, region: settings.region, keyArn: settings.keyArn, tags: restoreTags(state, settings.stackTag), now: deps.now };
}

/**
 * Chooses the point, resolves the options and refuses (named errors) before any create call; then the kind sends the
 * first creates (a DR drill's restore passes its drill id: every create then carries backup-dr:drill-id too). `latest` means the newest point taken by the restore's start, so a rerun of the step (the machine's
 * retry) chooses the same point even if a newer backup completed meanwhile.
 */
export async function startRestore(deps: RestoreDeps, settings: RestoreSettings, restoreId: string, startedAt: string, request: RestoreRequest, drillId?: string): Promise<RestoreState> {
  const kinds = kindsOf(deps);
  const { kind, point } = await choosePoint({ clients: deps.clients, region: settings.region, stackTag: settings.stackTag, kinds: kinds.all() }, request, new Date(startedAt));
  const base = resolveState({ restoreId, startedAt, region: settings.region, network: settings.network }, kind, point, request);
  const resolved = drillId === undefined ? base : { ...base, drillId };
  const state = kind.regionDefaults === undefined ? resolved : await kind.regionDefaults(deps.clients, resolved);
  // Where the source ran is a hint only in the region it ran in: a backup's, never a copy's.
  refuseMissing(kind.missing(state), settings.regionRole, point.origin === "backup" ? point.network : undefined);
  return kind.start(kindContext(deps, settings, state), state);
}

/** Reads progress (the kind starts the next phase when one is ready); past the deadline a pending restore fails. */
export async function pollRestore(deps: RestoreDeps, settings: RestoreSettings, state: RestoreState): Promise<RestoreState> {
  if (state.status !== "pending") return state;
  const kind = kindsOf(deps).named(state.kind);
  const next = await kind.poll(kindContext(deps, settings, state), state);
  if (next.status === "pending" && deps.now().getTime() > Date.parse(state.deadline)) {
    const timedOut = restoreTimedOutError(state.restoreId, state.deadline, next.phase);
    return { ...next, status: "failed", failure: { name: timedOut.name, message: timedOut.message } };
  }
  return next;
}

/** Checks what was restored; a restore that never became available is not validated (nothing to check). */
export async function validateRestore(deps: RestoreDeps, settings: RestoreSettings, state: RestoreState): Promise<RestoreState> {
  if (state.status !== "available") {
    return { ...state, validation: { ok: false, checks: [{ check: "available", ok: false, detail: `the restore is ${state.status}` }] } };
  }
  const kind = kindsOf(deps).named(state.kind);
  const validation = await kind.validate(kindContext(deps, settings, state), state);
  return { ...state, validation, validatedAt: deps.now().toISOString() };
}
