// When a backup or cleanup invocation stops starting work: near the end of its own Lambda time (the run goes on in
// the next invocation, handlers/lib/cursor.ts) or past the run's deadline (the run ends; the rest is deferred).
import { rangedSetting, type Env } from "./env";
import { isoSeconds } from "./run-id";
import { RUN_DEADLINE_MINUTES } from "./shared-settings";

/** Work stops starting when less than this is left of the Lambda's time: enough to finish what is in flight and report. */
export const TIME_MARGIN_MS = 60_000;

/** The environment variable of the deadline, minutes after the slot (backup-dr:pacing.runDeadlineMinutes). */
export const RUN_DEADLINE_SETTING = "BACKUP_DR_RUN_DEADLINE_MINUTES";

export function readRunDeadlineMinutes(env: Env): number {
  return rangedSetting(env, RUN_DEADLINE_SETTING, RUN_DEADLINE_MINUTES);
}

/**
 * The run's deadline, fixed by its first invocation: `minutes` after its slot, or after the first invocation's start
 * when that is later (a rerun of an earlier slot, a delayed delivery), so that a rerun still has its full time.
 */
export function runDeadline(slot: Date, started: Date, minutes: number): Date {
  return new Date(Math.max(slot.getTime(), started.getTime()) + minutes * 60_000);
}

/** time: this invocation's Lambda time nears its end (the run continues); deadline: the run's deadline passed (it ends). */
export type StopCause = "time" | "deadline";

export interface StopClock {
  now: () => Date;
  /** Milliseconds left of the invocation (context.getRemainingTimeInMillis); absent: never short of time. */
  remainingMs?: () => number;
}

/** Why new work must not start now, or undefined when it may. The deadline is checked first: past it, the run ends. */
export function stopCause(clock: StopClock, deadline: Date): StopCause | undefined {
  if (clock.now().getTime() >= deadline.getTime()) return "deadline";
  if (clock.remainingMs !== undefined && clock.remainingMs() < TIME_MARGIN_MS) return "time";
  return undefined;
}

/** What every reason for work left because the deadline passed contains (deadlineReason). */
export const DEADLINE_MARK = "the run's deadline";

/** The reason given for work not started because the deadline passed (the run fails on it). */
export function deadlineReason(deadline: Date): string {
  return `${DEADLINE_MARK} ${isoSeconds(deadline)} passed (${RUN_DEADLINE_SETTING}, backup-dr:pacing.runDeadlineMinutes)`;
}
