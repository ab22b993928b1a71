// Run ids (plan + scheduled slot) and the S3 keys of run manifests derived from them.

/** An instant as ISO-8601 UTC to the second: `2026-11-22T06:00:00Z`. */
export function isoSeconds(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The run id every backup of one plan and slot carries: `gold@2026-11-22T06:00:00Z`. */
export function runIdFor(plan: string, slot: Date): string {
  return `${plan}@${isoSeconds(slot)}`;
}

/** What a manual run's id ends with: no scheduled run id does (they end in `Z`), so a manual run never takes a slot's id. */
export const MANUAL_RUN_SUFFIX = "/manual";

/** The run id of a manual run (an event without scheduledTime) at `time`: `gold@2026-11-22T12:00:00Z/manual`. */
export function manualRunIdFor(plan: string, time: Date): string {
  return `${runIdFor(plan, time)}${MANUAL_RUN_SUFFIX}`;
}

const RUN_TIME = /@(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)(?:\/manual)?$/;

/** The time a run id names (its slot, or a manual run's time), or undefined when it names none. */
export function timeOfRunId(runId: string): Date | undefined {
  const match = RUN_TIME.exec(runId);
  const time = match ? new Date(match[1]) : undefined;
  return time !== undefined && !Number.isNaN(time.getTime()) ? time : undefined;
}

/** A run id as S3's safe key characters (letters, digits, `.`, `_`, `-`): `gold-2026-11-22T06-00-00Z`. */
export function keySafe(runId: string): string {
  return runId.replace(/[^A-Za-z0-9._-]/g, "-");
}

/** The vault folder every run manifest is under (the vault's lifecycle expires it: infra/vault.ts). */
export const RUNS_PREFIX = "runs";

/** `runs/<function>/<yyyy>/<mm>/<dd>/<run id>.json`, the date being the slot's UTC date. */
export function manifestKey(functionName: string, slot: Date, runId: string): string {
  const [yyyy, mm, dd] = slot.toISOString().slice(0, 10).split("-");
  return `${RUNS_PREFIX}/${functionName}/${yyyy}/${mm}/${dd}/${keySafe(runId)}.json`;
}
