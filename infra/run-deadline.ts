// The deadline of a backup or cleanup run (issue 20 item 4): config backup-dr:pacing.runDeadlineMinutes, passed to both
// functions as BACKUP_DR_RUN_DEADLINE_MINUTES. Past the slot plus this many minutes an invocation starts nothing new,
// reports the rest as deferred and finishes the run (handlers/lib/cursor.ts); the run machines' TimeoutSeconds follow it
// (infra/run-machine.ts runMachineTimeoutSeconds).
import type { IntRange } from "../handlers/lib/shared-settings";

/** The functions' environment variable: whole minutes after the slot. */
export const RUN_DEADLINE_SETTING = "BACKUP_DR_RUN_DEADLINE_MINUTES";

/** 15 minutes (one invocation) to a day; two hours by default (10,000 snapshot creates at AWS's rate take 33 minutes). */
export const RUN_DEADLINE_MINUTES: IntRange = { fallback: 120, min: 15, max: 1440 };
