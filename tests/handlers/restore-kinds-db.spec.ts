// Issue 17 item 3, databases: the rds and aurora kinds' restore actions on their own (the flow resolves the state
// first). rds: RestoreDBInstanceFromDBSnapshot with the recorded facts into the restore network; aurora:
// RestoreDBClusterFromSnapshot, then the writer once the cluster is available. Every create carries the restore tags;
// a rerun creates nothing more; a name taken by a resource of someone else is a named error.
import { expect } from "chai";
import { TAG_RESTORE_ID } from "../../handlers/catalog";
import { dbRestore, writerIdentifier } from "../../handlers/kinds/rds-restore";
import type { RestoreState } from "../../handlers/restore/contract";
import { FakeAws } from "../helpers/aws-fake";
import { fakeRestoreNetwork, setProgress, setRestoreSteps } from "../helpers/aws-fake-restore-state";
import type { RegionState } from "../helpers/aws-fake-state";
import { SELECTION_KEY } from "../helpers/backup-fleet";
import { primaryRegion } from "../helpers/copy-setup";
import { backedUp, createTags, dbPoint, mutatingCalls, pollUntilDone, RESTORE_ID, restoreContext, stateFor } from "../helpers/restore-kinds-setup";

const gold = { [SELECTION_KEY]: "gold" };
const rdsRestore = dbRestore("rds");
const auroraRestore = dbRestore("aurora");

