// The cleanup function keeps its safety valves: a mass-deletion stop (maxDeleteFraction), a minimum
// age by AWS's creation time (minAgeDays) and a cap per run (maxDeletionsPerRun). Mandatory in strict
// environments; the same check is advisory in every environment, so a weakened dev stack warns too.
import type { ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { cleanupFunction, valvesOf, type Valve, type Valves } from "./lib/cleanup";
import { STRICT_ENVIRONMENTS_SCHEMA, configSchema, settings, type SettingsSchema } from "./lib/config";
import { CLEANUP_VALVE_VARIABLES, DEFAULT_STRICT_ENVIRONMENTS } from "./lib/names";
import { stackEnvironments, strictEnvironment } from "./lib/resources";

/**
 * 1000 deletions a run: five times the program's default of 200. EC2 refills DeleteSnapshot tokens at
 * 5 a second per region (a bucket it shares with the backups' CreateSnapshots), so 1000 deletions hold
 * that bucket for at least 3 minutes and fit well inside Lambda's 15; a cap near the config's maximum
 * of 10000 is no cap at all against a wrong clock or mistagged expiry.
 */
export const DEFAULT_MAXIMUM_DELETIONS_PER_RUN = 1000;

interface Bounds {
  maximumDeleteFraction: number;
  minimumAgeDays: number;
  maximumDeletionsPerRun: number;
}

const boundDefaults: Bounds = { maximumDeleteFraction: 0.5, minimumAgeDays: 1, maximumDeletionsPerRun: DEFAULT_MAXIMUM_DELETIONS_PER_RUN };

const BOUNDS_SCHEMA: SettingsSchema<Bounds> = {
  maximumDeleteFraction: { type: "number", exclusiveMinimum: 0, maximum: 1, description: "Largest cleanup.maxDeleteFraction allowed (the mass-deletion stop)." },
  minimumAgeDays: { type: "integer", minimum: 1, description: "Smallest cleanup.minAgeDays allowed." },
  maximumDeletionsPerRun: { type: "integer", minimum: 1, maximum: 10000, description: "Largest cleanup.maxDeletionsPerRun allowed." },
};

/** Who sets the bound, as the message says it: `environment "prod" allows`, or the advisory's wording. */
type Voice = { allows: string; requires: string };

const CHECKS: Record<Valve, { bound: (b: Bounds) => number; tooWeak: (value: number, bound: number) => boolean; says: (v: number) => string; side: keyof Voice; fix: string }> = {
  maxDeleteFraction: {
    bound: (b) => b.maximumDeleteFraction,
    tooWeak: (value, bound) => value > bound,
    says: (v) => `Cleanup's mass-deletion stop lets a run delete up to ${Math.round(v * 100)}% of a region's backups`,
    side: "allows",
    fix: "at most",
  },
  minAgeDays: {
    bound: (b) => b.minimumAgeDays,
    tooWeak: (value, bound) => value < bound,
    says: (v) => `Cleanup may delete backups ${v} day${v === 1 ? "" : "s"} old`,
    side: "requires",
    fix: "at least",
  },
  maxDeletionsPerRun: {
    bound: (b) => b.maximumDeletionsPerRun,
    tooWeak: (value, bound) => value > bound,
    says: (v) => `Cleanup may delete ${v} backups in one run`,
    side: "allows",
    fix: "at most",
  },
};

function checkValves(valves: Valves, bounds: Bounds, voice: Voice): string[] {
  return (Object.keys(CHECKS) as Valve[]).flatMap((valve) => {
    const check = CHECKS[valve];
    const bound = check.bound(bounds);
    const variable = CLEANUP_VALVE_VARIABLES[valve];
    const set = `set backup-dr:cleanup.${valve} to ${check.fix === "at most" ? `${bound} or less` : `${bound} or more`}.`;
    const value = valves[valve];
    if (value === undefined) return [`The cleanup function's ${variable} is missing or not a number: ${set}`];
    if (!check.tooWeak(value, bound)) return [];
    return [`${check.says(value)} (${variable}=${value}); ${voice[check.side]} ${check.fix} ${bound}: ${set}`];
  });
}

/** Reports each weakened valve of the cleanup function; a stack without one deletes nothing. */
function validateValves(args: StackValidationArgs, reportViolation: ReportViolation, bounds: Bounds, voice: Voice): void {
  const cleanup = cleanupFunction(args.resources);
  if (cleanup === undefined) args.notApplicable("no cleanup function");
  for (const message of checkValves(valvesOf(cleanup), bounds, voice)) reportViolation(message, cleanup.resource.urn);
}

const strictDefaults = { strictEnvironments: DEFAULT_STRICT_ENVIRONMENTS, ...boundDefaults };

export const cleanupSafetyValves: StackValidationPolicy = {
  name: "cleanup-safety-valves",
  description: "In strict environments the cleanup function keeps its safety valves: maxDeleteFraction at most, minAgeDays at least and maxDeletionsPerRun at most the configured bounds.",
  enforcementLevel: "mandatory",
  configSchema: configSchema(strictDefaults, { strictEnvironments: STRICT_ENVIRONMENTS_SCHEMA, ...BOUNDS_SCHEMA }),
  validateStack: (args, reportViolation) => {
    const c = settings(args, strictDefaults);
    const environment = strictEnvironment(stackEnvironments(args.resources), c.strictEnvironments);
    if (environment === undefined) args.notApplicable("not a strict environment");
    const env = `environment "${environment}"`;
    validateValves(args, reportViolation, c, { allows: `${env} allows`, requires: `${env} requires` });
  },
};

export const cleanupSafetyValvesAdvisory: StackValidationPolicy = {
  name: "cleanup-safety-valves-advisory",
  description: "In every environment the cleanup function keeps its safety valves within the configured bounds (advisory; strict environments also get cleanup-safety-valves).",
  enforcementLevel: "advisory",
  configSchema: configSchema(boundDefaults, BOUNDS_SCHEMA),
  validateStack: (args, reportViolation) => {
    validateValves(args, reportViolation, settings(args, boundDefaults), { allows: "the recommended bound is", requires: "the recommended bound is" });
  },
};

export const CLEANUP_POLICIES = [cleanupSafetyValves, cleanupSafetyValvesAdvisory];
