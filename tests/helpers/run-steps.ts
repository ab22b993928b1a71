// Driving a run longer than one invocation step by step (handlers/lib/cursor.ts), as the state machine or a person does.
import type { HttpHandler } from "@smithy/core/protocols";
import { createClients, type AwsClients } from "../../handlers/lib/clients";
import type { Continued, Finished, RunCursor, Unfinished } from "../../handlers/lib/cursor";
import { REGION, type FakeAws } from "./aws-fake";
import { fastRetryStrategy, TEST_CREDENTIALS } from "./aws-clients";
import { fakeRequestHandler } from "./aws-transport";

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

/**
 * Clients of an invocation that Lambda kills: once `kill()` says so after a call was handled (AWS acted), that
 * call's answer and every later one never come, as when the invocation's process is stopped mid-way. No part is
 * written and nothing is answered; the abandoned invocation's promise stays pending.
 */
export function killableClients(fake: FakeAws, kill: () => boolean): { clients: AwsClients; killed: () => boolean } {
  const { requestHandler, killed } = killableHandler(fake, kill);
  const clients = createClients(REGION, { requestHandler, retryStrategy: () => fastRetryStrategy(), credentials: TEST_CREDENTIALS });
  return { clients, killed };
}

/** The request handler of an invocation Lambda kills (see killableClients), for clients of any region. */
export function killableHandler(fake: FakeAws, kill: () => boolean): { requestHandler: HttpHandler; killed: () => boolean } {
  const inner = fakeRequestHandler(fake);
  let killed = false;
  const never = () => new Promise<never>(() => undefined);
  const requestHandler: HttpHandler = {
    ...inner,
    async handle(request, options) {
      if (killed) return never();
      const answer = await inner.handle(request, options);
      if (killed || kill()) {
        killed = true;
        return never();
      }
      return answer;
    },
  };
  return { requestHandler, killed: () => killed };
}

/** Resolves once `done()` holds, letting other work run between looks (no timers). */
export async function until(done: () => boolean): Promise<void> {
  for (let turn = 0; !done(); turn += 1) {
    if (turn > 100_000) throw new Error("gave up waiting");
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** A clock that only moves when something sleeps on it (claims waiting out a lease), from `start`. */
export function virtualClock(start: Date): { now: () => Date; sleep: (ms: number) => Promise<void> } {
  let at = start.getTime();
  return {
    now: () => new Date(at),
    sleep: (ms) => {
      at += ms;
      return Promise.resolve();
    },
  };
}
