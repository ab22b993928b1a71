// The drill function under its own state machine: the real definition (infra/drill-machine.ts) run by the test
// interpreter, every Task invoking the real drill steps (handlers/drill/run.ts) over the fake AWS with the registry's
// kinds, on genuine DR copies of a backed-up fleet. Proves the JSON the machine passes between its states is what each
// step takes (the contract), including the events its Pass states build after caught failures, and that a drill leaves
// nothing it restored behind.
import { expect } from "chai";
import { MAX_FAILURE_MESSAGE, type DrillOptions, type DrillReport, type DrillStepEvent } from "../../handlers/drill/contract";
import { runDrillStep } from "../../handlers/drill/run";
import { readDrillSettings } from "../../handlers/drill/settings";
import { drillKinds, restoreKinds } from "../../handlers/kinds/registry";
import { DRILL_STATE as S, drillHistoryEvents, drillMachineDefinition, drillMachineTimeoutSeconds, drillMaxSamples } from "../../infra/drill-machine";
import { FakeAws } from "../helpers/aws-fake";
import { everything } from "../helpers/aws-fake-drill";
import { fakeRestoreNetwork, setProgress, setRestoreSteps } from "../helpers/aws-fake-restore-state";
import { AwsFault } from "../helpers/aws-wire";
import { drillDeps, drillEnv, drRegion } from "../helpers/drill-setup";
import { VAULT_BUCKET } from "../helpers/backup-fleet";
import { createCalls, DR, PRIMARY, RestoreFleet } from "../helpers/restore-setup";
import { runStateMachine, type RunResult } from "../helpers/state-machine-run";

const START = new Date("2026-11-21T09:00:00.000Z");
const FUNCTION_ARN = `arn:aws:lambda:${DR}:123456789012:function:drill-dr`;
const OPTIONS: Partial<DrillOptions> = { targets: { gold: { rtoSeconds: 3600, rpoSeconds: 2 * 86_400 } }, keepSeconds: 0, machineMode: "volumes" };

