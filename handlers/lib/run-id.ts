// Run ids (plan + scheduled slot) and the S3 keys of run manifests derived from them.

/** An instant as ISO-8601 UTC to the second: `2026-11-22T06:00:00Z`. */
export function isoSeconds(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The run id every backup of one plan and slot carries: `gold@2026-11-22T06:00:00Z`. */
export function runIdFor(plan: string, slot: Date): string {
  return `${plan}@${isoSeconds(slot)}`;
}

/** A run id as S3's safe key characters (letters, digits, `.`, `_`, `-`): `gold-2026-11-22T06-00-00Z`. */
export function keySafe(runId: string): string {
  return runId.replace(/[^A-Za-z0-9._-]/g, "-");
}

/** `runs/<function>/<yyyy>/<mm>/<dd>/<run id>.json`, the date being the slot's UTC date. */
export function manifestKey(functionName: string, slot: Date, runId: string): string {
  const [yyyy, mm, dd] = slot.toISOString().slice(0, 10).split("-");
  return `runs/${functionName}/${yyyy}/${mm}/${dd}/${keySafe(runId)}.json`;
}
