// Issue 17 item 3, EC2: the ec2 kind's restore actions on their own (the flow resolves the state first). Mode
// "volumes": one encrypted volume per snapshot of the set; mode "instance": an image from the set, an instance from
// the image, the image deregistered unless kept. Every create carries the restore tags; a rerun creates nothing more.
import { expect } from "chai";
import { TAG_RESTORE_ID } from "../../handlers/catalog";
import { ec2Restore } from "../../handlers/kinds/ec2-restore";
import type { RestoreState } from "../../handlers/restore/contract";
import { FakeAws } from "../helpers/aws-fake";
import { regionImages } from "../helpers/aws-fake-cleanup";
import { restoreTables } from "../helpers/aws-fake-restore";
import { fakeRestoreNetwork, setProgress, setRestoreSteps } from "../helpers/aws-fake-restore-state";
import type { FakeInstance, RegionState } from "../helpers/aws-fake-state";
import { SELECTION_KEY } from "../helpers/backup-fleet";
import { primaryRegion } from "../helpers/copy-setup";
import { backedUp, createTags, ec2Point, KEY_ARN, mutatingCalls, pollUntilDone, RESTORE_ID, restoreContext, stateFor } from "../helpers/restore-kinds-setup";

const gold = { [SELECTION_KEY]: "gold" };