describe("drill steps under the drill state machine", () => {
  let fake: FakeAws;
  let fleet: RestoreFleet;

  beforeEach(async () => {
    fake = new FakeAws();
    fleet = new RestoreFleet(fake);
    drRegion(fake);
    await fleet.copy(await fleet.backup(20), new Date("2026-11-20T06:00:00Z"));
  });

  const definition = () => {
    const timeout = drillMachineTimeoutSeconds({
      restoreTimeoutMinutes: restoreKinds().map((k) => k.timeoutMinutes),
      keepMinutes: 0,
      deleteTimeoutMinutes: drillKinds().map((k) => k.deleteTimeoutMinutes),
      maxSamples: 3,
      maxConcurrency: 2,
    });
    return drillMachineDefinition(FUNCTION_ARN, timeout, 2);
  };

  function execute(name: string, input: unknown, options: Partial<DrillOptions> = OPTIONS, before: (payload: unknown, now: Date) => void = () => undefined, machine = definition()): Promise<RunResult> {
    const { subnetIds, securityGroupIds, dbSubnetGroup } = fakeRestoreNetwork(DR);
    const settings = readDrillSettings(drillEnv(options, { BACKUP_DR_RESTORE_NETWORK: JSON.stringify({ subnetIds, securityGroupIds, dbSubnetGroup }) }));
    return runStateMachine(machine, input, {
      name,
      startTime: START,
      invoke: (resource, payload, call) => {
        expect(resource).to.equal(FUNCTION_ARN);
        before(payload, call.now);
        return runDrillStep(drillDeps(fake, () => call.now), settings, payload);
      },
    });
  }

  const events = (run: RunResult) => run.invocations.map((i) => i.payload as DrillStepEvent);
  const manifest = (name: string) => JSON.parse(fake.region(DR).buckets.get(VAULT_BUCKET)?.get(`runs/drill/2026/11/21/${name}.json`) ?? "{}") as Record<string, unknown>;

  it("a drill in the DR region: each kind restored, validated and measured, everything it restored deleted, a passed report", async () => {
    fake.permanent = (call) => (call.region === PRIMARY ? new AwsFault("UnauthorizedOperation", 403, "the primary region is down") : undefined);
    const before = everything(fake.region(DR));
    const from = fake.calls.length;
    const run = await execute("drill-dr-1", {});
    const last = run.invocations[run.invocations.length - 1];
    expect(run.status, JSON.stringify({ report: last.payload, errors: run.invocations.filter((i) => i.error !== undefined).map((i) => [i.state, i.error]) }, null, 1)).to.equal("SUCCEEDED");
    const report = run.output as DrillReport;
    expect(report.results.map((r) => [r.kind, r.outcome])).to.have.deep.members([
      ["ec2", "passed"],
      ["rds", "passed"],
      ["aurora", "passed"],
    ]);
    expect(report.cleanup?.status).to.equal("done");
    expect(run.maps[S.restores]).to.deep.include({ maxConcurrency: 2, mostInFlight: 2, iterations: 3 });
    expect(run.invocations.filter((i) => i.error !== undefined)).to.deep.equal([]);
    expect(manifest("drill-dr-1")).to.deep.include({ drillId: "drill-dr-1", status: "passed" });
    // What the drill restored carried its id, and is gone: the region holds what it held before.
    expect(createCalls(fake, from).length).to.be.greaterThan(0);
    expect(everything(fake.region(DR))).to.deep.equal(before);
    expect(fake.calls.slice(from).filter((c) => c.region === PRIMARY)).to.deep.equal([]);
    // Step Functions' 256 KiB limit on a state's data (States.DataLimitExceeded, which no Catch takes): the largest
    // data between states, per sample, times the most samples a drill may take, leaves half of it free.
    const largest = Math.max(...run.transitions.map((t) => Buffer.byteLength(JSON.stringify(t.input))));
    expect((largest / 3) * drillMaxSamples({ restore: restoreKinds(), deletion: drillKinds() })).to.be.lessThan(128 * 1024);
  });

  it("a restore that fails to start is measured failed; cleanup still deletes the others; the drill fails with a report", async () => {
    fake.permanent = (call) => (call.action === "RestoreDBInstanceFromDBSnapshot" ? new AwsFault("InsufficientDBInstanceCapacity", 400, "no capacity") : undefined);
    const before = everything(fake.region(DR));
    const run = await execute("drill-dr-2", {});
    expect([run.status, run.error]).to.deep.equal(["FAILED", "DrillFailed"]);
    const measured = events(run).filter((e): e is Extract<DrillStepEvent, { step: "measure" }> => e.step === "measure");
    const failed = measured.find((e) => e.error !== undefined);
    expect([failed?.sample.kind, failed?.error?.Error, failed?.state]).to.deep.equal(["rds", "InsufficientDBInstanceCapacityFault", undefined]);
    const written = manifest("drill-dr-2");
    expect(written).to.deep.include({ status: "failed" });
    expect(everything(fake.region(DR))).to.deep.equal(before);
  });

  it("restores that time out (never available by their kind's deadline) are measured failed, and cleanup still deletes them", async () => {
    const dr = fake.region(DR);
    const before = everything(dr);
    setRestoreSteps(dr, 190);
    const run = await execute("drill-dr-4", {}, OPTIONS, (payload) => {
      // Deleting goes at the usual pace: only the creations were slow.
      if ((payload as DrillStepEvent).step === "cleanup") setRestoreSteps(dr, 1);
    });
    expect([run.status, run.error]).to.deep.equal(["FAILED", "DrillFailed"]);
    const reported = manifest("drill-dr-4") as unknown as DrillReport;
    expect(reported.results.map((r) => [r.kind, r.outcome, r.failure?.name])).to.have.deep.members([
      ["ec2", "failed", "RestoreTimedOut"],
      ["rds", "failed", "RestoreTimedOut"],
      ["aurora", "failed", "RestoreTimedOut"],
    ]);
    expect(reported.cleanup).to.deep.include({ status: "done", remaining: [], failures: [] });
    expect(reported.cleanup?.deleted.length).to.be.greaterThan(0);
    expect(everything(dr)).to.deep.equal(before);
    expect(run.elapsedSeconds).to.be.lessThan(definition().TimeoutSeconds);
    // The worst case of the registry's kinds: what drillMaxSamples sizes a drill by.
    expect(run.historyEvents).to.be.at.most(drillHistoryEvents({ restore: restoreKinds(), deletion: drillKinds() }, 3));
  });

  it("a DB still being created long after its restore gave up: cleanup waits for it (one more restore time) and deletes it once it can", async () => {
    const dr = fake.region(DR);
    const before = everything(dr);
    let firstCleanup: Date | undefined;
    const run = await execute("drill-dr-6", {}, OPTIONS, (payload, now) => {
      const event = payload as DrillStepEvent;
      // Only the single DB's creation is slow: it stays "creating" until 90 minutes into cleanup (RDS refuses to delete it
      // before), far past its restore's deadline and past the deletion time alone; everything else goes at the usual pace.
      setRestoreSteps(dr, event.step === "start" && event.sample.kind === "rds" ? 1_000_000 : 1);
      if (event.step !== "cleanup") return;
      firstCleanup ??= now;
      if (now.getTime() < firstCleanup.getTime() + 90 * 60_000) return;
      for (const db of dr.dbInstances.values()) {
        if (db.status === "creating") {
          db.status = "available";
          setProgress(db, []);
        }
      }
    });
    expect([run.status, run.error]).to.deep.equal(["FAILED", "DrillFailed"]);
    const reported = manifest("drill-dr-6") as unknown as DrillReport;
    expect(reported.results.map((r) => [r.kind, r.outcome, r.failure?.name])).to.have.deep.members([
      ["ec2", "passed", undefined],
      ["rds", "failed", "RestoreTimedOut"],
      ["aurora", "passed", undefined],
    ]);
    expect(reported.cleanup).to.deep.include({ status: "done", remaining: [], failures: [] });
    expect(reported.cleanup?.deleted.map((d) => d.type)).to.include("db-instance");
    expect(everything(dr)).to.deep.equal(before);
    expect(run.elapsedSeconds).to.be.lessThan(definition().TimeoutSeconds);
  });

  it("every restore failing with the longest failure text Step Functions keeps (32 KiB): the data between states stays small", async () => {
    const text = "x".repeat(32_768);
    const run = await execute("drill-dr-7", {}, OPTIONS, (payload) => {
      if ((payload as DrillStepEvent).step === "start") throw Object.assign(new Error(text), { name: "InsufficientCapacity" });
    });
    expect([run.status, run.error]).to.deep.equal(["FAILED", "DrillFailed"]);
    const reported = manifest("drill-dr-7") as unknown as DrillReport;
    expect(reported.results.map((r) => [r.outcome, r.failure?.message.length])).to.deep.equal(reported.results.map(() => ["failed", MAX_FAILURE_MESSAGE]));
    // The Map's output (one result per sample) for the most samples a drill may take stays within 256 KiB, with room.
    const perSample = Math.max(...run.transitions.filter((t) => t.state === S.keep).map((t) => Buffer.byteLength(JSON.stringify(t.input)))) / 3;
    expect(perSample * drillMaxSamples({ restore: restoreKinds(), deletion: drillKinds() })).to.be.lessThan(128 * 1024);
  });

  it("the Map failing (a machine without Measure's Catch, a measure that cannot run): the real cleanup and report take the state with its error", async () => {
    const broken = definition();
    const map = broken.States[S.restores];
    const measure = map.Type === "Map" ? map.ItemProcessor.States[S.measure] : undefined;
    if (measure?.Type !== "Task") throw new Error("no Measure in the Map");
    measure.Catch = [];
    const before = everything(fake.region(DR));
    const from = fake.calls.length;
    const run = await execute("drill-dr-5", {}, OPTIONS, (payload) => {
      if ((payload as DrillStepEvent).step === "measure") throw Object.assign(new Error("Task timed out after 900.00 seconds"), { name: "Sandbox.Timedout" });
    }, broken);
    expect([run.status, run.error]).to.deep.equal(["FAILED", "DrillFailed"]);
    const cleanup = events(run).filter((e): e is Extract<DrillStepEvent, { step: "cleanup" }> => e.step === "cleanup");
    expect([cleanup[0].state.error?.Error, cleanup[0].state.results]).to.deep.equal(["Sandbox.Timedout", undefined]);
    expect(manifest("drill-dr-5")).to.deep.include({ status: "failed" });
    // Restores in flight when the Map failed had created resources; cleanup deleted them all the same.
    expect(createCalls(fake, from).length).to.be.greaterThan(0);
    expect(everything(fake.region(DR))).to.deep.equal(before);
  });

  it("a plan without targets: pick refuses it before any AWS call, the report records the error, nothing is created", async () => {
    const from = fake.calls.length;
    const run = await execute("drill-dr-3", { plan: "platinum" });
    expect([run.status, run.error]).to.deep.equal(["FAILED", "DrillFailed"]);
    expect(events(run).map((e) => e.step)).to.deep.equal(["pick", "report"]);
    expect(createCalls(fake, from)).to.deep.equal([]);
    expect((manifest("drill-dr-3").failure as { name?: string } | undefined)?.name).to.be.a("string");
  });
});
