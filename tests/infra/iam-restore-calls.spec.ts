// The restore role against the code it serves: every AWS action the kinds' restore actions and points readers call,
// run against the fake AWS for each kind and mode (EC2 volumes and instance, RDS, Aurora), is allowed by some
// statement of the role (infra/iam-restore.ts), and the role allows no EC2 or RDS action the restore never calls
// (least privilege, read at the action level; resources and conditions are restore.spec.ts's and iam-restore.spec.ts's).
import { expect } from "chai";
import type { RestoreActions } from "../../handlers/kinds/kind";
import { ec2Points } from "../../handlers/kinds/ec2-points";
import { ec2Restore } from "../../handlers/kinds/ec2-restore";
import { dbPoints } from "../../handlers/kinds/rds-points";
import { dbRestore } from "../../handlers/kinds/rds-restore";
import type { RestoreState } from "../../handlers/restore/contract";
import { functionBaseStatements } from "../../infra/iam";
import { restoreStatements } from "../../infra/iam-restore";
import type { PolicyStatement } from "../../infra/policy-documents";
import { actionMatches } from "../../policies/restore";
import { fakeClients } from "../helpers/aws-clients";
import { FakeAws } from "../helpers/aws-fake";
import { fakeRestoreNetwork } from "../helpers/aws-fake-restore-state";
import type { RegionState } from "../helpers/aws-fake-state";
import { SELECTION_KEY } from "../helpers/backup-fleet";
import { primaryRegion, STACK_TAG } from "../helpers/copy-setup";
import { backedUp, dbPoint, ec2Point, pollUntilDone, restoreContext, stateFor } from "../helpers/restore-kinds-setup";

const gold = { [SELECTION_KEY]: "gold" };

/** Runs start -> poll until done -> validate -> findCreated, as the steps would. */
async function restoreOnce(fake: FakeAws, kind: RestoreActions, state: RestoreState): Promise<void> {
  const ctx = restoreContext(fake, state);
  const { state: done } = await pollUntilDone(kind, ctx, await kind.start(ctx, state));
  expect(done.status, JSON.stringify(done.failure)).to.equal("available");
  await kind.validate(ctx, done);
  await kind.findCreated(ctx.clients, state.restoreId);
}

describe("restore role: every action the restore code calls, and no other", () => {
  const called = new Set<string>();
  let region: RegionState;
  let statements: PolicyStatement[];

  before(async () => {
    const fake = new FakeAws();
    region = primaryRegion(fake);
    const instance = region.addInstance("running", gold, [{ Name: "root" }, { Name: "data" }]);
    region.addDbInstance("orders-db", "available", gold);
    region.addDbCluster("ledger", "available", gold);
    region.addDbInstance("ledger-writer", "available", {}, "ledger");
    await backedUp(fake, region);
    const from = fake.calls.length;

    const clients = fakeClients(fake);
    for (const points of [ec2Points, dbPoints("rds"), dbPoints("aurora")]) await points.listPoints(clients, STACK_TAG, "orders-db");
    await ec2Points.listPoints(clients, STACK_TAG, instance.id);
    const network = fakeRestoreNetwork(region.name);
    const ec2 = ec2Point(region, instance.id);
    await ec2Points.readPoint(clients, ec2.id);
    await restoreOnce(fake, ec2Restore, stateFor(ec2, { restoreId: "calls-volumes", mode: "volumes", zone: `${region.name}b` }));
    await restoreOnce(
      fake,
      ec2Restore,
      stateFor(ec2, { restoreId: "calls-instance", name: "restored-calls-instance", mode: "instance", instanceType: ec2.machine?.instanceType, subnetId: network.subnetIds[0], securityGroupIds: network.securityGroupIds }),
    );
    for (const [kind, source] of [["rds", "orders-db"], ["aurora", "ledger"]] as const) {
      const point = dbPoint(region, kind, source);
      await dbPoints(kind).readPoint(clients, point.id);
      const state = stateFor(point, { restoreId: `calls-${kind}`, name: `restored-calls-${kind}`, instanceClass: point.database?.instanceClass, dbSubnetGroup: network.dbSubnetGroup, securityGroupIds: network.securityGroupIds.slice(0, 1) });
      await restoreOnce(fake, dbRestore(kind), state);
    }
    for (const call of fake.calls.slice(from)) called.add(`${call.service}:${call.action}`);

    const scope = { partition: "aws", region: region.name, accountId: "123456789012", stackTag: STACK_TAG };
    statements = [
      ...functionBaseStatements({ logGroupArn: "arn:l", deadLetterQueueArn: "arn:q", keyArn: "arn:k", vaultArn: "arn:aws:s3:::vault", manifestFolder: "restore", topicArn: "arn:t" }),
      ...restoreStatements({ ...scope, network: { subnetIds: network.subnetIds, securityGroupIds: network.securityGroupIds, dbSubnetGroup: network.dbSubnetGroup } }),
    ];
  });

  const allowed = (action: string) => statements.some((s) => s.Effect === "Allow" && [s.Action].flat().some((p) => actionMatches(p, action)));

  it("ran every kind's restore (the calls include each create)", () => {
    expect([...called]).to.include.members(["ec2:CreateVolume", "ec2:RegisterImage", "ec2:RunInstances", "ec2:DeregisterImage", "rds:RestoreDBInstanceFromDBSnapshot", "rds:RestoreDBClusterFromSnapshot", "rds:CreateDBInstance"]);
  });

  it("allows every action the restore code called", () => {
    expect([...called].filter((a) => !allowed(a)).sort()).to.deep.equal([]);
  });

  it("allows no EC2 or RDS action the restore code never calls, but the tag reads it may need", () => {
    const granted = statements.flatMap((s) => [s.Action].flat()).filter((a) => /^(ec2|rds):/.test(a));
    const unused = [...new Set(granted)].filter((a) => ![...called].some((c) => actionMatches(a, c)));
    // CreateTags and AddTagsToResource are authorized as part of the create calls (tags on create), not called;
    // DescribeSubnets is the start step's zone default (the first restore subnet's zone), before the kind's actions.
    expect(unused.sort()).to.deep.equal(["ec2:CreateTags", "ec2:DescribeSubnets", "rds:AddTagsToResource", "rds:ListTagsForResource"].filter((a) => granted.includes(a)).sort());
  });
});
