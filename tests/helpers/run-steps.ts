// Driving a run longer than one invocation step by step (handlers/lib/cursor.ts), as the state machine or a person does.
import type { Continued, Finished, RunCursor, Unfinished } from "../../handlers/lib/cursor";

/** The answer of a run's last invocation; fails the test on an unfinished one. */
export function finished<R extends object, C extends RunCursor>(answer: Continued<R, C> | undefined): Finished<R> {
  if (answer === undefined || !answer.done) throw new Error(`expected the run to finish (done: true), got ${JSON.stringify(answer)}`);
  return answer;
}

/** The answer of an invocation that did not finish its run; fails the test on a finished one. */
export function unfinished<R extends object, C extends RunCursor>(answer: Continued<R, C> | undefined): Unfinished<C> {
  if (answer === undefined || answer.done) throw new Error(`expected the run to go on (done: false), got ${JSON.stringify(answer)}`);
  return answer;
}

/**
 * Time left of each invocation, as Lambda counts it down: `budget` checks with plenty of time, then under the 60 s
 * margin. `next()` starts the next invocation with a fresh budget (a new Lambda invocation has its full time again).
 */
export function invocationClock(budgets: readonly number[]): { remainingMs: () => number; next: () => void; invocation: () => number } {
  let invocation = 0;
  let checks = 0;
  return {
    remainingMs: () => ((checks += 1) <= (budgets[invocation] ?? Infinity) ? 900_000 : 10_000),
    next: () => {
      invocation += 1;
      checks = 0;
    },
    invocation: () => invocation,
  };
}
