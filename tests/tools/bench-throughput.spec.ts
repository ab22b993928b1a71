// The throughput benchmark (tools/bench, `npm run bench`) kept from rotting: its virtual clock, AWS's EC2 buckets on
// the fake, the invocation driver of the continuation contract, and every scenario at a tiny size, asserting the
// correctness outputs (nothing lost, nothing done twice, kept snapshots untouched), never timings.
import { DeleteSnapshotCommand } from "@aws-sdk/client-ec2";
import { expect } from "chai";
import { BenchAws } from "../bench/bench-aws";
import { REGION } from "../helpers/aws-fake";
import { backupScenario } from "../bench/backup-scenario";
import { cleanupScenario } from "../bench/cleanup-scenario";
import { copyScenario } from "../bench/copy-scenario";
import { bucketOf, Ec2Buckets } from "../../tools/bench/ec2-buckets";
import { driveRun, nextEvent } from "../../tools/bench/invocation";
import { checkLines, correct, measuresTable } from "../../tools/bench/report";
import type { ScenarioResult } from "../../tools/bench/result";
import { VirtualClock } from "../../tools/bench/virtual-clock";

const correctnessChecks = (r: ScenarioResult) => r.checks.filter((c) => c.correctness);

describe("bench: virtual clock", function () {
  it("fires timers in time order without real waiting, and the global setTimeout runs on it while installed", async function () {
    const clock = new VirtualClock(new Date("2026-11-22T06:00:00Z"));
    const seen: string[] = [];
    const restore = clock.install();
    try {
      await clock.drive(
        (async () => {
          setTimeout(() => seen.push(`timeout at ${clock.now()}`), 2_000_000);
          await clock.sleep(1_000_000);
          seen.push(`slept to ${clock.now()}`);
          await new Promise((resolve) => setTimeout(resolve, 1_500_000));
          seen.push(`awoke at ${clock.now()}`);
        })(),
      );
    } finally {
      restore();
    }
    const t0 = Date.parse("2026-11-22T06:00:00Z");
    expect(seen).to.deep.equal([`slept to ${t0 + 1_000_000}`, `timeout at ${t0 + 2_000_000}`, `awoke at ${t0 + 2_500_000}`]);
  });

  it("names a deadlock instead of hanging", async function () {
    const clock = new VirtualClock(new Date(0));
    const error = await clock.drive(new Promise(() => undefined)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(error)).to.match(/deadlock/);
  });
});

describe("bench: AWS's EC2 token buckets on the fake", function () {
  it("CreateSnapshots and DeleteSnapshot share one bucket of 100 refilled 5 a second, per region", function () {
    let now = 0;
    const buckets = new Ec2Buckets(() => now);
    const taken = Array.from({ length: 60 }, () => buckets.take("us-east-1", "CreateSnapshots")).concat(Array.from({ length: 41 }, () => buckets.take("us-east-1", "DeleteSnapshot")));
    expect(taken.filter(Boolean)).to.have.length(100);
    expect(taken[100]).to.equal(false);
    expect(buckets.take("us-west-2", "DeleteSnapshot")).to.equal(true);
    now = 1_000;
    expect(Array.from({ length: 6 }, () => buckets.take("us-east-1", "CreateSnapshot")).filter(Boolean)).to.have.length(5);
  });

  it("CopySnapshot has a mutating bucket of 50, each Describe action its own bucket, other calls none", function () {
    expect(bucketOf("CopySnapshot")?.size).to.deep.equal({ burst: 50, perSecond: 5 });
    expect(bucketOf("DescribeSnapshots")?.name).to.equal("DescribeSnapshots");
    expect(bucketOf("DescribeInstances")?.name).to.equal("DescribeInstances");
    expect(bucketOf("CreateTags")).to.equal(undefined);
  });
});

