// Acceptance (issue 20, item 4), end to end: the backup run machine as the program registers it (prod), run by the test
// interpreter, its Task invoking the deployed backup archive against the fake AWS over HTTP. Twelve instances, three
// sources an invocation (the time Lambda leaves it), so the run takes four turns; the second turn is killed after AWS
// made two snapshot sets (its answers never come, it writes no part) and fails as Sandbox.Timedout, so the machine
// sends the same cursor again. The run still ends with one snapshot set per instance, one manifest, three parts and one
// notification.
import { expect } from "chai";
import { partKey } from "../../handlers/lib/cursor";
import * as fs from "fs";
import type { AslDefinition } from "../../infra/asl";
import { RUN_FUNCTION_TIMEOUT_SECONDS } from "../../infra/run-machine";
import { loadFunctionArchive, type LoadedArchive } from "../../tools/bench-artifact/archive";
import { FakeAws, REGION } from "../helpers/aws-fake";
import { backups, notifications } from "../helpers/aws-inspect";
import { startKillableServer } from "../helpers/aws-killable-server";
import { startFakeServer } from "../helpers/aws-transport";
import { deployStack } from "../helpers/deploy";
import { one, TYPE } from "../helpers/resources";
import { killedTurnDriver, runWithKilledTurn, startsPerTurn } from "../helpers/killed-turn";

const INSTANCES = 12;
/** Sources an invocation starts before its time nears its end (each start asks how much time is left). */
const PER_TURN = 3;
const EVENT = { plan: "gold", scheduledTime: "2026-11-22T05:00:00Z" };
const MANIFEST = "runs/backup/2026/11/22/gold-2026-11-22T05-00-00Z.json";

interface Outcome {
  source: string;
  status: string;
  reason?: string;
  snapshotIds: string[];
}

