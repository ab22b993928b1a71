// Settings that both the stack config (infra/config-schema.ts) and a function read: one default and one range each.
// The config schema and the functions' setting readers take these constants; tests/infra/plan-contract.spec.ts
// checks that a function left without the variable behaves as the config default says.

/** A whole-number setting: its default and its bounds (inclusive). */
export interface IntRange {
  fallback: number;
  min: number;
  max: number;
}

/** The tag key whose value names the plan of a resource (backup-dr:selectionTagKey). */
export const DEFAULT_SELECTION_TAG_KEY = "backup-plan";

/** When runs notify (backup-dr:notifyOn). */
export const NOTIFY_ON = ["failure", "always"] as const;
export type NotifyOn = (typeof NOTIFY_ON)[number];
export const DEFAULT_NOTIFY_ON: NotifyOn = "failure";

/** AWS calls a function runs at once (BACKUP_DR_CONCURRENCY; not a config key, the functions' own default). */
export const CONCURRENCY: IntRange = { fallback: 8, min: 1, max: 50 };

/**
 * Minutes from a run's slot after which no invocation of the backup or cleanup run starts new work
 * (backup-dr:pacing.runDeadlineMinutes; env BACKUP_DR_RUN_DEADLINE_MINUTES; handlers/lib/run-deadline.ts).
 */
export const RUN_DEADLINE_MINUTES: IntRange = { fallback: 120, min: 15, max: 1440 };

/* Copies in flight per DR region: one limit per snapshot kind, COPY_LIMITS in handlers/catalog.ts. */

/** The cleanup function's safety valves (backup-dr:cleanup). */
export const CLEANUP_VALVES = {
  dryRun: false,
  maxDeletionsPerRun: { fallback: 200, min: 1, max: 10_000 } satisfies IntRange,
  minAgeDays: { fallback: 1, min: 0, max: 3650 } satisfies IntRange,
  /** A fraction above 0 and at most 1 (isDeleteFraction). */
  maxDeleteFraction: 0.5,
} as const;

/** The range of maxDeleteFraction, for config and the cleanup function alike. */
export const DELETE_FRACTION_RANGE = "a fraction above 0 and at most 1";
export function isDeleteFraction(value: number): boolean {
  return value > 0 && value <= 1;
}
