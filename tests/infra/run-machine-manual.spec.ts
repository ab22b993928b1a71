// Manual runs (no scheduledTime) driven by the real run machine (infra/run-machine.ts, run by
// tests/helpers/state-machine-run.ts) and the real functions against the fake AWS: the first turn is killed (or never
// answered) and the machine retries it after the function's timeout. The run's time is pinned once per execution (the
// machine's start), so the retry is the same run: one snapshot set per source, all under one run id; one cleanup run.
import { expect } from "chai";
import { stepBackup } from "../../handlers/backup/run";
import { stepCleanup } from "../../handlers/cleanup/run";
import { RUN_FUNCTION_TIMEOUT_SECONDS, runMachineDefinition, runMachineTimeoutSeconds } from "../../infra/run-machine";
import { FakeAws } from "../helpers/aws-fake";
import { fakeClients } from "../helpers/aws-clients";
import { backups } from "../helpers/aws-inspect";
import { backupDeps, backupSettings } from "../helpers/backup-setup";
import { buildFleet, goldSources } from "../helpers/backup-fleet";
import { cleanupDeps, cleanupManifests, cleanupSettings } from "../helpers/cleanup-setup";
import { buildScenario } from "../helpers/cleanup-scenario";
import { killableClients, until, virtualClock } from "../helpers/run-steps";
import { runStateMachine, type Invoke } from "../helpers/state-machine-run";

const FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:backup";
const START = new Date("2026-11-22T11:01:10.250Z");

describe("run machine: a manual backup run whose first turn is killed and retried", () => {
  it("makes one snapshot set per source, all under the run id of the execution's start", async () => {
    const fake = new FakeAws();
    const fleet = buildFleet(fake);
    const settings = backupSettings();
    const definition = runMachineDefinition(FUNCTION_ARN, { purpose: "backup", timeoutSeconds: runMachineTimeoutSeconds(120, RUN_FUNCTION_TIMEOUT_SECONDS), functionTimeoutSeconds: RUN_FUNCTION_TIMEOUT_SECONDS });
    // The killed attempt held the turn until the function's timeout: every later call is 15 minutes later than the
    // interpreter's clock (which moves only by the retry's backoff), so the retry runs 15.5 minutes after the start.
    let lateMs = 0;
    const invoke: Invoke = async (_resource, payload, call) => {
      const clock = virtualClock(new Date(call.now.getTime() + lateMs));
      if (lateMs === 0) {
        const victim = killableClients(fake, () => fake.handled("CreateSnapshots").length >= 2);
        void stepBackup({ ...backupDeps(victim.clients, clock.now), sleep: clock.sleep }, settings, payload);
        await until(victim.killed);
        lateMs = RUN_FUNCTION_TIMEOUT_SECONDS * 1000;
        throw Object.assign(new Error("Task timed out after 900.00 seconds"), { name: "Sandbox.Timedout" });
      }
      return stepBackup({ ...backupDeps(fakeClients(fake), clock.now), sleep: clock.sleep }, settings, payload);
    };
    const run = await runStateMachine(definition, { plan: "gold" }, { invoke, startTime: START });
    expect(run.status).to.equal("SUCCEEDED");
    expect(run.invocations.map((i) => [i.attempt, i.error])).to.deep.equal([
      [1, "Sandbox.Timedout"],
      [2, undefined],
    ]);
    expect(fake.handled("CreateSnapshots")).to.have.length(fleet.gold.ec2.size);
    const made = backups(fake.region());
    expect([...new Set(made.map((b) => b.tags["backup-dr:run"]))]).to.deep.equal(["gold@2026-11-22T11:01:00Z/manual"]);
    for (const source of goldSources(fleet)) expect(made.filter((b) => b.source === source), source).to.have.length(fleet.gold.ec2.get(source)?.length ?? 1);
  });

  it("a manual cleanup run ({}) whose first turn went unanswered is the run of the execution's start, not of the retry's minute", async () => {
    const fake = new FakeAws();
    buildScenario(fake);
    const start = new Date("2026-11-22T03:41:10.250Z");
    const definition = runMachineDefinition(FUNCTION_ARN.replace("backup", "cleanup"), { purpose: "cleanup", timeoutSeconds: runMachineTimeoutSeconds(120, RUN_FUNCTION_TIMEOUT_SECONDS), functionTimeoutSeconds: RUN_FUNCTION_TIMEOUT_SECONDS });
    const invoke: Invoke = (_resource, payload, call) => {
      if (call.attempt === 1) return Promise.reject(Object.assign(new Error("no answer"), { name: "Lambda.Unknown" }));
      const now = new Date(call.now.getTime() + RUN_FUNCTION_TIMEOUT_SECONDS * 1000);
      return stepCleanup(cleanupDeps(fake, { now: () => now }), cleanupSettings(), payload);
    };
    const run = await runStateMachine(definition, {}, { invoke, startTime: start });
    expect(run.status).to.equal("SUCCEEDED");
    expect(run.output).to.have.nested.property("manifest.runId", "cleanup@2026-11-22T03:41:00Z");
    expect([...cleanupManifests(fake).keys()]).to.deep.equal(["runs/cleanup/2026/11/22/cleanup-2026-11-22T03-41-00Z.json"]);
  });
});