describe("restore actions: rds and aurora", () => {
  let fake: FakeAws;
  let region: RegionState;
  beforeEach(async () => {
    fake = new FakeAws();
    region = primaryRegion(fake);
    region.addDbInstance("orders-db", "available", gold);
    region.addDbCluster("ledger", "available", gold);
    region.addDbInstance("ledger-writer", "available", {}, "ledger");
    await backedUp(fake, region);
    fake.calls.length = 0;
  });

  const network = () => fakeRestoreNetwork(region.name);
  const dbState = (kind: "rds" | "aurora", fields: Partial<RestoreState> = {}) => {
    const point = dbPoint(region, kind, kind === "rds" ? "orders-db" : "ledger");
    return stateFor(point, { name: kind === "rds" ? "restored-orders-db-restore2" : "restored-ledger-restore2", instanceClass: point.database?.instanceClass, dbSubnetGroup: network().dbSubnetGroup, securityGroupIds: network().securityGroupIds.slice(0, 1), ...fields });
  };
  const tagsOf = (state: RestoreState) => Object.fromEntries(restoreContext(fake, state).tags.map((t) => [t.Key, t.Value]));
  /** The restore only created: no call changed a source database or its snapshot. */
  const sourcesUntouched = () => {
    for (const call of mutatingCalls(fake)) expect(["RestoreDBInstanceFromDBSnapshot", "RestoreDBClusterFromSnapshot", "CreateDBInstance"], call.action).to.include(call.action);
    expect(region.dbInstances.get("orders-db")?.status).to.equal("available");
    expect(region.dbClusters.get("ledger")?.status).to.equal("available");
  };

  describe("rds", () => {
    it("restores the DB snapshot with the recorded facts into the restore network, tagged; polls to available (host:port); validates", async () => {
      const state = dbState("rds");
      const ctx = restoreContext(fake, state);
      const started = await rdsRestore.start(ctx, state);
      expect(started).to.deep.include({ status: "pending", phase: "db-instance", waitSeconds: 60 });
      const [call] = fake.handled("RestoreDBInstanceFromDBSnapshot");
      const p = call.params;
      expect({ id: p.get("DBInstanceIdentifier"), from: p.get("DBSnapshotIdentifier"), cls: p.get("DBInstanceClass"), group: p.get("DBSubnetGroupName"), multiAz: p.get("MultiAZ"), storage: p.get("StorageType"), port: p.get("Port"), pub: p.get("PubliclyAccessible"), copy: p.get("CopyTagsToSnapshot") }).to.deep.equal({
        id: state.name,
        from: state.point.arn,
        cls: "db.m6g.large",
        group: "backup-dr-restore",
        multiAz: "true",
        storage: "gp3",
        port: "5432",
        pub: "false",
        copy: "false",
      });
      expect(createTags(call)["*"]).to.deep.equal(tagsOf(state));

      const { state: done, polls } = await pollUntilDone(rdsRestore, ctx, started);
      expect(polls).to.equal(2);
      expect(done.status).to.equal("available");
      expect(done.endpoint).to.equal(`${state.name}.fake.${region.name}.rds.amazonaws.com:5432`);
      expect(done.created).to.deep.equal([{ type: "db-instance", id: state.name, state: "available" }]);
      const validation = await rdsRestore.validate(ctx, done);
      expect(validation.ok, JSON.stringify(validation)).to.equal(true);
      sourcesUntouched();
    });

    it("a provisioned-IOPS storage type is left to the snapshot (its IOPS are not recorded)", async () => {
      const state = dbState("rds");
      const io1 = { ...state, database: { ...state.database, storageType: "io1" } };
      await rdsRestore.start(restoreContext(fake, io1), io1);
      const [call] = fake.handled("RestoreDBInstanceFromDBSnapshot");
      expect(call.params.get("StorageType")).to.equal(undefined);
      expect(call.params.get("DBInstanceClass")).to.equal("db.m6g.large");
    });

    it("a rerun of start finds its own DB instance: nothing more is created", async () => {
      const state = dbState("rds");
      const ctx = restoreContext(fake, state);
      await rdsRestore.start(ctx, state);
      const again = await rdsRestore.start(ctx, state);
      expect(again.status).to.equal("pending");
      expect(fake.handled("RestoreDBInstanceFromDBSnapshot")).to.have.length(2);
      expect([...region.dbInstances.values()].filter((d) => d.tags[TAG_RESTORE_ID] === RESTORE_ID)).to.have.length(1);
    });

    it("a name taken by a DB instance this restore did not make is RestoreNameTakenError", async () => {
      const state = dbState("rds", { name: "orders-db" });
      const error = await rdsRestore.start(restoreContext(fake, state), state).then(() => undefined, (e: unknown) => e);
      expect(error).to.have.property("name", "RestoreNameTakenError");
      expect(error).to.have.property("message").that.contains("orders-db");
      expect(region.dbInstances.get("orders-db")?.tags[TAG_RESTORE_ID]).to.equal(undefined);
    });

    it("an incompatible-restore DB instance fails the restore, naming it; it stays", async () => {
      const state = dbState("rds");
      const ctx = restoreContext(fake, state);
      const started = await rdsRestore.start(ctx, state);
      const created = region.dbInstances.get(state.name);
      if (created === undefined) throw new Error("no restored DB instance");
      setProgress(created, ["incompatible-restore"]);
      const { state: done } = await pollUntilDone(rdsRestore, ctx, started);
      expect(done.status).to.equal("failed");
      expect(done.failure?.name).to.equal("RestoredResourceFailedError");
      expect(done.failure?.message).to.contain(state.name).and.contain("incompatible-restore");
      expect(region.dbInstances.has(state.name)).to.equal(true);
    });

    it("an unknown DB subnet group is AWS's error, and nothing is made", async () => {
      const state = dbState("rds", { dbSubnetGroup: "no-such-group" });
      const error = await rdsRestore.start(restoreContext(fake, state), state).then(() => undefined, (e: unknown) => e);
      expect(error).to.have.property("name").that.matches(/^DBSubnetGroupNotFound/);
      expect(region.dbInstances.has(state.name)).to.equal(false);
    });

    it("a DB snapshot gone since the point was read is AWS's DBSnapshotNotFound", async () => {
      const state = dbState("rds");
      region.dbSnapshots.delete(state.point.id);
      const error = await rdsRestore.start(restoreContext(fake, state), state).then(() => undefined, (e: unknown) => e);
      expect(error).to.have.property("name").that.matches(/^DBSnapshotNotFound/);
      expect(region.dbInstances.has(state.name)).to.equal(false);
    });

    it("validation fails on another class or security group", async () => {
      const state = dbState("rds");
      const ctx = restoreContext(fake, state);
      const { state: done } = await pollUntilDone(rdsRestore, ctx, await rdsRestore.start(ctx, state));
      const validation = await rdsRestore.validate(ctx, { ...done, instanceClass: "db.r6g.xlarge", securityGroupIds: network().securityGroupIds });
      expect(validation.ok).to.equal(false);
      expect(validation.checks.filter((c) => !c.ok).map((c) => c.check)).to.deep.equal([`${state.name} is db.r6g.xlarge`, `${state.name} in the security groups`]);
    });

    it("missing: class, DB subnet group, security groups", () => {
      expect(rdsRestore.missing(dbState("rds", { instanceClass: undefined, dbSubnetGroup: undefined, securityGroupIds: [] }))).to.deep.equal(["option:instanceClass", "network:dbSubnetGroup", "network:securityGroupIds"]);
      expect(rdsRestore.missing(dbState("rds", { database: undefined }))).to.deep.equal([]);
    });
  });

  describe("aurora", () => {
    it("restores the cluster, adds the writer once it is available, polls to the cluster endpoint; validates", async () => {
      const state = dbState("aurora");
      const ctx = restoreContext(fake, state);
      const started = await auroraRestore.start(ctx, state);
      expect(started).to.deep.include({ status: "pending", phase: "cluster" });
      const [restore] = fake.handled("RestoreDBClusterFromSnapshot");
      expect({ id: restore.params.get("DBClusterIdentifier"), from: restore.params.get("SnapshotIdentifier"), engine: restore.params.get("Engine"), version: restore.params.get("EngineVersion"), port: restore.params.get("Port"), key: restore.params.get("KmsKeyId") }).to.deep.equal({
        id: state.name,
        from: state.point.arn,
        engine: "aurora-postgresql",
        version: "16.4",
        port: "5432",
        key: undefined,
      });
      expect(createTags(restore)["*"]).to.deep.equal(tagsOf(state));
      // The writer waits for an available cluster (RDS refuses instances before).
      expect(fake.handled("CreateDBInstance")).to.deep.equal([]);

      const { state: done, phases } = await pollUntilDone(auroraRestore, ctx, started);
      expect(phases).to.deep.equal(["cluster", "writer", "writer", "writer"]);
      expect(done.status).to.equal("available");
      expect(done.endpoint).to.equal(`${state.name}.cluster-fake.${region.name}.rds.amazonaws.com:5432`);
      const [writer] = fake.handled("CreateDBInstance");
      expect({ id: writer.params.get("DBInstanceIdentifier"), cluster: writer.params.get("DBClusterIdentifier"), cls: writer.params.get("DBInstanceClass"), engine: writer.params.get("Engine") }).to.deep.equal({
        id: `${state.name}-writer`,
        cluster: state.name,
        cls: "db.r6g.large",
        engine: "aurora-postgresql",
      });
      expect(createTags(writer)["*"]).to.deep.equal(tagsOf(state));
      expect(done.created).to.deep.equal([
        { type: "db-cluster", id: state.name, state: "available" },
        { type: "db-instance", id: `${state.name}-writer`, state: "available" },
      ]);
      const validation = await auroraRestore.validate(ctx, done);
      expect(validation.ok, JSON.stringify(validation)).to.equal(true);
      sourcesUntouched();
    });

    it("reruns create nothing more: the cluster restore and the writer find their own", async () => {
      const state = dbState("aurora");
      const ctx = restoreContext(fake, state);
      setRestoreSteps(region, 1);
      const started = await auroraRestore.start(ctx, state);
      await auroraRestore.start(ctx, state);
      const clusterUp = await auroraRestore.poll(ctx, started);
      await auroraRestore.poll(ctx, started);
      expect(clusterUp.phase).to.equal("writer");
      expect(fake.handled("CreateDBInstance")).to.have.length(2);
      expect([...region.dbInstances.values()].filter((d) => d.tags[TAG_RESTORE_ID] === RESTORE_ID)).to.have.length(1);
      expect([...region.dbClusters.values()].filter((d) => d.tags[TAG_RESTORE_ID] === RESTORE_ID)).to.have.length(1);
    });

    it("a cluster name taken by another cluster is RestoreNameTakenError", async () => {
      const state = dbState("aurora", { name: "ledger" });
      const error = await auroraRestore.start(restoreContext(fake, state), state).then(() => undefined, (e: unknown) => e);
      expect(error).to.have.property("name", "RestoreNameTakenError");
    });

    it("a writer that fails fails the restore, naming it", async () => {
      const state = dbState("aurora");
      const ctx = restoreContext(fake, state);
      let current = await auroraRestore.start(ctx, state);
      while (current.phase === "cluster") current = await auroraRestore.poll(ctx, current);
      const writer = region.dbInstances.get(writerIdentifier(state.name));
      if (writer === undefined) throw new Error("no writer");
      setProgress(writer, ["failed"]);
      const { state: done } = await pollUntilDone(auroraRestore, ctx, current);
      expect(done.status).to.equal("failed");
      expect(done.failure?.message).to.contain(writer.id);
    });

    it("missing: class, engine, DB subnet group, security groups", () => {
      expect(auroraRestore.missing(dbState("aurora", { instanceClass: undefined, database: undefined, dbSubnetGroup: undefined, securityGroupIds: undefined }))).to.deep.equal([
        "option:instanceClass",
        "option:database.engine",
        "network:dbSubnetGroup",
        "network:securityGroupIds",
      ]);
      expect(auroraRestore.missing(dbState("aurora"))).to.deep.equal([]);
    });

    it("the writer's identifier stays a DB identifier for the longest names", () => {
      const name = `r${"a".repeat(55)}-${"b".repeat(6)}`;
      expect(name).to.have.length(63);
      const writer = writerIdentifier(name);
      expect(writer).to.have.length.at.most(63).and.match(/^[a-z](?!.*--)[a-z0-9-]*-writer$/);
    });
  });

  it("findCreated: each kind lists its own (rds the instance, aurora the cluster and its writer), nothing of another restore", async () => {
    const rdsState = dbState("rds");
    const auroraState = { ...dbState("aurora"), restoreId: "restore-2026-11-20-0002" };
    const rdsCtx = restoreContext(fake, rdsState);
    const auroraCtx = restoreContext(fake, auroraState);
    await pollUntilDone(rdsRestore, rdsCtx, await rdsRestore.start(rdsCtx, rdsState));
    await pollUntilDone(auroraRestore, auroraCtx, await auroraRestore.start(auroraCtx, auroraState));
    expect(await rdsRestore.findCreated(rdsCtx.clients, RESTORE_ID)).to.deep.equal([{ type: "db-instance", id: rdsState.name, state: "available" }]);
    expect(await auroraRestore.findCreated(rdsCtx.clients, RESTORE_ID)).to.deep.equal([]);
    expect(await auroraRestore.findCreated(auroraCtx.clients, auroraState.restoreId)).to.deep.equal([
      { type: "db-cluster", id: auroraState.name, state: "available" },
      { type: "db-instance", id: writerIdentifier(auroraState.name), state: "available" },
    ]);
    expect(await rdsRestore.findCreated(auroraCtx.clients, auroraState.restoreId)).to.deep.equal([]);
  });
});
