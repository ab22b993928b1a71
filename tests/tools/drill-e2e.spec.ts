// `npm run drill` over a drill that really ran: the real drill machine definition (in the test interpreter) invoking
// the real drill function with the registry's kinds on genuine DR copies (made by the real backup and copy functions)
// in the fake DR region; the fake Step Functions then replays the history that run wrote, and the command follows it.
// Proves the follower reads what the real machine and function write: the sample, each restore's steps, the measured
// RTO and RPO, cleanup, the report.
import { expect } from "chai";
import type { DrillRequest } from "../../handlers/drill/contract";
import { runDrillStep } from "../../handlers/drill/run";
import { readDrillSettings } from "../../handlers/drill/settings";
import { drillKind, drillKinds, restoreKinds } from "../../handlers/kinds/registry";
import { drillMachineDefinition, drillMachineTimeoutSeconds } from "../../infra/drill-machine";
import { main } from "../../tools/drill/drill-cli";
import { ACCOUNT_ID, FakeAws } from "../helpers/aws-fake";
import { fakeRestoreNetwork } from "../helpers/aws-fake-restore-state";
import { AwsFault } from "../helpers/aws-wire";
import { drillDeps, drillEnv, drRegion, VAULT_BUCKET } from "../helpers/drill-setup";
import { historyOf } from "../helpers/execution-history";
import { RestoreFleet } from "../helpers/restore-setup";
import { DR, OUTPUTS, recordingDeps } from "../helpers/restore-tools";
import { runStateMachine } from "../helpers/state-machine-run";

const FUNCTION_ARN = `arn:aws:lambda:${DR}:${ACCOUNT_ID}:function:drill-dr`;
const MACHINE = `arn:aws:states:${DR}:${ACCOUNT_ID}:stateMachine:drill-test`;
const START = new Date("2026-11-21T09:00:00.000Z");
/** The id the command gives a drill started at START with random part e2e0. */
const DRILL_ID = "drill-20261121T090000Z-e2e0";
const TARGETS = { gold: { rtoSeconds: 7200, rpoSeconds: 36 * 3600 } };

