// Moves this process's wall clock (the global Date) forward, for code that reads the time itself (a deployed archive's
// `new Date()`): time Lambda or Step Functions would have let pass without the test waiting for it. Timers are untouched.

/** Makes `new Date()` and `Date.now()` read `offsetMs` later than they would; returns the function that undoes it. */
export function shiftWallClock(offsetMs: number): () => void {
  const Real = globalThis.Date;
  class Shifted extends Real {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(Real.now() + offsetMs);
      else super(...(args as [string | number | Date]));
    }

    static now(): number {
      return Real.now() + offsetMs;
    }
  }
  globalThis.Date = Shifted as unknown as DateConstructor;
  return () => {
    globalThis.Date = Real;
  };
}
