// Issue 18, the ec2 kind's drill cleanup: after a real restore on the fake AWS (tagged with the drill's id by the
// flow's own tags), deleteRestored called until nothing remains deletes exactly what the restore made (volumes;
// an instance and, with it, its volumes; a kept image, never its snapshots), leaves the source and every snapshot
// alone, refuses what carries the restore id but not this drill's and this stack's tags, and ends in the same place
// after reruns and lost answers.
import { expect } from "chai";
import { TAG_RESTORE_ID, TAG_STACK } from "../../handlers/catalog";
import { ec2Restore } from "../../handlers/kinds/ec2-restore";
import { drillKind } from "../../handlers/kinds/registry";
import type { RestoreState } from "../../handlers/restore/contract";
import { FakeAws } from "../helpers/aws-fake";
import { regionImages } from "../helpers/aws-fake-cleanup";
import { everything } from "../helpers/aws-fake-drill";
import { restoreTables } from "../helpers/aws-fake-restore";
import { fakeRestoreNetwork } from "../helpers/aws-fake-restore-state";
import type { FakeInstance, RegionState } from "../helpers/aws-fake-state";
import { SELECTION_KEY } from "../helpers/backup-fleet";
import { primaryRegion, rejection } from "../helpers/copy-setup";
import { cleanUntilDone, cleanupContext, deletedIds, DRILL_ID, DRILL_RESTORE_ID, drillRestored, retagged } from "../helpers/drill-kinds-setup";
import { backedUp, ec2Point, mutatingCalls, stateFor } from "../helpers/restore-kinds-setup";

const gold = { [SELECTION_KEY]: "gold" };
const ec2Drill = drillKind("ec2");
const DELETES = ["TerminateInstances", "DeleteVolume", "DeregisterImage"];

