// Issue 18, the drill cleanup of the kinds on the RDS API: after a real restore on the fake AWS (tagged with the
// drill's id), deleteRestored called until nothing remains deletes the restored DB instance (SkipFinalSnapshot,
// DeleteAutomatedBackups), or the cluster's writer and then the cluster (SkipFinalSnapshot), makes no snapshot and
// deletes none, leaves the sources alone, refuses foreign or protected resources, and survives reruns and lost answers.
import { expect } from "chai";
import { dbRestore } from "../../handlers/kinds/rds-restore";
import { drillKind } from "../../handlers/kinds/registry";
import type { RestoreState } from "../../handlers/restore/contract";
import { FakeAws } from "../helpers/aws-fake";
import { fakeRestoreNetwork, setProgress, setRestoreSteps } from "../helpers/aws-fake-restore-state";
import type { RegionState } from "../helpers/aws-fake-state";
import { SELECTION_KEY } from "../helpers/backup-fleet";
import { primaryRegion, rejection } from "../helpers/copy-setup";
import { cleanUntilDone, cleanupContext, deletedIds, DRILL_ID, DRILL_RESTORE_ID, drillRestoreContext, drillRestored, retagged } from "../helpers/drill-kinds-setup";
import { backedUp, dbPoint, stateFor } from "../helpers/restore-kinds-setup";

const gold = { [SELECTION_KEY]: "gold" };
const DELETES = ["DeleteDBInstance", "DeleteDBCluster"];

