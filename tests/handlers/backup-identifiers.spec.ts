// Acceptance: RDS/Aurora snapshot identifiers are unique per stack, plan, source and slot, fit each API's length
// limit, and "already exists" counts as done only for this very backup (its catalog tags), never for another's.
import { expect } from "chai";
import { runBackup } from "../../handlers/backup/run";
import { runCopy } from "../../handlers/copy/run";
import { FakeAws } from "../helpers/aws-fake";
import type { CopyableDbSnapshot } from "../helpers/aws-fake-copy";
import { backupDeps, backupSettings } from "../helpers/backup-setup";
import { fakeClients } from "../helpers/aws-clients";
import { copyDeps, copySettings, DR, PRIMARY_KEY_ARN, primaryRegion, rejection, SWEEP } from "../helpers/copy-setup";
import { SELECTION_KEY } from "../helpers/backup-fleet";
import { backups, manifests } from "../helpers/aws-inspect";

const SLOT = "2026-11-22T05:00:00Z";
const plan = (name: string, resources: string[]) => ({ name, schedule: "cron(0 5 * * ? *)", timezone: "UTC", resources, keep: { daily: 14 }, drKeep: { daily: 7 }, copyToDr: true });
const PLANS = JSON.stringify([plan("gold", ["rds", "aurora"]), plan("gold-eu", ["rds"])]);
const run = (fake: FakeAws, planName: string) => runBackup(backupDeps(fakeClients(fake)), backupSettings({ BACKUP_DR_PLANS: PLANS }), { plan: planName, scheduledTime: SLOT });

describe("backup RDS/Aurora identifiers", () => {
  let fake: FakeAws;
  beforeEach(() => {
    fake = new FakeAws();
    primaryRegion(fake);
  });

  it("plan gold + DB eu-orders and plan gold-eu + DB orders each get their own snapshot", async () => {
    const region = fake.region();
    region.addDbInstance("eu-orders", "available", { [SELECTION_KEY]: "gold" });
    region.addDbInstance("orders", "available", { [SELECTION_KEY]: "gold-eu" });
    const gold = await run(fake, "gold");
    const goldEu = await run(fake, "gold-eu");
    expect(gold.sources.map((o) => [o.source, o.status])).to.deep.equal([["eu-orders", "created"]]);
    expect(goldEu.sources.map((o) => [o.source, o.status])).to.deep.equal([["orders", "created"]]);
    const made = backups(region).filter((b) => b.kind === "rds");
    expect(made.map((b) => [b.source, b.tags["backup-dr:plan"]]).sort()).to.deep.equal([
      ["eu-orders", "gold"],
      ["orders", "gold-eu"],
    ]);
  });

  it("an identifier taken by a snapshot with another backup's tags fails that source with the named error", async () => {
    const region = fake.region();
    region.addDbInstance("orders", "available", { [SELECTION_KEY]: "gold" });
    region.addDbInstance("billing", "available", { [SELECTION_KEY]: "gold" });
    await run(fake, "gold");
    // Someone else's snapshot sits under the identifier of this slot's orders backup: its tags name another run.
    const ours = [...region.dbSnapshots.values()].find((s) => s.source === "orders");
    if (ours === undefined) throw new Error("no orders backup");
    ours.tags = { ...ours.tags, "backup-dr:run": "gold@2026-11-21T05:00:00Z" };
    const rerun = await rejection(run(fake, "gold"));
    expect(rerun.name).to.equal("RunFailedError");
    const manifest = [...manifests(region).values()].find((m) => m.sources.some((o) => o.status === "failed"));
    expect(manifest?.sources.find((o) => o.source === "orders")).to.deep.include({ status: "failed", snapshotIds: [] });
    expect(manifest?.sources.find((o) => o.source === "orders")?.error?.name).to.equal("SnapshotIdentifierTakenError");
    // The other source of the rerun is a plain "already exists": its snapshot is this backup.
    expect(manifest?.sources.find((o) => o.source === "billing")).to.deep.include({ status: "skipped", reason: "already exists" });
    expect(region.dbSnapshots.size).to.equal(2);
  });

  it("a 40-character Aurora cluster id backs up and copies to DR under an identifier of at most 63 characters", async () => {
    const cluster = "orders-aurora-postgres-cluster-eu-west-1";
    expect(cluster).to.have.length(40);
    const region = fake.region();
    region.addDbCluster(cluster, "available", { [SELECTION_KEY]: "gold" });
    const backup = await run(fake, "gold");
    expect(backup.sources.map((o) => [o.source, o.status])).to.deep.equal([[cluster, "created"]]);
    const [made] = [...region.dbClusterSnapshots.values()] as CopyableDbSnapshot[];
    expect(made.id.length).to.be.at.most(63);
    Object.assign(made, { status: "available", encrypted: true, kmsKeyId: PRIMARY_KEY_ARN, created: new Date("2026-11-22T05:02:00Z") });

    const copy = await runCopy(copyDeps(fake, () => new Date("2026-11-22T06:00:00Z")), copySettings({ BACKUP_DR_PLANS: PLANS }), SWEEP);
    expect(copy.manifest.counts.started).to.equal(1);
    const copies = [...fake.region(DR).dbClusterSnapshots.values()];
    expect(copies.map((c) => [c.id, c.tags["backup-dr:source"]])).to.deep.equal([[made.id, cluster]]);
  });
});
