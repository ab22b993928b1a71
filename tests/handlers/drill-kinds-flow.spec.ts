// Issue 18, the kinds inside the drill's steps: genuine points (the real backup and copy functions made them in the DR
// region), the drill's pick, start, poll and validate steps with the registry's real kinds, then its cleanup step with
// the registry's real drill facets, called as the machine calls it until done: everything the drill restored is gone,
// nothing else (the DR copies, the primary region, another drill's restore) changed.
import { expect } from "chai";
import { TAG_DRILL_ID, TAG_RESTORE_ID } from "../../handlers/catalog";
import type { DrillRestore, DrillState } from "../../handlers/drill/contract";
import { runDrillStep } from "../../handlers/drill/run";
import { drillKind } from "../../handlers/kinds/registry";
import { FakeAws } from "../helpers/aws-fake";
import { everything } from "../helpers/aws-fake-drill";
import { restoreTables } from "../helpers/aws-fake-restore";
import { fakeRestoreNetwork } from "../helpers/aws-fake-restore-state";
import { DR, drillDeps, drillEnv } from "../helpers/drill-setup";
import { readDrillSettings } from "../../handlers/drill/settings";
import { RestoreFleet } from "../helpers/restore-setup";

const DRILL = "drill-kinds-flow-1";
const STARTED = "2026-12-01T03:00:00.000Z";
const NOW = () => new Date("2026-12-01T03:05:00.000Z");

describe("the kinds in the drill's steps: restored, validated, then deleted by the real drill facets", function () {
  this.timeout(60_000);
  let fake: FakeAws;
  let fleet: RestoreFleet;
  beforeEach(async () => {
    fake = new FakeAws();
    fleet = new RestoreFleet(fake);
    const made = await fleet.backup(20);
    await fleet.copy(made, new Date("2026-11-20T06:00:00Z"));
  });

  const settings = () => {
    const { subnetIds, securityGroupIds, dbSubnetGroup } = fakeRestoreNetwork(DR);
    return readDrillSettings(drillEnv({ machineMode: "volumes" }, { BACKUP_DR_RESTORE_NETWORK: JSON.stringify({ subnetIds, securityGroupIds, dbSubnetGroup }) }));
  };
  const deps = () => drillDeps(fake, NOW, { drillKinds: { named: (name) => drillKind(name) } });
  const step = async <T>(event: unknown): Promise<T> => (await runDrillStep(deps(), settings(), event)) as T;

  /** Pick, then each sample restored (polled until not pending) and validated, as the machine's Map does. */
  const restoredDrill = async (drillId: string): Promise<DrillState> => {
    const picked = await step<DrillState>({ step: "pick", drillId, startedAt: STARTED, request: {} });
    for (const sample of picked.drill.samples) {
      let current = await step<DrillRestore>({ step: "start", sample, startedAt: STARTED });
      for (let n = 0; n < 20 && current.state.status === "pending"; n += 1) current = await step<DrillRestore>({ step: "poll", sample, state: current.state });
      const validated = await step<DrillRestore>({ step: "validate", sample, state: current.state });
      expect(validated.state.validation?.ok, JSON.stringify(validated.state.validation)).to.equal(true);
    }
    return picked;
  };

  /** The cleanup step called until it is no longer pending. */
  const cleanedUp = async (state: DrillState): Promise<DrillState> => {
    let current = state;
    for (let n = 0; n < 12; n += 1) {
      current = await step<DrillState>({ step: "cleanup", state: current });
      if (current.cleanup?.status !== "pending") return current;
    }
    throw new Error(`cleanup still pending: ${JSON.stringify(current.cleanup)}`);
  };

  const drillResources = (drillId: string) => [
    ...restoreTables(fleet.dr).volumes.values(),
    ...[...fleet.dr.dbInstances.values()],
    ...[...fleet.dr.dbClusters.values()],
  ].filter((r) => r.tags[TAG_DRILL_ID] === drillId);

  it("every kind's restore is deleted; the DR copies and the primary region are untouched", async () => {
    const before = { dr: everything(fleet.dr), primary: everything(fleet.primary) };
    const state = await restoredDrill(DRILL);
    expect(state.drill.samples.map((s) => s.kind)).to.deep.equal(["ec2", "rds", "aurora"]);
    const made = drillResources(DRILL).map((r) => r.id).sort();
    expect(made.length).to.equal(2 + 1 + 2);

    const done = await cleanedUp(state);
    expect(done.cleanup?.status).to.equal("done");
    expect(done.cleanup?.refused).to.deep.equal([]);
    expect(done.cleanup?.failures).to.deep.equal([]);
    expect([...new Set(done.cleanup?.deleted.map((d) => d.id))].sort()).to.deep.equal(made);
    expect(drillResources(DRILL)).to.deep.equal([]);
    expect(everything(fleet.dr)).to.deep.equal(before.dr);
    expect(everything(fleet.primary)).to.deep.equal(before.primary);
    expect(fake.handled("DeleteDBInstance").every((c) => c.params.get("SkipFinalSnapshot") === "true")).to.equal(true);
    expect(fake.handled("DeleteDBCluster").map((c) => c.params.get("SkipFinalSnapshot"))).to.deep.equal(["true"]);
  });

  it("another drill's restores in the region are not this drill's cleanup's: they stay", async () => {
    const other = await restoredDrill("drill-kinds-flow-other");
    const state = await restoredDrill(DRILL);
    const theirs = drillResources("drill-kinds-flow-other").map((r) => r.id).sort();
    await cleanedUp(state);
    expect(drillResources(DRILL)).to.deep.equal([]);
    expect(drillResources("drill-kinds-flow-other").map((r) => r.id).sort()).to.deep.equal(theirs);
    expect(theirs.every((id) => !fake.handled().some((c) => [...c.params.values()].includes(id) && c.action.startsWith("Delete")))).to.equal(true);
    // Their own cleanup, later, deletes them.
    await cleanedUp(other);
    expect(drillResources("drill-kinds-flow-other")).to.deep.equal([]);
    expect([...fleet.dr.dbInstances.values()].filter((d) => d.tags[TAG_RESTORE_ID] !== undefined)).to.deep.equal([]);
  });
});
