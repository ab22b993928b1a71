// Checks that relate config keys to each other. Each reads a few keys and runs whenever those keys are
// valid on their own, whatever else in the stack file is wrong, so one `pulumi preview` reports every
// problem at once instead of one round per layer of mistakes.
import type { z } from "zod";
import { KEYS, configSchema } from "./config-schema";

/** The values of the keys `schema` picks from the config, when each of them is valid; undefined otherwise. */
function validValues<S extends z.ZodObject>(schema: S, raw: Record<string, unknown>): z.output<S> | undefined {
  const result = schema.safeParse(Object.fromEntries(Object.keys(schema.shape).map((key) => [key, raw[key]])));
  return result.success ? result.data : undefined;
}

const REGIONS = configSchema.pick({ [KEYS.region]: true, [KEYS.drRegion]: true });

/** The DR copy must land in another region. */
function drRegionElsewhere(raw: Record<string, unknown>): string[] {
  const c = validValues(REGIONS, raw);
  if (c === undefined || c[KEYS.drRegion] !== c[KEYS.region]) return [];
  return [`${KEYS.drRegion}: expected a region other than the primary ${KEYS.region} (${c[KEYS.region]}), got "${c[KEYS.drRegion]}"`];
}

const EXCEPTIONS = configSchema.pick({ [KEYS.plans]: true, [KEYS.allowNoDrCopy]: true });

/** Each exception names a plan of backup-dr:plans that does not copy: no typo, no stale entry left behind. */
function allowNoDrCopyNamesPlans(raw: Record<string, unknown>): string[] {
  const c = validValues(EXCEPTIONS, raw);
  if (c === undefined) return [];
  const plans = c[KEYS.plans];
  return c[KEYS.allowNoDrCopy].flatMap((name, i) => {
    const plan = plans.find((p) => p.name === name);
    const at = `${KEYS.allowNoDrCopy}[${i}]`;
    if (plan === undefined) return [`${at}: expected the name of a plan in ${KEYS.plans} (${plans.map((p) => p.name).join(", ")}), got "${name}"`];
    if (plan.copyToDr) return [`${at}: expected a plan with copyToDr: false (plan "${name}" copies to DR; remove it here), got "${name}"`];
    return [];
  });
}

const RULES: readonly ((raw: Record<string, unknown>) => string[])[] = [drRegionElsewhere, allowNoDrCopyNamesPlans];

/** The problems of every cross-key rule whose keys are valid in `raw` (full key -> value, structured values parsed). */
export function crossKeyProblems(raw: Record<string, unknown>): string[] {
  return RULES.flatMap((rule) => rule(raw));
}
