// One Lambda invocation on the virtual clock, and the driver loop of the continuation contract (handlers/lib/cursor.ts):
// a result `{ done: false, cursor }` is invoked again with `{ cursor }`; any other result (with or without `done`)
// ends the run. An invocation still running at its time limit (or at a forced kill) is stopped: its container's calls
// never answer again, and it is invoked again with the same event, as Step Functions retries a timed-out turn.
import { describeError } from "../../handlers/lib/errors";
import type { Log } from "../../handlers/lib/observability";
import type { VirtualClock } from "./virtual-clock";

/** A Lambda container: its calls are answered while it is alive (a killed invocation's never are again). */
export interface Container {
  alive: boolean;
}

/** Lambda's limit: 15 minutes an invocation. */
export const LAMBDA_LIMIT_MS = 900_000;

/** How an invocation ended: answered, failed, or stopped (at Lambda's time limit, or killed on purpose). */
export type Outcome<R> = { status: "answered"; result: R } | { status: "killed"; timedOut: boolean } | { status: "failed"; error: unknown };

/** Runs `body` as one invocation of `limitMs` (killed earlier at `killAfterMs` when given). */
export function invoke<R>(clock: VirtualClock, container: Container, body: (remainingMs: () => number) => Promise<R>, options: { limitMs?: number; killAfterMs?: number } = {}): Promise<Outcome<R>> {
  const limitMs = options.limitMs ?? LAMBDA_LIMIT_MS;
  const started = clock.now();
  const remainingMs = () => Math.max(0, started + limitMs - clock.now());
  return new Promise((resolve) => {
    let ended = false;
    const end = (outcome: Outcome<R>) => {
      if (ended) return;
      ended = true;
      clock.cancel(timer);
      resolve(outcome);
    };
    const killAfterMs = options.killAfterMs ?? Infinity;
    const timer = clock.schedule(Math.min(limitMs, killAfterMs), () => {
      container.alive = false;
      end({ status: "killed", timedOut: killAfterMs >= limitMs });
    });
    body(remainingMs).then(
      (result) => end({ status: "answered", result }),
      (error: unknown) => end({ status: "failed", error }),
    );
  });
}

/** The next event when the result says the run goes on (`{ done: false, cursor }`), else undefined (done). */
export function nextEvent(result: unknown): { cursor: unknown } | undefined {
  if (typeof result !== "object" || result === null) return undefined;
  const fields = result as Record<string, unknown>;
  return fields.done === false && fields.cursor !== undefined ? { cursor: fields.cursor } : undefined;
}

export interface DriveReport<R> {
  /** Invocations made, killed ones included. */
  invocations: number;
  /** Invocations stopped without an answer: killed on purpose, or at Lambda's time limit (`timedOut`, counted in both). */
  killed: number;
  timedOut: number;
  /** The last answered result (the run's), or undefined when none answered. */
  last?: R;
  /** The error of an invocation that failed (the run is then over). */
  error?: unknown;
}

/**
 * Drives a run invocation after invocation until it is done, an invocation fails, or `maxInvocations` is reached.
 * `fresh()` gives a new container (after a kill) and `step` runs one invocation in the current one.
 */
export async function driveRun<R>(
  clock: VirtualClock,
  first: unknown,
  step: (container: Container, event: unknown, remainingMs: () => number) => Promise<R>,
  options: { maxInvocations?: number; killAt?: { invocation: number; afterMs: number } } = {},
): Promise<DriveReport<R>> {
  const report: DriveReport<R> = { invocations: 0, killed: 0, timedOut: 0 };
  let container: Container = { alive: true };
  let event: unknown = first;
  while (report.invocations < (options.maxInvocations ?? 100)) {
    report.invocations += 1;
    const kill = options.killAt?.invocation === report.invocations ? options.killAt.afterMs : undefined;
    const current = container;
    const outcome = await invoke(clock, current, (remainingMs) => step(current, event, remainingMs), kill === undefined ? {} : { killAfterMs: kill });
    if (outcome.status === "killed") {
      report.killed += 1;
      if (outcome.timedOut) report.timedOut += 1;
      container = { alive: true };
      continue;
    }
    if (outcome.status === "failed") {
      report.error = outcome.error;
      return report;
    }
    report.last = outcome.result;
    const next = nextEvent(outcome.result);
    if (next === undefined) return report;
    event = next;
  }
  return report;
}

/** A log that keeps nothing (the handlers log every source; the benchmark reads the fake and the results). */
export const quietLog: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A note naming the error an invocation failed with, if one did. */
export function failureNotes(report: Pick<DriveReport<unknown>, "error">): string[] {
  if (report.error === undefined) return [];
  const { name, message } = describeError(report.error);
  return [`run failed: ${name}: ${message.slice(0, 160)}`];
}
