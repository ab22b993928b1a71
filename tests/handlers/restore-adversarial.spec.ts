// Issue 17 under an adversary: the restore steps (real kinds, real points made by the real backup and copy functions)
// driven the ways the state machine, AWS and people may drive them: a start delivered twice at once, a start retried
// while a newer point completes, points in time at a year boundary and at a DST change of the plan's zone, taken tags
// missing or malformed, a source id that is a DB instance and a cluster, a name that is taken, a DR restore with the
// primary region down, and a report given only the error. After every test: nothing was deleted but this stack's
// restored images, and no mutating call named a source.
import { expect } from "chai";
import { TAG_RESTORE_ID } from "../../handlers/catalog";
import type { RestoreRequest, RestoreState } from "../../handlers/restore/contract";
import { runRestoreStep } from "../../handlers/restore/run";
import { FakeAws } from "../helpers/aws-fake";
import { regionImages } from "../helpers/aws-fake-cleanup";
import { restoreTables } from "../helpers/aws-fake-restore";
import { fakeRestoreNetwork } from "../helpers/aws-fake-restore-state";
import { DR, PRIMARY, restoreDeps, RestoreFleet, restoreSettings } from "../helpers/restore-setup";

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
});
