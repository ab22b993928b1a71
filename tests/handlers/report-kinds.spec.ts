// Issue 19: the kinds' report facet. inventory lists every resource of a kind in the region, opted in or not, as the
// kind's backup would consider it (no terminated instance, no cluster member), every page read and nothing written;
// listPoints is the restore facet's listing without a source, each point with its snapshots' encryption.
import { expect } from "chai";
import { runBackup } from "../../handlers/backup/run";
import { RESOURCE_KINDS, SNAPSHOT_KIND_OF } from "../../handlers/catalog";
import { runCopy } from "../../handlers/copy/run";
import type { ReportKind } from "../../handlers/kinds/kind";
import { pointEncryption } from "../../handlers/kinds/point-encryption";
import { KIND_MODULES, reportKind, reportKinds } from "../../handlers/kinds/registry";
import type { InventoryItem } from "../../handlers/report/contract";
import type { RecoveryPoint } from "../../handlers/restore/contract";
import { fakeClients } from "../helpers/aws-clients";
import { ACCOUNT_ID, FakeAws } from "../helpers/aws-fake";
import { finishCopies } from "../helpers/aws-fake-copy";
import type { RegionState } from "../helpers/aws-fake-state";
import { AwsFault } from "../helpers/aws-wire";
import { SELECTION_KEY } from "../helpers/backup-fleet";
import { backupDeps, backupSettings } from "../helpers/backup-setup";
import { clusterSnapshotEvent, COPY_PLANS, copyDeps, copySettings, dbSnapshotEvent, DR, DR_KEY_ARN, PRIMARY, PRIMARY_KEY_ARN, primaryRegion, SLOT, STACK_TAG } from "../helpers/copy-setup";
import { RestoreFleet } from "../helpers/restore-setup";

const gold = { [SELECTION_KEY]: "gold" };
const MUTATING = /^(Create|Copy|Delete|Modify|Restore|Run|Start|Stop|Terminate|Add|Remove|Put|Register|Deregister|Lock|Unlock)/;
/** A second key of the primary region (a database or volume encrypted with something else than the stack's key). */
const OTHER_KEY_ARN = `arn:aws:kms:${PRIMARY}:${ACCOUNT_ID}:key/5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9`;

const facet = (name: (typeof RESOURCE_KINDS)[number]): ReportKind => reportKind(name);

describe("report facet: one per kind, in the registry", () => {
  it("reportKinds lists every kind's report facet in the order of RESOURCE_KINDS, each naming its kind and snapshots", () => {
    expect(reportKinds().map((k) => k.name)).to.deep.equal([...RESOURCE_KINDS]);
    for (const name of RESOURCE_KINDS) {
      const kind = KIND_MODULES[name].report;
      expect(reportKind(name)).to.equal(kind);
      expect([kind.name, kind.snapshotKind, kind.paced]).to.deep.equal([name, SNAPSHOT_KIND_OF[name], KIND_MODULES[name].backup.paced]);
      expect(typeof kind.inventory, name).to.equal("function");
      expect(typeof kind.listPoints, name).to.equal("function");
    }
  });
});

