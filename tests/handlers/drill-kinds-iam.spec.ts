// Issue 18 acceptance, the fake-AWS half: the drill role (infra/iam-drill.ts) evaluated as IAM would on every delete
// the fake receives, from the target's own tags. The kinds' cleanup of a drill's restores is allowed in full; a delete
// of anything not tagged with a drill id and this stack (a source, a foreign or retagged restore) is refused by the
// role itself, even when sent directly, past the kinds' own tag check.
import { CreateTagsCommand, DeleteVolumeCommand, DeregisterImageCommand, TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import { AddTagsToResourceCommand, DeleteDBClusterCommand, DeleteDBInstanceCommand } from "@aws-sdk/client-rds";
import { TAG_DRILL_ID, TAG_RESTORE_ID, TAG_STACK } from "../../handlers/catalog";
import { expect } from "chai";
import { ec2Restore } from "../../handlers/kinds/ec2-restore";
import { dbRestore } from "../../handlers/kinds/rds-restore";
import { drillKind } from "../../handlers/kinds/registry";
import type { RestoreState } from "../../handlers/restore/contract";
import { DRILL_DELETE_ACTIONS, drillStatements } from "../../infra/iam-drill";
import { ACCOUNT_ID, FakeAws } from "../helpers/aws-fake";
import { addImage, regionImages } from "../helpers/aws-fake-cleanup";
import { gateDeletes, gateTagging } from "../helpers/aws-fake-iam";
import { restoreTables } from "../helpers/aws-fake-restore";
import { fakeRestoreNetwork } from "../helpers/aws-fake-restore-state";
import type { FakeCall } from "../helpers/aws-fake";
import type { FakeInstance, RegionState } from "../helpers/aws-fake-state";
import { SELECTION_KEY } from "../helpers/backup-fleet";
import { primaryRegion, rejection, STACK_TAG } from "../helpers/copy-setup";
import { cleanUntilDone, cleanupContext, DRILL_ID, drillRestored, retagged } from "../helpers/drill-kinds-setup";
import { backedUp, dbPoint, ec2Point, stateFor } from "../helpers/restore-kinds-setup";

const gold = { [SELECTION_KEY]: "gold" };
const restoreIdOf = (n: number) => `${DRILL_ID}-r${n}`;

describe("drill role on the fake AWS: every delete authorized from the target's own tags", () => {
  let fake: FakeAws;
  let region: RegionState;
  let source: FakeInstance;
  let denied: FakeCall[];
  let deniedTags: FakeCall[];
  beforeEach(async () => {
    fake = new FakeAws();
    region = primaryRegion(fake);
    source = region.addInstance("running", gold, [{ Name: "root" }, { Name: "data" }]);
    region.addDbInstance("orders-db", "available", gold);
    region.addDbCluster("ledger", "available", gold);
    region.addDbInstance("ledger-writer", "available", {}, "ledger");
    await backedUp(fake, region);
    const { subnetIds, securityGroupIds, dbSubnetGroup } = fakeRestoreNetwork(region.name);
    const statements = drillStatements({ partition: "aws", accountId: ACCOUNT_ID, region: region.name, stackTag: STACK_TAG, network: { subnetIds, securityGroupIds, dbSubnetGroup }, vaultArn: "arn:aws:s3:::dr-vault" });
    denied = gateDeletes(fake, statements, DRILL_DELETE_ACTIONS);
    deniedTags = gateTagging(fake, statements);
  });

  const network = () => fakeRestoreNetwork(region.name);
  const restoreAll = async () => {
    const point = ec2Point(region, source.id);
    const drill = { drillId: DRILL_ID };
    await drillRestored(fake, ec2Restore, stateFor(point, { ...drill, restoreId: restoreIdOf(1), name: "drill-iam-instance", mode: "instance", keepImage: true, instanceType: "m5.large", subnetId: network().subnetIds[0], securityGroupIds: network().securityGroupIds }));
    await drillRestored(fake, ec2Restore, stateFor(point, { ...drill, restoreId: restoreIdOf(2), name: "drill-iam-volumes", mode: "volumes", zone: `${region.name}a` }));
    const where = { dbSubnetGroup: network().dbSubnetGroup, securityGroupIds: network().securityGroupIds };
    await drillRestored(fake, dbRestore("rds"), stateFor(dbPoint(region, "rds", "orders-db"), { ...drill, restoreId: restoreIdOf(3), name: "drill-iam-db", instanceClass: "db.m6g.large", ...where }));
    await drillRestored(fake, dbRestore("aurora"), stateFor(dbPoint(region, "aurora", "ledger"), { ...drill, restoreId: restoreIdOf(4), name: "drill-iam-cluster", instanceClass: "db.r6g.large", ...where } satisfies Partial<RestoreState>));
  };
  const ctx = () => cleanupContext(fake, region.name);

  it("allows every delete the kinds' cleanup sends: everything the drill restored goes", async () => {
    await restoreAll();
    for (const [kind, n] of [["ec2", 1], ["ec2", 2], ["rds", 3], ["aurora", 4]] as const) await cleanUntilDone(drillKind(kind), ctx(), restoreIdOf(n));
    expect(denied).to.deep.equal([]);
    expect(fake.handled().filter((c) => DRILL_DELETE_ACTIONS.includes(`${c.service}:${c.action}` as (typeof DRILL_DELETE_ACTIONS)[number])).map((c) => c.action).sort()).to.deep.equal([
      "DeleteDBCluster",
      "DeleteDBInstance",
      "DeleteDBInstance",
      "DeleteVolume",
      "DeleteVolume",
      "DeregisterImage",
      "TerminateInstances",
    ]);
    expect([...restoreTables(region).volumes.values()]).to.deep.equal([]);
    expect([...region.dbInstances.keys()].sort()).to.deep.equal(["ledger-writer", "orders-db"]);
    expect([...region.dbClusters.keys()]).to.deep.equal(["ledger"]);
  });

  it("refuses, sent directly, a delete of a source or of a restored resource without this drill's and stack's tags", async () => {
    await restoreAll();
    const volume = [...restoreTables(region).volumes.values()].find((v) => v.attachedTo === undefined);
    const db = region.dbInstances.get("drill-iam-db");
    const cluster = region.dbClusters.get("drill-iam-cluster");
    if (volume === undefined || db === undefined || cluster === undefined) throw new Error("not restored");
    volume.tags = retagged(volume.tags, "no-drill");
    db.tags = retagged(db.tags, "other-stack");
    cluster.tags = retagged(cluster.tags, "no-drill");
    const foreignImage = addImage(region, [], "available");
    const { ec2, rds } = ctx().clients;
    const attempts: Array<[string, Promise<unknown>]> = [
      ["the source instance", ec2.send(new TerminateInstancesCommand({ InstanceIds: [source.id] }))],
      ["a volume without the drill id", ec2.send(new DeleteVolumeCommand({ VolumeId: volume.id }))],
      ["an untagged image", ec2.send(new DeregisterImageCommand({ ImageId: foreignImage.id }))],
      ["the source DB instance", rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "orders-db", SkipFinalSnapshot: true }))],
      ["the source cluster's writer", rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "ledger-writer", SkipFinalSnapshot: true }))],
      ["a restored DB instance of another stack", rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: db.id, SkipFinalSnapshot: true }))],
      ["a restored cluster without the drill id", rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: cluster.id, SkipFinalSnapshot: true }))],
    ];
    for (const [what, attempt] of attempts) expect(await rejection(attempt), what).to.have.property("name").that.is.oneOf(["UnauthorizedOperation", "AccessDenied"]);
    expect(denied).to.have.length(attempts.length);
    expect(source.state).to.equal("running");
    expect(restoreTables(region).volumes.get(volume.id)?.state).to.equal("available");
    expect(regionImages(region).has(foreignImage.id)).to.equal(true);
    expect([db, cluster, region.dbInstances.get("orders-db"), region.dbInstances.get("ledger-writer")].map((d) => d?.status)).to.deep.equal(["available", "available", "available", "available"]);
  });

  it("refuses tagging a source as a drill's (stack, restore id, drill id) and then deleting it: DB, cluster, instance, its volume", async () => {
    await restoreAll();
    const drillTags = { [TAG_STACK]: STACK_TAG, [TAG_RESTORE_ID]: restoreIdOf(9), [TAG_DRILL_ID]: DRILL_ID };
    const asTags = Object.entries(drillTags).map(([Key, Value]) => ({ Key, Value }));
    const rdsArn = (type: string, id: string) => `arn:aws:rds:${region.name}:${ACCOUNT_ID}:${type}:${id}`;
    const { ec2, rds } = ctx().clients;
    const sourceVolume = source.volumes[1].id;
    const tagging: Array<[string, Promise<unknown>]> = [
      ["the source DB instance", rds.send(new AddTagsToResourceCommand({ ResourceName: rdsArn("db", "orders-db"), Tags: asTags }))],
      ["the source cluster", rds.send(new AddTagsToResourceCommand({ ResourceName: rdsArn("cluster", "ledger"), Tags: asTags }))],
      ["the source cluster's writer", rds.send(new AddTagsToResourceCommand({ ResourceName: rdsArn("db", "ledger-writer"), Tags: asTags }))],
      ["the source instance and its data volume", ec2.send(new CreateTagsCommand({ Resources: [source.id, sourceVolume], Tags: asTags }))],
    ];
    for (const [what, attempt] of tagging) expect(await rejection(attempt), what).to.have.property("name").that.is.oneOf(["UnauthorizedOperation", "AccessDenied"]);
    expect(deniedTags.map((c) => c.action)).to.deep.equal(["AddTagsToResource", "AddTagsToResource", "AddTagsToResource", "CreateTags"]);
    for (const tags of [region.dbInstances.get("orders-db")?.tags, region.dbClusters.get("ledger")?.tags, source.tags]) expect(tags).to.not.have.property(TAG_DRILL_ID);
    const deleting: Array<[string, Promise<unknown>]> = [
      ["the source DB instance", rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "orders-db", SkipFinalSnapshot: true }))],
      ["the source cluster's writer", rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "ledger-writer", SkipFinalSnapshot: true }))],
      ["the source cluster", rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: "ledger", SkipFinalSnapshot: true }))],
      ["the source instance", ec2.send(new TerminateInstancesCommand({ InstanceIds: [source.id] }))],
    ];
    for (const [what, attempt] of deleting) expect(await rejection(attempt), what).to.have.property("name").that.is.oneOf(["UnauthorizedOperation", "AccessDenied"]);
    expect(denied).to.have.length(deleting.length);
    expect(source.state).to.equal("running");
    expect([region.dbInstances.get("orders-db"), region.dbInstances.get("ledger-writer"), region.dbClusters.get("ledger")].map((d) => d?.status)).to.deep.equal(["available", "available", "available"]);
  });

  it("allows tagging what the drill restored under its own names: the gate is not a blanket refusal", async () => {
    await restoreAll();
    const { rds } = ctx().clients;
    const arn = `arn:aws:rds:${region.name}:${ACCOUNT_ID}:db:drill-iam-db`;
    // The gate applies the allowed call; the fake itself has no AddTagsToResource answer (an unknown-action error, not access denied).
    const answer = await rejection(rds.send(new AddTagsToResourceCommand({ ResourceName: arn, Tags: [{ Key: TAG_STACK, Value: STACK_TAG }, { Key: TAG_RESTORE_ID, Value: restoreIdOf(3) }, { Key: TAG_DRILL_ID, Value: DRILL_ID }, { Key: "note", Value: "x" }] })));
    expect(answer).to.have.property("name").that.is.not.oneOf(["UnauthorizedOperation", "AccessDenied"]);
    expect(deniedTags).to.deep.equal([]);
    expect(region.dbInstances.get("drill-iam-db")?.tags).to.have.property("note", "x");
  });
});
