// Bounded concurrency that never stops on a failure, and the token bucket that paces EC2 snapshot creation: at AWS's
// own rate by default, slowed by AWS's throttling and recovering after it.
import { DeleteSnapshotCommand, DescribeSnapshotsCommand } from "@aws-sdk/client-ec2";
import { expect } from "chai";
import { watchPacedCalls } from "../../handlers/kinds/clients";
import { tokenBucket, type AdaptivePace, type Clock } from "../../handlers/lib/pace";
import { settleWithConcurrency } from "../../handlers/lib/pool";
import { AWS_SNAPSHOT_RATE, readSnapshotRate } from "../../handlers/lib/snapshot-rate";
import { fakeClients } from "../helpers/aws-clients";
import { FakeAws } from "../helpers/aws-fake";
import { AwsFault } from "../helpers/aws-wire";
import { thrown } from "../helpers/thrown";

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
  it("by default lets AWS's burst of 100 through at once, then 5 a second", async () => {
    const clock = fakeClock();
    const pace = tokenBucket(AWS_SNAPSHOT_RATE.perSecond, AWS_SNAPSHOT_RATE.burst, clock);
    for (let i = 0; i < 100; i += 1) await pace();
    expect(clock.now()).to.equal(0);
    for (let i = 0; i < 10; i += 1) await pace();
    expect(clock.slept).to.deep.equal(Array.from({ length: 10 }, () => 200));
    expect(clock.now()).to.equal(2000);
  });

  it("halves its rate when AWS throttles (down to 1/16), empties the bucket, and recovers the full rate gradually", async () => {
    const clock = fakeClock();
    const pace = tokenBucket(5, 100, clock);
    for (let i = 0; i < 50; i += 1) await pace();
    pace.throttled();
    expect(pace.rate()).to.equal(2.5);
    // Fifty tokens were left: thrown away, the next call waits for a token at the halved rate.
    await pace();
    expect(clock.slept).to.deep.equal([400]);
    for (let i = 0; i < 6; i += 1) pace.throttled();
    expect(pace.rate()).to.be.closeTo(5 / 16, 0.05);
    // Without more throttling the rate climbs by a twentieth of the full rate a second: full again within 20 s.
    await clock.sleep(5_000);
    await pace();
    expect(pace.rate()).to.be.within(1, 2);
    await clock.sleep(15_000);
    await pace();
    expect(pace.rate()).to.equal(5);
  });
});

describe("the throttling watch on the paced calls", () => {
  function spyPace(): AdaptivePace & { throttles: number } {
    const spy = Object.assign(() => Promise.resolve(), { throttles: 0, throttled: () => void (spy.throttles += 1), rate: () => 5 });
    return spy;
  }

  it("tells the pace of each RequestLimitExceeded of a paced call, retried ones too, and of no other call", async () => {
    const fake = new FakeAws();
    const snapshot = fake.region().nextId("snap");
    fake.region().snapshots.set(snapshot, { id: snapshot, volumeId: "vol-1", state: "completed", description: "", tags: {}, startTime: new Date() });
    fake.permanent = (call) => (call.attempt <= 2 && ["DeleteSnapshot", "DescribeSnapshots"].includes(call.action) ? new AwsFault("RequestLimitExceeded", 503, "Request limit exceeded.") : undefined);
    const clients = fakeClients(fake);
    const pace = watchPacedCalls(clients, spyPace());
    await clients.ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ["self"] }));
    expect(pace.throttles).to.equal(0);
    await clients.ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshot }));
    expect(pace.throttles).to.equal(2);
    expect(fake.region().snapshots.has(snapshot)).to.equal(false);
    // Watching again (a new pace for the same client) replaces the watch: the old pace hears nothing more.
    const next = watchPacedCalls(clients, spyPace());
    fake.region().snapshots.set(snapshot, { id: snapshot, volumeId: "vol-1", state: "completed", description: "", tags: {}, startTime: new Date() });
    fake.permanent = (call) => (call.action === "DeleteSnapshot" && call.attempt === 1 ? new AwsFault("RequestLimitExceeded", 503, "Request limit exceeded.") : undefined);
    await clients.ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshot }));
    expect([pace.throttles, next.throttles]).to.deep.equal([2, 1]);
  });
});

describe("BACKUP_DR_SNAPSHOT_RATE", () => {
  it("defaults to AWS's bucket, 5 a second with bursts of 100, and reads <perSecond>/<burst>", () => {
    expect(readSnapshotRate({})).to.deep.equal({ perSecond: 5, burst: 100 });
    expect(readSnapshotRate({ BACKUP_DR_SNAPSHOT_RATE: "2.5/40" })).to.deep.equal({ perSecond: 2.5, burst: 40 });
  });

  for (const bad of ["5", "0/100", "5/0", "5/1001", "101/10", "five/100", "5/10.5", "-1/10"]) {
    it(`refuses ${JSON.stringify(bad)} with InvalidSettingError naming the variable`, () => {
      const error = thrown(() => readSnapshotRate({ BACKUP_DR_SNAPSHOT_RATE: bad }));
      expect(error.name).to.equal("InvalidSettingError");
      expect(error.message).to.include("BACKUP_DR_SNAPSHOT_RATE").and.include(`got "${bad}"`);
    });
  }
});
