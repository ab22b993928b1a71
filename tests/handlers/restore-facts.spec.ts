// Acceptance (issue 17, item 2): every backup records the facts a restore needs that its snapshot does not hold, in
// catalog tags that fit AWS's limits (50 tags, RDS's tag charset), and its DR copy carries the same facts. Recovery
// points made before read them as absent.
import { expect } from "chai";
import { runBackup } from "../../handlers/backup/run";
import { runCopy } from "../../handlers/copy/run";
import { MAX_STACK_SNAPSHOT_TAGS, TAG_VOLUME_FACTS } from "../../handlers/catalog";
import { readCatalog, restoreFactTags, volumeFactTag } from "../../handlers/lib/catalog-record";
import { fakeClients } from "../helpers/aws-clients";
import { FakeAws } from "../helpers/aws-fake";
import { AwsFault } from "../helpers/aws-wire";
import type { RegionState, Tags } from "../helpers/aws-fake-state";
import type { CopyableDbSnapshot } from "../helpers/aws-fake-copy";
import { backupDeps, backupSettings } from "../helpers/backup-setup";
import { SELECTION_KEY } from "../helpers/backup-fleet";
import { clusterSnapshotEvent, copiesOf, copyDeps, copySettings, COPY_PLANS, dbSnapshotEvent, drCopies, multiVolumeEvent, PRIMARY_KEY_ARN, primaryRegion } from "../helpers/copy-setup";

const EVENT = { plan: "gold", scheduledTime: "2026-11-20T05:00:00Z" };
const NOW = new Date("2026-11-20T05:15:00Z");
const gold: Tags = { [SELECTION_KEY]: "gold" };

const stackTags = (tags: Tags) => Object.keys(tags).filter((key) => key.startsWith("backup-dr:"));