describe("bench: the fake AWS in bench mode", function () {
  it("refuses a call past its bucket with RequestLimitExceeded, and the SDK's retry waits for it on the virtual clock", async function () {
    const clock = new VirtualClock(new Date("2026-11-22T06:00:00Z"));
    const restore = clock.install();
    try {
      const bench = new BenchAws(clock);
      const region = bench.fake.region(REGION);
      region.snapshots.set("snap-0123456789abcdef0", { id: "snap-0123456789abcdef0", volumeId: "vol-1", state: "completed", description: "", tags: {}, startTime: clock.date() });
      for (let n = 0; n < 100; n += 1) bench.buckets.take(REGION, "CreateSnapshots");
      const { ec2 } = bench.clients({ alive: true }, REGION);
      await clock.drive(ec2.send(new DeleteSnapshotCommand({ SnapshotId: "snap-0123456789abcdef0" })));
      const deletes = bench.calls.filter((c) => c.action === "DeleteSnapshot");
      expect(deletes.map((c) => c.code ?? c.status)).to.include("RequestLimitExceeded").and.to.include(200);
      expect(deletes[deletes.length - 1].status).to.equal(200);
      expect(region.snapshots.has("snap-0123456789abcdef0")).to.equal(false);
      // The refused attempts and the backoff took virtual time, not real time.
      expect(clock.now() - Date.parse("2026-11-22T06:00:00Z")).to.be.above(100);
    } finally {
      restore();
    }
  });
});

describe("bench: the invocation driver follows the continuation contract", function () {
  it("invokes again with { cursor } until done, and a killed invocation again with the same event in a fresh container", async function () {
    const clock = new VirtualClock(new Date(0));
    const events: unknown[] = [];
    const report = await clock.drive(
      driveRun(
        clock,
        { plan: "gold" },
        async (container, event, remainingMs) => {
          events.push(event);
          if (events.length === 2) {
            await clock.sleep(10_000);
            return { done: true, ignored: container.alive };
          }
          if (events.length === 4) return { runId: "r" };
          await clock.sleep(remainingMs() - 1_000);
          return { done: false, cursor: { after: events.length } };
        },
        { killAt: { invocation: 2, afterMs: 5_000 } },
      ),
    );
    expect(events).to.deep.equal([{ plan: "gold" }, { cursor: { after: 1 } }, { cursor: { after: 1 } }, { cursor: { after: 3 } }]);
    expect(report).to.include({ invocations: 4, killed: 1, timedOut: 0 });
    expect(nextEvent({ runId: "r" })).to.equal(undefined);
  });
});

describe("bench: every scenario at a tiny size, correct", function () {
  it("backs up 30 instances across a killed invocation: one snapshot set each, none lost", async function () {
    const result = await backupScenario(30, { acceptance: "scale", killAt: { invocation: 1, afterMs: 1_000 } });
    expect(result).to.include({ lost: 0, duplicated: 0, killed: 1 });
    expect(result.invocations).to.be.at.least(2);
    expect(correctnessChecks(result).every((c) => c.pass)).to.equal(true);
    expect(result.callsPerSource.CreateSnapshots).to.be.at.least(1);
  });

  it("cleans up 30 expired snapshots: each deleted once, none of the kept ones touched", async function () {
    const result = await cleanupScenario(30);
    expect(result).to.include({ lost: 0, duplicated: 0 });
    expect(result.callsPerSource.DeleteSnapshot).to.equal(1);
    expect(correctnessChecks(result).map((c) => c.pass)).to.deep.equal([true, true]);
  });

  it("copies 30 EBS backups under the 20-copy limit: one DR copy each, and the table and checks print", async function () {
    const result = await copyScenario(30);
    expect(result).to.include({ lost: 0, duplicated: 0 });
    expect(result.slotUtilisation).to.be.within(0, 1);
    expect(correct([result])).to.equal(true);
    const printed = [...measuresTable([result]), ...checkLines([result])].join("\n");
    expect(printed).to.include("copy-slot utilisation").and.to.include("CopySnapshot calls / copy made").and.to.match(/(PASS|FAIL) {2}slot utilisation >= 90%/);
  });
});
