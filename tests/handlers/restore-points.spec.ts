// Acceptance (issue 17, item 4): choosing the recovery point from genuine points (real backups and real DR copies on
// the fake AWS): latest, a point in time (exactly at included), an explicit id or ARN; DR copies in the DR region;
// another stack's, an incomplete or a short point, and none at all are named errors before any create call.
import { expect } from "chai";
import { ec2Points } from "../../handlers/kinds/ec2-points";
import { dbPoints } from "../../handlers/kinds/rds-points";
import type { RestoreRequest } from "../../handlers/restore/contract";
import { choosePoint, type PointScope } from "../../handlers/restore/point";
import { fakeClients } from "../helpers/aws-clients";
import { FakeAws } from "../helpers/aws-fake";
import { dbSnapshotArn } from "../helpers/aws-fake-copy";
import { addEbsBackup, rejection } from "../helpers/copy-setup";
import { createCalls, DR, kindsWith, PRIMARY, RestoreFleet, STACK_TAG, stubActions } from "../helpers/restore-setup";

const kinds = kindsWith(() => stubActions({ started: [], polled: [] })).all();

describe("restore: choosing the recovery point", () => {
  let fake: FakeAws;
  let fleet: RestoreFleet;
  let made: Awaited<ReturnType<RestoreFleet["backup"]>>[];

  const scope = (region = PRIMARY): PointScope => ({ clients: fakeClients(fake, { region }), region, stackTag: STACK_TAG, kinds });
  const choose = (request: RestoreRequest, region = PRIMARY) => choosePoint(scope(region), request);
  const refused = async (request: RestoreRequest, region = PRIMARY) => {
    const from = fake.calls.length;
    const error = await rejection(choose(request, region));
    expect(createCalls(fake, from), "create calls").to.deep.equal([]);
    return error;
  };

  beforeEach(async () => {
    fake = new FakeAws();
    fleet = new RestoreFleet(fake);
    made = [];
    for (const day of [18, 19, 20]) made.push(await fleet.backup(day));
  });

  const rootOf = (set: { ebs: { id: string }[] }) => [...set.ebs].sort((a, b) => a.id.localeCompare(b.id))[0].id;

  it("lists one point per EBS set with its volumes, devices, root, size and machine facts; one per DB and cluster snapshot", async () => {
    const clients = fakeClients(fake);
    const points = await ec2Points.listPoints(clients, STACK_TAG, fleet.instance);
    expect(points.map((p) => p.taken)).to.deep.equal(["2026-11-20T05:02:00.000Z", "2026-11-19T05:02:00.000Z", "2026-11-18T05:02:00.000Z"]);
    const newest = points[0];
    expect(newest).to.deep.include({ kind: "ec2", region: PRIMARY, source: fleet.instance, origin: "backup", completed: true, stack: STACK_TAG, plan: "gold" });
    expect(newest.snapshotIds).to.have.members(made[2].ebs.map((s) => s.id));
    expect(newest.volumes?.map((v) => [v.device, v.root, v.sizeGiB])).to.have.deep.members([
      ["/dev/xvda", true, 8],
      ["/dev/sdg", false, 8],
    ]);
    const root = newest.volumes?.find((v) => v.root === true);
    expect(newest.id).to.equal(root?.snapshotId);
    expect(newest.machine).to.deep.include({ instanceType: "m5.large", architecture: "x86_64", rootDevice: "/dev/xvda" });
    const dbs = await dbPoints("rds").listPoints(clients, STACK_TAG, fleet.db);
    expect(dbs.map((p) => p.id)).to.deep.equal([made[2].db.id, made[1].db.id, made[0].db.id]);
    expect(dbs[0]).to.deep.include({ kind: "rds", completed: true, origin: "backup", arn: dbSnapshotArn("rds", fleet.primary, made[2].db.id) });
    expect(dbs[0].database).to.deep.include({ engine: "postgres", instanceClass: "db.m6g.large" });
    const clusters = await dbPoints("aurora").listPoints(clients, STACK_TAG, fleet.cluster);
    expect(clusters.map((p) => p.id)).to.deep.equal([made[2].cluster.id, made[1].cluster.id, made[0].cluster.id]);
  });

  it("latest: the newest completed point of each kind", async () => {
    expect((await choose({ source: fleet.instance, point: "latest" })).point.snapshotIds).to.have.members(made[2].ebs.map((s) => s.id));
    const db = await choose({ source: fleet.db, point: "latest" });
    expect([db.kind.name, db.point.id]).to.deep.equal(["rds", made[2].db.id]);
    const cluster = await choose({ source: fleet.cluster, point: "latest" });
    expect([cluster.kind.name, cluster.point.id]).to.deep.equal(["aurora", made[2].cluster.id]);
  });

  it("a point in time: the newest taken at or before it, exactly-at included; before the first is NoRecoveryPointError", async () => {
    const at = (iso: string) => choose({ source: fleet.instance, point: iso });
    expect((await at("2026-11-19T05:02:00Z")).point.id).to.equal(rootOf(made[1]));
    expect((await at("2026-11-19T05:01:59Z")).point.id).to.equal(rootOf(made[0]));
    expect((await at("2026-11-20T12:00:00+02:00")).point.id).to.equal(rootOf(made[2]));
    expect((await choose({ source: fleet.db, point: "2026-11-19T23:59:59Z" })).point.id).to.equal(made[1].db.id);
    const error = await refused({ source: fleet.cluster, point: "2026-11-18T05:01:59Z" });
    expect(error.name).to.equal("NoRecoveryPointError");
    expect(error.message).to.equal(
      `No completed recovery point of ledger for a point taken at or before 2026-11-18T05:01:59.000Z: the oldest completed point in ${PRIMARY} was taken at 2026-11-18T05:02:00.000Z`,
    );
  });

  it("an explicit id or ARN: any snapshot of a set names the whole set; DB points by identifier or ARN", async () => {
    const data = made[1].ebs.find((s) => s.id !== rootOf(made[1]));
    const bySibling = await choose({ source: fleet.instance, point: data?.id ?? "" });
    expect(bySibling.point.id).to.equal(rootOf(made[1]));
    expect(bySibling.point.snapshotIds).to.have.length(2);
    const byArn = await choose({ source: fleet.instance, point: `arn:aws:ec2:${PRIMARY}::snapshot/${rootOf(made[0])}` });
    expect(byArn.point.snapshotIds).to.have.members(made[0].ebs.map((s) => s.id));
    expect((await choose({ source: fleet.db, point: made[0].db.id })).point.id).to.equal(made[0].db.id);
    const clusterArn = dbSnapshotArn("aurora", fleet.primary, made[1].cluster.id);
    const cluster = await choose({ source: fleet.cluster, point: clusterArn });
    expect([cluster.kind.name, cluster.point.id]).to.deep.equal(["aurora", made[1].cluster.id]);
    // A cluster snapshot's ARN is not a DB snapshot's: the rds kind does not take it.
    expect(dbPoints("rds").mayBePoint(clusterArn)).to.equal(false);
    const elsewhere = await refused({ source: fleet.db, point: dbSnapshotArn("rds", fake.region("eu-west-1"), made[0].db.id) });
    expect(elsewhere.name).to.equal("NoRecoveryPointError");
    expect(elsewhere.message).to.contain("the ARN names eu-west-1");
  });

  it("in the DR region: the DR copies, never the primary's backups; the primary's EBS id is not a point there, a DB identifier is its copy", async () => {
    await fleet.copy(made[0], new Date("2026-11-18T06:00:00Z"));
    await fleet.copy(made[1], new Date("2026-11-19T06:00:00Z"));
    const latest = await choose({ source: fleet.instance, point: "latest" }, DR);
    expect(latest.point).to.deep.include({ origin: "copy", region: DR, taken: "2026-11-19T05:02:00.000Z" });
    expect(latest.point.snapshotIds).to.have.members(made[1].ebs.flatMap((s) => fleet.copiesOf(s.id)));
    // A copy says what it is a copy of (npm run recovery-points shows a backup's DR copy state from it): each
    // volume's backup snapshot id; a DB snapshot's ARN in the primary region.
    expect(latest.point.copyOf).to.have.members(made[1].ebs.map((s) => s.id));
    const inTime = await choose({ source: fleet.db, point: "2026-11-18T23:00:00Z" }, DR);
    expect(inTime.point).to.deep.include({ id: made[0].db.id, origin: "copy", region: DR });
    expect(inTime.point.arn).to.equal(dbSnapshotArn("rds", fleet.dr, made[0].db.id));
    expect(inTime.point.copyOf).to.deep.equal([dbSnapshotArn("rds", fleet.primary, made[0].db.id)]);
    const explicit = await choose({ source: fleet.cluster, point: made[1].cluster.id }, DR);
    expect(explicit.point).to.deep.include({ origin: "copy", region: DR });
    const copyId = fleet.copiesOf(made[0].ebs[0].id)[0];
    expect((await choose({ source: fleet.instance, point: copyId }, DR)).point.snapshotIds).to.have.members(made[0].ebs.flatMap((s) => fleet.copiesOf(s.id)));
    const primaryId = await refused({ source: fleet.instance, point: rootOf(made[1]) }, DR);
    expect(primaryId.name).to.equal("NoRecoveryPointError");
    expect(primaryId.message).to.contain("a DR copy of a volume snapshot has an id of its own");
  });

  it("another stack's point, or one of no stack, is ForeignRecoveryPointError; it is never listed as ours", async () => {
    const other = await fleet.backup(21, { stackTag: "backup-dr/other" });
    expect((await choose({ source: fleet.instance, point: "latest" })).point.id).to.equal(rootOf(made[2]));
    const error = await refused({ source: fleet.instance, point: other.ebs[0].id });
    expect(error.name).to.equal("ForeignRecoveryPointError");
    expect(error.message).to.equal(`Recovery point ${other.ebs[0].id} belongs to the stack backup-dr/other, not to ${STACK_TAG}; this stack restores only its own points`);
    delete made[0].db.tags["backup-dr:stack"];
    const none = await refused({ source: fleet.db, point: made[0].db.id });
    expect(none.name).to.equal("ForeignRecoveryPointError");
    expect(none.message).to.contain("belongs to no stack");
  });

  it("an EBS snapshot of no stack, or not made by a backup at all, is ForeignRecoveryPointError when named", async () => {
    const untaggedStack = addEbsBackup(fake, { source: fleet.instance, stack: null, slot: new Date("2026-11-15T05:00:00Z") });
    const plain = { ...untaggedStack, id: fleet.primary.nextId("snap"), tags: {} };
    fleet.primary.snapshots.set(plain.id, plain);
    for (const id of [untaggedStack.id, plain.id]) {
      const error = await refused({ source: fleet.instance, point: id });
      expect(error.name, id).to.equal("ForeignRecoveryPointError");
      expect(error.message, id).to.contain("belongs to no stack");
    }
    // Neither is among this stack's points.
    const points = await ec2Points.listPoints(fakeClients(fake), STACK_TAG, fleet.instance);
    expect(points.flatMap((p) => p.snapshotIds)).to.not.include.members([untaggedStack.id, plain.id]);
  });

  it("an explicit point of another source is refused", async () => {
    const error = await refused({ source: "i-0fffffffffffffff0", point: rootOf(made[0]) });
    expect(error.name).to.equal("OtherSourceRecoveryPointError");
  });

  it("incomplete: latest passes over a pending point; naming it is IncompleteRecoveryPointError", async () => {
    const pending = await fleet.backup(21, { complete: false });
    expect((await choose({ source: fleet.instance, point: "latest" })).point.id).to.equal(rootOf(made[2]));
    expect((await choose({ source: fleet.db, point: "latest" })).point.id).to.equal(made[2].db.id);
    const error = await refused({ source: fleet.instance, point: pending.ebs[0].id });
    expect(error.name).to.equal("IncompleteRecoveryPointError");
    expect(error.message).to.match(/cannot be restored: not completed: snap-\w+ is pending/);
    const db = await refused({ source: fleet.db, point: pending.db.id });
    expect(db.name).to.equal("IncompleteRecoveryPointError");
    expect(db.message).to.contain("is creating");
  });

  it("a short set (a member deleted, or its DR copy missing) is passed over by latest and refused by name", async () => {
    const [first, second] = made[2].ebs;
    fleet.primary.snapshots.delete(second.id);
    expect((await choose({ source: fleet.instance, point: "latest" })).point.id).to.equal(rootOf(made[1]));
    const error = await refused({ source: fleet.instance, point: first.id });
    expect(error.name).to.equal("IncompleteRecoveryPointError");
    expect(error.message).to.contain("the set is short: 1 of its 2 volume snapshots are in this region");
  });

  it("in DR, a copy still in flight is incomplete; a failed copy beside a completed retry of the same volume does not spoil the set", async () => {
    await fleet.copy(made[2], new Date("2026-11-20T06:00:00Z"));
    const copies = made[2].ebs.map((s) => fleet.copiesOf(s.id)[0]);
    const copy = fleet.dr.snapshots.get(copies[0]);
    if (copy === undefined) throw new Error("no copy");
    copy.state = "pending";
    expect((await rejection(choose({ source: fleet.instance, point: "latest" }, DR))).name).to.equal("NoRecoveryPointError");
    const failedTwin = { ...copy, id: fleet.dr.nextId("snap"), state: "error" as const };
    copy.state = "completed";
    fleet.dr.snapshots.set(failedTwin.id, failedTwin);
    const point = (await choose({ source: fleet.instance, point: "latest" }, DR)).point;
    expect(point.snapshotIds).to.have.members(copies);
    expect(point.completed).to.equal(true);
  });

  it("none: an unknown source is UnknownSourceError, a source with only pending points NoRecoveryPointError", async () => {
    const unknown = await refused({ source: "i-0123456789abcdef0", point: "latest" });
    expect(unknown.name).to.equal("UnknownSourceError");
    expect(unknown.message).to.equal(`No recovery point of i-0123456789abcdef0 in ${PRIMARY} belongs to this stack (looked under: ec2, rds, aurora); check the id, or list the points with npm run recovery-points`);
    const fresh = new FakeAws();
    fake = fresh;
    const lone = new RestoreFleet(fresh);
    await lone.backup(18, { complete: false });
    const pending = await refused({ source: lone.db, point: "latest" });
    expect(pending.name).to.equal("NoRecoveryPointError");
    expect(pending.message).to.contain(`${PRIMARY} holds 1 point of it, none completed (not completed:`);
  });

  it("a DB instance and a DB cluster of one name: AmbiguousSourceError, unless the request names the kind", async () => {
    fleet.primary.dbInstances.delete(fleet.db);
    fleet.primary.addDbCluster(fleet.db, "available", { "backup-plan": "gold" });
    fleet.primary.addDbInstance("orders-db-writer", "available", {}, fleet.db);
    fleet.primary.addDbInstance("other-db", "available", { "backup-plan": "gold" });
    // A cluster backup of the same name, made by the real backup function a day later.
    await fleet.backup(21).catch(() => undefined);
    const error = await refused({ source: fleet.db, point: "latest" });
    expect(error.name).to.equal("AmbiguousSourceError");
    expect(error.message).to.equal("orders-db has recovery points under rds and aurora; ask for one with kind (--kind rds | --kind aurora)");
    const chosen = await choose({ source: fleet.db, point: "latest", kind: "rds" });
    expect([chosen.kind.name, chosen.point.id]).to.deep.equal(["rds", made[2].db.id]);
  });

  it("a point that is neither latest, an instant nor an id of a kind is refused before any AWS call", async () => {
    const from = fake.calls.length;
    for (const point of ["newest", "2026-11-31T00:00:00Z", "2026-11-20", "snap-XYZ", "arn:aws:s3:::bucket/key"]) {
      const error = await rejection(choose({ source: fleet.instance, point }));
      expect(error.name, point).to.equal("MalformedEventError");
    }
    expect(fake.calls.length).to.equal(from);
  });
});