describe("restore facts in the catalog", () => {
  let fake: FakeAws;
  let region: RegionState;
  beforeEach(() => {
    fake = new FakeAws();
    region = primaryRegion(fake);
  });

  const backup = () => runBackup(backupDeps(fakeClients(fake)), backupSettings({ BACKUP_DR_PLANS: JSON.stringify(COPY_PLANS) }), EVENT);
  const copy = (event: unknown) => runCopy(copyDeps(fake, () => NOW), copySettings(), event);
  /** Completes every backup in the primary region, as AWS would after a while (DB snapshots encrypted, dated). */
  const complete = () => {
    for (const s of region.snapshots.values()) Object.assign(s, { state: "completed", completedAt: new Date("2026-11-20T05:09:00Z") });
    for (const table of [region.dbSnapshots, region.dbClusterSnapshots]) {
      for (const s of table.values()) Object.assign(s, { status: "available", created: new Date("2026-11-20T05:02:00Z"), snapshotType: "manual", encrypted: true, kmsKeyId: PRIMARY_KEY_ARN } satisfies Partial<CopyableDbSnapshot>);
    }
  };

  it("an EC2 set records the machine, the network hint and each volume's device and root flag; each DR copy the same", async () => {
    const instance = region.addInstance("running", gold, [{ Name: "root" }, { Name: "data" }]);
    const result = await backup();
    expect(result.sources.find((o) => o.source === instance.id)).to.deep.include({ status: "created" });
    const set = [...region.snapshots.values()];
    expect(set).to.have.length(2);
    const machine = { instanceType: "m5.large", architecture: "x86_64", rootDevice: "/dev/xvda", bootMode: "uefi", virtualization: "hvm", zone: instance.zone };
    const network = { subnet: instance.subnetId, securityGroups: instance.securityGroupIds };
    const byVolume = new Map(set.map((s) => [s.volumeId, readCatalog(s.tags)]));
    const [root, data] = instance.volumes;
    expect(byVolume.get(root.id)).to.deep.include({ machine, network, volume: { device: "/dev/xvda", root: true }, setSize: "2" });
    expect(byVolume.get(data.id)).to.deep.include({ machine, network, volume: { device: data.device, root: false } });
    // CreateSnapshots' answer names each snapshot's volume: no listing of the set to tag it.
    expect(fake.handled("CreateTags")).to.have.length(2);

    complete();
    await copy(multiVolumeEvent(set.map((s) => s.id)));
    for (const snapshot of set) {
      const copies = copiesOf(fake, snapshot.id);
      expect(copies, snapshot.id).to.have.length(1);
      const { machine: m, network: n, volume: v } = readCatalog(copies[0].tags);
      expect({ machine: m, network: n, volume: v }).to.deep.equal({ machine, network, volume: readCatalog(snapshot.tags).volume });
    }
  });

  it("an RDS instance records engine, version, class, port, Multi-AZ and storage; an Aurora cluster its writer's class; DR copies the same", async () => {
    region.addDbInstance("orders-db", "available", gold);
    region.addDbCluster("ledger", "available", gold);
    region.addDbInstance("ledger-writer", "available", {}, "ledger");
    const reader = region.addDbInstance("ledger-reader", "available", {}, "ledger");
    reader.instanceClass = "db.r6g.xlarge";
    await backup();
    const [db] = [...region.dbSnapshots.values()];
    const [cluster] = [...region.dbClusterSnapshots.values()];
    const dbFacts = { engine: "postgres", engineVersion: "16.4", instanceClass: "db.m6g.large", port: 5432, multiAz: true, storageType: "gp3" };
    const clusterFacts = { engine: "aurora-postgresql", engineVersion: "16.4", instanceClass: "db.r6g.large", port: 5432 };
    expect(readCatalog(db.tags).database).to.deep.equal(dbFacts);
    expect(readCatalog(cluster.tags).database).to.deep.equal(clusterFacts);

    complete();
    await copy(dbSnapshotEvent(db.id));
    await copy(clusterSnapshotEvent(cluster.id));
    const copies = drCopies(fake);
    expect(copies.map((c) => c.kind)).to.have.members(["rds", "aurora"]);
    const [dbCopy, clusterCopy] = ["rds", "aurora"].map((kind) => copies.filter((c) => c.kind === kind)[0]);
    expect(readCatalog(dbCopy.tags).database).to.deep.equal(dbFacts);
    expect(readCatalog(clusterCopy.tags).database).to.deep.equal(clusterFacts);
  });

  it("a volume with as many tags as a snapshot leaves room for keeps every snapshot and copy within 50 tags", async () => {
    const full = Object.fromEntries(Array.from({ length: 50 - MAX_STACK_SNAPSHOT_TAGS }, (_, n) => [`team-tag-${n}`, `value ${n}`]));
    region.addInstance("running", gold, [full, full]);
    region.addDbInstance("orders-db", "available", gold);
    const result = await backup();
    expect(result.counts.failed).to.equal(0);
    expect(result.sources.every((o) => o.reason === undefined), JSON.stringify(result.sources)).to.equal(true);
    complete();
    await copy(multiVolumeEvent([...region.snapshots.keys()]));
    await copy(dbSnapshotEvent([...region.dbSnapshots.keys()][0]));
    const drRegion = fake.region(copySettings().drRegion);
    const all = [...region.snapshots.values(), ...region.dbSnapshots.values(), ...drRegion.snapshots.values(), ...drRegion.dbSnapshots.values()];
    expect(all).to.have.length(6);
    for (const s of all) {
      expect(Object.keys(s.tags).length, s.id).to.be.at.most(50);
      expect(stackTags(s.tags).length, s.id).to.be.at.most(MAX_STACK_SNAPSHOT_TAGS);
    }
  });

  it("an instance with one volume gets its device facts with the create: no CreateTags call (issue 20: EC2 calls per instance)", async () => {
    const instance = region.addInstance("running", gold);
    await backup();
    expect(fake.calls.filter((c) => c.action === "CreateTags")).to.deep.equal([]);
    const [snapshot] = [...region.snapshots.values()];
    expect(readCatalog(snapshot.tags).volume).to.deep.equal({ device: instance.volumes[0].device, root: true });
  });

  it("a volume attached between the listing and the create does not keep the listed volume's device facts", async () => {
    const instance = region.addInstance("running", gold);
    const attached = { id: "vol-0000000000000late", device: "/dev/sdz", tags: {} };
    fake.permanent = (call) => {
      if (call.action === "CreateSnapshots" && !instance.volumes.includes(attached)) instance.volumes.push(attached);
      return undefined;
    };
    const result = await backup();
    expect(result.counts.failed).to.equal(0);
    const snapshots = [...region.snapshots.values()];
    expect(snapshots).to.have.length(2);
    const byVolume = new Map(snapshots.map((s) => [s.volumeId, readCatalog(s.tags).volume]));
    expect(byVolume.get(instance.volumes[0].id)).to.deep.equal({ device: instance.volumes[0].device, root: true });
    expect(byVolume.get(attached.id)).to.equal(undefined);
  });

  it("when tagging the devices fails, the set stays made and its outcome says the device facts are missing", async () => {
    const instance = region.addInstance("running", gold, [{}, {}]);
    fake.permanent = (call) => (call.action === "CreateTags" ? new AwsFault("UnauthorizedOperation", 403, "not allowed") : undefined);
    const result = await backup();
    const outcome = result.sources.find((o) => o.source === instance.id);
    expect(outcome).to.deep.include({ status: "created" });
    expect(outcome?.snapshotIds).to.have.length(2);
    expect(outcome?.reason).to.match(/device facts not recorded .*UnauthorizedOperation/);
    for (const s of region.snapshots.values()) expect(readCatalog(s.tags)).to.include.keys("machine", "network").and.not.have.property("volume");
  });

  it("recovery points made before the facts read them as absent; a garbled fact tag is ignored, never thrown", () => {
    const old = { "backup-dr:stack": "backup-dr/prod", "backup-dr:source": "i-0abc", "backup-dr:set-size": "2" };
    const entry = readCatalog(old);
    for (const key of ["machine", "network", "volume", "database"]) expect(entry).to.not.have.property(key);
    expect(readCatalog({ ...old, [TAG_VOLUME_FACTS]: "nonsense = =x y=" })).to.not.have.property("volume");
    expect(readCatalog({ "backup-dr:database": "engine=postgres port=abc" }).database).to.deep.equal({ engine: "postgres" });
  });

  it("values keep to RDS's tag charset and 256 characters: JSON-like text is left out, a long group list is cut with a count", () => {
    const groups = Array.from({ length: 16 }, (_, n) => `sg-0a1b2c3d4e5f607${n.toString(16).padStart(2, "0")}`);
    const tags = restoreFactTags({ machine: { instanceType: "{\"m5\"}", architecture: "arm64" }, network: { subnet: "subnet-1", securityGroups: groups }, database: { engine: "mysql", port: 3306 } });
    for (const tag of tags) {
      expect(tag.Value, tag.Key).to.match(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u);
      expect(tag.Value.length, tag.Key).to.be.at.most(256);
    }
    const entry = readCatalog(Object.fromEntries(tags.map((t) => [t.Key, t.Value])));
    expect(entry.machine).to.deep.equal({ architecture: "arm64" });
    expect(entry.network?.subnet).to.equal("subnet-1");
    const kept = entry.network?.securityGroups ?? [];
    expect(kept).to.deep.equal(groups.slice(0, kept.length));
    expect(kept.length).to.be.greaterThan(0);
    expect(kept.length + (entry.network?.omittedGroups ?? 0)).to.equal(16);
    expect(entry.database).to.deep.equal({ engine: "mysql", port: 3306 });
    expect(readCatalog({ [TAG_VOLUME_FACTS]: volumeFactTag({ device: "/dev/sdf", root: false }).Value }).volume).to.deep.equal({ device: "/dev/sdf", root: false });
  });
});