describe("drill cleanup: rds and aurora", () => {
  let fake: FakeAws;
  let region: RegionState;
  let snapshots: string[];
  beforeEach(async () => {
    fake = new FakeAws();
    region = primaryRegion(fake);
    region.addDbInstance("orders-db", "available", gold);
    region.addDbCluster("ledger", "available", gold);
    region.addDbInstance("ledger-writer", "available", {}, "ledger");
    await backedUp(fake, region);
    snapshots = [...region.dbSnapshots.keys(), ...region.dbClusterSnapshots.keys()].sort();
  });

  const network = () => fakeRestoreNetwork(region.name);
  const drillState = (kind: "rds" | "aurora", fields: Partial<RestoreState> = {}) => {
    const point = dbPoint(region, kind, kind === "rds" ? "orders-db" : "ledger");
    return stateFor(point, { restoreId: DRILL_RESTORE_ID, drillId: DRILL_ID, name: `drill-${kind}-1`, instanceClass: point.database?.instanceClass, dbSubnetGroup: network().dbSubnetGroup, securityGroupIds: network().securityGroupIds, ...fields });
  };
  const restored = (kind: "rds" | "aurora", fields: Partial<RestoreState> = {}) => drillRestored(fake, dbRestore(kind), drillState(kind, fields));
  const ctx = (fields: Parameters<typeof cleanupContext>[2] = {}, maxAttempts?: number) => cleanupContext(fake, region.name, fields, maxAttempts);
  const ids = (table: Map<string, unknown>) => [...table.keys()].sort();

  /** The sources are available and no snapshot was made or deleted (no final snapshot). */
  const sourcesAndSnapshotsUntouched = () => {
    expect(region.dbInstances.get("orders-db")?.status).to.equal("available");
    expect(region.dbClusters.get("ledger")?.status).to.equal("available");
    expect(region.dbInstances.get("ledger-writer")?.status).to.equal("available");
    expect([...region.dbSnapshots.keys(), ...region.dbClusterSnapshots.keys()].sort()).to.deep.equal(snapshots);
  };

  describe("rds", () => {
    it("deletes the restored DB instance without a final snapshot, deleting its automated backups; deleting, then gone", async () => {
      await restored("rds");
      const answers = await cleanUntilDone(drillKind("rds"), ctx());
      // The fake's deletion lasts one describe (the next call's listing); then the instance is gone.
      expect(answers.map((a) => a.remaining.map((r) => [r.id, r.state]))).to.deep.equal([[["drill-rds-1", "deleting"]], []]);
      expect(deletedIds(answers)).to.deep.equal(["drill-rds-1"]);
      const [call, ...more] = fake.handled("DeleteDBInstance");
      expect(more).to.deep.equal([]);
      expect({ id: call.params.get("DBInstanceIdentifier"), skip: call.params.get("SkipFinalSnapshot"), backups: call.params.get("DeleteAutomatedBackups"), final: call.params.get("FinalDBSnapshotIdentifier") }).to.deep.equal({ id: "drill-rds-1", skip: "true", backups: "true", final: undefined });
      expect(ids(region.dbInstances)).to.deep.equal(["ledger-writer", "orders-db"]);
      sourcesAndSnapshotsUntouched();
    });

    it("a restore that never became available (still creating, e.g. timed out) is waited for, then deleted", async () => {
      const state = drillState("rds");
      await dbRestore("rds").start(drillRestoreContext(fake, state), state);
      const db = region.dbInstances.get("drill-rds-1");
      if (db === undefined) throw new Error("not restored");
      db.status = "creating";
      setProgress(db, []);
      const first = await drillKind("rds").deleteRestored(ctx(), DRILL_RESTORE_ID);
      // RDS refuses to delete a creating instance in this fake: it waits (remaining, not deleted).
      expect(first.remaining.map((r) => r.id)).to.deep.equal(["drill-rds-1"]);
      expect(first.deleted).to.deep.equal([]);
      db.status = "available";
      await cleanUntilDone(drillKind("rds"), ctx());
      expect(region.dbInstances.has("drill-rds-1")).to.equal(false);
    });

    it("deletion protection on: refused with the reason, never turned off (a drill's restore sends it off)", async () => {
      await restored("rds");
      expect(fake.handled("RestoreDBInstanceFromDBSnapshot")[0].params.get("DeletionProtection")).to.equal("false");
      const db = region.dbInstances.get("drill-rds-1");
      if (db === undefined) throw new Error("not restored");
      db.deletionProtection = true;
      const answer = await drillKind("rds").deleteRestored(ctx(), DRILL_RESTORE_ID);
      expect(answer.refused.map((r) => [r.id, r.reason])).to.deep.equal([["drill-rds-1", "deletion protection is on; a drill's restore never turns it on and cleanup does not turn it off"]]);
      expect(answer.remaining).to.deep.equal([]);
      expect(fake.handled().filter((c) => c.action.startsWith("Delete") || c.action.startsWith("Modify"))).to.deep.equal([]);
    });

    for (const change of ["other-drill", "no-drill", "other-stack"] as const) {
      it(`a DB instance with the restore id but ${change}: refused, not deleted`, async () => {
        await restored("rds");
        const db = region.dbInstances.get("drill-rds-1");
        if (db === undefined) throw new Error("not restored");
        db.tags = retagged(db.tags, change);
        const answer = await drillKind("rds").deleteRestored(ctx(), DRILL_RESTORE_ID);
        expect(answer.refused.map((r) => r.id)).to.deep.equal(["drill-rds-1"]);
        expect(answer.refused[0].reason).to.match(/^not this drill's: backup-dr:(drill-id|stack) is/);
        expect(fake.handled("DeleteDBInstance")).to.deep.equal([]);
        expect(region.dbInstances.get("drill-rds-1")?.status).to.equal("available");
      });
    }

    it("the rds kind leaves a restored cluster's writer to the aurora kind", async () => {
      await restored("aurora");
      const answer = await drillKind("rds").deleteRestored(ctx(), DRILL_RESTORE_ID);
      expect(answer).to.deep.equal({ deleted: [], remaining: [], refused: [] });
      expect(fake.handled("DeleteDBInstance")).to.deep.equal([]);
    });
  });

  describe("aurora", () => {
    it("deletes the writer first, then the cluster once it has no members, both without a final snapshot", async () => {
      await restored("aurora");
      const answers = await cleanUntilDone(drillKind("aurora"), ctx());
      expect(answers[0].deleted.map((d) => [d.type, d.id, d.state])).to.deep.equal([["db-instance", "drill-aurora-1-writer", "deleting"]]);
      expect(answers[0].remaining.map((r) => r.id).sort()).to.deep.equal(["drill-aurora-1", "drill-aurora-1-writer"]);
      expect(deletedIds(answers)).to.deep.equal(["drill-aurora-1", "drill-aurora-1-writer"]);
      const deletes = fake.handled().filter((c) => DELETES.includes(c.action));
      expect(deletes.map((c) => [c.action, c.params.get("SkipFinalSnapshot")])).to.deep.equal([
        ["DeleteDBInstance", "true"],
        ["DeleteDBCluster", "true"],
      ]);
      // The member's automated backups are the cluster's: not asked of the instance.
      expect(deletes[0].params.get("DeleteAutomatedBackups")).to.equal(undefined);
      expect(deletes[1].params.get("FinalDBSnapshotIdentifier")).to.equal(undefined);
      expect(ids(region.dbClusters)).to.deep.equal(["ledger"]);
      expect(ids(region.dbInstances)).to.deep.equal(["ledger-writer", "orders-db"]);
      sourcesAndSnapshotsUntouched();
    });

    it("a cluster with a member that is not this drill's: the writer goes, the cluster is refused, the member stays", async () => {
      await restored("aurora");
      region.addDbInstance("someone-elses-reader", "available", {}, "drill-aurora-1");
      const answers = await cleanUntilDone(drillKind("aurora"), ctx());
      const last = answers[answers.length - 1];
      expect(last.refused.map((r) => [r.id, r.reason])).to.deep.equal([["drill-aurora-1", "it has members that are not this drill's restore's (someone-elses-reader): never deleted by cleanup"]]);
      expect(fake.handled("DeleteDBCluster")).to.deep.equal([]);
      expect(region.dbInstances.get("someone-elses-reader")?.status).to.equal("available");
      expect(region.dbInstances.has("drill-aurora-1-writer")).to.equal(false);
    });

    it("a protected writer is refused, and so its cluster waits for nothing: refused too", async () => {
      await restored("aurora");
      const writer = region.dbInstances.get("drill-aurora-1-writer");
      if (writer === undefined) throw new Error("no writer");
      writer.deletionProtection = true;
      const answer = await drillKind("aurora").deleteRestored(ctx(), DRILL_RESTORE_ID);
      expect(answer.refused.map((r) => r.id).sort()).to.deep.equal(["drill-aurora-1", "drill-aurora-1-writer"]);
      expect(answer.remaining).to.deep.equal([]);
      expect(fake.handled().filter((c) => DELETES.includes(c.action))).to.deep.equal([]);
    });

    it("another stack's cluster with this restore id: refused; its own tagged writer still goes", async () => {
      await restored("aurora");
      const cluster = region.dbClusters.get("drill-aurora-1");
      if (cluster === undefined) throw new Error("no cluster");
      cluster.tags = retagged(cluster.tags, "other-stack");
      const answers = await cleanUntilDone(drillKind("aurora"), ctx());
      expect(answers.at(-1)?.refused.map((r) => r.id)).to.deep.equal(["drill-aurora-1"]);
      expect(fake.handled("DeleteDBCluster")).to.deep.equal([]);
      expect(region.dbClusters.get("drill-aurora-1")?.status).to.equal("available");
      expect(region.dbInstances.has("drill-aurora-1-writer")).to.equal(false);
    });

    it("tags changed between the listing and the delete: the read by identifier just before the delete refuses it", async () => {
      await restored("aurora");
      const writer = region.dbInstances.get("drill-aurora-1-writer");
      if (writer === undefined) throw new Error("no writer");
      fake.beforeHandle = (call) => {
        if (call.action === "DescribeDBInstances" && call.params.get("DBInstanceIdentifier") === writer.id) writer.tags = retagged(writer.tags, "no-drill");
      };
      const answer = await drillKind("aurora").deleteRestored(ctx(), DRILL_RESTORE_ID);
      expect(answer.refused.map((r) => r.id).sort()).to.deep.equal(["drill-aurora-1", "drill-aurora-1-writer"]);
      expect(fake.handled().filter((c) => DELETES.includes(c.action))).to.deep.equal([]);
    });
  });

  describe("the fake refuses what RDS refuses", () => {
    it("a final snapshot neither skipped nor named; a cluster with members not being deleted", async () => {
      await restored("aurora");
      const rds = ctx().clients.rds;
      const { DeleteDBClusterCommand, DeleteDBInstanceCommand } = await import("@aws-sdk/client-rds");
      expect(await rejection(rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "orders-db" })))).to.have.property("name", "InvalidParameterCombination");
      expect(await rejection(rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: "drill-aurora-1", SkipFinalSnapshot: true })))).to.have.property("name", "InvalidDBClusterStateFault");
      expect(region.dbInstances.get("orders-db")?.status).to.equal("available");
    });
  });

  describe("reruns and lost answers end in the same place", () => {
    it("delete answers lost beneath the SDK's retry: the re-sent delete finds it deleting; everything goes, no snapshot made", async () => {
      await restored("rds");
      await restored("aurora", { restoreId: `${DRILL_ID}-r2` });
      const loser = fake.loseAnswers({ rate: 0.6, kinds: ["timeout", "500"], seed: 4, actions: DELETES });
      await cleanUntilDone(drillKind("rds"), ctx());
      await cleanUntilDone(drillKind("aurora"), ctx(), `${DRILL_ID}-r2`);
      fake.loseAnswers(undefined);
      expect(Object.values(loser?.lost ?? {}).reduce((a, b) => a + b, 0)).to.be.greaterThan(0);
      expect(ids(region.dbInstances)).to.deep.equal(["ledger-writer", "orders-db"]);
      expect(ids(region.dbClusters)).to.deep.equal(["ledger"]);
      sourcesAndSnapshotsUntouched();
    });

    it("a call that fails after RDS acted (no retry left): the rerun sees it deleting and carries on", async () => {
      await restored("aurora");
      // Deleting lasts three describes: the rerun finds the writer still deleting.
      setRestoreSteps(region, 3);
      fake.loseAnswers({ rate: 1, kinds: ["500"], seed: 2, actions: ["DeleteDBInstance"] });
      const error = await rejection(drillKind("aurora").deleteRestored(ctx({}, 1), DRILL_RESTORE_ID));
      fake.loseAnswers(undefined);
      expect(error).to.have.property("name", "InternalFailure");
      expect(region.dbInstances.get("drill-aurora-1-writer")?.status).to.equal("deleting");
      const answers = await cleanUntilDone(drillKind("aurora"), ctx());
      expect(answers[0].deleted.map((d) => [d.id, d.state])).to.deep.equal([["drill-aurora-1-writer", "deleting"]]);
      expect(answers[0].remaining.map((r) => r.id)).to.deep.equal(["drill-aurora-1-writer", "drill-aurora-1"]);
      expect(fake.handled("DeleteDBInstance")).to.have.length(1);
      expect(ids(region.dbClusters)).to.deep.equal(["ledger"]);
      sourcesAndSnapshotsUntouched();
    });
  });
});