describe("drill cleanup: ec2", () => {
  let fake: FakeAws;
  let region: RegionState;
  let source: FakeInstance;
  let snapshots: string[];
  beforeEach(async () => {
    fake = new FakeAws();
    region = primaryRegion(fake);
    source = region.addInstance("running", gold, [{ Name: "root" }, { Name: "data" }, { Name: "logs" }]);
    await backedUp(fake, region);
    snapshots = [...region.snapshots.keys()].sort();
  });

  const network = () => fakeRestoreNetwork(region.name);
  const drillState = (fields: Partial<RestoreState>) => stateFor(ec2Point(region, source.id), { restoreId: DRILL_RESTORE_ID, drillId: DRILL_ID, name: "drill-restore-ec2", ...fields });
  const restoreVolumes = () => drillRestored(fake, ec2Restore, drillState({ mode: "volumes", zone: `${region.name}a` }));
  const restoreInstance = (fields: Partial<RestoreState> = {}) => {
    const point = ec2Point(region, source.id);
    return drillRestored(fake, ec2Restore, drillState({ mode: "instance", instanceType: point.machine?.instanceType, subnetId: network().subnetIds[0], securityGroupIds: network().securityGroupIds, ...fields }));
  };
  const volumes = () => [...restoreTables(region).volumes.values()];
  const ctx = (fields: Parameters<typeof cleanupContext>[2] = {}, maxAttempts?: number) => cleanupContext(fake, region.name, fields, maxAttempts);
  const cleanupCalls = (from: number) => mutatingCalls(fake).filter((c) => fake.calls.indexOf(c) >= from);

  /** The source instance runs and every snapshot (the recovery points) is still there. */
  const sourceAndSnapshotsUntouched = () => {
    expect(source.state).to.equal("running");
    expect([...region.snapshots.keys()].sort()).to.deep.equal(snapshots);
  };

  it('mode "volumes": deletes each restored volume (deleting, then gone) and nothing else', async () => {
    await restoreVolumes();
    const made = volumes().map((v) => v.id).sort();
    expect(made).to.have.length(3);
    const before = everything(region).filter((id) => !made.includes(id));
    const from = fake.calls.length;

    const answers = await cleanUntilDone(ec2Drill, ctx());
    expect(answers).to.have.length(2);
    expect(answers[0].remaining.map((r) => [r.id, r.state])).to.have.deep.members(made.map((id) => [id, "deleting"]));
    expect(answers[0].deleted.every((d) => d.type === "volume" && d.restoredFrom === ec2Point(region, source.id).id)).to.equal(true);
    expect(deletedIds(answers)).to.deep.equal(made);
    expect(answers.flatMap((a) => a.refused)).to.deep.equal([]);
    expect(volumes()).to.deep.equal([]);
    expect(everything(region)).to.deep.equal(before);
    expect(cleanupCalls(from).map((c) => c.action)).to.deep.equal(["DeleteVolume", "DeleteVolume", "DeleteVolume"]);
    sourceAndSnapshotsUntouched();

    // A rerun after the end finds nothing and sends nothing.
    const again = await ec2Drill.deleteRestored(ctx(), DRILL_RESTORE_ID);
    expect(again).to.deep.equal({ deleted: [], remaining: [], refused: [] });
    expect(cleanupCalls(from)).to.have.length(3);
  });

  it('mode "instance": terminates the instance (its volumes go with it), deregisters the kept image without its snapshots', async () => {
    const done = await restoreInstance({ keepImage: true });
    const instanceId = done.created.find((c) => c.type === "instance")?.id ?? "";
    const imageId = done.created.find((c) => c.type === "image")?.id ?? "";
    expect(volumes().filter((v) => v.attachedTo?.instanceId === instanceId)).to.have.length(3);
    const made = [imageId, ...volumes().map((v) => v.id)];
    const before = everything(region).filter((id) => !made.includes(id));
    const from = fake.calls.length;

    const answers = await cleanUntilDone(ec2Drill, ctx());
    // First call: the instance shuts down, its volumes wait for it, the image goes.
    expect(answers[0].remaining.map((r) => r.type).sort()).to.deep.equal(["instance", "volume", "volume", "volume"]);
    expect(answers[0].deleted.map((r) => [r.type, r.id, r.state])).to.have.deep.members([
      ["instance", instanceId, "shutting-down"],
      ["image", imageId, "deregistered"],
    ]);
    expect(answers.at(-1)?.deleted.map((r) => [r.type, r.state])).to.deep.equal([["instance", "terminated"]]);
    expect(region.instances.get(instanceId)?.state).to.equal("terminated");
    expect(volumes()).to.deep.equal([]);
    expect(regionImages(region).has(imageId)).to.equal(false);
    // Exactly what the restore made is gone (the terminated instance stays listed for a while, as in EC2).
    expect(everything(region)).to.deep.equal(before);
    const calls = cleanupCalls(from);
    expect(calls.map((c) => c.action).sort()).to.deep.equal(["DeregisterImage", "TerminateInstances"]);
    expect(calls.find((c) => c.action === "DeregisterImage")?.params.get("DeleteAssociatedSnapshots")).to.equal(undefined);
    expect(calls.find((c) => c.action === "TerminateInstances")?.params.get("InstanceId.1")).to.equal(instanceId);
    sourceAndSnapshotsUntouched();
  });

  it("a volume that outlives its instance (no DeleteOnTermination) waits until it is detached, then is deleted", async () => {
    await restoreInstance();
    const [kept] = volumes();
    if (kept.attachedTo === undefined) throw new Error("not attached");
    kept.attachedTo.deleteOnTermination = false;

    const answers = await cleanUntilDone(ec2Drill, ctx());
    expect(answers.length).to.be.greaterThan(2);
    const waited = answers.findIndex((a) => a.deleted.some((d) => d.id === kept.id));
    expect(waited, "deleted only after the instance").to.be.greaterThan(0);
    expect(answers.slice(0, waited).every((a) => a.remaining.some((r) => r.id === kept.id && r.state === "in-use"))).to.equal(true);
    expect(fake.handled("DeleteVolume").map((c) => c.params.get("VolumeId"))).to.deep.equal([kept.id]);
    expect(volumes()).to.deep.equal([]);
    sourceAndSnapshotsUntouched();
  });

  describe("refuses what is not this drill's", () => {
    for (const change of ["other-drill", "no-drill", "other-stack"] as const) {
      it(`a volume with the restore id but ${change}: refused with the tag named, not deleted`, async () => {
        await restoreVolumes();
        const [foreign, ...ours] = volumes();
        foreign.tags = retagged(foreign.tags, change);
        const answers = await cleanUntilDone(ec2Drill, ctx());
        expect(answers.every((a) => a.refused.length === 1 && a.refused[0].id === foreign.id)).to.equal(true);
        expect(answers[0].refused[0].reason).to.match(change === "other-stack" ? /backup-dr:stack is "backup-dr\/other"/ : change === "no-drill" ? /backup-dr:drill-id is absent/ : /backup-dr:drill-id is "drill-someone-else"/);
        expect(deletedIds(answers)).to.deep.equal(ours.map((v) => v.id).sort());
        expect(volumes().map((v) => v.id)).to.deep.equal([foreign.id]);
        expect(fake.handled("DeleteVolume").map((c) => c.params.get("VolumeId"))).to.not.include(foreign.id);
      });
    }

    it("another drill's instance: refused, and so are the volumes attached to it; nothing is terminated", async () => {
      const done = await restoreInstance();
      const instance = region.instances.get(done.created.find((c) => c.type === "instance")?.id ?? "");
      if (instance === undefined) throw new Error("no instance");
      instance.tags = retagged(instance.tags, "other-drill");
      const answer = await ec2Drill.deleteRestored(ctx(), DRILL_RESTORE_ID);
      expect(answer.refused.map((r) => r.type).sort()).to.deep.equal(["instance", "volume", "volume", "volume"]);
      expect(answer.refused.filter((r) => r.type === "volume").every((r) => r.reason.includes(instance.id))).to.equal(true);
      expect(answer.remaining).to.deep.equal([]);
      expect(fake.handled("TerminateInstances")).to.deep.equal([]);
      expect(instance.state).to.equal("running");
    });

    it("a cleanup of another drill (same restore ids, another drill id) deletes nothing", async () => {
      await restoreVolumes();
      const other = "drill-2026-11-01T0600";
      const answer = await ec2Drill.deleteRestored(ctx({ drillId: other }), `${other}-r1`);
      expect(answer).to.deep.equal({ deleted: [], remaining: [], refused: [] });
      expect(volumes()).to.have.length(3);
    });

    it("tags changed between the listing and the delete: the read just before the delete refuses it", async () => {
      await restoreVolumes();
      const [target] = volumes();
      fake.beforeHandle = (call) => {
        const filter = [...call.params.entries()].find(([k, v]) => k.endsWith(".Name") && v === "volume-id");
        if (call.action === "DescribeVolumes" && filter !== undefined && call.params.get(filter[0].replace(".Name", ".Value.1")) === target.id) target.tags = { ...target.tags, [TAG_STACK]: "backup-dr/other" };
      };
      const answer = await ec2Drill.deleteRestored(ctx(), DRILL_RESTORE_ID);
      expect(answer.refused.map((r) => r.id)).to.deep.equal([target.id]);
      expect(fake.handled("DeleteVolume").map((c) => c.params.get("VolumeId"))).to.not.include(target.id);
    });

    it("termination protection on: refused with the reason, not turned off; its volumes are not detached", async () => {
      const done = await restoreInstance();
      const instance = region.instances.get(done.created.find((c) => c.type === "instance")?.id ?? "");
      if (instance === undefined) throw new Error("no instance");
      instance.terminationProtected = true;
      const answer = await ec2Drill.deleteRestored(ctx(), DRILL_RESTORE_ID);
      expect(answer.refused.find((r) => r.type === "instance")?.reason).to.match(/termination protection/);
      expect(answer.refused.filter((r) => r.type === "volume")).to.have.length(3);
      expect(instance.state).to.equal("running");
      expect(mutatingCalls(fake).filter((c) => c.action.startsWith("Modify"))).to.deep.equal([]);
    });
  });

  describe("bad input: a named error before any call", () => {
    const cases: Array<[string, Parameters<typeof cleanupContext>[2], string]> = [
      ["a restore id of another drill", {}, "drill-other-r1"],
      ["a restore id without its number", {}, `${DRILL_ID}-r`],
      ["an empty drill id", { drillId: "" }, "-r1"],
      ["an empty stack tag", { stackTag: " " }, DRILL_RESTORE_ID],
    ];
    for (const [what, fields, restoreId] of cases) {
      it(what, async () => {
        const from = fake.calls.length;
        const error = await rejection(ec2Drill.deleteRestored(ctx(fields), restoreId));
        expect(error).to.have.property("name", "MalformedEventError");
        expect(fake.calls.length).to.equal(from);
      });
    }
  });

  describe("reruns and lost answers end in the same place", () => {
    it("delete answers lost beneath the SDK's retry (half of them, seeded): everything goes, once", async () => {
      const done = await restoreInstance({ keepImage: true });
      const extra = await drillRestored(fake, ec2Restore, drillState({ restoreId: `${DRILL_ID}-r2`, name: "drill-restore-ec2-2", mode: "volumes", zone: `${region.name}a` }));
      const loser = fake.loseAnswers({ rate: 0.5, kinds: ["timeout", "500"], seed: 5, actions: DELETES });
      await cleanUntilDone(ec2Drill, ctx());
      // The drill's other restore is its own cleanup's: untouched so far.
      const second = extra.created.filter((c) => c.type === "volume").map((c) => c.id).sort();
      expect(second).to.have.length(3);
      expect(volumes().map((v) => v.id).sort()).to.deep.equal(second);
      await cleanUntilDone(ec2Drill, ctx(), `${DRILL_ID}-r2`);
      fake.loseAnswers(undefined);
      expect(Object.values(loser?.lost ?? {}).reduce((a, b) => a + b, 0)).to.be.greaterThan(0);
      expect(volumes()).to.deep.equal([]);
      expect(region.instances.get(done.created.find((c) => c.type === "instance")?.id ?? "")?.state).to.equal("terminated");
      expect([...regionImages(region).values()].filter((i) => i.tags[TAG_RESTORE_ID] !== undefined)).to.deep.equal([]);
      sourceAndSnapshotsUntouched();
    });

    it("a call that fails after AWS acted (answer lost, no retry left): the rerun carries on from what it finds", async () => {
      await restoreInstance({ keepImage: true });
      fake.loseAnswers({ rate: 1, kinds: ["500"], seed: 1, actions: DELETES });
      const error = await rejection(ec2Drill.deleteRestored(ctx({}, 1), DRILL_RESTORE_ID));
      fake.loseAnswers(undefined);
      expect(error).to.have.property("name", "InternalError");
      const answers = await cleanUntilDone(ec2Drill, ctx());
      expect(answers[0].deleted.map((d) => d.type)).to.include("instance");
      expect(fake.handled("TerminateInstances").length + fake.handled("DeregisterImage").length).to.be.within(2, 4);
      expect(volumes()).to.deep.equal([]);
      sourceAndSnapshotsUntouched();
    });

    it("transient faults on a third of all calls: the SDK retries, and the cleanup completes", async () => {
      await restoreVolumes();
      fake.injectFaults({ rate: 0.3, kinds: ["throttle", "500", "503", "timeout"], seed: 11 });
      await cleanUntilDone(ec2Drill, ctx());
      fake.injectFaults(undefined);
      expect(volumes()).to.deep.equal([]);
      sourceAndSnapshotsUntouched();
    });
  });
});
