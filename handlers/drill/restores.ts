// The drill's restore steps start, poll and validate: the restore flow's own (handlers/restore/steps.ts) with the
// sample's request and the drill's id, so every resource they create also carries backup-dr:drill-id. Each returns the
// sample with the restore's state, which the machine's Map passes to the next step.
import type { RestoreState } from "../restore/contract";
import type { RestoreSettings } from "../restore/settings";
import { pollRestore, startRestore, validateRestore, type RestoreDeps } from "../restore/steps";
import type { DrillRestore, DrillSample } from "./contract";

/** Starts the sample's restore; `startedAt` is when the Map item started (the same on a retry): its RTO begins there. */
export async function startDrillRestore(deps: RestoreDeps, settings: RestoreSettings, sample: DrillSample, startedAt: string): Promise<DrillRestore> {
  return { sample, state: await startRestore(deps, settings, sample.restoreId, startedAt, sample.request, sample.drillId) };
}

export async function pollDrillRestore(deps: RestoreDeps, settings: RestoreSettings, sample: DrillSample, state: RestoreState): Promise<DrillRestore> {
  return { sample, state: await pollRestore(deps, settings, state) };
}

export async function validateDrillRestore(deps: RestoreDeps, settings: RestoreSettings, sample: DrillSample, state: RestoreState): Promise<DrillRestore> {
  return { sample, state: await validateRestore(deps, settings, state) };
}