describe("report facet: inventory of a mixed region", () => {
  let fake: FakeAws;
  let region: RegionState;
  const ids: Record<string, string> = {};
  const LAUNCHED = new Date("2026-11-30T08:00:00Z");
  const FIRST_LAUNCHED = new Date("2025-03-01T10:00:00Z");

  beforeEach(() => {
    fake = new FakeAws();
    region = primaryRegion(fake);
    const add = (key: string, state: Parameters<RegionState["addInstance"]>[0], tags: Record<string, string>, volumes: Record<string, string>[] = [{}]) => {
      const instance = region.addInstance(state, tags, volumes);
      instance.launchTime = LAUNCHED;
      ids[key] = instance.id;
      return instance;
    };
    add("goldRunning", "running", { ...gold, Name: "web-1" }).firstLaunchTime = FIRST_LAUNCHED;
    add("goldStopped", "stopped", gold);
    add("pending", "pending", { [SELECTION_KEY]: "silver" });
    add("stopping", "stopping", { Name: "batch" });
    add("untagged", "running", {});
    add("caseDiffers", "running", { "Backup-Plan": "gold" });
    add("emptyValue", "running", { [SELECTION_KEY]: "" });
    add("instanceStore", "running", gold, []);
    add("terminated", "terminated", gold);
    add("shuttingDown", "shutting-down", gold);
    region.addDbInstance("orders-db", "available", gold).createdAt = new Date("2024-01-02T03:04:05Z");
    region.addDbInstance("billing-db", "available", {});
    region.addDbInstance("reports-db", "stopped", { [SELECTION_KEY]: "silver" });
    region.addDbCluster("ledger", "available", gold).createdAt = new Date("2023-05-06T07:08:09Z");
    region.addDbInstance("ledger-writer", "available", gold, "ledger");
    region.addDbInstance("ledger-reader", "available", {}, "ledger");
    region.addDbCluster("audit", "creating", {});
    region.addDbCluster("events", "available", { [SELECTION_KEY]: "bronze" });
    // One item a page: every listing must follow every page.
    fake.pageCap.ec2 = 1;
    fake.pageCap.rds = 1;
  });

  const inventory = async (tagKey = SELECTION_KEY): Promise<Record<string, InventoryItem[]>> => {
    const clients = fakeClients(fake);
    return Object.fromEntries(await Promise.all(reportKinds().map(async (k) => [k.name, await k.inventory(clients, tagKey)] as const)));
  };
  const byId = (items: InventoryItem[]) => Object.fromEntries(items.map((i) => [i.id, i]));

  it("ec2: every instance not terminated nor shutting down, opted in or not, with its selection, Name and first launch", async () => {
    const { ec2 } = await inventory();
    const listed = byId(ec2);
    const expected = ["goldRunning", "goldStopped", "pending", "stopping", "untagged", "caseDiffers", "emptyValue", "instanceStore"].map((k) => ids[k]);
    expect(ec2.map((i) => i.id)).to.deep.equal([...expected].sort());
    expect(listed[ids.terminated]).to.equal(undefined);
    expect(listed[ids.shuttingDown]).to.equal(undefined);
    // The first launch (primary interface), not the last start.
    expect(listed[ids.goldRunning]).to.deep.equal({ kind: "ec2", id: ids.goldRunning, name: "web-1", selection: "gold", createdAt: FIRST_LAUNCHED.toISOString() });
    expect(listed[ids.goldStopped]).to.deep.equal({ kind: "ec2", id: ids.goldStopped, selection: "gold", createdAt: LAUNCHED.toISOString() });
    expect(listed[ids.pending].selection).to.equal("silver");
    expect(listed[ids.stopping]).to.deep.include({ name: "batch" }).and.not.have.property("selection");
    expect(listed[ids.untagged]).to.not.have.property("selection");
    // Tag keys are case-sensitive; an empty value is a value (it names no plan, but it is there).
    expect(listed[ids.caseDiffers]).to.not.have.property("selection");
    expect(listed[ids.emptyValue].selection).to.equal("");
    expect(listed[ids.instanceStore].selection).to.equal("gold");
  });

  it("rds: DB instances outside clusters only (in any status), aurora: every cluster, each with its create time", async () => {
    const { rds, aurora } = await inventory();
    expect(rds.map((i) => i.id)).to.deep.equal(["billing-db", "orders-db", "reports-db"]);
    expect(byId(rds)["orders-db"]).to.deep.equal({ kind: "rds", id: "orders-db", name: "orders-db", selection: "gold", createdAt: "2024-01-02T03:04:05.000Z" });
    expect(byId(rds)["billing-db"]).to.not.have.property("selection");
    expect(byId(rds)["reports-db"].selection).to.equal("silver");
    expect(aurora.map((i) => i.id)).to.deep.equal(["audit", "events", "ledger"]);
    expect(byId(aurora).ledger).to.deep.equal({ kind: "aurora", id: "ledger", name: "ledger", selection: "gold", createdAt: "2023-05-06T07:08:09.000Z" });
    expect(byId(aurora).events.selection).to.equal("bronze");
    for (const item of [...rds, ...aurora]) expect(item.createdAt, item.id).to.be.a("string");
  });

  it("the rds inventory and the rds backup agree: every DB instance the backup selects or skips is listed, and no cluster member", async () => {
    const clients = fakeClients(fake);
    const selection = await KIND_MODULES.rds.backup.select({ clients, tagKey: SELECTION_KEY, plan: "gold", resources: ["rds"], run: { stackTag: STACK_TAG, plan: "gold", slot: SLOT, runId: "gold-20261120T0500Z", tier: "daily", expires: new Date("2026-12-04T05:00:00Z") } });
    const listed = (await facet("rds").inventory(clients, SELECTION_KEY)).filter((i) => i.selection === "gold").map((i) => i.id);
    expect(selection.sources.map((s) => s.id)).to.deep.equal(listed);
    expect(selection.skipped.map((s) => s.source)).to.deep.equal(["ledger-writer"]);
    expect(listed).to.not.include("ledger-writer");
  });

  it("reads every page and writes nothing; another selection tag key reads other values", async () => {
    const from = fake.calls.length;
    const listed = await inventory("team");
    const calls = fake.calls.slice(from);
    expect(calls.filter((c) => MUTATING.test(c.action)), "mutating calls").to.deep.equal([]);
    expect(calls.filter((c) => c.action === "DescribeInstances").length, "DescribeInstances pages").to.equal(8);
    expect(calls.filter((c) => c.action === "DescribeDBInstances").length, "DescribeDBInstances pages").to.equal(5);
    expect(calls.filter((c) => c.action === "DescribeDBClusters").length, "DescribeDBClusters pages").to.equal(3);
    expect([...listed.ec2, ...listed.rds, ...listed.aurora].filter((i) => "selection" in i)).to.deep.equal([]);
    const instance = region.instances.get(ids.untagged);
    if (instance) instance.tags.team = "payments";
    expect(byId((await facet("ec2").inventory(fakeClients(fake), "team")))[ids.untagged].selection).to.equal("payments");
  });

  it("an empty region lists nothing", async () => {
    const empty = new FakeAws();
    const clients = fakeClients(empty, { region: DR });
    for (const kind of reportKinds()) expect(await kind.inventory(clients, SELECTION_KEY), kind.name).to.deep.equal([]);
  });

  it("transient faults beneath the SDK's retries (throttling, 5xx, timeouts) change nothing in what is listed", async () => {
    const clean = await inventory();
    const injector = fake.injectFaults({ rate: 0.3, kinds: ["throttle", "500", "503", "timeout"], seed: 19 });
    const faulty = await inventory();
    fake.injectFaults(undefined);
    expect(faulty).to.deep.equal(clean);
    const injected = injector ? Object.values(injector.injected).reduce((a, b) => a + b, 0) : 0;
    expect(injected, "faults injected").to.be.greaterThan(3);
  });

  it("a call that keeps failing is thrown, not a shorter inventory", async () => {
    fake.permanent = (call) => (call.action === "DescribeDBClusters" && call.params.has("Marker") ? new AwsFault("AccessDenied", 403, "User is not authorized to perform rds:DescribeDBClusters") : undefined);
    const error = await facet("aurora").inventory(fakeClients(fake), SELECTION_KEY).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.have.property("name", "AccessDenied");
  });
});

