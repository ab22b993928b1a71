// Acceptance (issue 17): each kind restored through the Lambda entry (handlers/restore.ts), in both regions, from
// latest, a point in time and an explicit id, the steps driven as the state machine drives them (start, poll until
// not pending, validate, report). Points are genuine (the real backup and copy functions made them); in the DR region
// every call to the primary region fails, proving a DR restore needs nothing there; the sources get no call that
// changes them.
import { expect } from "chai";
import { handler } from "../../handlers/restore";
import type { RestoreReport, RestoreRequest, RestoreState } from "../../handlers/restore/contract";
import { FakeAws, type FakeCall } from "../helpers/aws-fake";
import { fakeRestoreNetwork } from "../helpers/aws-fake-restore-state";
import { invokeIsolated } from "../helpers/aws-lambda-run";
import { fakeEndpointEnv, startFakeServer, type FakeServer } from "../helpers/aws-transport";
import { AwsFault } from "../helpers/aws-wire";
import { VAULT_BUCKET } from "../helpers/backup-fleet";
import { lambdaContext } from "../helpers/lambda-context";
import { DR, PRIMARY, restoreEnv, RestoreFleet } from "../helpers/restore-setup";

type Role = "primary" | "dr";
type Made = Awaited<ReturnType<RestoreFleet["backup"]>>;

/** Polls at most this many times (the fake moves a resource one state per describe). */
const MAX_POLLS = 20;
/** The handler's clock is the real one: the restores start now (the points are of November 2026). */
const STARTED = new Date().toISOString();

