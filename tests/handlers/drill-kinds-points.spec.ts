// Issue 18, the drill's pick step needs "this stack's points here" per kind: listPoints without a source lists every
// source's points of this stack in the region (every page read), each point one source's own; another stack's never.
import { expect } from "chai";
import { TAG_SOURCE } from "../../handlers/catalog";
import { restoreKinds } from "../../handlers/kinds/registry";
import { fakeClients } from "../helpers/aws-clients";
import { FakeAws } from "../helpers/aws-fake";
import type { RegionState } from "../helpers/aws-fake-state";
import { SELECTION_KEY } from "../helpers/backup-fleet";
import { addDbBackup, addEbsBackup, primaryRegion, STACK_TAG } from "../helpers/copy-setup";
import { backedUp } from "../helpers/restore-kinds-setup";

const gold = { [SELECTION_KEY]: "gold" };

describe("listPoints without a source: every source's points of this stack", () => {
  let fake: FakeAws;
  let region: RegionState;
  let instances: string[];
  beforeEach(async () => {
    fake = new FakeAws();
    region = primaryRegion(fake);
    // Two instances of one plan: one backup run makes a set of each, with the same run tag.
    instances = [region.addInstance("running", gold, [{}, {}]).id, region.addInstance("running", gold, [{}]).id].sort();
    region.addDbInstance("orders-db", "available", gold);
    region.addDbInstance("billing-db", "available", gold);
    region.addDbCluster("ledger", "available", gold);
    region.addDbInstance("ledger-writer", "available", {}, "ledger");
    await backedUp(fake, region);
    // Another stack's backups in the same region, of the same sources and of others.
    addEbsBackup(fake, { stack: "backup-dr/other", source: instances[0] });
    addEbsBackup(fake, { stack: "backup-dr/other", source: "i-0ffffffffffffffff" });
    addDbBackup(fake, "rds", { stack: "backup-dr/other", source: "foreign-db" });
    addDbBackup(fake, "aurora", { stack: "backup-dr/other", source: "ledger", slot: new Date("2026-11-19T05:00:00Z") });
    // One item a page: every list must read every page.
    fake.pageCap.ec2 = 1;
    fake.pageCap.rds = 1;
  });

  const byKind = async () => {
    const clients = fakeClients(fake);
    return Object.fromEntries(await Promise.all(restoreKinds().map(async (k) => [k.name, await k.listPoints(clients, STACK_TAG)] as const)));
  };

  it("each kind lists one point per source and backup, of this stack only", async () => {
    const points = await byKind();
    expect(points.ec2.map((p) => p.source).sort()).to.deep.equal(instances);
    expect(points.rds.map((p) => p.source).sort()).to.deep.equal(["billing-db", "orders-db"]);
    expect(points.aurora.map((p) => p.source)).to.deep.equal(["ledger"]);
    for (const p of [...points.ec2, ...points.rds, ...points.aurora]) expect(p, p.id).to.deep.include({ stack: STACK_TAG, completed: true, origin: "backup" });
  });

  it("an instance's point holds its own volume snapshots only (one run backs up both instances)", async () => {
    const { ec2 } = await byKind();
    for (const point of ec2) {
      const own = [...region.snapshots.values()].filter((s) => s.tags[TAG_SOURCE] === point.source && s.tags["backup-dr:stack"] === STACK_TAG).map((s) => s.id);
      expect(point.snapshotIds, point.source).to.have.members(own);
    }
    expect(ec2.map((p) => p.snapshotIds.length).sort()).to.deep.equal([1, 2]);
  });

  it("with a source, only that source's points, as before", async () => {
    const clients = fakeClients(fake);
    const [ec2, rds] = restoreKinds();
    expect((await ec2.listPoints(clients, STACK_TAG, instances[1])).map((p) => p.source)).to.deep.equal([instances[1]]);
    expect((await rds.listPoints(clients, STACK_TAG, "orders-db")).map((p) => p.source)).to.deep.equal(["orders-db"]);
    expect(await rds.listPoints(clients, STACK_TAG, "foreign-db")).to.deep.equal([]);
  });
});
