// The drill function's Lambda entry against the fake AWS: bad settings and events refused before any AWS call and
// logged; a drill restore started, polled, validated and measured through the entry on a genuine DR copy (the real
// backup and copy functions made it), every resource it creates tagged with the drill's id; the report's manifest and
// its metrics as EMF with exactly the Plan dimension.
import { expect } from "chai";
import { handler } from "../../handlers/drill";
import type { DrillReport, DrillRestore, DrillResult, DrillState } from "../../handlers/drill/contract";
import { FakeAws } from "../helpers/aws-fake";
import { restoreTables } from "../helpers/aws-fake-restore";
import { fakeRestoreNetwork } from "../helpers/aws-fake-restore-state";
import { invokeIsolated } from "../helpers/aws-lambda-run";
import { fakeEndpointEnv, startFakeServer, type FakeServer } from "../helpers/aws-transport";
import { DR, DRILL_ID, drillEnv, drRegion, passedReportEvent, STACK_TAG, VAULT_BUCKET } from "../helpers/drill-setup";
import { lambdaContext } from "../helpers/lambda-context";
import { RestoreFleet } from "../helpers/restore-setup";

describe("drill handler (Lambda entry)", function () {
  this.timeout(60_000);
  let fake: FakeAws;
  let server: FakeServer;
  beforeEach(async () => {
    fake = new FakeAws();
    server = await startFakeServer(fake);
  });
  afterEach(() => server.close());

  const env = (overrides: Record<string, string | undefined> = {}) => {
    const { subnetIds, securityGroupIds, dbSubnetGroup } = fakeRestoreNetwork(DR);
    return { ...drillEnv({}, { BACKUP_DR_RESTORE_NETWORK: JSON.stringify({ subnetIds, securityGroupIds, dbSubnetGroup }) }), ...fakeEndpointEnv(server, DR), ...overrides };
  };
  const invoke = async <T>(event: unknown): Promise<T> => {
    const { result, error } = await invokeIsolated(env(), () => handler(event, lambdaContext()));
    if (error !== undefined) throw error instanceof Error ? error : new Error(JSON.stringify(error));
    return result as T;
  };

  it("refuses bad settings and malformed events before any AWS call, logging the failed step", async () => {
    for (const overrides of [{ BACKUP_DR_DRILL: undefined }, { AWS_REGION: "eu-west-1" }, { BACKUP_DR_TOPIC_ARN: "arn:aws:sns:eu-west-1:123456789012:t" }]) {
      const { error, captured } = await invokeIsolated(env(overrides), () => handler({ step: "watch" }, lambdaContext()));
      expect(error, JSON.stringify(overrides)).to.be.instanceOf(Error).with.property("name").that.matches(/^(Missing|Invalid)SettingError$/);
      expect(captured.logs.some((l) => l.message === "drill step failed")).to.equal(true);
    }
    for (const event of [{ step: "pick", drillId: DRILL_ID, startedAt: "now", request: {} }, { step: "start" }, "watch"]) {
      const { error } = await invokeIsolated(env(), () => handler(event, lambdaContext()));
      expect(error, JSON.stringify(event)).to.be.instanceOf(Error).with.property("name", "MalformedEventError");
    }
    expect(fake.calls).to.deep.equal([]);
  });

  it("pick, then one restore through the entry on genuine DR copies: every created resource carries the drill's id; a rerun of start creates nothing more", async () => {
    const fleet = new RestoreFleet(fake);
    for (const day of [19, 20]) await fleet.copy(await fleet.backup(day), new Date(`2026-11-${day}T06:00:00Z`));
    // A backup of the 21st copied but not completed in DR: not a candidate.
    const pending = await fleet.backup(21);
    await fleet.copy(pending, new Date("2026-11-21T06:00:00Z"));
    for (const s of fake.region(DR).snapshots.values()) if (s.tags["backup-dr:copy-of"] !== undefined && pending.ebs.some((e) => e.id === s.tags["backup-dr:copy-of"])) Object.assign(s, { state: "pending" });
    const now = new Date().toISOString();
    const { drill } = await invoke<DrillState>({ step: "pick", drillId: DRILL_ID, startedAt: now, request: { plan: "gold", seed: "fixed" } });
    expect(drill.samples.map((x) => [x.restoreId, x.plan, x.kind, x.source])).to.deep.equal([
      [`${DRILL_ID}-r1`, "gold", "ec2", fleet.instance],
      [`${DRILL_ID}-r2`, "gold", "rds", fleet.db],
      [`${DRILL_ID}-r3`, "gold", "aurora", fleet.cluster],
    ]);
    expect(drill.unsampled).to.deep.equal([]);
    const s = drill.samples[0];
    expect(s.taken).to.equal("2026-11-20T05:02:00.000Z");
    expect(s.request).to.deep.include({ source: fleet.instance, kind: "ec2", point: s.pointId, mode: "volumes" });
    const started = await invoke<DrillRestore>({ step: "start", sample: s, startedAt: now });
    expect(started.sample).to.deep.equal(s);
    expect(started.state).to.deep.include({ restoreId: s.restoreId, drillId: DRILL_ID, name: s.request.name, region: DR });
    expect(started.state.point.origin).to.equal("copy");
    const again = await invoke<DrillRestore>({ step: "start", sample: s, startedAt: now });
    expect(again.state.created.map((c) => c.id)).to.deep.equal(started.state.created.map((c) => c.id));
    const volumes = [...restoreTables(fake.region(DR)).volumes.values()];
    expect(volumes).to.have.length(2);
    for (const v of volumes) {
      expect(v.tags).to.deep.include({ "backup-dr:drill-id": DRILL_ID, "backup-dr:restore-id": s.restoreId, "backup-dr:stack": STACK_TAG, "backup-dr:restore-of": fleet.instance });
    }
    let restore = started;
    for (let polls = 0; restore.state.status === "pending" && polls < 10; polls += 1) restore = await invoke<DrillRestore>({ step: "poll", sample: s, state: restore.state });
    expect(restore.state.status).to.equal("available");
    restore = await invoke<DrillRestore>({ step: "validate", sample: s, state: restore.state });
    expect(restore.state.validation?.ok).to.equal(true);
    const result = await invoke<DrillResult>({ step: "measure", sample: s, state: restore.state });
    // The points are of November 2026: older than gold's RPO target by the time this runs.
    expect(result).to.deep.include({ restoreId: s.restoreId, outcome: "missed-target", missed: ["rpo"], rpoSeconds: s.rpoSeconds });
    expect(result.rtoSeconds).to.be.within(0, 60);
    // Cleanup through the entry with the registry's drill facets: the restored volumes go; the other samples never started.
    let state: DrillState = { drill, results: [result] };
    for (let calls = 0; state.cleanup?.status !== "done" && calls < 10; calls += 1) state = await invoke<DrillState>({ step: "cleanup", state });
    expect(state.cleanup).to.deep.include({ status: "done", remaining: [], refused: [], failures: [] });
    expect(state.cleanup?.deleted.map((d) => d.id).sort()).to.deep.equal(volumes.map((v) => v.id).sort());
    expect([...restoreTables(fake.region(DR)).volumes.values()].filter((v) => v.state !== "deleted")).to.deep.equal([]);
  });

  it("report through the entry: the manifest in the region's vault, the metrics as EMF with exactly the Plan dimension", async () => {
    drRegion(fake);
    const { result, captured } = await invokeIsolated(env(), () => handler(passedReportEvent(), lambdaContext()));
    const report = result as DrillReport;
    expect(report.status).to.equal("passed");
    expect(fake.region(DR).buckets.get(VAULT_BUCKET)?.has(`runs/drill/2026/12/01/${DRILL_ID}.json`)).to.equal(true);
    const docs = captured.metrics as Array<{ _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> } } & Record<string, unknown>>;
    expect(docs.map((d) => [d.Plan, d.DrillRestoreSeconds, d.DrillRecoveryPointAgeSeconds, d.DrillFailures])).to.deep.equal([
      ["gold", 600, 79_080, 0],
    ]);
    for (const d of docs) expect(d._aws.CloudWatchMetrics.map((m) => [m.Namespace, m.Dimensions])).to.deep.equal([["BackupDr", [["Plan"]]]]);
    expect(captured.logs.some((l) => l.message === "drill step done" && l.status === "passed")).to.equal(true);
  });
});
