// Issue 17 under an adversary: the restore steps (real kinds, real points made by the real backup and copy functions)
// driven the ways the state machine, AWS and people may drive them: a start delivered twice at once, a start retried
// while a newer point completes, points in time at a year boundary and at a DST change of the plan's zone, taken tags
// missing or malformed, a source id that is a DB instance and a cluster, a name that is taken, a DR restore with the
// primary region down, and a report given only the error. After every test: nothing was deleted but this stack's
// restored images, and no mutating call named a source.
import { expect } from "chai";
import { TAG_COPY_OF, TAG_RESTORE_ID, TAG_TAKEN } from "../../handlers/catalog";
import type { RestoreRequest, RestoreState } from "../../handlers/restore/contract";
import { runRestoreStep } from "../../handlers/restore/run";
import { FakeAws } from "../helpers/aws-fake";
import { dbSnapshotArn } from "../helpers/aws-fake-copy";
import { regionImages } from "../helpers/aws-fake-cleanup";
import { restoreTables } from "../helpers/aws-fake-restore";
import { fakeRestoreNetwork } from "../helpers/aws-fake-restore-state";
import { rejection } from "../helpers/copy-setup";
import { GOLD } from "../helpers/restore-setup";
import { backedUp } from "../helpers/restore-kinds-setup";
import { createCalls, DR, PRIMARY, restoreDeps, RestoreFleet, restoreSettings } from "../helpers/restore-setup";

type Role = "primary" | "dr";
type Made = Awaited<ReturnType<RestoreFleet["backup"]>>;

const STARTED = "2026-11-21T09:00:00.000Z";
const NOW = new Date("2026-11-21T09:00:05Z");
const MAX_POLLS = 20;

