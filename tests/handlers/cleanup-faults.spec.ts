// Acceptance: faults injected beneath the SDK's retry layer lose nothing and delete nothing wrongly; permanent
// failures, failed listings, lost responses and races with AWS are reported, and never widen what is deleted.
import { expect } from "chai";
import { runCleanup } from "../../handlers/cleanup/run";
import type { CleanupManifest } from "../../handlers/cleanup/report";
import { FakeAws } from "../helpers/aws-fake";
import { addImage } from "../helpers/aws-fake-cleanup";
import { notifications } from "../helpers/aws-inspect";
import { AwsFault } from "../helpers/aws-wire";
import { DR, PRIMARY, cleanupDeps, cleanupManifests, cleanupSettings, rejection } from "../helpers/cleanup-setup";
import { buildScenario, remaining, survivors, type Scenario } from "../helpers/cleanup-scenario";

const EVENT = { scheduledTime: "2026-11-22T03:30:00Z" };
const KEY = "runs/cleanup/2026/11/22/cleanup-2026-11-22T03-30-00Z.json";

describe("cleanup under faults", () => {
  let fake: FakeAws;
  let scenario: Scenario;
  beforeEach(() => {
    fake = new FakeAws();
    fake.pageCap.ec2 = 5;
    fake.pageCap.rds = 5;
    scenario = buildScenario(fake);
  });

  it("with throttling, 5xx and timeouts on 35% of calls, leaves exactly what a fault-free run leaves", async () => {
    const injector = fake.injectFaults({ rate: 0.35, kinds: ["throttle", "500", "503", "timeout"], seed: 20261123 }); // 20261122 put one DeleteSnapshot through 10 faults in a row once the run also read the snapshot locks
    const manifest = await runCleanup(cleanupDeps(fake), cleanupSettings(), EVENT);
    expect(remaining(fake, scenario)).to.deep.equal(survivors(scenario));
    expect(manifest.counts).to.deep.include({ deleted: 22, failed: 0 });
    expect(injector?.total).to.be.greaterThan(20);
    for (const kind of ["throttle", "500", "503", "timeout"] as const) expect(injector?.injected[kind], kind).to.be.greaterThan(0);
    // The SDK above the fake re-sent faulted calls, deletions among them.
    expect(fake.calls.filter((c) => c.action.startsWith("Delete") && c.attempt > 1)).to.not.be.empty;
    expect(notifications(fake.region(PRIMARY))).to.deep.equal([]);
  });

  it("the same faults without retries fail the run, yet nothing outside the deletable set is touched", async () => {
    fake.injectFaults({ rate: 0.35, kinds: ["throttle", "500", "503", "timeout"], seed: 20261122 });
    const error = await rejection(runCleanup(cleanupDeps(fake, { maxAttempts: 1 }), cleanupSettings(), EVENT));
    expect(error.name).to.equal("RunFailedError");
    expect(fake.calls.every((c) => c.attempt === 1)).to.be.true;
    const gone = scenario.all.map((s) => `${s.region} ${s.id}`).filter((p) => !remaining(fake, scenario).includes(p));
    for (const p of gone) expect(scenario.deletable).to.include(p);
  });

  it("a deletion AWS did but whose answer was lost (a 500, then NotFound on the retry) counts as deleted", async () => {
    const lost = new Set<string>();
    fake.beforeHandle = (call, region) => {
      const id = call.params.get("SnapshotId") ?? call.params.get("DBSnapshotIdentifier") ?? call.params.get("DBClusterSnapshotIdentifier") ?? "";
      if (!call.action.startsWith("Delete") || lost.has(`${region.name} ${id}`)) return;
      lost.add(`${region.name} ${id}`);
      region.snapshots.delete(id);
      region.dbSnapshots.delete(id);
      region.dbClusterSnapshots.delete(id);
      throw new AwsFault("InternalError", 500, "We encountered an internal error");
    };
    const manifest = await runCleanup(cleanupDeps(fake), cleanupSettings(), EVENT);
    expect(lost.size).to.equal(22);
    expect(manifest.counts).to.deep.include({ deleted: 22, failed: 0 });
    expect(manifest.snapshots.filter((o) => o.status === "deleted").every((o) => /^expired; already gone \((InvalidSnapshot\.NotFound|DBSnapshotNotFoundFault|DBClusterSnapshotNotFoundFault)\)$/.test(o.reason))).to.be.true;
    expect(remaining(fake, scenario)).to.deep.equal(survivors(scenario));
  });

  it("an AMI registered after the listing makes AWS refuse (InUse): kept and reported, not a failure", async () => {
    const target = scenario.deletable.find((p) => p.startsWith(`${DR} snap-`)) ?? "";
    const id = target.split(" ")[1];
    fake.beforeHandle = (call, region) => {
      if (call.action === "DeleteSnapshot" && call.params.get("SnapshotId") === id && region.name === DR) addImage(region, [id]);
    };
    const manifest = await runCleanup(cleanupDeps(fake), cleanupSettings(), EVENT);
    const outcome = manifest.snapshots.find((o) => `${o.region} ${o.id}` === target);
    expect(outcome).to.deep.include({ status: "kept", notice: true });
    expect(outcome?.reason).to.match(/^AWS refused, in use: InvalidSnapshot\.InUse/);
    expect(manifest.counts).to.deep.include({ deleted: 21, failed: 0 });
    expect(remaining(fake, scenario)).to.include(target);
  });

  it("one deletion failing permanently: the others go on, the manifest, metrics and message name it, and the run fails", async () => {
    fake.permanent = (call) =>
      call.action === "DeleteDBClusterSnapshot" && call.region === DR && call.params.get("DBClusterSnapshotIdentifier") === "bdr-gold-cl-a-9"
        ? new AwsFault("AccessDenied", 403, "not authorized to perform rds:DeleteDBClusterSnapshot")
        : undefined;
    const deps = cleanupDeps(fake);
    const error = await rejection(runCleanup(deps, cleanupSettings(), EVENT));
    expect(error.name).to.equal("RunFailedError");
    expect(error.message).to.include("us-west-2 aurora bdr-gold-cl-a-9: AccessDenied: not authorized to perform rds:DeleteDBClusterSnapshot");
    expect(remaining(fake, scenario)).to.deep.equal([...survivors(scenario), `${DR} bdr-gold-cl-a-9`].sort());
    const manifest = cleanupManifests(fake).get(KEY) as CleanupManifest;
    expect(manifest.counts).to.deep.include({ deleted: 21, failed: 1 });
    expect(deps.recorded.metrics.filter((m) => m.dimensions.Kind === undefined).map((m) => m.values.CleanupFailed)).to.deep.equal([0, 1]);
    expect(notifications(fake.region(PRIMARY))[0].message).to.include("bdr-gold-cl-a-9");
  });

  it("a failed AMI listing keeps every EBS snapshot of that region (it cannot tell which are in use) and fails the run", async () => {
    fake.permanent = (call) => (call.action === "DescribeImages" && call.region === DR ? new AwsFault("UnauthorizedOperation", 403, "not authorized to perform ec2:DescribeImages") : undefined);
    const error = await rejection(runCleanup(cleanupDeps(fake), cleanupSettings(), EVENT));
    expect(error.message).to.include("us-west-2: listing images: UnauthorizedOperation");
    const drEbs = scenario.deletable.filter((p) => p.startsWith(`${DR} snap-`));
    expect(drEbs).to.have.length(5);
    expect(remaining(fake, scenario)).to.deep.equal([...survivors(scenario), ...drEbs].sort());
    const manifest = cleanupManifests(fake).get(KEY) as CleanupManifest;
    expect(manifest.snapshots.filter((o) => o.reason === "AMI listing failed: cannot tell whether an AMI uses it").map((o) => `${o.region} ${o.id}`)).to.include.members(drEbs);
  });

  it("a failed snapshot listing leaves that kind in that region alone; the rest is cleaned and the run fails", async () => {
    fake.permanent = (call) => (call.action === "DescribeDBSnapshots" && call.region === PRIMARY ? new AwsFault("AccessDenied", 403, "not authorized") : undefined);
    const deps = cleanupDeps(fake);
    const error = await rejection(runCleanup(deps, cleanupSettings(), EVENT));
    expect(error.message).to.include("us-east-1: listing rds: AccessDenied: not authorized");
    const primaryRds = scenario.deletable.filter((p) => p.startsWith(`${PRIMARY} bdr-gold-db-`));
    expect(primaryRds).to.have.length(3);
    expect(remaining(fake, scenario)).to.deep.equal([...survivors(scenario), ...primaryRds].sort());
    // No quota count is published for a listing that failed, rather than a wrong one.
    expect(deps.recorded.metrics.filter((m) => m.dimensions.Kind === "rds").map((m) => m.dimensions.Region)).to.deep.equal([DR]);
  });

  it("a vault that cannot be written: nothing is deleted (no deletion without its intent record), the run fails and the message says so", async () => {
    fake.permanent = (call) => (call.action === "PutObject" ? new AwsFault("AccessDenied", 403, "Access Denied") : undefined);
    const before = remaining(fake, scenario);
    const deps = cleanupDeps(fake);
    const error = await rejection(runCleanup(deps, cleanupSettings(), EVENT));
    expect(error.message).to.include(`writing the manifest s3://backup-dr-test-vault/${KEY}: AccessDenied`);
    // Each of the 22 expired snapshots is a failure naming the refused write, and the manifest one more.
    expect(error.message).to.include("finished with 23 failures: us-east-1 aurora bdr-gold-cl-a-10: AccessDenied: Access Denied;");
    expect(deps.recorded.logs.filter((l) => l.message === "the intent record was not written; nothing is deleted in this invocation")).to.have.length(1);
    expect(fake.handled().filter((c) => c.action.startsWith("Delete"))).to.deep.equal([]);
    expect(remaining(fake, scenario)).to.deep.equal(before);
    expect(notifications(fake.region(PRIMARY))[0].message).to.include("writing the manifest");
  });
});