describe("restore end to end (Lambda entry, every kind, both regions)", function () {
  this.timeout(120_000);
  let fake: FakeAws;
  let server: FakeServer;
  let fleet: RestoreFleet;
  let made: Made[];

  before(async () => {
    fake = new FakeAws();
    fleet = new RestoreFleet(fake);
    made = [];
    for (const day of [18, 19, 20]) {
      const backup = await fleet.backup(day);
      await fleet.copy(backup, new Date(`2026-11-${day}T06:00:00Z`));
      made.push(backup);
    }
    server = await startFakeServer(fake);
  });
  after(() => server.close());
  afterEach(() => {
    fake.permanent = undefined;
  });

  const regionOf = (role: Role) => (role === "primary" ? PRIMARY : DR);
  const env = (role: Role) => {
    const { subnetIds, securityGroupIds, dbSubnetGroup } = fakeRestoreNetwork(regionOf(role));
    return { ...restoreEnv(role, { BACKUP_DR_RESTORE_NETWORK: JSON.stringify({ subnetIds, securityGroupIds, dbSubnetGroup }) }), ...fakeEndpointEnv(server, regionOf(role)) };
  };
  const invoke = async <T>(role: Role, event: unknown): Promise<T> => {
    const { result, error } = await invokeIsolated(env(role), () => handler(event, lambdaContext()));
    if (error instanceof Error) throw error;
    if (error !== undefined) throw new Error(`the handler threw ${JSON.stringify(error)}`);
    return result as T;
  };

  /** Drives one restore as the machine does; in DR, every primary-region call fails first. */
  async function restore(role: Role, restoreId: string, request: RestoreRequest): Promise<{ state: RestoreState; report: RestoreReport; calls: FakeCall[] }> {
    const from = fake.calls.length;
    if (role === "dr") fake.permanent = (call) => (call.region === PRIMARY ? new AwsFault("UnauthorizedOperation", 403, "the primary region is down") : undefined);
    let state = await invoke<RestoreState>(role, { step: "start", restoreId, startedAt: STARTED, request });
    // The machine may run the start step twice (a retry after a lost answer): the rerun creates nothing more.
    const rerun = await invoke<RestoreState>(role, { step: "start", restoreId, startedAt: STARTED, request });
    expect(rerun.created.map((r) => r.id), "a rerun of start").to.deep.equal(state.created.map((r) => r.id));
    expect(rerun.point.id).to.equal(state.point.id);
    for (let polls = 0; state.status === "pending" && polls < MAX_POLLS; polls += 1) state = await invoke<RestoreState>(role, { step: "poll", state });
    expect(state.status, JSON.stringify(state.failure)).to.equal("available");
    state = await invoke<RestoreState>(role, { step: "validate", state });
    const report = await invoke<RestoreReport>(role, { step: "report", restoreId, startedAt: STARTED, state });
    const calls = fake.calls.slice(from);
    expect(calls.filter((c) => c.region !== regionOf(role) && c.fault === undefined && !c.action.startsWith("Describe")), "calls outside the region").to.deep.equal([]);
    if (role === "dr") expect(calls.filter((c) => c.region === PRIMARY), "primary-region calls").to.deep.equal([]);
    return { state, report, calls };
  }

  /** No call changed a source: nothing but creates of new resources, tags on them at creation, and the manifest. */
  function sourcesUntouched(calls: readonly FakeCall[], ...sources: string[]): void {
    const changing = calls.filter((c) => !/^(Describe|List|Get)/.test(c.action));
    for (const call of changing) {
      expect(call.action, call.action).to.match(/^(CreateVolume|RegisterImage|RunInstances|DeregisterImage|RestoreDBInstanceFromDBSnapshot|RestoreDBClusterFromSnapshot|CreateDBInstance|PutObject)$/);
      for (const [key, value] of call.params) {
        if (/^(InstanceId|DBInstanceIdentifier|DBClusterIdentifier|ResourceId|VolumeId)/.test(key)) expect(sources, `${call.action} ${key}`).to.not.include(value);
      }
    }
    expect(fleet.primary.instances.get(fleet.instance)?.state).to.equal("running");
    expect(fleet.primary.dbInstances.get(fleet.db)?.status).to.equal("available");
    expect(fleet.primary.dbClusters.get(fleet.cluster)?.status).to.equal("available");
  }

  const manifestOf = (role: Role, restoreId: string): Record<string, unknown> => {
    const body = fake.region(regionOf(role)).buckets.get(VAULT_BUCKET)?.get(`runs/restore/${STARTED.slice(0, 10).replace(/-/g, "/")}/${restoreId}.json`);
    if (body === undefined) throw new Error(`no manifest for ${restoreId}`);
    return JSON.parse(body) as Record<string, unknown>;
  };

  /** The point ids of each backup in the region: the backup's own in the primary, its DR copy's in DR (a DB snapshot's copy keeps its identifier). */
  const pointIds = (role: Role, pick: (m: Made) => string[]) => made.map((m) => (role === "primary" ? pick(m) : pick(m).flatMap((id) => fleet.copiesOf(id))));
  const ebsIds = (m: Made) => m.ebs.map((s) => s.id);
  /** latest (day 20), a point in time on day 19, and day 18's point by an explicit id. */
  const requests = (source: string, explicit: string, extra: Partial<RestoreRequest> = {}): Array<[string, RestoreRequest, number]> => [
    ["latest", { source, point: "latest", ...extra }, 2],
    ["in-time", { source, point: "2026-11-19T12:00:00Z", ...extra }, 1],
    ["explicit", { source, point: explicit, ...extra }, 0],
  ];

  for (const role of ["primary", "dr"] as const) {
    describe(`in the ${role} region`, () => {
      it("a machine's volumes: one encrypted volume per snapshot of the set, in the zone", async () => {
        const sets = pointIds(role, ebsIds);
        for (const [label, request, day] of requests(fleet.instance, sets[0][1], { mode: "volumes" })) {
          const restoreId = `${label}-vol-${role}`;
          // The zone: the one asked for; else the recorded one in its own region; else the first restore subnet's (a).
          const zone = label === "explicit" ? `${regionOf(role)}b` : undefined;
          const { state, report, calls } = await restore(role, restoreId, zone === undefined ? request : { ...request, zone });
          expect(state.zone, label).to.equal(zone ?? `${regionOf(role)}a`);
          expect(calls.some((c) => c.action === "DescribeSubnets"), `${label}: the subnet's zone read`).to.equal(role === "dr" && zone === undefined);
          expect(state.point.snapshotIds, label).to.have.members(sets[day]);
          expect(state.point.origin).to.equal(role === "primary" ? "backup" : "copy");
          expect(state.validation?.ok, JSON.stringify(state.validation)).to.equal(true);
          expect(report).to.deep.include({ status: "succeeded", region: regionOf(role), kind: "ec2", source: fleet.instance, pointId: state.point.id });
          expect(report.created.filter((r) => r.type === "volume")).to.have.length(2);
          expect(report.endpoint?.split(/[ ,]+/).filter(Boolean)).to.have.length(2);
          expect(manifestOf(role, restoreId)).to.deep.include({ status: "succeeded" });
          sourcesUntouched(calls, fleet.instance);
        }
      });

      it("a machine as an instance: an image from the set, an instance from it, the image deregistered", async () => {
        const sets = pointIds(role, ebsIds);
        for (const [label, request, day] of requests(fleet.instance, sets[0][0], { mode: "instance" })) {
          const restoreId = `${label}-ins-${role}`;
          const { state, report, calls } = await restore(role, restoreId, request);
          expect(state.point.snapshotIds, label).to.have.members(sets[day]);
          expect(state.validation?.ok, JSON.stringify(state.validation)).to.equal(true);
          expect(report).to.deep.include({ status: "succeeded", kind: "ec2" });
          expect(report.created.map((r) => r.type)).to.include("instance");
          expect(calls.map((c) => c.action)).to.include.members(["RegisterImage", "RunInstances", "DeregisterImage"]);
          sourcesUntouched(calls, fleet.instance);
        }
      });

      it("a DB instance: restored from its snapshot with the recorded class, reachable at its endpoint", async () => {
        const ids = made.map((m) => [m.db.id]);
        for (const [label, request, day] of requests(fleet.db, ids[0][0])) {
          const restoreId = `${label}-db-${role}`;
          const { state, report, calls } = await restore(role, restoreId, request);
          expect(state.point.id, label).to.equal(ids[day][0]);
          expect(state.instanceClass).to.equal("db.m6g.large");
          expect(report).to.deep.include({ status: "succeeded", kind: "rds" });
          expect(report.endpoint).to.match(/:5432$/);
          sourcesUntouched(calls, fleet.db);
        }
      });

      it("a DB cluster: the cluster restored, then its writer; the cluster endpoint", async () => {
        const ids = made.map((m) => [m.cluster.id]);
        for (const [label, request, day] of requests(fleet.cluster, ids[0][0])) {
          const restoreId = `${label}-cl-${role}`;
          const { state, report, calls } = await restore(role, restoreId, request);
          expect(state.point.id, label).to.equal(ids[day][0]);
          expect(report).to.deep.include({ status: "succeeded", kind: "aurora" });
          expect(calls.map((c) => c.action)).to.include.members(["RestoreDBClusterFromSnapshot", "CreateDBInstance"]);
          expect(report.created.map((r) => r.type)).to.include.members(["db-cluster", "db-instance"]);
          sourcesUntouched(calls, fleet.cluster, "ledger-writer");
        }
      });
    });
  }

  it("a failure part-way: the report finds what the restore made by its restore-id tag, records the error, deletes nothing", async () => {
    const restoreId = "partway-ins-primary";
    const request: RestoreRequest = { source: fleet.instance, point: "latest", mode: "instance" };
    let state = await invoke<RestoreState>("primary", { step: "start", restoreId, startedAt: STARTED, request });
    fake.permanent = (call) => (call.action === "RunInstances" ? new AwsFault("InsufficientInstanceCapacity", 400, "no capacity of m5.large in the zone") : undefined);
    const from = fake.calls.length;
    let caught: unknown;
    for (let polls = 0; caught === undefined && polls < MAX_POLLS; polls += 1) {
      try {
        state = await invoke<RestoreState>("primary", { step: "poll", state });
      } catch (error) {
        caught = error;
      }
    }
    expect(caught).to.be.instanceOf(Error);
    const failure = caught as Error;
    // What the machine's Catch hands the report: the state as it was, and the error as Step Functions records it.
    const error = { Error: failure.name, Cause: JSON.stringify({ errorType: failure.name, errorMessage: failure.message }) };
    const report = await invoke<RestoreReport>("primary", { step: "report", restoreId, startedAt: STARTED, state, error });
    expect(report).to.deep.include({ status: "failed", kind: "ec2", failure: { name: "InsufficientInstanceCapacity", message: "no capacity of m5.large in the zone" } });
    expect(report.created.map((r) => r.type)).to.include("image");
    expect(manifestOf("primary", restoreId)).to.deep.include({ status: "failed", phase: state.phase });
    expect(fake.calls.slice(from).filter((c) => /^(Delete|Deregister|Terminate)/.test(c.action))).to.deep.equal([]);
    // A start that failed before creating anything: the report has only the request and finds nothing.
    const refused = await invoke<RestoreReport>("dr", { step: "report", restoreId: "refused-1", startedAt: STARTED, request: { source: "i-0123456789abcdef0", point: "latest" }, error: { Error: "UnknownSourceError", Cause: "{}" } });
    expect(refused).to.deep.include({ status: "failed", created: [], failure: { name: "UnknownSourceError", message: "{}" } });
  });
});