describe("restore under an adversary", () => {
  let fake: FakeAws;
  let fleet: RestoreFleet;
  let sources: string[];
  /** The first call a restore step sent (the backups and copies before it name their sources, as they must). */
  let restoreFrom: number | undefined;
  let deregistered: Array<{ id: string; restoreId?: string }>;

  beforeEach(() => {
    fake = new FakeAws();
    fleet = new RestoreFleet(fake);
    sources = [fleet.instance, fleet.db, fleet.cluster, "ledger-writer"];
    restoreFrom = undefined;
    deregistered = [];
    // What each DeregisterImage names, read as it arrives (the fake forgets a deregistered image).
    fake.beforeHandle = (call, region) => {
      if (call.action !== "DeregisterImage") return;
      const image = regionImages(region).get(call.params.get("ImageId") ?? "") as { tags?: Record<string, string> } | undefined;
      deregistered.push({ id: call.params.get("ImageId") ?? "", restoreId: image?.tags?.[TAG_RESTORE_ID] });
    };
  });

  /** Every test: no delete of any kind but DeregisterImage of an image a restore registered, and no source named by a mutating call. */
  afterEach(function () {
    if (this.currentTest?.state === "failed") return;
    const mutating = fake.calls.slice(restoreFrom ?? fake.calls.length).filter((c) => c.fault === undefined && !/^(Describe|List|Get|Head)/.test(c.action));
    for (const call of mutating) {
      if (/^(Delete|Terminate|Stop|Reboot|Modify|Deregister|Revoke|Detach|Remove)/.test(call.action)) {
        expect(call.action, "the one delete a restore sends").to.equal("DeregisterImage");
        const image = deregistered.find((d) => d.id === call.params.get("ImageId"));
        expect(image?.restoreId, `DeregisterImage ${String(call.params.get("ImageId"))}`).to.be.a("string");
      }
      for (const [key, value] of call.params) {
        // Tag values (restore-of, Name) and the image's description name the source by design; nothing else may.
        if (/(^|\.)(Tag|Tags)\.|^TagSpecification\.|^Description$|^Name$|^Body$/.test(key)) continue;
        expect(sources, `${call.action} ${key}=${value}`).to.not.include(value);
      }
    }
  });

  const network = (role: Role) => {
    const { subnetIds, securityGroupIds, dbSubnetGroup } = fakeRestoreNetwork(role === "primary" ? PRIMARY : DR);
    return { BACKUP_DR_RESTORE_NETWORK: JSON.stringify({ subnetIds, securityGroupIds, dbSubnetGroup }) };
  };
  const step = <T>(event: unknown, role: Role = "primary", now = NOW): Promise<T> => {
    restoreFrom ??= fake.calls.length;
    return runRestoreStep(restoreDeps(fake, role === "primary" ? PRIMARY : DR, () => now), restoreSettings(role, network(role)), event) as Promise<T>;
  };
  const start = (restoreId: string, request: RestoreRequest, role: Role = "primary", startedAt = STARTED) => step<RestoreState>({ step: "start", restoreId, startedAt, request }, role);
  const until = async (first: RestoreState, role: Role = "primary"): Promise<RestoreState> => {
    let state = first;
    for (let polls = 0; state.status === "pending" && polls < MAX_POLLS; polls += 1) state = await step<RestoreState>({ step: "poll", state }, role);
    return state;
  };
  const tagged = (role: Role, restoreId: string) => {
    const region = fake.region(role === "primary" ? PRIMARY : DR);
    const withId = (tags: Record<string, string> | undefined) => tags?.[TAG_RESTORE_ID] === restoreId;
    return {
      volumes: [...restoreTables(region).volumes.values()].filter((v) => withId(v.tags)).length,
      images: [...regionImages(region).values()].filter((i) => withId((i as { tags?: Record<string, string> }).tags)).length,
      instances: [...region.instances.values()].filter((i) => withId(i.tags)).length,
      dbInstances: [...region.dbInstances.values()].filter((d) => withId(d.tags)).length,
      dbClusters: [...region.dbClusters.values()].filter((d) => withId(d.tags)).length,
    };
  };

  describe("the start step delivered twice at once", () => {
    let made: Made;
    beforeEach(async () => {
      made = await fleet.backup(20);
    });

    type Counts = Partial<ReturnType<typeof tagged>>;
    const cases: Array<[string, () => RestoreRequest, Counts, Counts]> = [
      ["volumes", () => ({ source: fleet.instance, point: "latest" }), { volumes: 2, images: 0, instances: 0 }, { volumes: 2, images: 0, instances: 0 }],
      ["instance", () => ({ source: fleet.instance, point: "latest", mode: "instance" }), { images: 1, instances: 0 }, { images: 0, instances: 1, volumes: 2 }],
      ["DB instance", () => ({ source: fleet.db, point: "latest" }), { dbInstances: 1 }, { dbInstances: 1, dbClusters: 0 }],
      ["cluster", () => ({ source: fleet.cluster, point: "latest" }), { dbClusters: 1, dbInstances: 0 }, { dbClusters: 1, dbInstances: 1 }],
    ];
    for (const [what, request, expected, finished] of cases) {
      it(`${what}: one set of resources, both answers naming it`, async () => {
        const [a, b] = await Promise.all([start("twice-at-once", request()), start("twice-at-once", request())]);
        expect(tagged("primary", "twice-at-once")).to.deep.include(expected);
        expect(b.created.map((r) => r.id).sort()).to.deep.equal(a.created.map((r) => r.id).sort());
        expect(b.point.id).to.equal(a.point.id);
        // The machine carries one of the two answers on: it runs to available, with one of each resource.
        const done = await until(b);
        expect(done.status, JSON.stringify(done.failure)).to.equal("available");
        expect(tagged("primary", "twice-at-once")).to.deep.include(finished);
        expect(fake.handled("DeregisterImage"), "images registered, then deregistered").to.have.length(what === "instance" ? 1 : 0);
        const madeIds = { volumes: made.ebs.map((s) => s.id), instance: made.ebs.map((s) => s.id), "DB instance": [made.db.id], cluster: [made.cluster.id] }[what];
        expect(done.point.snapshotIds).to.have.members(madeIds ?? ["(no such case)"]);
      });
    }
  });

  describe("a start retried after a lost answer", () => {
    it("the same point and resources when a newer point taken before the start completes in between", async () => {
      await fleet.backup(19);
      // Day 20's backup was taken before the restore started but is still pending: latest is day 19's.
      const pending = await fleet.backup(20, { complete: false });
      const startedAt = "2026-11-20T05:10:00.000Z";
      const first = await start("retried", { source: fleet.instance, point: "latest" }, "primary", startedAt);
      // The answer is lost; before the machine's retry, day 20's snapshots complete.
      for (const s of pending.ebs) Object.assign(s, { state: "completed", completedAt: new Date("2026-11-20T05:12:00Z") });
      const again = await start("retried", { source: fleet.instance, point: "latest" }, "primary", startedAt);
      expect(tagged("primary", "retried").volumes, "volumes of the restore").to.equal(2);
      expect(again.point.id, "the retry's point").to.equal(first.point.id);
      expect(again.created.map((r) => r.id).sort()).to.deep.equal(first.created.map((r) => r.id).sort());
    });

    it("a DB restore retried the same way names the point it restored from", async () => {
      await fleet.backup(19);
      const pending = await fleet.backup(20, { complete: false });
      const startedAt = "2026-11-20T05:10:00.000Z";
      const first = await start("retried-db", { source: fleet.db, point: "latest" }, "primary", startedAt);
      Object.assign(pending.db, { status: "available" });
      const again = await start("retried-db", { source: fleet.db, point: "latest" }, "primary", startedAt);
      expect(again.point.id, "the retry's point").to.equal(first.point.id);
      expect(tagged("primary", "retried-db").dbInstances).to.equal(1);
    });
  });

  describe("points in time at calendar edges", () => {
    /** The point a start chooses for the request, per kind (each start a restore of its own). */
    let starts = 0;
    const chosen = async (point: string, startedAt: string, role: Role = "primary") => {
      // Restore ids differ in their first 8 characters (the default name's short id), as the command's do.
      starts += 1;
      const id = (k: string) => `${k}${String(starts).padStart(7, "0")}-edge`;
      const [machine, db, cluster] = await Promise.all([
        start(id("m"), { source: fleet.instance, point, ...(role === "dr" ? { zone: `${DR}a` } : {}) }, role, startedAt),
        start(id("d"), { source: fleet.db, point }, role, startedAt),
        start(id("c"), { source: fleet.cluster, point }, role, startedAt),
      ]);
      return { machine: [...machine.point.snapshotIds].sort(), db: db.point.id, cluster: cluster.point.id };
    };
    const idsOf = (made: Made) => ({ machine: made.ebs.map((s) => s.id).sort(), db: made.db.id, cluster: made.cluster.id });

    it("a year boundary: the last instant of the year and the first of the next, in UTC and with an offset", async () => {
      const old = await fleet.backup(19, { taken: new Date("2026-12-31T23:59:59.999Z") });
      const fresh = await fleet.backup(20, { taken: new Date("2027-01-01T00:00:00.000Z") });
      const startedAt = "2027-01-01T06:00:00.000Z";
      expect(await chosen("2026-12-31T23:59:59.999Z", startedAt)).to.deep.equal(idsOf(old));
      expect(await chosen("2027-01-01T00:59:59.999+01:00", startedAt)).to.deep.equal(idsOf(old));
      expect(await chosen("2027-01-01T01:00:00+01:00", startedAt)).to.deep.equal(idsOf(fresh));
      expect(await chosen("2026-12-31T19:00:00-05:00", startedAt)).to.deep.equal(idsOf(fresh));
      expect(await chosen("latest", startedAt)).to.deep.equal(idsOf(fresh));
      // Before the first point: refused, nothing created.
      const from = fake.calls.length;
      const error = await rejection(start("edge-before", { source: fleet.db, point: "2026-12-31T23:59:59.998Z" }, "primary", startedAt));
      expect(error.name).to.equal("NoRecoveryPointError");
      expect(createCalls(fake, from)).to.deep.equal([]);
    });

    it("the night Berlin leaves summer time: 02:30 happens twice, and each offset names its own instant", async () => {
      // 2026-10-25: 02:30+02:00 is 00:30Z, 02:30+01:00 is 01:30Z (the clocks go back at 03:00+02:00).
      const first = await fleet.backup(19, { taken: new Date("2026-10-25T00:20:00Z") });
      const second = await fleet.backup(20, { taken: new Date("2026-10-25T01:15:00Z") });
      const startedAt = "2026-10-25T06:00:00.000Z";
      expect(await chosen("2026-10-25T02:30:00+02:00", startedAt)).to.deep.equal(idsOf(first));
      expect(await chosen("2026-10-25T02:30:00+01:00", startedAt)).to.deep.equal(idsOf(second));
      // An instant of the spring-forward night (03:30+02:00 on 2026-03-29 is 01:30Z) is before both points: refused.
      const error = await rejection(start("edge-spring", { source: fleet.instance, point: "2026-03-29T03:30:00+02:00" }, "primary", startedAt));
      expect(error.name).to.equal("NoRecoveryPointError");
    });

    it("in DR, a copy whose taken tag is missing, malformed or later than the copy is placed by its slot", async () => {
      const older = await fleet.backup(19);
      await fleet.copy(older, new Date("2026-11-19T06:00:00Z"));
      const newer = await fleet.backup(20);
      await fleet.copy(newer, new Date("2026-11-20T06:00:00Z"));
      const drIds = (made: Made) => ({ machine: made.ebs.flatMap((s) => fleet.copiesOf(s.id)).sort(), db: fleet.copiesOf(dbSnapshotArn("rds", fleet.primary, made.db.id))[0], cluster: fleet.copiesOf(dbSnapshotArn("aurora", fleet.primary, made.cluster.id))[0] });
      const expected = drIds(newer);
      expect(expected.machine).to.have.length(2);
      expect(expected.db).to.be.a("string");
      // Garble day 20's copies: one loses the tag, one gets free text, the rest a time after the copy was made.
      const copies = [...fake.region(DR).snapshots.values(), ...fake.region(DR).dbSnapshots.values(), ...fake.region(DR).dbClusterSnapshots.values()].filter((c) =>
        [...expected.machine, expected.db, expected.cluster].includes(c.id),
      );
      expect(copies.every((c) => c.tags[TAG_COPY_OF] !== undefined && c.tags[TAG_TAKEN] !== undefined)).to.equal(true);
      copies.forEach((c, i) => {
        if (i === 0) delete c.tags[TAG_TAKEN];
        else if (i === 1) c.tags[TAG_TAKEN] = "last tuesday";
        else c.tags[TAG_TAKEN] = "2030-01-01T00:00:00Z";
      });
      const startedAt = "2026-11-21T09:00:00.000Z";
      expect(await chosen("latest", startedAt, "dr")).to.deep.equal(expected);
      // Placed at its slot (05:00), not at 2030: a point in time later that day chooses it.
      expect(await chosen("2026-11-20T05:00:00Z", startedAt, "dr")).to.deep.equal(expected);
      expect(await chosen("2026-11-20T04:59:59Z", startedAt, "dr")).to.deep.equal(drIds(older));
    });
  });

  describe("a source id that is a DB instance and a DB cluster", () => {
    beforeEach(async () => {
      fleet.primary.addDbInstance("twin", "available", GOLD);
      fleet.primary.addDbCluster("twin", "available", GOLD);
      fleet.primary.addDbInstance("twin-1", "available", {}, "twin");
      sources.push("twin", "twin-1");
      await backedUp(fake, fleet.primary);
    });

    it("without a kind: AmbiguousSourceError naming both, before anything is created", async () => {
      const from = fake.calls.length;
      const error = await rejection(start("twin-none", { source: "twin", point: "latest" }));
      expect(error.name).to.equal("AmbiguousSourceError");
      expect(error.message).to.contain("rds").and.to.contain("aurora");
      // The two snapshots share an identifier: naming it is ambiguous too, until the kind is given.
      const [snapshot] = [...fleet.primary.dbSnapshots.values()].filter((d) => d.source === "twin").map((d) => d.id);
      expect([...fleet.primary.dbClusterSnapshots.values()].map((d) => d.id)).to.include(snapshot);
      const named = await rejection(start("twin-id", { source: "twin", point: snapshot }));
      expect(named.name).to.equal("AmbiguousSourceError");
      expect(createCalls(fake, from)).to.deep.equal([]);
      const chosen = await start("twin-id", { source: "twin", point: snapshot, kind: "rds" });
      expect(chosen.kind).to.equal("rds");
    });

    it("with a kind: that one only (each restored, from its own snapshot)", async () => {
      const cluster = await start("twin-aurora", { source: "twin", point: "latest", kind: "aurora" });
      const db = await start("twin-rds", { source: "twin", point: "latest", kind: "rds" });
      expect([cluster.kind, db.kind]).to.deep.equal(["aurora", "rds"]);
      expect(cluster.point.arn).to.contain(":cluster-snapshot:");
      expect(db.point.arn).to.contain(":snapshot:");
      expect(tagged("primary", "twin-aurora")).to.deep.include({ dbClusters: 1, dbInstances: 0 });
      expect(tagged("primary", "twin-rds")).to.deep.include({ dbClusters: 0, dbInstances: 1 });
      expect(fake.handled("RestoreDBClusterFromSnapshot").map((c) => c.params.get("SnapshotIdentifier"))).to.deep.equal([cluster.point.arn]);
      expect(fake.handled("RestoreDBInstanceFromDBSnapshot").map((c) => c.params.get("DBSnapshotIdentifier"))).to.deep.equal([db.point.arn]);
    });
  });
});
