// The deployed artifact is the tested artifact: the backup function's code archive, as the program
// registers it (Pulumi's serializeFunction + the packages it carries), written to a temp dir, required
// and invoked with the function's own environment, does exactly what the handler does called directly.
import { expect } from "chai";
import * as fs from "fs";
import { isBuiltin } from "module";
import { handler } from "../../handlers/backup";
import { archiveFiles, loadFunctionArchive, type LoadedArchive } from "../../tools/bench-artifact/archive";
import { zippedBytes } from "../../tools/bench-artifact/zip";
import { lambdaContext } from "../helpers/lambda-context";
import { FakeAws, REGION } from "../helpers/aws-fake";
import { buildFleet, goldSources } from "../helpers/backup-fleet";
import { backups } from "../helpers/aws-inspect";
import { invokeIsolated } from "../helpers/aws-lambda-run";
import { fakeEndpointEnv, startFakeServer } from "../helpers/aws-transport";
import { deployStack } from "../helpers/deploy";
import { one } from "../helpers/resources";

const EVENT = { plan: "gold", scheduledTime: "2026-11-22T05:00:00Z" };

describe("backup function archive (prod, serialized, written, required, invoked)", function () {
  this.timeout(120_000);
  let archive: LoadedArchive;
  let environment: Record<string, string>;

  before(async () => {
    const run = await deployStack("prod");
    const fn = one(run.resources, "aws:lambda/function:Function", "backup");
    environment = (fn.inputs.environment as { variables: Record<string, string> }).variables;
    archive = await loadFunctionArchive(fn);
  });

  after(() => fs.rmSync(archive.dir, { recursive: true, force: true }));

  it("carries only a bundle of what the handler reads: under 1 MiB zipped, a few files, no Pulumi", () => {
    const files = archiveFiles(archive.dir);
    expect(files).to.include.members(["__index.js", "node_modules/backup-dr-function-modules/index.js", "node_modules/@aws-sdk/client-ec2/dist-cjs/index.js"]);
    expect(files.length).to.be.at.most(16);
    expect(zippedBytes(archive.dir)).to.be.at.most(1024 * 1024);
    expect(files.filter((f) => /node_modules\/(@pulumi|zod)/.test(f))).to.deep.equal([]);
    expect(fs.readFileSync(`${archive.dir}/__index.js`, "utf8")).not.to.match(/require\("@pulumi\//);
    // The SDK runs from the bundle (the pinned version the tests ran): it requires nothing but Node built-ins.
    const bundle = fs.readFileSync(`${archive.dir}/node_modules/backup-dr-function-modules/index.js`, "utf8");
    const required = [...bundle.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]).filter((m) => !isBuiltin(m));
    // Except the SDK's optional CRT signer (SigV4a only), which it loads in a try and which no build carries.
    expect(required.filter((m) => m !== "@aws-sdk/signature-v4-crt")).to.deep.equal([]);
    // Only what this handler uses: it creates snapshots; it neither copies nor deletes them.
    expect(bundle).to.include("CreateSnapshots");
    expect(bundle).not.to.include("CopySnapshot");
    expect(bundle).not.to.include("DeleteDBSnapshot");
    // Nor does it restore (the kinds' restore facets, issue 17, stay in the restore function's archive).
    for (const restoreCall of ["RunInstances", "RestoreDBInstanceFromDBSnapshot", "CreateVolume"]) expect(bundle, restoreCall).not.to.include(restoreCall);
  });

  /** Runs `invoke` against a fresh fake AWS holding the same fleet, the vault and the topic the stack deploys. */
  async function inFreshAccount(invoke: () => Promise<unknown>, prepare: (fake: FakeAws) => void = () => undefined) {
    const fake = new FakeAws();
    const fleet = buildFleet(fake);
    prepare(fake);
    fake.region().addBucket(environment.BACKUP_DR_VAULT_BUCKET);
    fake.region().addTopic(environment.BACKUP_DR_TOPIC_ARN.split(":").pop() ?? "");
    const server = await startFakeServer(fake);
    try {
      const outcome = await invokeIsolated({ ...environment, ...fakeEndpointEnv(server, REGION) }, invoke);
      // Concurrency may create them in any order: compare as sorted lists.
      const made = backups(fake.region())
        .map((b) => ({ source: b.source, volume: b.kind === "ec2" ? b.volumeId : undefined, tags: b.tags }))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      const vault = fake.region().buckets.get(environment.BACKUP_DR_VAULT_BUCKET) ?? new Map<string, string>();
      const manifestKeys = [...vault.keys()].filter((key) => key.startsWith("runs/"));
      // Each instance's claim, recorded with the set made under it.
      const claims = [...vault].filter(([key]) => key.startsWith("locks/")).map(([key, body]) => ({ key, snapshotIds: (JSON.parse(body) as { snapshotIds?: string[] }).snapshotIds?.length ?? 0 }));
      return { outcome, made, manifestKeys, claims, fleet, fake };
    } finally {
      await server.close();
    }
  }

  it("backs up the same sources with the same catalog tags and returns the same result as the handler", async () => {
    const direct = await inFreshAccount(() => handler(EVENT, lambdaContext()));
    const deployed = await inFreshAccount(() => archive.handler(EVENT, lambdaContext()));

    expect(direct.outcome.error).to.equal(undefined);
    expect(deployed.outcome.error).to.equal(undefined);
    expect(deployed.outcome.result).to.deep.equal(direct.outcome.result);
    expect(deployed.made.length).to.be.greaterThan(0);
    expect(new Set(deployed.made.map((b) => b.source))).to.deep.equal(new Set(goldSources(deployed.fleet)));
    expect(deployed.made).to.deep.equal(direct.made);
    expect(deployed.manifestKeys).to.deep.equal(["runs/backup/2026/11/22/gold-2026-11-22T05-00-00Z.json"]);
    expect(deployed.claims.map((c) => c.key).sort()).to.deep.equal([...deployed.fleet.gold.ec2.keys()].map((i) => `locks/backup/gold-2026-11-22T05-00-00Z/${i}.json`).sort());
    expect(deployed.claims.every((c) => c.snapshotIds > 0)).to.equal(true);
    expect(deployed.made[0].tags).to.deep.include({ "backup-dr:stack": "backup-dr/prod", "backup-dr:plan": "gold" });
  });

  it("continues a run with the cursor it answered, as the handler does (the cursor code survives serialization)", async () => {
    const twoTurns = (entry: (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>) => async () => {
      let checks = 0;
      const first = (await entry(EVENT, lambdaContext("backup", () => (++checks <= 4 ? 900_000 : 10_000)))) as { done: boolean; cursor?: unknown };
      const second = await entry({ cursor: first.cursor }, lambdaContext());
      return { first: { done: first.done }, second };
    };
    const direct = await inFreshAccount(twoTurns((event, context) => handler(event, context)));
    const deployed = await inFreshAccount(twoTurns((event, context) => archive.handler(event, context)));
    expect(deployed.outcome.error).to.equal(undefined);
    expect(deployed.outcome.result).to.deep.equal(direct.outcome.result);
    const turns = deployed.outcome.result as { first: unknown; second: unknown } | undefined;
    expect(turns?.first).to.deep.equal({ done: false });
    expect(turns?.second).to.deep.include({ done: true });
    expect(deployed.manifestKeys.sort()).to.have.length(2).and.satisfy(([manifest, part]: string[]) => manifest === "runs/backup/2026/11/22/gold-2026-11-22T05-00-00Z.json" && /^runs\/backup\/2026\/11\/22\/gold-2026-11-22T05-00-00Z\.part-1-\d{8}T\d{9}Z\.json$/.test(part));
    expect(deployed.made).to.deep.equal(direct.made);
  });

  it("rejects a malformed event by name, as the handler does", async () => {
    const deployed = await inFreshAccount(() => archive.handler({ plan: "gold", scheduledTime: "yesterday" }, lambdaContext()));
    const direct = await inFreshAccount(() => handler({ plan: "gold", scheduledTime: "yesterday" }, lambdaContext()));
    expect((deployed.outcome.error as Error).name).to.equal("MalformedEventError");
    expect((deployed.outcome.error as Error).message).to.equal((direct.outcome.error as Error).message);
    expect(deployed.made).to.deep.equal([]);
  });

  it("makes one snapshot set per instance when every CreateSnapshots answer is lost after AWS acted (connection reset)", async () => {
    const loseEvery = (fake: FakeAws) => void fake.loseAnswers({ rate: 1, kinds: ["timeout"], seed: 1, actions: ["CreateSnapshots"] });
    const direct = await inFreshAccount(() => handler(EVENT, lambdaContext()), loseEvery);
    const deployed = await inFreshAccount(() => archive.handler(EVENT, lambdaContext()), loseEvery);
    expect(deployed.outcome.error).to.equal(undefined);
    expect(deployed.outcome.result).to.deep.equal(direct.outcome.result);
    expect(deployed.fake.handled("CreateSnapshots").every((c) => c.lost === "timeout")).to.be.true;
    for (const [instance, volumes] of deployed.fleet.gold.ec2) {
      expect(deployed.made.filter((b) => b.source === instance).map((b) => b.volume).sort(), instance).to.deep.equal([...volumes].sort());
    }
    expect(deployed.made).to.deep.equal(direct.made);
  });
});
