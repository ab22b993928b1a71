// Paces calls with a token bucket, so a bulk run stays under an AWS refill rate instead of living on retries.
//
// The SDK's retry quota (500 tokens, 5 spent per throttled retry, refunded only by successes) drains under
// sustained throttling, after which throttled calls fail at once; pacing keeps throttling the exception.
// The bucket runs at AWS's own rate by default (snapshot-settings.ts) and backs off when AWS throttles anyway
// (other callers in the account share AWS's bucket): `throttled()` halves the rate and empties the bucket, and the
// rate then recovers by a twentieth of the full rate per second without throttling (half to full in 10 s).

export type Pace = () => Promise<void>;

/** A pace that reacts to AWS's throttling (handlers/lib/throttle-watch.ts tells it). */
export interface AdaptivePace extends Pace {
  /** AWS answered RequestLimitExceeded to a paced call: slow down. */
  throttled(): void;
  /** Calls per second it allows now (for logs and tests). */
  rate(): number;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/** Each throttle halves the rate, down to this share of the full rate at least. */
const FLOOR_SHARE = 1 / 16;
/** Share of the full rate regained per second without throttling. */
const RECOVERY_SHARE_PER_SECOND = 1 / 20;

/**
 * Each call resolves when a token is free: `burst` at once, then `perSecond`; callers are served in order. After
 * `throttled()`, the rate is halved (at least 1/16 of `perSecond`) and recovers gradually.
 */
export function tokenBucket(perSecond: number, burst: number, clock: Clock = realClock): AdaptivePace {
  let tokens = burst;
  let rate = perSecond;
  let updated = clock.now();
  let queue: Promise<void> = Promise.resolve();
  const refill = () => {
    const now = clock.now();
    const seconds = (now - updated) / 1000;
    // Tokens at the rate of the interval's start, then the rate recovers: never more than the rate allowed.
    tokens = Math.min(burst, tokens + seconds * rate);
    rate = Math.min(perSecond, rate + seconds * perSecond * RECOVERY_SHARE_PER_SECOND);
    updated = now;
  };
  const pace = () => {
    const turn = queue.then(async () => {
      refill();
      while (tokens < 1) {
        await clock.sleep(Math.ceil(((1 - tokens) * 1000) / rate));
        refill();
      }
      tokens -= 1;
    });
    queue = turn;
    return turn;
  };
  return Object.assign(pace, {
    throttled() {
      refill();
      rate = Math.max(perSecond * FLOOR_SHARE, rate / 2);
      tokens = Math.min(tokens, 0);
    },
    rate: () => rate,
  });
}

/** No pacing. */
export const unpaced: Pace = () => Promise.resolve();
