// Acceptance: faults injected beneath the SDK's retry layer; permanent failures; sources vanishing mid-run.
import { expect } from "chai";
import { runBackup } from "../../handlers/backup/run";
import type { BackupManifest } from "../../handlers/backup/report";
import { FakeAws } from "../helpers/aws-fake";
import { backupDeps, backupSettings } from "../helpers/backup-setup";
import { fakeClients } from "../helpers/aws-clients";
import { buildFleet, goldSources, type Fleet } from "../helpers/backup-fleet";
import { backups, manifests, notifications, sorted } from "../helpers/aws-inspect";
import { AwsFault } from "../helpers/aws-wire";

const EVENT = { plan: "gold", scheduledTime: "2026-11-22T11:00:00Z" };
const MANIFEST_KEY = "runs/backup/2026/11/22/gold-2026-11-22T11-00-00Z.json";

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(() => undefined, (error: unknown) => error);
  if (outcome instanceof Error) return outcome;
  throw new Error("expected the run to fail");
}

/** Every gold source has exactly one backup (EC2: one snapshot of each of its volumes). */
function expectOneBackupEach(fake: FakeAws, fleet: Fleet, except: string[] = []): void {
  const made = backups(fake.region());
  for (const source of goldSources(fleet).filter((s) => !except.includes(s))) {
    const volumes = fleet.gold.ec2.get(source);
    const mine = made.filter((b) => b.source === source);
    if (volumes) expect(sorted(mine.map((b) => b.volumeId)), source).to.deep.equal(sorted(volumes));
    else expect(mine, source).to.have.length(1);
  }
}