describe("backup run machine driving the deployed backup archive (prod): a long run with a killed turn", function () {
  this.timeout(180_000);
  let archive: LoadedArchive;
  let environment: Record<string, string>;
  let definition: AslDefinition;

  before(async () => {
    const run = await deployStack("prod");
    const fn = one(run.resources, TYPE.fn, "backup");
    environment = (fn.inputs.environment as { variables: Record<string, string> }).variables;
    archive = await loadFunctionArchive(fn);
    definition = JSON.parse(String(one(run.resources, TYPE.machine, "backup-machine").inputs.definition)) as AslDefinition;
  });

  after(() => fs.rmSync(archive.dir, { recursive: true, force: true }));

  it("takes four turns, retries the killed one with the same cursor, and ends with one set per instance, one manifest, its parts and one notification", async () => {
    const fake = new FakeAws();
    const region = fake.region();
    const vault = environment.BACKUP_DR_VAULT_BUCKET;
    region.addBucket(vault);
    region.addTopic(environment.BACKUP_DR_TOPIC_ARN.split(":").pop() ?? "");
    const tagKey = environment.BACKUP_DR_SELECTION_TAG_KEY ?? "backup-plan";
    const fleet = new Map<string, string[]>();
    for (let n = 0; n < INSTANCES; n += 1) {
      const instance = region.addInstance("running", { [tagKey]: "gold", Name: `gold-${n}` }, Array.from({ length: 1 + (n % 3) }, (_, k) => ({ Name: `vol-${n}-${k}` })));
      fleet.set(instance.id, instance.volumes.map((v) => v.id));
    }
    // prod notifies on failure only; the run's one notification is asserted with notifyOn: always.
    const env = { ...environment, BACKUP_DR_NOTIFY_ON: "always" };

    const server = await startFakeServer(fake);
    const killable = await startKillableServer(fake, (handled) => handled.filter((c) => c.action === "CreateSnapshots").length >= 2);
    const driver = killedTurnDriver({ entry: archive.handler, serverUrl: server.url, killable, killTurn: 2, functionTimeoutSeconds: RUN_FUNCTION_TIMEOUT_SECONDS, context: startsPerTurn("backup", PER_TURN) });
    const { result, abandoned } = await runWithKilledTurn({ definition, input: EVENT, fn: "backup", env, region: REGION, server, killable, driver });

    // The execution: four turns and one retry of the killed turn with the same cursor.
    const events = result.invocations.map((i) => i.payload as { cursor?: { invocation: number; after: string; startedAt: string } });
    // Part keys carry the execution's start (handlers/lib/cursor.ts partKey), as its cursor names it.
    const startedAt = events[1].cursor?.startedAt ?? "";
    const part = (n: number) => partKey(MANIFEST, n, startedAt);
    // The first turn gets the execution input in the run envelope, with the execution start time pinned (infra/run-machine.ts Pin).
    expect(events[0]).to.have.property("input").that.deep.equals(EVENT);
    expect(events[0]).to.have.property("executionStartTime").that.is.a("string");
    expect(events[2]).to.deep.equal(events[1]);
    expect(events.slice(1).map((e) => e.cursor?.invocation)).to.deep.equal([1, 1, 2, 3]);
    const output = result.output as { done: boolean; runId: string; manifest: string; counts: { created: number; skipped: number; failed: number } };
    expect(output).to.deep.include({ done: true, manifest: `s3://${vault}/${MANIFEST}` });

    // The killed turn did reach AWS: two sets made under it, their answers never came; it never answered (refused
    // after the run, it threw) and wrote no part (part 2 is the retry's).
    expect(killable.handled.filter((c) => c.action === "CreateSnapshots")).to.have.length(2);
    expect(abandoned).to.equal("threw");

    // Exactly one snapshot set per instance, all under the run's id, each instance's CreateSnapshots handled once.
    const made = backups(region);
    expect(made.every((b) => b.tags["backup-dr:run"] === output.runId)).to.equal(true);
    for (const [instance, volumes] of fleet) {
      expect(made.filter((b) => b.source === instance).map((b) => b.volumeId).sort(), instance).to.deep.equal([...volumes].sort());
    }
    expect(made).to.have.length([...fleet.values()].flat().length);
    expect(fake.handled("CreateSnapshots")).to.have.length(INSTANCES);

    // One manifest, listing every instance once with its set, nothing failed; the three parts beside it.
    const objects = region.buckets.get(vault) ?? new Map<string, string>();
    expect([...objects.keys()].filter((k) => k.startsWith("runs/")).sort()).to.deep.equal([MANIFEST, part(1), part(2), part(3)].sort());
    const manifest = JSON.parse(objects.get(MANIFEST) ?? "{}") as { invocations: number; parts: string[]; sources: Outcome[]; counts: unknown };
    expect(manifest.invocations).to.equal(4);
    expect(manifest.parts).to.deep.equal([part(1), part(2), part(3)]);
    expect(manifest.sources.map((o) => o.source).sort()).to.deep.equal([...fleet.keys()].sort());
    for (const o of manifest.sources) {
      expect(o.status, o.source).to.be.oneOf(["created", "skipped"]);
      expect([...o.snapshotIds].sort(), o.source).to.deep.equal(made.filter((b) => b.source === o.source).map((b) => b.id).sort());
    }
    // The sets the killed turn made are found by the retry (after the claims' lease), not made again.
    const found = manifest.sources.filter((o) => o.status === "skipped");
    expect(found.map((o) => o.reason)).to.deep.equal(["already exists", "already exists"]);
    expect(output.counts).to.deep.equal({ created: INSTANCES - 2, skipped: 2, failed: 0 });
    expect(manifest.counts).to.deep.equal(output.counts);

    // Each part holds its turn's three instances, in order, none twice; the last turn's are in the manifest only.
    const order = [...fleet.keys()].sort();
    const partSources = [1, 2, 3].map((n) => (JSON.parse(objects.get(part(n)) ?? "{}") as { sources: Outcome[] }).sources.map((o) => o.source));
    expect(partSources).to.deep.equal([order.slice(0, 3), order.slice(3, 6), order.slice(6, 9)]);

    // One notification, for the whole run.
    const sent = notifications(region);
    expect(sent).to.have.length(1);
    expect(sent[0].message).to.include("Invocations: 4");
  });
});