describe("npm run drill over a drill that really ran", function () {
  this.timeout(120_000);
  let fake: FakeAws;
  let fleet: RestoreFleet;

  beforeEach(async () => {
    fake = new FakeAws();
    fleet = new RestoreFleet(fake);
    await fleet.copy(await fleet.backup(20), new Date("2026-11-20T06:00:00Z"));
    drRegion(fake);
  });

  /** Runs the drill the command will start through the real machine and function; the fake then replays its history. */
  async function ranInDr(request: DrillRequest): Promise<void> {
    const { subnetIds, securityGroupIds, dbSubnetGroup } = fakeRestoreNetwork(DR);
    const settings = readDrillSettings(drillEnv({ targets: TARGETS }, { BACKUP_DR_RESTORE_NETWORK: JSON.stringify({ subnetIds, securityGroupIds, dbSubnetGroup }) }));
    const timeout = drillMachineTimeoutSeconds({ restoreTimeoutMinutes: restoreKinds().map((k) => k.timeoutMinutes), keepMinutes: 0, deleteTimeoutMinutes: drillKinds().map((k) => k.deleteTimeoutMinutes) });
    const run = await runStateMachine(drillMachineDefinition(FUNCTION_ARN, timeout, 2), request, {
      name: DRILL_ID,
      startTime: START,
      // The registry's drill facets, injected (until the function's default is wired to them: handlers/drill/kinds.ts).
      invoke: (_resource, payload, call) => runDrillStep(drillDeps(fake, () => call.now, { drillKinds: { named: drillKind } }), settings, payload),
    });
    fake.sfn.clockStart = START.getTime() / 1000;
    fake.sfn.addMachine(MACHINE, historyOf(run, request, START));
  }

  async function follow(argv: readonly string[]): Promise<{ code: number; out: string[]; err: string[] }> {
    const { console, deps } = recordingDeps(fake, { ...OUTPUTS, drill: { stateMachineArn: MACHINE, region: DR } }, "e2e0");
    const code = await main(argv, { ...deps, now: () => START });
    return { code, out: console.out, err: console.err };
  }

  it("a passed drill of every kind: each restore's steps under r<n>, its RTO and RPO, cleanup done, the report; exit 0", async () => {
    await ranInDr({ plan: "gold", seed: "machine" });
    const { code, out, err } = await follow(["--stack", "test", "--plan", "gold", "--seed", "machine"]);
    expect(err).to.deep.equal([]);
    expect(code).to.equal(0);
    expect(JSON.parse(fake.sfn.started()[0].input)).to.deep.equal({ plan: "gold", seed: "machine" });
    const progress = out.filter((l) => l.startsWith("  +")).map((l) => l.slice(11));
    expect(progress).to.include.members([
      `picked 3 restores in ${DR} (seed machine, plan gold)`,
      `r1 Start (gold ec2 ${fleet.instance})`,
      `r2 Start (gold rds ${fleet.db})`,
      `r3 Start (gold aurora ${fleet.cluster})`,
      "r1 Poll 1",
      "r1 Validate",
      "report: passed",
    ]);
    expect(progress.filter((l) => /^cleanup: done \(\d+ deleted, 0 remaining\)$/.test(l))).to.have.length(1);
    for (const n of [1, 2, 3]) expect(progress.filter((l) => new RegExp(`^r${n} passed: RTO \\S+ \\(target 2:00:00\\), RPO 27:58:00 \\(target 36:00:00\\)$`).test(l)), `r${n}`).to.have.length(1);
    const report = out.slice(out.findIndex((l) => l.startsWith("Drill ")));
    expect(report[0]).to.match(new RegExp(`^Drill ${DRILL_ID} passed in ${DR} \\(started 2026-11-21T09:00:00.000Z, finished `));
    // RESTORE, PLAN, KIND, SOURCE, RPO / TARGET, OUTCOME of each row (the points and RTOs are the run's own).
    const rows = report.slice(2, 5).map((l) => l.trim().split(/\s{2,}/));
    expect(rows.map((r) => [r[0], r[1], r[2], r[3], r[6], r[7]])).to.deep.equal([
      ["r1", "gold", "ec2", fleet.instance, "27:58:00 / 36:00:00", "passed"],
      ["r2", "gold", "rds", fleet.db, "27:58:00 / 36:00:00", "passed"],
      ["r3", "gold", "aurora", fleet.cluster, "27:58:00 / 36:00:00", "passed"],
    ]);
    expect(report.at(-2)).to.equal(`  manifest: s3://${VAULT_BUCKET}/runs/drill/2026/11/21/${DRILL_ID}.json`);
  });

  it("a restore that cannot start: its failure under its label and in the report, the others pass, cleanup done; exit 1", async () => {
    fake.permanent = (call) => (call.action === "RestoreDBInstanceFromDBSnapshot" ? new AwsFault("InsufficientDBInstanceCapacity", 400, "no capacity") : undefined);
    await ranInDr({ plan: "gold", seed: "machine" });
    const { code, out } = await follow(["--stack", "test", "--plan", "gold", "--seed", "machine"]);
    expect(code).to.equal(1);
    const progress = out.filter((l) => l.startsWith("  +")).map((l) => l.slice(11));
    expect(progress).to.include.members([
      "r2 Start TaskFailed: InsufficientDBInstanceCapacityFault: no capacity",
      "report: failed",
    ]);
    expect(progress.filter((l) => /^cleanup: done \(\d+ deleted, 0 remaining\)$/.test(l))).to.have.length(1);
    expect(progress.filter((l) => /^r2 failed: RTO not validated \(target 2:00:00\), RPO 27:58:00 \(target 36:00:00\) - InsufficientDBInstanceCapacityFault: no capacity$/.test(l))).to.have.length(1);
    expect(out).to.include("  r2: InsufficientDBInstanceCapacityFault: no capacity");
    expect(out.at(-2)).to.match(/^Execution FAILED: DrillFailed: /);
  });
});