describe("backup under faults", () => {
  let fake: FakeAws;
  let fleet: Fleet;
  beforeEach(() => {
    fake = new FakeAws();
    fake.pageCap.ec2 = 5;
    fake.pageCap.rds = 5;
    fleet = buildFleet(fake);
  });

  it("with throttling, 5xx and timeouts on 35% of calls, every backup still completes", async () => {
    fake = new FakeAws();
    fake.pageCap.ec2 = 5;
    fake.pageCap.rds = 5;
    fleet = buildFleet(fake, 5);
    const injector = fake.injectFaults({ rate: 0.35, kinds: ["throttle", "500", "503", "timeout"], seed: 20261122 });
    const manifest = await runBackup(backupDeps(fakeClients(fake)), backupSettings(), EVENT);
    expect(manifest.counts).to.deep.equal({ created: goldSources(fleet).length, skipped: fleet.goldSkipped.size, failed: 0 });
    expectOneBackupEach(fake, fleet);
    expect(injector?.total).to.be.greaterThan(40);
    for (const kind of ["throttle", "500", "503", "timeout"] as const) expect(injector?.injected[kind], kind).to.be.greaterThan(0);
    // The SDK above the fake re-sent faulted calls: attempts beyond the first reached it.
    expect(Math.max(...fake.calls.map((c) => c.attempt))).to.be.at.least(3);
    expect(manifests(fake.region()).get(MANIFEST_KEY)?.counts.failed).to.equal(0);
    expect(notifications(fake.region())).to.deep.equal([]);
  });

  it("the same faults without retries fail backups, so the faults above are real", async () => {
    fake.injectFaults({ rate: 0.35, kinds: ["throttle", "500", "503", "timeout"], seed: 20261122 });
    const error = await rejection(runBackup(backupDeps(fakeClients(fake, { maxAttempts: 1 })), backupSettings(), EVENT));
    expect(error.name).to.equal("RunFailedError");
    expect(fake.calls.every((c) => c.attempt === 1)).to.be.true;
  });

  it("with one source failing permanently, finishes all others, names it in the manifest and the message, and throws", async () => {
    fake.injectFaults({ rate: 0.2, kinds: ["throttle", "503"], seed: 7 });
    fake.permanent = (call) =>
      call.action === "CreateDBSnapshot" && call.params.get("DBInstanceIdentifier") === "gold-db-2"
        ? new AwsFault("SnapshotQuotaExceeded", 400, "Cannot create more than 100 manual snapshots")
        : undefined;
    const error = await rejection(runBackup(backupDeps(fakeClients(fake)), backupSettings(), EVENT));
    expect(error.name).to.equal("RunFailedError");
    expect(error.message).to.include("rds gold-db-2: SnapshotQuotaExceededFault: Cannot create more than 100 manual snapshots");
    expectOneBackupEach(fake, fleet, ["gold-db-2"]);
    expect(backups(fake.region()).filter((b) => b.source === "gold-db-2")).to.deep.equal([]);

    const manifest = manifests(fake.region()).get(MANIFEST_KEY) as BackupManifest;
    expect(manifest.counts).to.deep.equal({ created: goldSources(fleet).length - 1, skipped: fleet.goldSkipped.size, failed: 1 });
    expect(manifest.sources.filter((o) => o.status === "failed")).to.deep.equal([
      { kind: "rds", source: "gold-db-2", status: "failed", snapshotIds: [], error: { name: "SnapshotQuotaExceededFault", message: "Cannot create more than 100 manual snapshots" }, durationMs: manifest.sources.find((o) => o.source === "gold-db-2")?.durationMs },
    ]);
    const [message] = notifications(fake.region());
    expect(message.subject).to.equal("backup-dr backup FAILED (1): plan gold, slot 2026-11-22T11:00:00Z");
    expect(message.message).to.include(`Created: ${goldSources(fleet).length - 1}   Skipped: ${fleet.goldSkipped.size}   Failed: 1`);
    expect(message.message).to.include("rds gold-db-2: SnapshotQuotaExceededFault: Cannot create more than 100 manual snapshots");
    expect(message.message).to.include(`s3://backup-dr-test-vault/${MANIFEST_KEY}`);
  });

  it("reports a source deleted mid-run as skipped, not as a failure", async () => {
    const [instance] = fleet.gold.ec2.keys();
    fake.beforeHandle = (call, region) => {
      if (call.action === "CreateSnapshots" && call.params.get("InstanceSpecification.InstanceId") === instance) region.instances.delete(instance);
      if (call.action === "CreateDBSnapshot" && call.params.get("DBInstanceIdentifier") === "gold-db-1") region.dbInstances.delete("gold-db-1");
      if (call.action === "CreateDBClusterSnapshot" && call.params.get("DBClusterIdentifier") === "gold-aurora-0") region.dbClusters.delete("gold-aurora-0");
    };
    const manifest = await runBackup(backupDeps(fakeClients(fake)), backupSettings(), EVENT);
    const gone = manifest.sources.filter((o) => o.reason?.startsWith("source no longer exists"));
    expect(gone.map((o) => `${o.source} ${o.reason ?? ""}`)).to.have.members([
      `${instance} source no longer exists (InvalidInstanceID.NotFound)`,
      "gold-db-1 source no longer exists (DBInstanceNotFoundFault)",
      "gold-aurora-0 source no longer exists (DBClusterNotFoundFault)",
    ]);
    expect(manifest.counts.failed).to.equal(0);
    expectOneBackupEach(fake, fleet, [instance, "gold-db-1", "gold-aurora-0"]);
  });

  it("when one kind cannot be listed, backs up the other kinds and fails the run naming the listing", async () => {
    fake.permanent = (call) => (call.action === "DescribeDBClusters" ? new AwsFault("AccessDenied", 403, "not authorized to perform rds:DescribeDBClusters") : undefined);
    const error = await rejection(runBackup(backupDeps(fakeClients(fake)), backupSettings(), EVENT));
    expect(error.message).to.include("listing aurora resources: AccessDenied: not authorized to perform rds:DescribeDBClusters");
    expectOneBackupEach(fake, fleet, fleet.gold.aurora);
    expect(backups(fake.region()).filter((b) => b.kind === "aurora")).to.deep.equal([]);
    expect(manifests(fake.region()).get(MANIFEST_KEY)?.counts.failed).to.equal(1);
  });

  it("a manifest that cannot be written fails the run after the backups, and the message says so", async () => {
    fake.permanent = (call) => (call.action === "PutObject" ? new AwsFault("AccessDenied", 403, "Access Denied") : undefined);
    const error = await rejection(runBackup(backupDeps(fakeClients(fake)), backupSettings(), EVENT));
    expect(error.message).to.include(`writing the manifest s3://backup-dr-test-vault/${MANIFEST_KEY}: AccessDenied`);
    expectOneBackupEach(fake, fleet);
    expect(notifications(fake.region())[0].message).to.include("writing the manifest");
  });
});
