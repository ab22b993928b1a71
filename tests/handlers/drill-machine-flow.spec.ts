// The drill function under its own state machine: the real definition (infra/drill-machine.ts) run by the test
// interpreter, every Task invoking the real drill steps over the fake AWS with the registry's kinds, on genuine DR
// copies (made by the real backup and copy functions). Proves the JSON the machine passes between its states is what
// each step takes, and that a drill restores, measures, deletes everything it restored and reports, also when a
// restore fails.
import { expect } from "chai";
import type { DrillReport } from "../../handlers/drill/contract";
import type { DrillManifest } from "../../handlers/drill/report";
import { runDrillStep } from "../../handlers/drill/run";
import { readDrillSettings } from "../../handlers/drill/settings";
import { drillKinds, restoreKinds } from "../../handlers/kinds/registry";
import { drillMachineDefinition, drillMachineTimeoutSeconds } from "../../infra/drill-machine";
import { FakeAws } from "../helpers/aws-fake";
import { restoreTables } from "../helpers/aws-fake-restore";
import { fakeRestoreNetwork } from "../helpers/aws-fake-restore-state";
import { AwsFault } from "../helpers/aws-wire";
import { DR, DRILL_TOPIC_ARN, drillDeps, drillEnv, drRegion, VAULT_BUCKET } from "../helpers/drill-setup";
import { RestoreFleet } from "../helpers/restore-setup";
import { runStateMachine } from "../helpers/state-machine-run";

const FUNCTION_ARN = `arn:aws:lambda:${DR}:123456789012:function:drill-dr`;
const START = new Date("2026-11-21T09:00:00.000Z");
const NAME = "drill-2026-11-21";
const KEY = `runs/drill/2026/11/21/${NAME}.json`;
/** The points were taken on the 20th at 05:02, 28 h before the drill. */
const TARGETS = { gold: { rtoSeconds: 7200, rpoSeconds: 36 * 3600 } };

describe("drill steps under the drill state machine", function () {
  this.timeout(120_000);
  let fake: FakeAws;
  let fleet: RestoreFleet;

  beforeEach(async () => {
    fake = new FakeAws();
    fleet = new RestoreFleet(fake);
    await fleet.copy(await fleet.backup(20), new Date("2026-11-20T06:00:00Z"));
    drRegion(fake);
  });

  async function execute(input: unknown) {
    const { subnetIds, securityGroupIds, dbSubnetGroup } = fakeRestoreNetwork(DR);
    const settings = readDrillSettings(drillEnv({ targets: TARGETS }, { BACKUP_DR_RESTORE_NETWORK: JSON.stringify({ subnetIds, securityGroupIds, dbSubnetGroup }) }));
    const timeout = drillMachineTimeoutSeconds({ restoreTimeoutMinutes: restoreKinds().map((k) => k.timeoutMinutes), keepMinutes: 0, deleteTimeoutMinutes: drillKinds().map((k) => k.deleteTimeoutMinutes) });
    return runStateMachine(drillMachineDefinition(FUNCTION_ARN, timeout, 2), input, {
      name: NAME,
      startTime: START,
      invoke: (resource, payload, call) => {
        expect(resource).to.equal(FUNCTION_ARN);
        return runDrillStep(drillDeps(fake, () => call.now), settings, payload);
      },
    });
  }

  const manifest = () => JSON.parse(fake.region(DR).buckets.get(VAULT_BUCKET)?.get(KEY) ?? "null") as DrillManifest | null;
  /** What the drill's restores left in the DR region (restored volumes, DB instances, clusters not deleted). */
  function leftOver(): string[] {
    const region = fake.region(DR);
    const volumes = [...restoreTables(region).volumes.values()].filter((v) => v.state !== "deleted" && v.tags["backup-dr:drill-id"] === NAME).map((v) => v.id);
    const dbs = [...region.dbInstances.values(), ...region.dbClusters.values()].filter((d) => d.tags["backup-dr:drill-id"] === NAME && d.status !== "deleted").map((d) => d.id);
    return [...volumes, ...dbs];
  }

  it("a drill of plan gold: every kind restored, measured within the targets, everything it restored deleted, reported passed", async () => {
    const result = await execute({ plan: "gold", seed: "machine" });
    expect(result.status, JSON.stringify(result.output ?? result.cause)).to.equal("SUCCEEDED");
    const report = result.output as DrillReport;
    expect(report).to.deep.include({ drillId: NAME, status: "passed", region: DR, startedAt: START.toISOString() });
    expect(report.results.map((r) => [r.kind, r.source, r.outcome])).to.deep.equal([
      ["ec2", fleet.instance, "passed"],
      ["rds", fleet.db, "passed"],
      ["aurora", fleet.cluster, "passed"],
    ]);
    for (const r of report.results) {
      expect(r.rpoSeconds, r.kind).to.equal(28 * 3600 - 120);
      expect(r.rtoSeconds, r.kind).to.be.greaterThan(0).and.at.most(7200);
    }
    expect(report.cleanup?.status).to.equal("done");
    expect(report.cleanup?.deleted.length).to.be.at.least(3);
    expect(leftOver()).to.deep.equal([]);
    expect(manifest()).to.deep.include({ status: "passed", drillId: NAME });
    expect(fake.region(DR).topics.get(DRILL_TOPIC_ARN)?.map((m) => m.subject)).to.deep.equal([`backup-dr DR drill PASSED: backup-dr/test in ${DR}`]);
    const steps = result.invocations.map((i) => (i.payload as { step: string }).step);
    expect(steps).to.include.members(["pick", "start", "poll", "validate", "measure", "cleanup", "report"]);
    expect(result.invocations.filter((i) => i.error !== undefined)).to.deep.equal([]);
    // Nothing was deleted but what the drill restored: the sources and their recovery points are all still there.
    expect(fake.calls.filter((c) => /^Delete(Snapshot|DBSnapshot|DBClusterSnapshot)$/.test(c.action))).to.deep.equal([]);
  });

  it("a restore that fails to start: the others pass, cleanup still deletes everything, the drill fails with the reason on record", async () => {
    fake.permanent = (call) => (call.action === "RestoreDBInstanceFromDBSnapshot" ? new AwsFault("InsufficientDBInstanceCapacity", 400, "no capacity") : undefined);
    const result = await execute({ plan: "gold", seed: "machine" });
    expect(result).to.deep.include({ status: "FAILED", error: "DrillFailed" });
    const written = manifest();
    expect(written?.status).to.equal("failed");
    const db = written?.results.find((r) => r.kind === "rds");
    expect(db).to.deep.include({ outcome: "failed", missed: ["rto"], failure: { name: "InsufficientDBInstanceCapacityFault", message: "no capacity" } });
    expect(written?.results.filter((r) => r.outcome === "passed").map((r) => r.kind)).to.deep.equal(["ec2", "aurora"]);
    expect(written?.cleanup?.status).to.equal("done");
    expect(leftOver()).to.deep.equal([]);
    expect(written?.plans).to.deep.equal([{ plan: "gold", restoreSeconds: Math.max(...(written?.results ?? []).flatMap((r) => (r.rtoSeconds === undefined ? [] : [r.rtoSeconds]))), pointAgeSeconds: 28 * 3600 - 120, failures: 1 }]);
  });
});
