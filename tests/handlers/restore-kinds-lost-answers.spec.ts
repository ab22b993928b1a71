// Issue 17: a restore's creates are safe to re-send. When AWS acts and its answer is lost (a timeout or a 500), the
// SDK's retry sends the call again: the client tokens (CreateVolume, RunInstances: the same command, so the same
// token), the image's name and the DB identifiers (with the restore-id tag) make that second send find the first
// resource, never make another.
import { expect } from "chai";
import { TAG_RESTORE_ID } from "../../handlers/catalog";
import { ec2Restore } from "../../handlers/kinds/ec2-restore";
import type { RestoreActions } from "../../handlers/kinds/kind";
import { dbRestore } from "../../handlers/kinds/rds-restore";
import type { RestoreState } from "../../handlers/restore/contract";
import { FakeAws } from "../helpers/aws-fake";
import { regionImages } from "../helpers/aws-fake-cleanup";
import { restoreTables } from "../helpers/aws-fake-restore";
import { fakeRestoreNetwork } from "../helpers/aws-fake-restore-state";
import type { RegionState } from "../helpers/aws-fake-state";
import { SELECTION_KEY } from "../helpers/backup-fleet";
import { primaryRegion } from "../helpers/copy-setup";
import { backedUp, dbPoint, ec2Point, pollUntilDone, RESTORE_ID, restoreContext, stateFor } from "../helpers/restore-kinds-setup";

const gold = { [SELECTION_KEY]: "gold" };
const CREATES = ["CreateVolume", "RegisterImage", "RunInstances", "RestoreDBInstanceFromDBSnapshot", "RestoreDBClusterFromSnapshot", "CreateDBInstance"];

describe("restore actions: lost answers", () => {
  let fake: FakeAws;
  let region: RegionState;
  let instanceId: string;
  beforeEach(async () => {
    fake = new FakeAws();
    region = primaryRegion(fake);
    instanceId = region.addInstance("running", gold, [{}, {}, {}]).id;
    region.addDbInstance("orders-db", "available", gold);
    region.addDbCluster("ledger", "available", gold);
    region.addDbInstance("ledger-writer", "available", {}, "ledger");
    await backedUp(fake, region);
  });

  /** Restores with every create's first answers lost (about half of the sends, seeded), to available. */
  const restoreLosing = async (kind: RestoreActions, state: RestoreState, actions = CREATES, seed = 3) => {
    const loser = fake.loseAnswers({ rate: 0.5, kinds: ["timeout", "500"], seed, actions });
    const ctx = restoreContext(fake, state);
    const { state: done } = await pollUntilDone(kind, ctx, await kind.start(ctx, state));
    fake.loseAnswers(undefined);
    expect(done.status, JSON.stringify(done.failure)).to.equal("available");
    return loser?.lost ?? {};
  };
  const network = () => fakeRestoreNetwork(region.name);
  const ours = <T extends { tags: Record<string, string> }>(items: Iterable<T>) => [...items].filter((i) => i.tags[TAG_RESTORE_ID] === RESTORE_ID);

  it("volumes: one volume per snapshot", async () => {
    const lost = await restoreLosing(ec2Restore, stateFor(ec2Point(region, instanceId), { mode: "volumes", zone: `${region.name}a` }));
    expect(lost.CreateVolume).to.be.greaterThan(0);
    expect(ours(restoreTables(region).volumes.values())).to.have.length(3);
  });

  it("instance: one image (found by its name after AWS refuses the re-sent name), one instance", async () => {
    const point = ec2Point(region, instanceId);
    const lost = await restoreLosing(ec2Restore, stateFor(point, { mode: "instance", keepImage: true, instanceType: "m5.large", subnetId: network().subnetIds[0], securityGroupIds: network().securityGroupIds }), ["RegisterImage", "RunInstances"], 8);
    expect(lost.RegisterImage).to.be.greaterThan(0);
    expect(lost.RunInstances).to.be.greaterThan(0);
    expect(ours(regionImages(region).values())).to.have.length(1);
    expect(ours(region.instances.values())).to.have.length(1);
  });

  it("rds and aurora: one DB instance; one cluster and one writer", async () => {
    const where = { dbSubnetGroup: network().dbSubnetGroup, securityGroupIds: network().securityGroupIds };
    const rdsPoint = dbPoint(region, "rds", "orders-db");
    const lostRds = await restoreLosing(dbRestore("rds"), stateFor(rdsPoint, { name: "restored-orders", instanceClass: "db.m6g.large", ...where }));
    const auroraPoint = dbPoint(region, "aurora", "ledger");
    const lostAurora = await restoreLosing(dbRestore("aurora"), stateFor(auroraPoint, { name: "restored-ledger", instanceClass: "db.r6g.large", ...where }));
    expect(Object.values({ ...lostRds, ...lostAurora }).reduce((a, b) => a + b, 0)).to.be.greaterThan(0);
    expect(ours(region.dbInstances.values()).map((d) => d.id).sort()).to.deep.equal(["restored-ledger-writer", "restored-orders"]);
    expect(ours(region.dbClusters.values()).map((c) => c.id)).to.deep.equal(["restored-ledger"]);
  });
});
