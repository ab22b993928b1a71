// Bounded concurrency that never stops on a failure, and the token bucket that paces EC2 snapshot creation.
import { expect } from "chai";
import { tokenBucket, type Clock } from "../../handlers/lib/pace";
import { settleWithConcurrency } from "../../handlers/lib/pool";

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("settleWithConcurrency", () => {
  it("never has more than `limit` items in flight, and runs them all", async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await settleWithConcurrency([...Array(25).keys()], 4, async (n) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await tick();
      inFlight -= 1;
      return n * 2;
    });
    expect(peak).to.equal(4);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : -1))).to.deep.equal([...Array(25).keys()].map((n) => n * 2));
  });

  it("keeps going after failures and reports each at its index", async () => {
    const results = await settleWithConcurrency(["a", "b", "c", "d"], 2, async (s) => {
      await tick();
      if (s === "b" || s === "c") throw new Error(`bad ${s}`);
      return s.toUpperCase();
    });
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).to.deep.equal(["A", "bad b", "bad c", "D"]);
  });

  it("rejects a limit below 1", async () => {
    const error = await settleWithConcurrency([1], 0, () => Promise.resolve(1)).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(RangeError);
  });
});

describe("tokenBucket", () => {
  /** A clock that only moves when the bucket sleeps. */
  function fakeClock(): Clock & { slept: number[] } {
    let now = 0;
    const slept: number[] = [];
    return { slept, now: () => now, sleep: (ms) => { slept.push(ms); now += ms; return Promise.resolve(); } };
  }

  it("lets a burst through at once, then one call per 1/rate seconds", async () => {
    const clock = fakeClock();
    const pace = tokenBucket(4, 3, clock);
    for (let i = 0; i < 7; i += 1) await pace();
    expect(clock.slept).to.deep.equal([250, 250, 250, 250]);
    expect(clock.now()).to.equal(1000);
  });

  it("serves concurrent callers in order without exceeding the rate", async () => {
    const clock = fakeClock();
    const pace = tokenBucket(5, 1, clock);
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((n) => pace().then(() => order.push(n))));
    expect(order).to.deep.equal([0, 1, 2, 3]);
    expect(clock.now()).to.equal(600);
  });
});