describe("restore actions: ec2", () => {
  let fake: FakeAws;
  let region: RegionState;
  let source: FakeInstance;
  beforeEach(async () => {
    fake = new FakeAws();
    region = primaryRegion(fake);
    source = region.addInstance("running", gold, [{ Name: "root" }, { Name: "data" }]);
    await backedUp(fake, region);
    fake.calls.length = 0;
  });

  const network = () => fakeRestoreNetwork(region.name);
  const volumesState = (fields: Partial<RestoreState> = {}) => stateFor(ec2Point(region, source.id), { mode: "volumes", zone: `${region.name}b`, ...fields });
  const instanceState = (fields: Partial<RestoreState> = {}) => {
    const point = ec2Point(region, source.id);
    return stateFor(point, { mode: "instance", instanceType: point.machine?.instanceType, subnetId: network().subnetIds[1], securityGroupIds: network().securityGroupIds, ...fields });
  };
  const restoredVolumes = () => [...restoreTables(region).volumes.values()];
  const restoredInstances = () => [...region.instances.values()].filter((i) => i.tags[TAG_RESTORE_ID] === RESTORE_ID);

  /** The restore only created (and deregistered its own image): no call changed, or named outside a tag, the source. */
  const sourceUntouched = () => {
    for (const call of mutatingCalls(fake)) {
      expect(["CreateVolume", "RegisterImage", "RunInstances", "DeregisterImage"], call.action).to.include(call.action);
      const named = [...call.params.entries()].filter(([key, value]) => value.includes(source.id) && !/Tag|Description|^Name$/.test(key));
      expect(named, call.action).to.deep.equal([]);
    }
    expect(source.state).to.equal("running");
  };

  describe('mode "volumes"', () => {
    it("makes one volume per snapshot in the zone, encrypted with the region's key, tagged at creation; polls to available; validates", async () => {
      const state = volumesState();
      const ctx = restoreContext(fake, state);
      const started = await ec2Restore.start(ctx, state);
      expect(started).to.deep.include({ status: "pending", phase: "volumes", waitSeconds: 30 });
      expect(started.created.map((c) => c.type)).to.deep.equal(["volume", "volume"]);
      // The volumes mode's own deadline: 60 minutes from the start.
      expect(started.deadline).to.equal("2026-11-20T07:00:00.000Z");

      const volumes = restoredVolumes();
      expect(volumes.map((v) => v.snapshotId)).to.deep.equal(state.point.snapshotIds);
      for (const v of volumes) expect(v).to.deep.include({ zone: `${region.name}b`, encrypted: true, kmsKeyId: KEY_ARN, volumeType: "gp3" });
      for (const call of fake.handled("CreateVolume")) {
        expect(createTags(call).volume).to.deep.equal(Object.fromEntries(ctx.tags.map((t) => [t.Key, t.Value])));
        expect(call.params.get("ClientToken")).to.match(/^[0-9a-f]{64}$/);
      }

      const { state: done, polls } = await pollUntilDone(ec2Restore, ctx, started);
      expect(polls).to.equal(2);
      expect(done.status).to.equal("available");
      expect(done.availableAt).to.equal("2026-11-20T06:10:00.000Z");
      expect(done.endpoint).to.equal(volumes.map((v) => v.id).join(", "));
      expect(done.created).to.deep.equal(volumes.map((v) => ({ type: "volume", id: v.id, state: "available" })));

      const validation = await ec2Restore.validate(ctx, done);
      expect(validation.ok, JSON.stringify(validation)).to.equal(true);
      expect(validation.checks).to.have.length(8);
      sourceUntouched();
    });

    it("a rerun of start (same restore id) gets the same volumes back: nothing more is created", async () => {
      const state = volumesState();
      const ctx = restoreContext(fake, state);
      const first = await ec2Restore.start(ctx, state);
      const second = await ec2Restore.start(ctx, state);
      expect(restoredVolumes()).to.have.length(2);
      expect(second.created.map((c) => c.id)).to.deep.equal(first.created.map((c) => c.id));
      expect(fake.handled("CreateVolume")).to.have.length(4);
    });

    it("a volume in error fails the restore, naming it; the volumes stay, listed", async () => {
      const state = volumesState();
      const ctx = restoreContext(fake, state);
      const started = await ec2Restore.start(ctx, state);
      const [, broken] = restoredVolumes();
      setProgress(broken, ["error"]);
      const { state: done } = await pollUntilDone(ec2Restore, ctx, started);
      expect(done.status).to.equal("failed");
      expect(done.failure?.name).to.equal("RestoredResourceFailedError");
      expect(done.failure?.message).to.contain(broken.id).and.contain("error");
      expect(done.created.map((c) => c.id)).to.have.members(restoredVolumes().map((v) => v.id));
      expect(fake.handled().filter((c) => c.action.startsWith("Delete"))).to.deep.equal([]);
    });

    it("validation fails on a volume of another size or key, and in another zone", async () => {
      const state = volumesState();
      const ctx = restoreContext(fake, state);
      const { state: done } = await pollUntilDone(ec2Restore, ctx, await ec2Restore.start(ctx, state));
      const [first, second] = restoredVolumes();
      first.sizeGiB = 9;
      second.kmsKeyId = "alias/aws/ebs";
      const validation = await ec2Restore.validate(ctx, { ...done, zone: `${region.name}c` });
      expect(validation.ok).to.equal(false);
      const failedChecks = validation.checks.filter((c) => !c.ok).map((c) => c.check);
      expect(failedChecks).to.include.members([`${first.id} size`, `${second.id} encrypted with the region's key`, `${first.id} in ${region.name}c`, `${second.id} in ${region.name}c`]);
    });

    it("a zone the region does not have is AWS's error, and nothing is made", async () => {
      const state = volumesState({ zone: "eu-west-1a" });
      const error = await ec2Restore.start(restoreContext(fake, state), state).then(() => undefined, (e: unknown) => e);
      expect(error).to.have.property("name", "InvalidZone.NotFound");
      expect(restoredVolumes()).to.deep.equal([]);
    });

    it("a snapshot gone since the point was read is AWS's InvalidSnapshot.NotFound", async () => {
      const state = volumesState();
      region.snapshots.delete(state.point.snapshotIds[0] ?? "");
      const error = await ec2Restore.start(restoreContext(fake, state), state).then(() => undefined, (e: unknown) => e);
      expect(error).to.have.property("name", "InvalidSnapshot.NotFound");
      expect(restoredVolumes()).to.deep.equal([]);
    });

    it("missing: the zone", () => {
      expect(ec2Restore.missing(volumesState({ zone: undefined }))).to.deep.equal(["option:zone"]);
      expect(ec2Restore.missing(volumesState())).to.deep.equal([]);
    });
  });

  describe('mode "instance"', () => {
    it("registers an image from the set at its devices, launches into the restore subnet, deregisters the image once running, validates", async () => {
      const state = instanceState();
      const ctx = restoreContext(fake, state);
      const started = await ec2Restore.start(ctx, state);
      expect(started).to.deep.include({ status: "pending", phase: "image" });
      expect(started.deadline).to.equal("2026-11-20T07:30:00.000Z");
      const [register] = fake.handled("RegisterImage");
      const p = register.params;
      expect({ name: p.get("Name"), arch: p.get("Architecture"), root: p.get("RootDeviceName"), virt: p.get("VirtualizationType"), boot: p.get("BootMode"), ena: p.get("EnaSupport") }).to.deep.equal({
        name: state.name,
        arch: "x86_64",
        root: "/dev/xvda",
        virt: "hvm",
        boot: "uefi",
        ena: "true",
      });
      const devices = state.point.volumes?.map((v) => ({ device: v.device, snapshotId: v.snapshotId }));
      const image = [...regionImages(region).values()][0] as { devices?: unknown };
      expect(image.devices).to.deep.equal(devices);
      expect(createTags(register).image).to.deep.equal(Object.fromEntries(ctx.tags.map((t) => [t.Key, t.Value])));

      const { state: done, phases } = await pollUntilDone(ec2Restore, ctx, started);
      expect(phases[0]).to.equal("image");
      expect(done.status, JSON.stringify(done.failure)).to.equal("available");
      const [instance] = restoredInstances();
      expect(instance).to.deep.include({ state: "running", instanceType: "m5.large", subnetId: network().subnetIds[1], zone: `${region.name}b` });
      expect(done.endpoint).to.equal(instance.privateIp).and.match(/^10\.0\./);
      const [run] = fake.handled("RunInstances");
      expect(createTags(run)).to.deep.equal({ instance: Object.fromEntries(ctx.tags.map((t) => [t.Key, t.Value])), volume: Object.fromEntries(ctx.tags.map((t) => [t.Key, t.Value])) });
      expect(run.params.get("ClientToken")).to.match(/^[0-9a-f]{64}$/);
      expect(run.params.get("IamInstanceProfile.Arn")).to.equal(undefined);
      // The instance's volumes are encrypted with the region's key (the set's snapshots were not encrypted).
      const attached = restoredVolumes().filter((v) => v.attachedTo?.instanceId === instance.id);
      expect(attached.map((v) => v.attachedTo?.device).sort()).to.deep.equal(devices?.map((d) => d.device).sort());
      for (const v of attached) expect(v).to.deep.include({ encrypted: true, kmsKeyId: KEY_ARN });
      expect(regionImages(region).size).to.equal(0);
      expect(fake.handled("DeregisterImage")).to.have.length(1);
      expect(done.created).to.deep.include({ type: "image", id: fake.handled("DeregisterImage")[0]?.params.get("ImageId"), state: "deregistered" });

      const validation = await ec2Restore.validate(ctx, done);
      expect(validation.ok, JSON.stringify(validation)).to.equal(true);
      sourceUntouched();
    });

    it("keepImage keeps the image; an instance profile is passed only when configured", async () => {
      const profile = "arn:aws:iam::123456789012:instance-profile/restored";
      const state = instanceState({ keepImage: true, instanceProfileArn: profile });
      const ctx = restoreContext(fake, state);
      const { state: done } = await pollUntilDone(ec2Restore, ctx, await ec2Restore.start(ctx, state));
      expect(done.status).to.equal("available");
      expect(fake.handled("DeregisterImage")).to.deep.equal([]);
      expect([...regionImages(region).values()].map((i) => i.state)).to.deep.equal(["available"]);
      const [instance] = restoredInstances();
      expect(restoreTables(region).profiles.get(instance.id)).to.equal(profile);
      const validation = await ec2Restore.validate(ctx, done);
      expect(validation.ok).to.equal(true);
      expect(validation.checks.map((c) => c.check)).to.include("the image is kept");
    });

    it("reruns create nothing more: start reuses its image by name, the launch its client token", async () => {
      const state = instanceState();
      const ctx = restoreContext(fake, state);
      const started = await ec2Restore.start(ctx, state);
      const again = await ec2Restore.start(ctx, state);
      expect(fake.handled("RegisterImage")).to.have.length(1);
      expect(again.created).to.deep.equal(started.created);
      // The poll that launches, run twice (the machine's retry after a lost answer).
      let ready = await ec2Restore.poll(ctx, started);
      while (ready.phase === "image") ready = await ec2Restore.poll(ctx, ready);
      const beforeLaunch = { ...ready, phase: "image", created: started.created };
      await ec2Restore.poll(ctx, beforeLaunch);
      expect(fake.handled("RunInstances")).to.have.length(2);
      expect(restoredInstances()).to.have.length(1);
    });

    it("an image name taken by another image is RestoreNameTakenError, and nothing is registered", async () => {
      const state = instanceState();
      const theirs = { id: "ami-0000000000000abcd", state: "available", snapshotIds: [], tags: { owner: "someone" }, name: state.name };
      regionImages(region).set(theirs.id, theirs);
      const error = await ec2Restore.start(restoreContext(fake, state), state).then(() => undefined, (e: unknown) => e);
      expect(error).to.have.property("name", "RestoreNameTakenError");
      expect(fake.handled("RegisterImage")).to.deep.equal([]);
    });

    it("an impaired instance fails the restore, naming it; instance and image stay", async () => {
      const state = instanceState({ keepImage: true });
      const ctx = restoreContext(fake, state);
      let current = await ec2Restore.start(ctx, state);
      while (restoredInstances()[0]?.state !== "running") current = await ec2Restore.poll(ctx, current);
      const [instance] = restoredInstances();
      restoreTables(region).checks.set(instance.id, { instance: "impaired", system: "ok" });
      const { state: done } = await pollUntilDone(ec2Restore, ctx, current);
      expect(done.status).to.equal("failed");
      expect(done.failure).to.deep.include({ name: "RestoredResourceFailedError" });
      expect(done.failure?.message).to.contain(instance.id).and.contain("impaired");
      expect(restoredInstances()).to.have.length(1);
    });

    it("a subnet the region does not have is AWS's InvalidSubnetID.NotFound from the launching poll", async () => {
      const state = instanceState({ subnetId: "subnet-0ffffffffffffffff" });
      const ctx = restoreContext(fake, state);
      setRestoreSteps(region, 1);
      let current = await ec2Restore.start(ctx, state);
      current = await ec2Restore.poll(ctx, current);
      const error = await ec2Restore.poll(ctx, current).then(() => undefined, (e: unknown) => e);
      expect(error).to.have.property("name", "InvalidSubnetID.NotFound");
      expect(restoredInstances()).to.deep.equal([]);
    });

    it("missing: type, machine facts and network, each named; a multi-volume set without devices too", () => {
      const bare = instanceState({ instanceType: undefined, machine: undefined, subnetId: undefined, securityGroupIds: [] });
      expect(ec2Restore.missing(bare)).to.deep.equal(["option:instanceType", "option:machine.architecture", "option:machine.rootDevice", "option:machine.virtualization", "network:subnetIds", "network:securityGroupIds"]);
      expect(ec2Restore.missing(instanceState())).to.deep.equal([]);
      const noDevices = instanceState();
      noDevices.point = { ...noDevices.point, volumes: undefined };
      expect(ec2Restore.missing(noDevices)).to.deep.equal(["point:volumes.device"]);
    });
  });

  it("findCreated lists what a restore id made (image, instance, volumes) and nothing of another restore", async () => {
    const state = instanceState({ keepImage: true });
    const ctx = restoreContext(fake, state);
    await pollUntilDone(ec2Restore, ctx, await ec2Restore.start(ctx, state));
    const found = await ec2Restore.findCreated(ctx.clients, RESTORE_ID);
    expect(found.map((r) => r.type)).to.deep.equal(["image", "instance", "volume", "volume"]);
    expect(found.find((r) => r.type === "instance")).to.deep.include({ id: restoredInstances()[0]?.id, state: "running" });
    expect(await ec2Restore.findCreated(ctx.clients, "another-restore")).to.deep.equal([]);
  });
});