describe("report facet: listPoints with each point's encryption", () => {
  let fake: FakeAws;

  beforeEach(() => {
    fake = new FakeAws();
  });

  const points = async (region = PRIMARY): Promise<Record<string, RecoveryPoint[]>> => {
    const clients = fakeClients(fake, { region });
    return Object.fromEntries(await Promise.all(reportKinds().map(async (k) => [k.name, await k.listPoints(clients, STACK_TAG)] as const)));
  };

  it("is the restore facet's listing without a source (the same points), here and in DR", async () => {
    const fleet = new RestoreFleet(fake);
    const made = await fleet.backup(19);
    await fleet.backup(20);
    await fleet.copy(made, new Date("2026-11-19T06:00:00Z"));
    for (const region of [PRIMARY, DR]) {
      const clients = fakeClients(fake, { region });
      for (const name of RESOURCE_KINDS) {
        const listed = await facet(name).listPoints(clients, STACK_TAG);
        expect(listed, `${name} in ${region}`).to.deep.equal(await KIND_MODULES[name].restore.listPoints(clients, STACK_TAG));
        expect(listed.length, `${name} in ${region}`).to.equal(region === PRIMARY ? 2 : 1);
      }
    }
  });

  it("backups carry the volume's and the database's key; DR copies the DR key they were copied with", async () => {
    const fleet = new RestoreFleet(fake);
    for (const volume of fleet.primary.instances.get(fleet.instance)?.volumes ?? []) Object.assign(volume, { encrypted: true, kmsKeyId: PRIMARY_KEY_ARN });
    const made = await fleet.backup(20);
    await fleet.copy(made, new Date("2026-11-20T06:00:00Z"));
    const primary = await points(PRIMARY);
    for (const name of RESOURCE_KINDS) expect(primary[name].map((p) => p.encryption), name).to.deep.equal([{ encrypted: true, kmsKeyIds: [PRIMARY_KEY_ARN] }]);
    expect(primary.ec2[0].snapshotIds).to.have.length(2);
    const dr = await points(DR);
    for (const name of RESOURCE_KINDS) expect(dr[name].map((p) => [p.origin, p.encryption]), name).to.deep.equal([["copy", { encrypted: true, kmsKeyIds: [DR_KEY_ARN] }]]);
  });

  it("one unencrypted volume in a set makes the point unencrypted; two keys are both named; its DR copy is encrypted", async () => {
    const fleet = new RestoreFleet(fake);
    const [root, data] = fleet.primary.instances.get(fleet.instance)?.volumes ?? [];
    Object.assign(root, { encrypted: true, kmsKeyId: PRIMARY_KEY_ARN });
    const made = await fleet.backup(19);
    Object.assign(data, { encrypted: true, kmsKeyId: OTHER_KEY_ARN });
    await fleet.backup(20);
    await fleet.copy(made, new Date("2026-11-19T06:00:00Z"));
    const { ec2 } = await points(PRIMARY);
    expect(ec2.map((p) => [p.taken?.slice(0, 10), p.encryption])).to.deep.equal([
      ["2026-11-20", { encrypted: true, kmsKeyIds: [PRIMARY_KEY_ARN, OTHER_KEY_ARN].sort() }],
      ["2026-11-19", { encrypted: false, kmsKeyIds: [PRIMARY_KEY_ARN] }],
    ]);
    // The copy function encrypts every EBS copy with the DR key, the unencrypted volume's too.
    expect((await points(DR)).ec2.map((p) => p.encryption)).to.deep.equal([{ encrypted: true, kmsKeyIds: [DR_KEY_ARN] }]);
  });

  it("a database's snapshot has the database's encryption: encrypted with its own key, or not at all (an unencrypted cluster's DR copy stays unencrypted)", async () => {
    const region = primaryRegion(fake);
    Object.assign(region.addDbInstance("orders-db", "available", gold), { encrypted: true, kmsKeyId: OTHER_KEY_ARN });
    region.addDbCluster("ledger", "available", gold);
    region.addDbInstance("ledger-writer", "available", {}, "ledger");
    const slot = new Date("2026-11-20T05:00:00Z");
    await runBackup(backupDeps(fakeClients(fake), () => new Date(slot.getTime() + 60_000)), backupSettings({ BACKUP_DR_PLANS: JSON.stringify(COPY_PLANS) }), { plan: "gold", scheduledTime: slot.toISOString() });
    for (const table of [region.dbSnapshots, region.dbClusterSnapshots]) for (const s of table.values()) Object.assign(s, { status: "available", created: new Date(slot.getTime() + 120_000), snapshotType: "manual" });
    const primary = await points(PRIMARY);
    expect(primary.rds.map((p) => p.encryption)).to.deep.equal([{ encrypted: true, kmsKeyIds: [OTHER_KEY_ARN] }]);
    expect(primary.aurora.map((p) => p.encryption)).to.deep.equal([{ encrypted: false, kmsKeyIds: [] }]);
    const deps = copyDeps(fake, () => new Date(slot.getTime() + 600_000));
    await runCopy(deps, copySettings(), dbSnapshotEvent(primary.rds[0].id));
    await runCopy(deps, copySettings(), clusterSnapshotEvent(primary.aurora[0].id));
    finishCopies(fake.region(DR));
    const dr = await points(DR);
    expect(dr.rds.map((p) => p.encryption)).to.deep.equal([{ encrypted: true, kmsKeyIds: [DR_KEY_ARN] }]);
    expect(dr.aurora.map((p) => p.encryption)).to.deep.equal([{ encrypted: false, kmsKeyIds: [] }]);
  });

  it("transient faults beneath the SDK's retries change no point", async () => {
    const fleet = new RestoreFleet(fake);
    await fleet.backup(19);
    await fleet.backup(20);
    fake.pageCap.ec2 = 1;
    fake.pageCap.rds = 1;
    const clean = await points(PRIMARY);
    const injector = fake.injectFaults({ rate: 0.3, kinds: ["throttle", "500", "503", "timeout"], seed: 7 });
    const faulty = await points(PRIMARY);
    fake.injectFaults(undefined);
    expect(faulty).to.deep.equal(clean);
    expect(injector ? Object.values(injector.injected).reduce((a, b) => a + b, 0) : 0).to.be.greaterThan(0);
  });
});

describe("pointEncryption", () => {
  it("encrypted only when every snapshot is; keys distinct and sorted; no snapshots is not encrypted", () => {
    expect(pointEncryption([{ encrypted: true, kmsKeyId: "k2" }, { encrypted: true, kmsKeyId: "k1" }, { encrypted: true, kmsKeyId: "k2" }])).to.deep.equal({ encrypted: true, kmsKeyIds: ["k1", "k2"] });
    expect(pointEncryption([{ encrypted: true, kmsKeyId: "k1" }, { encrypted: false }])).to.deep.equal({ encrypted: false, kmsKeyIds: ["k1"] });
    expect(pointEncryption([{ encrypted: false, kmsKeyId: "" }])).to.deep.equal({ encrypted: false, kmsKeyIds: [] });
    expect(pointEncryption([])).to.deep.equal({ encrypted: false, kmsKeyIds: [] });
  });
});
