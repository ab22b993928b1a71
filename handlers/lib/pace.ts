// Paces calls with a token bucket, so a bulk run stays under an AWS refill rate instead of living on retries.
//
// The SDK's retry quota (500 tokens, 5 spent per throttled retry, refunded only by successes) drains under
// sustained throttling, after which throttled calls fail at once; pacing keeps throttling the exception.

export type Pace = () => Promise<void>;

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/** Each call resolves when a token is free: `burst` at once, then `perSecond`; callers are served in order. */
export function tokenBucket(perSecond: number, burst: number, clock: Clock = realClock): Pace {
  let tokens = burst;
  let updated = clock.now();
  let queue: Promise<void> = Promise.resolve();
  const refill = () => {
    const now = clock.now();
    tokens = Math.min(burst, tokens + ((now - updated) * perSecond) / 1000);
    updated = now;
  };
  return () => {
    const turn = queue.then(async () => {
      refill();
      if (tokens < 1) {
        await clock.sleep(Math.ceil(((1 - tokens) * 1000) / perSecond));
        refill();
      }
      tokens -= 1;
    });
    queue = turn;
    return turn;
  };
}

/** No pacing. */
export const unpaced: Pace = () => Promise.resolve();
