// Issue 17 under an adversary: the restore steps (real kinds, real points made by the real backup and copy functions)
// driven the ways the state machine, AWS and people may drive them: a start delivered twice at once, a start retried
// while a newer point completes, points in time at a year boundary and at a DST change of the plan's zone, taken tags
// missing or malformed, a source id that is a DB instance and a cluster, a name that is taken, a DR restore with the
// primary region down, and a report given only the error. After every test: nothing was deleted but this stack's
// restored images, and no mutating call named a source.
import { expect } from "chai";
import { TAG_COPY_OF, TAG_RESTORE_ID, TAG_TAKEN } from "../../handlers/catalog";
import type { RestoreReport, RestoreRequest, RestoreState } from "../../handlers/restore/contract";
import { runRestoreStep } from "../../handlers/restore/run";
import { FakeAws } from "../helpers/aws-fake";
import { AwsFault } from "../helpers/aws-wire";
import { VAULT_BUCKET } from "../helpers/backup-fleet";
import { dbSnapshotArn } from "../helpers/aws-fake-copy";
import { regionImages } from "../helpers/aws-fake-cleanup";
import { restoreTables } from "../helpers/aws-fake-restore";
import { fakeRestoreNetwork, setProgress } from "../helpers/aws-fake-restore-state";
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

  describe("later steps delivered twice at once", () => {
    it("the launching poll twice: one instance; the report twice: one manifest, the same report", async () => {
      await fleet.backup(20);
      const started = await start("polls-twice", { source: fleet.instance, point: "latest", mode: "instance" });
      // The image is available before both polls look (the fake would otherwise move it on per describe).
      for (const image of regionImages(fake.region(PRIMARY)).values()) {
        setProgress(image, []);
        image.state = "available";
      }
      const [a, b] = await Promise.all([step<RestoreState>({ step: "poll", state: started }), step<RestoreState>({ step: "poll", state: started })]);
      expect([a.phase, b.phase]).to.deep.equal(["instance", "instance"]);
      expect(fake.handled("RunInstances"), "launches sent").to.have.length(2);
      expect(b.created.map((r) => r.id).sort()).to.deep.equal(a.created.map((r) => r.id).sort());
      const state = a;
      expect(tagged("primary", "polls-twice").instances).to.equal(1);
      const done = await until(state);
      expect(done.status, JSON.stringify(done.failure)).to.equal("available");
      const report = { step: "report", restoreId: "polls-twice", startedAt: STARTED, state: done };
      const [first, second] = await Promise.all([step<RestoreReport>(report), step<RestoreReport>(report)]);
      expect(second).to.deep.equal(first);
      expect(first.status).to.equal("succeeded");
      expect([...(fake.region(PRIMARY).buckets.get(VAULT_BUCKET)?.keys() ?? [])].filter((k) => k.startsWith("runs/restore/"))).to.deep.equal(["runs/restore/2026/11/21/polls-twice.json"]);
      expect(tagged("primary", "polls-twice")).to.deep.include({ instances: 1, volumes: 2 });
    });
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

    it("a start that failed after its first volume: the machine's retry makes only the rest", async () => {
      const made = await fleet.backup(20);
      const second = made.ebs.map((s) => s.id).sort()[1];
      fake.permanent = (call) => (call.action === "CreateVolume" && call.params.get("SnapshotId") === second ? new AwsFault("InsufficientVolumeCapacity", 400, "no capacity for the second volume") : undefined);
      const failed = await rejection(start("part-way", { source: fleet.instance, point: "latest" }));
      expect(failed.name).to.equal("InsufficientVolumeCapacity");
      expect(tagged("primary", "part-way").volumes).to.equal(1);
      fake.permanent = undefined;
      const again = await until(await start("part-way", { source: fleet.instance, point: "latest" }));
      expect(again.status).to.equal("available");
      expect(tagged("primary", "part-way").volumes).to.equal(2);
      expect(again.created.filter((r) => r.type === "volume")).to.have.length(2);
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

  describe("a name that is taken", () => {
    beforeEach(async () => {
      await fleet.backup(20);
      // Not sources: a DB instance nobody restored, and a cluster and an instance of another restore.
      fleet.primary.addDbInstance("reporting", "available", {});
      fleet.primary.addDbCluster("ledger-copy", "available", { [TAG_RESTORE_ID]: "another-restore" });
      fleet.primary.addDbInstance("analytics-writer", "available", {});
    });

    const refused = async (restoreId: string, request: RestoreRequest) => {
      const from = fake.calls.length;
      const error = await rejection(start(restoreId, request));
      expect(error.name, error.message).to.equal("RestoreNameTakenError");
      expect(createCalls(fake, from), "create calls").to.deep.equal([]);
      expect(tagged("primary", restoreId)).to.deep.equal({ volumes: 0, images: 0, instances: 0, dbInstances: 0, dbClusters: 0 });
      return error;
    };

    it("a DB instance's name held by one nobody restored: RestoreNameTakenError; the holder keeps its tags", async () => {
      await refused("name-taken-db", { source: fleet.db, point: "latest", name: "reporting" });
      expect(fleet.primary.dbInstances.get("reporting")?.tags).to.deep.equal({});
    });

    it("a name given that is the source's own while the source exists: refused before any call names it", async () => {
      await refused("name-is-src-d", { source: fleet.db, point: "latest", name: fleet.db });
      await refused("name-is-src-c", { source: fleet.cluster, point: "latest", name: fleet.cluster });
      // (the check after every test: no mutating call carried the source's identifier)
    });

    it("a cluster's name held by another restore's cluster: RestoreNameTakenError naming that restore", async () => {
      const error = await refused("name-taken-cl", { source: fleet.cluster, point: "latest", name: "ledger-copy" });
      expect(error.message).to.contain("another-restore");
    });

    it("a cluster whose writer's name is taken is refused at start, before the cluster is restored", async () => {
      await refused("name-taken-wr", { source: fleet.cluster, point: "latest", name: "analytics" });
      expect(fleet.primary.dbClusters.has("analytics"), "a cluster restored anyway").to.equal(false);
    });

    it("an image name held by another restore's image: RestoreNameTakenError, nothing registered or launched", async () => {
      await start("name-img-1", { source: fleet.instance, point: "latest", mode: "instance", name: "web-again" });
      await refused("name-img-2", { source: fleet.instance, point: "latest", mode: "instance", name: "web-again" });
      expect(fake.handled("RegisterImage")).to.have.length(1);
    });
  });

  describe("a DR restore with every primary-region call failing", () => {
    it("each kind runs to a report in the DR vault with no call to the primary region", async () => {
      const made = await fleet.backup(20);
      await fleet.copy(made, new Date("2026-11-20T06:00:00Z"));
      const from = fake.calls.length;
      fake.permanent = (call) => (call.region === PRIMARY ? new AwsFault("UnauthorizedOperation", 403, "the primary region is down") : undefined);
      const requests: Array<[string, RestoreRequest]> = [
        ["dr-vol", { source: fleet.instance, point: "latest", zone: `${DR}b` }],
        ["dr-ins", { source: fleet.instance, point: "latest", mode: "instance", instanceType: "t3.small" }],
        ["dr-db", { source: fleet.db, point: "latest" }],
        ["dr-cl", { source: fleet.cluster, point: "latest" }],
      ];
      for (const [restoreId, request] of requests) {
        const state = await until(await start(restoreId, request, "dr"), "dr");
        expect(state.status, `${restoreId}: ${JSON.stringify(state.failure)}`).to.equal("available");
        expect(state.point.origin).to.equal("copy");
        const validated = await step<RestoreState>({ step: "validate", state }, "dr");
        expect(validated.validation?.ok, JSON.stringify(validated.validation)).to.equal(true);
        const report = await step<RestoreReport>({ step: "report", restoreId, startedAt: STARTED, state: validated }, "dr");
        expect(report.status).to.equal("succeeded");
        expect(report.manifest).to.equal(`s3://${VAULT_BUCKET}/runs/restore/2026/11/21/${restoreId}.json`);
        expect(fake.region(DR).buckets.get(VAULT_BUCKET)?.has(`runs/restore/2026/11/21/${restoreId}.json`)).to.equal(true);
      }
      expect(fake.calls.slice(from).filter((c) => c.region !== DR).map((c) => `${c.region} ${c.action}`), "calls outside the DR region").to.deep.equal([]);
    });
  });

  describe("a report given only the error (start failed before any state)", () => {
    const caught = { Error: "MissingRestoreNetworkError", Cause: JSON.stringify({ errorType: "MissingRestoreNetworkError", errorMessage: "no network", trace: [] }) };

    it("reports failed with the caught error, searches every kind, writes the manifest, changes nothing else", async () => {
      await fleet.backup(20);
      const from = fake.calls.length;
      const report = await step<RestoreReport>({ step: "report", restoreId: "only-error", startedAt: STARTED, error: caught });
      expect(report).to.deep.include({ restoreId: "only-error", status: "failed", region: PRIMARY, created: [], failure: { name: "MissingRestoreNetworkError", message: "no network" } });
      expect(report).to.not.have.property("kind");
      expect(report).to.not.have.property("pointId");
      const manifest = JSON.parse(fake.region(PRIMARY).buckets.get(VAULT_BUCKET)?.get("runs/restore/2026/11/21/only-error.json") ?? "{}") as Record<string, unknown>;
      expect(manifest).to.deep.include({ status: "failed", restoreId: "only-error" });
      const actions = new Set(fake.calls.slice(from).map((c) => c.action));
      expect([...actions].filter((a) => !/^(Describe|List|Get|Head)/.test(a))).to.deep.equal(["PutObject"]);
      for (const lookUp of ["DescribeVolumes", "DescribeImages", "DescribeInstances", "DescribeDBInstances", "DescribeDBClusters"]) expect(actions, lookUp).to.include(lookUp);
    });

    it("a start that created volumes and then failed: the report with only the error finds them by the restore id", async () => {
      await fleet.backup(20);
      const state = await start("half-made", { source: fleet.instance, point: "latest" });
      const report = await step<RestoreReport>({ step: "report", restoreId: "half-made", startedAt: STARTED, error: { Error: "States.Timeout", Cause: "the task timed out" } });
      expect(report.failure).to.deep.equal({ name: "States.Timeout", message: "the task timed out" });
      expect(report.created.map((r) => r.id).sort()).to.deep.equal(state.created.map((r) => r.id).sort());
      expect(report.created).to.have.length(2);
    });
  });
});
