// The restore steps around a kind (a stub kind over the real points half, on genuine points): start resolves every
// option (request > recorded facts > region network) and tags, refuses with named errors before any create call;
// poll fails a restore past its deadline; validate; report finds what the restore made by its tag and writes the
// manifest, after success and after a failure part-way.
import { expect } from "chai";
import { readCatalog } from "../../handlers/lib/catalog-record";
import type { CreatedResource, RestoreReport, RestoreState } from "../../handlers/restore/contract";
import { runRestoreStep } from "../../handlers/restore/run";
import type { RestoreKinds } from "../../handlers/restore/steps";
import { FakeAws } from "../helpers/aws-fake";
import { VAULT_BUCKET } from "../helpers/backup-fleet";
import { rejection } from "../helpers/copy-setup";
import { createCalls, DR, kindsWith, NETWORK, PRIMARY, restoreDeps, RestoreFleet, restoreSettings, STACK_TAG, stubActions, type StubRecord } from "../helpers/restore-setup";

const RESTORE_ID = "web-1_restore-2026-11-21";
const STARTED = "2026-11-21T09:00:00.000Z";
const NOW = new Date("2026-11-21T09:00:05Z");

describe("restore steps", () => {
  let fake: FakeAws;
  let fleet: RestoreFleet;
  let record: StubRecord;
  let missing: (state: RestoreState) => string[];
  let found: CreatedResource[];
  let kinds: RestoreKinds;
  let made: Awaited<ReturnType<RestoreFleet["backup"]>>;

  beforeEach(async () => {
    fake = new FakeAws();
    fleet = new RestoreFleet(fake);
    record = { started: [], polled: [] };
    missing = () => [];
    found = [];
    kinds = kindsWith(() => ({ ...stubActions(record, (state) => missing(state)), findCreated: (_clients, restoreId) => Promise.resolve(found.map((r) => ({ ...r, id: `${r.id}:${restoreId}` }))) }));
    await fleet.backup(19);
    made = await fleet.backup(20);
  });

  const step = (event: unknown, role: "primary" | "dr" = "primary", overrides: Record<string, string | undefined> = {}, now = NOW) =>
    runRestoreStep(restoreDeps(fake, role === "primary" ? PRIMARY : DR, () => now, kinds), restoreSettings(role, overrides), event);
  const start = async (request: Record<string, unknown>, role: "primary" | "dr" = "primary", overrides: Record<string, string | undefined> = {}) =>
    (await step({ step: "start", restoreId: RESTORE_ID, startedAt: STARTED, request }, role, overrides)) as RestoreState;
  const refusedStart = async (request: Record<string, unknown>, role: "primary" | "dr" = "primary", overrides: Record<string, string | undefined> = {}) => {
    const from = fake.calls.length;
    const error = await rejection(start(request, role, overrides));
    expect(createCalls(fake, from), "create calls").to.deep.equal([]);
    expect(record.started, "the kind's start").to.deep.equal([]);
    return error;
  };

  it("start: the recorded facts, the region's network, the default name and the restore tags reach the kind", async () => {
    const state = await start({ source: fleet.instance, point: "latest" });
    expect(record.started).to.have.length(1);
    const [{ state: given, tags }] = record.started;
    expect(given).to.deep.include({
      restoreId: RESTORE_ID,
      startedAt: STARTED,
      region: PRIMARY,
      kind: "ec2",
      source: fleet.instance,
      name: `restored-${fleet.instance}-web-1-re`,
      mode: "volumes",
      zone: `${PRIMARY}a`,
      instanceType: "m5.large",
      subnetId: NETWORK.subnetIds[0],
      securityGroupIds: NETWORK.securityGroupIds,
      dbSubnetGroup: NETWORK.dbSubnetGroup,
      phase: "start",
      status: "pending",
      waitSeconds: 30,
      deadline: "2026-11-21T10:00:00.000Z",
      created: [],
    });
    expect(given).to.not.have.property("keepImage");
    expect(given.point.snapshotIds).to.have.members(made.ebs.map((s) => s.id));
    expect(tags).to.deep.equal([
      { Key: "backup-dr:restore-id", Value: RESTORE_ID },
      { Key: "backup-dr:restore-of", Value: fleet.instance },
      { Key: "backup-dr:restored-from", Value: given.point.id },
      { Key: "backup-dr:stack", Value: STACK_TAG },
      { Key: "Name", Value: given.name },
    ]);
    expect(state).to.deep.include({ phase: "stub", created: [{ type: "stub", id: `stub-${RESTORE_ID}`, state: "creating" }] });
    // The state travels as JSON: nothing in it is lost on the way.
    expect(JSON.parse(JSON.stringify(state))).to.deep.equal(state);
  });

  it("start: the request wins over the recorded facts; a DB point has no mode; a recorded zone of another region is not used", async () => {
    await start({ source: fleet.instance, point: "latest", mode: "instance", instanceType: "t3.small", name: "web-1-again", machine: { architecture: "arm64" } });
    const [{ state: ec2 }] = record.started;
    expect(ec2).to.deep.include({ mode: "instance", instanceType: "t3.small", name: "web-1-again", keepImage: false });
    expect(ec2.machine).to.deep.include({ architecture: "arm64", rootDevice: "/dev/xvda", instanceType: "m5.large" });
    await start({ source: fleet.db, point: "latest", instanceClass: "db.t4g.micro", database: { port: 6543 } });
    const db = record.started[1].state;
    expect(db).to.deep.include({ kind: "rds", instanceClass: "db.t4g.micro", name: "restored-orders-db-web-1-re" });
    expect(db).to.not.have.property("mode");
    expect(db.database).to.deep.include({ engine: "postgres", port: 6543, instanceClass: "db.m6g.large" });
    await fleet.copy(made, new Date("2026-11-20T06:00:00Z"));
    await start({ source: fleet.instance, point: "latest" }, "dr");
    const dr = record.started[2].state;
    expect(dr).to.deep.include({ region: DR, mode: "volumes" });
    expect(dr).to.not.have.property("zone");
    expect(dr.point.origin).to.equal("copy");
  });

  it("start: the region's instance profile reaches instance mode only", async () => {
    const profile = "arn:aws:iam::123456789012:instance-profile/restored";
    const overrides = { BACKUP_DR_RESTORE_NETWORK: JSON.stringify({ ...NETWORK, instanceProfileArn: profile }) };
    await start({ source: fleet.instance, point: "latest", mode: "instance", keepImage: true }, "primary", overrides);
    await start({ source: fleet.instance, point: "latest" }, "primary", overrides);
    expect(record.started[0].state).to.deep.include({ instanceProfileArn: profile, keepImage: true });
    expect(record.started[1].state).to.not.have.property("instanceProfileArn");
  });

  it("start: latest is the newest point taken by the restore's start, so a rerun chooses the same point", async () => {
    const first = await start({ source: fleet.db, point: "latest" });
    // A backup taken after the restore started (the machine retries the start step a little later).
    await fleet.backup(21, { taken: new Date("2026-11-21T09:00:01Z") });
    const second = await start({ source: fleet.db, point: "latest" });
    expect(second.point.id).to.equal(first.point.id);
    expect(first.point.id).to.equal(made.db.id);
    const early = await rejection(step({ step: "start", restoreId: RESTORE_ID, startedAt: "2026-11-19T05:01:00Z", request: { source: fleet.db, point: "latest" } }));
    expect(early.message).to.equal(`No completed recovery point of orders-db for latest: the oldest completed point in ${PRIMARY} was taken at 2026-11-19T05:02:00.000Z`);
  });

  it("start: options the point lacks are MissingRestoreOptionsError, naming each with its flag; nothing is created", async () => {
    missing = (state) => (state.instanceType === undefined ? ["option:instanceType", "option:machine.architecture", "point:volumes.device"] : []);
    delete fleet.primary.instances.get(fleet.instance)?.tags.Name;
    for (const s of made.ebs) delete s.tags["backup-dr:instance"];
    const error = await refusedStart({ source: fleet.instance, point: "latest" });
    expect(error.name).to.equal("MissingRestoreOptionsError");
    expect(error.message).to.equal(
      "The recovery point does not record everything this restore needs: pass instanceType (--instance-type); pass machine.architecture (--machine-architecture); the recovery point records no volumes.device (choose a newer point, or another mode)",
    );
    expect(error).to.deep.include({ options: ["instanceType", "machine.architecture", "point:volumes.device"] });
  });

  it("start: a region without its restore network is MissingRestoreNetworkError naming the config key; nothing is created", async () => {
    await fleet.copy(made, new Date("2026-11-20T06:00:00Z"));
    missing = (state) => [...(state.subnetId === undefined ? ["network:subnetIds"] : []), ...(state.securityGroupIds === undefined ? ["network:securityGroupIds"] : []), "option:zone"];
    const error = await refusedStart({ source: fleet.instance, point: "latest", mode: "instance" }, "dr", { BACKUP_DR_RESTORE_NETWORK: "{}" });
    expect(error.name).to.equal("MissingRestoreNetworkError");
    expect(error.message).to.equal(
      "This region's restore network is not configured: set `backup-dr:restore` dr.subnetIds, `backup-dr:restore` dr.securityGroupIds in the stack config and run pulumi up; also missing from the request: pass zone (--zone)",
    );
  });

  it("start: in the region the source ran in, the refusal names where it ran (recorded at backup time); a DR copy's hint is not offered", async () => {
    missing = (state) => (state.subnetId === undefined ? ["network:subnetIds"] : []);
    const error = await refusedStart({ source: fleet.instance, point: "latest", mode: "instance" }, "primary", { BACKUP_DR_RESTORE_NETWORK: "{}" });
    expect(error.name).to.equal("MissingRestoreNetworkError");
    const hint = readCatalog(made.ebs[0].tags).network;
    expect(hint?.subnet, "the backup recorded the subnet").to.be.a("string");
    expect(error.message).to.equal(
      `This region's restore network is not configured: set \`backup-dr:restore\` primary.subnetIds in the stack config and run pulumi up; the source ran in subnet ${hint?.subnet ?? ""} with security groups ${(hint?.securityGroups ?? []).join(", ")} (recorded at backup time)`,
    );
    await fleet.copy(made, new Date("2026-11-20T06:00:00Z"));
    const dr = await refusedStart({ source: fleet.instance, point: "latest", mode: "instance" }, "dr", { BACKUP_DR_RESTORE_NETWORK: "{}" });
    expect(dr.message).to.not.contain("the source ran in");
  });

  it("start: an unknown source, another stack's point and a malformed request are refused before the kind is asked", async () => {
    expect((await refusedStart({ source: "i-0123456789abcdef0", point: "latest" })).name).to.equal("UnknownSourceError");
    const other = await fleet.backup(21, { stackTag: "backup-dr/other" });
    expect((await refusedStart({ source: fleet.db, point: other.db.id })).name).to.equal("ForeignRecoveryPointError");
    const from = fake.calls.length;
    for (const request of [{ source: fleet.db }, { source: fleet.db, point: "latest", mode: "all" }, { source: fleet.db, point: "latest", name: "Bad--name" }, { source: fleet.db, point: "latest", extra: 1 }]) {
      expect((await rejection(start(request))).name, JSON.stringify(request)).to.equal("MalformedEventError");
    }
    expect(fake.calls.length, "AWS calls").to.equal(from);
  });

  it("poll: the kind's answer; past the deadline a pending restore fails with RestoreTimedOut", async () => {
    const state = await start({ source: fleet.db, point: "latest" });
    const polled = (await step({ step: "poll", state })) as RestoreState;
    expect(polled).to.deep.include({ status: "available", endpoint: "stub-endpoint", availableAt: NOW.toISOString() });
    kinds = kindsWith(() => ({ ...stubActions(record), poll: (_ctx, s) => Promise.resolve({ ...s, phase: "db-instance" }) }));
    const stillPending = (await step({ step: "poll", state }, "primary", {}, new Date("2026-11-21T09:59:59Z"))) as RestoreState;
    expect(stillPending.status).to.equal("pending");
    const late = (await step({ step: "poll", state }, "primary", {}, new Date("2026-11-21T10:00:01Z"))) as RestoreState;
    expect(late).to.deep.include({ status: "failed", phase: "db-instance" });
    expect(late.failure).to.deep.equal({
      name: "RestoreTimedOut",
      message: `Restore ${RESTORE_ID} was not available by 2026-11-21T10:00:00.000Z (still in phase db-instance); what it created is left in place and reported`,
    });
    // A finished state is not polled again.
    const again = (await step({ step: "poll", state: late })) as RestoreState;
    expect(again).to.deep.equal(late);
  });

  it("validate: the kind's checks for an available restore; a restore that is not available fails validation without a call", async () => {
    const state = await start({ source: fleet.db, point: "latest" });
    const available = (await step({ step: "poll", state })) as RestoreState;
    expect(((await step({ step: "validate", state: available })) as RestoreState).validation).to.deep.equal({ ok: true, checks: [{ check: "stub", ok: true }] });
    const from = fake.calls.length;
    const pending = (await step({ step: "validate", state })) as RestoreState;
    expect(pending.validation).to.deep.equal({ ok: false, checks: [{ check: "available", ok: false, detail: "the restore is pending" }] });
    expect(fake.calls.length).to.equal(from);
  });

  const manifestAt = (region: string, key: string): Record<string, unknown> => {
    const body = fake.region(region).buckets.get(VAULT_BUCKET)?.get(key);
    if (body === undefined) throw new Error(`no manifest ${key} in ${region}`);
    return JSON.parse(body) as Record<string, unknown>;
  };

  it("report after success: created resources, endpoint, seconds to available; the manifest in the region's vault", async () => {
    found = [{ type: "db-instance", id: "restored", state: "available" }];
    const state = await start({ source: fleet.db, point: "latest" });
    const validated = (await step({ step: "validate", state: (await step({ step: "poll", state }, "primary", {}, new Date("2026-11-21T09:12:30Z"))) as RestoreState })) as RestoreState;
    const report = (await step({ step: "report", restoreId: RESTORE_ID, startedAt: STARTED, state: validated })) as RestoreReport;
    const key = `runs/restore/2026/11/21/${RESTORE_ID}.json`;
    expect(report).to.deep.equal({
      restoreId: RESTORE_ID,
      status: "succeeded",
      region: PRIMARY,
      kind: "rds",
      source: fleet.db,
      pointId: made.db.id,
      created: [{ type: "db-instance", id: `restored:${RESTORE_ID}`, state: "available" }, { type: "stub", id: `stub-${RESTORE_ID}`, state: "creating" }],
      endpoint: "stub-endpoint",
      secondsToAvailable: 750,
      manifest: `s3://${VAULT_BUCKET}/${key}`,
    } satisfies RestoreReport);
    const manifest = manifestAt(PRIMARY, key);
    expect(manifest).to.deep.include({ restoreId: RESTORE_ID, status: "succeeded", stack: STACK_TAG, regionRole: "primary", startedAt: STARTED, availableAt: "2026-11-21T09:12:30.000Z", secondsToAvailable: 750, phase: "stub" });
    expect(manifest.point).to.deep.include({ id: made.db.id, origin: "backup" });
    expect(manifest.options).to.deep.include({ name: "restored-orders-db-web-1-re", instanceClass: "db.m6g.large", dbSubnetGroup: "restore-db" });
    expect(manifest.validation).to.deep.equal({ ok: true, checks: [{ check: "stub", ok: true }] });
    expect(manifest).to.not.have.property("failure");
  });

  it("report after a failure part-way: the caught error, and what the restore made found by its restore-id tag under every kind; nothing deleted", async () => {
    found = [{ type: "volume", id: "vol-1", state: "available" }];
    const error = { Error: "AnswerLostError", Cause: JSON.stringify({ errorType: "AnswerLostError", errorMessage: "CreateVolume: the answer was lost", trace: [] }) };
    const request = { source: fleet.instance, point: "latest" };
    const from = fake.calls.length;
    const report = (await step({ step: "report", restoreId: RESTORE_ID, startedAt: STARTED, request, error }, "dr")) as RestoreReport;
    expect(report).to.deep.include({ status: "failed", region: DR, source: fleet.instance, failure: { name: "AnswerLostError", message: "CreateVolume: the answer was lost" } });
    expect(report).to.not.have.property("secondsToAvailable");
    // No kind in the request: every kind is searched by the tag.
    expect(report.created.map((r) => r.id)).to.deep.equal([`vol-1:${RESTORE_ID}`, `vol-1:${RESTORE_ID}`, `vol-1:${RESTORE_ID}`]);
    const key = `runs/restore/2026/11/21/${RESTORE_ID}.json`;
    expect(report.manifest).to.equal(`s3://${VAULT_BUCKET}/${key}`);
    expect(manifestAt(DR, key)).to.deep.include({ status: "failed", regionRole: "dr", request });
    expect(fake.calls.slice(from).map((c) => c.action)).to.deep.equal(["PutObject"]);
  });

  it("report: a failed state, a failed validation, a States error and a kind whose look-up fails are all reported", async () => {
    const state = await start({ source: fleet.db, point: "latest" });
    const report = async (event: Record<string, unknown>) => (await step({ step: "report", restoreId: RESTORE_ID, startedAt: STARTED, ...event })) as RestoreReport;
    expect((await report({ state: { ...state, status: "failed", failure: { name: "RestoreFailed", message: "DB instance failed" } } })).failure).to.deep.equal({ name: "RestoreFailed", message: "DB instance failed" });
    const checks = [{ check: "endpoint", ok: false, detail: "no endpoint" }];
    expect((await report({ state: { ...state, status: "available", validation: { ok: false, checks } } })).failure).to.deep.equal({ name: "RestoreValidationFailed", message: "validation failed: endpoint: no endpoint" });
    expect((await report({ state, error: { Error: "States.Timeout", Cause: "The execution timed out" } })).failure).to.deep.equal({ name: "States.Timeout", message: "The execution timed out" });
    kinds = kindsWith((name) => ({ ...stubActions(record), findCreated: () => (name === "rds" ? Promise.reject(Object.assign(new Error("not allowed"), { name: "AccessDenied" })) : Promise.resolve([])) }));
    const denied = await report({ request: { source: fleet.db, point: "latest" }, error: { Error: "States.TaskFailed", Cause: "" } });
    expect(denied.status).to.equal("failed");
    expect(manifestAt(PRIMARY, `runs/restore/2026/11/21/${RESTORE_ID}.json`).lookUpErrors).to.deep.equal([{ kind: "rds", name: "AccessDenied", message: "not allowed" }]);
  });
});
