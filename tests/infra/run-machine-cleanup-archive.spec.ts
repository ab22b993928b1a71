// Acceptance (issue 20, item 4), end to end: the cleanup run machine as the program registers it (prod), run by the test
// interpreter, its Task invoking the deployed cleanup archive against the fake AWS over HTTP (both regions, the cleanup
// scenario of tests/helpers/cleanup-scenario.ts moved to the real clock). Five deletions an invocation (the time Lambda
// leaves it), so the 22 expired snapshots take four turns; the second turn is killed after AWS deleted two (its answers
// never come, it writes no part) and fails as Sandbox.Timedout, so the machine sends the same cursor again.
import { expect } from "chai";
import { partKey } from "../../handlers/lib/cursor";
import * as fs from "fs";
import type { AslDefinition } from "../../infra/asl";
import { RUN_FUNCTION_TIMEOUT_SECONDS } from "../../infra/run-machine";
import { loadFunctionArchive, type LoadedArchive } from "../../tools/bench-artifact/archive";
import { FakeAws, type FakeCall } from "../helpers/aws-fake";
import { notifications } from "../helpers/aws-inspect";
import { startKillableServer } from "../helpers/aws-killable-server";
import { startFakeServer } from "../helpers/aws-transport";
import { buildScenario, remaining, shiftScenarioToNow, survivors } from "../helpers/cleanup-scenario";
import { DR, PRIMARY, cleanupEnv, cleanupManifests } from "../helpers/cleanup-setup";
import { deployStack } from "../helpers/deploy";
import { killedTurnDriver, runWithKilledTurn, startsPerTurn } from "../helpers/killed-turn";
import { one, TYPE } from "../helpers/resources";

const EVENT = { scheduledTime: "2026-11-22T03:30:00Z" };
const MANIFEST = "runs/cleanup/2026/11/22/cleanup-2026-11-22T03-30-00Z.json";
/** Deletions an invocation starts before its time nears its end. */
const PER_TURN = 5;
const DELETES: Record<string, string> = { DeleteSnapshot: "SnapshotId", DeleteDBSnapshot: "DBSnapshotIdentifier", DeleteDBClusterSnapshot: "DBClusterSnapshotIdentifier" };

/** `<region> <id>` of each delete call among `calls`, one entry a call. */
const deletes = (calls: readonly FakeCall[]) => calls.flatMap((c) => (c.action in DELETES ? [`${c.region} ${c.params.get(DELETES[c.action]) ?? ""}`] : [])).sort();

describe("cleanup run machine driving the deployed cleanup archive (prod): a long run with a killed turn", function () {
  this.timeout(180_000);
  let archive: LoadedArchive;
  let definition: AslDefinition;

  before(async () => {
    const run = await deployStack("prod");
    archive = await loadFunctionArchive(one(run.resources, TYPE.fn, "cleanup"));
    definition = JSON.parse(String(one(run.resources, TYPE.machine, "cleanup-machine").inputs.definition)) as AslDefinition;
  });

  after(() => fs.rmSync(archive.dir, { recursive: true, force: true }));

  it("takes four turns, retries the killed one with the same cursor, deletes each expired snapshot once and keeps every other", async () => {
    const fake = new FakeAws();
    const scenario = buildScenario(fake);
    shiftScenarioToNow(fake, EVENT.scheduledTime, [PRIMARY, DR]);

    const server = await startFakeServer(fake);
    const killable = await startKillableServer(fake, (handled) => deletes(handled).length >= 2);
    const driver = killedTurnDriver({ entry: archive.handler, serverUrl: server.url, killable, killTurn: 2, functionTimeoutSeconds: RUN_FUNCTION_TIMEOUT_SECONDS, context: startsPerTurn("cleanup", PER_TURN) });
    const { result, abandoned } = await runWithKilledTurn({ definition, input: EVENT, fn: "cleanup", env: cleanupEnv({ BACKUP_DR_NOTIFY_ON: "always" }), region: PRIMARY, server, killable, driver });

    const events = result.invocations.map((i) => i.payload as { cursor?: { invocation: number; deleted: number; startedAt: string } });
    // Part keys carry the execution's start (handlers/lib/cursor.ts partKey), as its cursor names it.
    const startedAt = events[1].cursor?.startedAt ?? "";
    const part = (n: number) => partKey(MANIFEST, n, startedAt);
    // The first turn gets the execution input in the run envelope, with the execution start time pinned (infra/run-machine.ts Pin).
    expect(events[0]).to.have.property("input").that.deep.equals(EVENT);
    expect(events[0]).to.have.property("executionStartTime").that.is.a("string");
    expect(events[2]).to.deep.equal(events[1]);
    expect(events.slice(1).map((e) => [e.cursor?.invocation, e.cursor?.deleted])).to.deep.equal([
      [1, PER_TURN],
      [1, PER_TURN],
      // The retried turn counts the two its killed attempt deleted (its intent record names them, they are gone).
      [2, 2 * PER_TURN + 2],
      [3, 3 * PER_TURN + 2],
    ]);

    // The killed turn deleted two (AWS acted, no answer came), then never answered.
    expect(deletes(killable.handled)).to.have.length(2);
    expect(abandoned).to.equal("threw");

    // Each expired snapshot deleted by exactly one call across the turns; every other one untouched.
    expect(deletes(fake.handled())).to.deep.equal([...scenario.deletable].sort());
    expect(remaining(fake, scenario)).to.deep.equal(survivors(scenario));

    // One manifest beside the three parts, one notification.
    const stored = cleanupManifests(fake);
    expect([...stored.keys()].sort()).to.deep.equal([MANIFEST, part(1), part(2), part(3)].sort());
    const manifest = stored.get(MANIFEST);
    expect(manifest).to.deep.include({ invocations: 4, parts: [part(1), part(2), part(3)], deadlineStop: false });
    // Every expired snapshot is listed deleted, the killed attempt's two included (the retry read them from the
    // intent record the attempt wrote before deleting): none is left as deferred.
    const listed = (status: string) => (manifest?.snapshots ?? []).filter((o) => o.status === status).map((o) => `${o.region} ${o.id}`).sort();
    expect(listed("deleted")).to.deep.equal([...scenario.deletable].sort());
    expect(listed("deferred")).to.deep.equal([]);
    expect(manifest?.counts).to.deep.include({ kept: 68, failed: 0, wouldDelete: 0 });
    expect(notifications(fake.region(PRIMARY))).to.have.length(1);
  });
});
