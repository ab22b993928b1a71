// A virtual clock for the benchmark: time moves only when everything runnable has run and the next timer is due,
// so 2000 seconds of AWS's token-bucket refills take a moment of real time.
//
// While installed it stands in for the global setTimeout/clearTimeout, so the SDK's own retry backoff (and any
// other timer) runs on it; the handlers' pace gets it as its Clock (handlers/lib/pace.ts). `drive` runs a promise
// to its end: after each round of real work (one setImmediate of the real event loop, which runs after every
// promise job and nextTick, and any real file read in flight), it moves time to the earliest timer and fires it.
import type { Clock } from "../../handlers/lib/pace";

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
}

/** What the global setTimeout answers while the clock is installed: enough of Node's Timeout for the SDK. */
interface VirtualTimeout {
  id: number;
  ref(): VirtualTimeout;
  unref(): VirtualTimeout;
  hasRef(): boolean;
  refresh(): VirtualTimeout;
  [Symbol.toPrimitive](): number;
}

const realSetImmediate = setImmediate;
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/** One turn of the real event loop: every promise job and nextTick queued before it has run. */
const realTurn = () => new Promise<void>((resolve) => realSetImmediate(resolve));

/**
 * Real file reads in flight (the SDK reads the shared config files when a client first resolves its settings): the
 * work waits on them, not on a virtual timer, so time must not move on until they are done.
 */
const readingFiles = () => process.getActiveResourcesInfo().some((r) => r.startsWith("FSReq") || r === "FileHandle");

/** Real turns until no file read is in flight. */
async function settle(): Promise<void> {
  await realTurn();
  while (readingFiles()) await realTurn();
}

export class VirtualClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly timers = new Map<number, Timer>();
  /** Timers fired so far (for the harness's own bookkeeping). */
  fired = 0;

  constructor(start: Date) {
    this.current = start.getTime();
  }

  now(): number {
    return this.current;
  }

  date(): Date {
    return new Date(this.current);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.schedule(ms, resolve));
  }

  /** Calls `fire` when the clock reaches now + ms; returns an id for `cancel`. */
  schedule(ms: number, fire: () => void): number {
    this.seq += 1;
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    this.timers.set(this.seq, { at: this.current + delay, seq: this.seq, fire });
    return this.seq;
  }

  cancel(id: number): void {
    this.timers.delete(id);
  }

  /** Replaces the global setTimeout/clearTimeout with this clock's; returns the function that puts them back. */
  install(): () => void {
    const make = (id: number): VirtualTimeout => {
      const handle: VirtualTimeout = { id, ref: () => handle, unref: () => handle, hasRef: () => true, refresh: () => handle, [Symbol.toPrimitive]: () => id };
      return handle;
    };
    const fakeSetTimeout = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => make(this.schedule(ms ?? 0, () => callback(...args)));
    const fakeClearTimeout = (handle: unknown) => {
      if (typeof handle === "number") this.cancel(handle);
      else if (typeof handle === "object" && handle !== null && "id" in handle && typeof handle.id === "number") this.cancel(handle.id);
    };
    Object.assign(globalThis, { setTimeout: fakeSetTimeout, clearTimeout: fakeClearTimeout });
    return () => void Object.assign(globalThis, { setTimeout: realSetTimeout, clearTimeout: realClearTimeout });
  }

  /** The earliest timer, removed from the queue. */
  private takeNext(): Timer | undefined {
    let next: Timer | undefined;
    for (const timer of this.timers.values()) if (next === undefined || timer.at < next.at || (timer.at === next.at && timer.seq < next.seq)) next = timer;
    if (next !== undefined) this.timers.delete(next.seq);
    return next;
  }

  /** Runs `work` to its end on virtual time; throws if it waits on something no timer will ever bring. */
  async drive<T>(work: Promise<T>): Promise<T> {
    let outcome: { value: T } | { error: unknown } | undefined;
    work.then(
      (value) => (outcome = { value }),
      (error: unknown) => (outcome = { error }),
    );
    for (;;) {
      await settle();
      if (outcome !== undefined) break;
      const next = this.takeNext();
      if (next === undefined) {
        // One more turn for work queued from a turn's own callbacks, then it is a deadlock.
        await settle();
        if (outcome !== undefined) break;
        throw new Error("the benchmark waits on something no virtual timer will bring (a deadlock)");
      }
      this.current = Math.max(this.current, next.at);
      this.fired += 1;
      next.fire();
    }
    if ("error" in outcome) throw outcome.error;
    return outcome.value;
  }
}
