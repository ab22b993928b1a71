// The deployed artifacts of the two restore functions (one per region): each code archive, as the program registers
// it, written to a temp dir, required and invoked against the fake AWS, answers and leaves AWS exactly as the handler
// called directly does; and the region's state machine definition, run by the test interpreter, drives the deployed
// archive to a report and a manifest in that region's vault. (The environment wiring is asserted in restore.spec.ts.)
import { expect } from "chai";
import * as fs from "fs";
import { handler as restoreHandler } from "../../handlers/restore";
import { restoreMachineDefinition, restoreMachineTimeoutSeconds, type AslDefinition } from "../../infra/restore-machine";
import { restoreKinds } from "../../handlers/kinds/registry";
import { archiveFiles, loadFunctionArchive, type LoadedArchive } from "../../tools/bench-artifact/archive";
import { zippedBytes } from "../../tools/bench-artifact/zip";
import { FakeAws } from "../helpers/aws-fake";
import { invokeIsolated } from "../helpers/aws-lambda-run";
import { fakeEndpointEnv, startFakeServer } from "../helpers/aws-transport";
import { VAULT_BUCKET } from "../helpers/backup-fleet";
import { deployStack } from "../helpers/deploy";
import { lambdaContext } from "../helpers/lambda-context";
import { one } from "../helpers/resources";
import { createCalls, DR, PRIMARY, RestoreFleet, restoreEnv } from "../helpers/restore-setup";
import { runStateMachine } from "../helpers/state-machine-run";

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

/** Runs `invoke` in the region against a fresh fake AWS holding a backed-up fleet; returns what it answered and the fake. */
async function inFleet<T>(region: string, invoke: () => Promise<T>) {
  const fake = new FakeAws();
  const fleet = new RestoreFleet(fake);
  await fleet.backup(20);
  const server = await startFakeServer(fake);
  const from = fake.calls.length;
  try {
    const outcome = await invokeIsolated({ ...restoreEnv(region === PRIMARY ? "primary" : "dr"), ...fakeEndpointEnv(server, region) }, invoke);
    return { outcome, fake, calls: fake.calls.slice(from) };
  } finally {
    await server.close();
  }
}

const errorOf = (e: unknown) => (e instanceof Error ? { name: e.name, message: e.message } : { name: typeof e, message: String(e) });
const objectsOf = (fake: FakeAws, region: string) => Object.fromEntries([...(fake.region(region).buckets.get(VAULT_BUCKET) ?? new Map<string, string>())].filter(([k]) => k.startsWith("runs/restore/")));

describe("restore function archives (dev, both regions: serialized, written, required, invoked)", function () {
  this.timeout(180_000);
  const archives: Record<"primary" | "dr", LoadedArchive | undefined> = { primary: undefined, dr: undefined };
  const archive = (side: "primary" | "dr"): Handler => {
    const a = archives[side];
    if (a === undefined) throw new Error(`no ${side} archive loaded`);
    return a.handler;
  };

  /** The DR state machine's definition as the program registers it. */
  let drDefinition: AslDefinition | undefined;
  let drRegion = "";

  before(async () => {
    const run = await deployStack("dev");
    for (const side of ["primary", "dr"] as const) archives[side] = await loadFunctionArchive(one(run.resources, "aws:lambda/function:Function", `${side}-restore`));
    drRegion = run.result.config.drRegion;
    drDefinition = JSON.parse(String(one(run.resources, "aws:sfn/stateMachine:StateMachine", "dr-restore-machine").inputs.definition)) as AslDefinition;
  });

  after(() => {
    for (const a of Object.values(archives)) if (a !== undefined) fs.rmSync(a.dir, { recursive: true, force: true });
  });

  for (const side of ["primary", "dr"] as const) {
    it(`${side}: only a bundle of what the handler reads, under 1 MiB zipped, a few files, no Pulumi`, () => {
      const dir = archives[side]?.dir ?? "";
      const files = archiveFiles(dir);
      expect(files.length).to.be.at.most(16);
      expect(zippedBytes(dir)).to.be.at.most(1024 * 1024);
      expect(files.filter((f) => /node_modules\/(@pulumi|zod)/.test(f))).to.deep.equal([]);
      expect(fs.readFileSync(`${dir}/__index.js`, "utf8")).not.to.match(/require\("@pulumi\//);
      const bundle = fs.readFileSync(`${dir}/node_modules/backup-dr-function-modules/index.js`, "utf8");
      // The manifest's PutObject. (The bundle also carries the other flows' snapshot calls while the registry's
      // restoreKinds() reaches every facet of KIND_MODULES: the role allows none of them.)
      expect(bundle).to.include("PutObjectCommand");
    });
  }

  it("rejects a malformed step event by name before any AWS call, as the handler does", async () => {
    const bad = { step: "rollback" };
    const deployed = await inFleet(DR, () => archive("dr")(bad, lambdaContext()));
    const direct = await inFleet(DR, () => restoreHandler(bad, lambdaContext()));
    expect(errorOf(deployed.outcome.error).name).to.equal("MalformedEventError");
    expect(errorOf(deployed.outcome.error)).to.deep.equal(errorOf(direct.outcome.error));
    expect(deployed.calls).to.deep.equal([]);
  });

  it("a start in the primary region answers, and calls AWS, exactly as the handler does", async () => {
    const event = { step: "start", restoreId: "archive-start-1", startedAt: "2026-11-21T09:00:00.000Z", request: { source: "orders-db", point: "latest" } };
    const deployed = await inFleet(PRIMARY, () => archive("primary")(event, lambdaContext()));
    const direct = await inFleet(PRIMARY, () => restoreHandler(event, lambdaContext()));
    expect(deployed.outcome.result).to.deep.equal(direct.outcome.result);
    expect(errorOf(deployed.outcome.error)).to.deep.equal(errorOf(direct.outcome.error));
    expect(deployed.calls.map((c) => `${c.region} ${c.action}`)).to.deep.equal(direct.calls.map((c) => `${c.region} ${c.action}`));
    expect(deployed.outcome.result ?? deployed.outcome.error).to.not.equal(undefined);
  });

  it("the DR region's machine, as registered, drives the deployed DR archive to a report and a manifest in the DR vault only", async () => {
    const timeout = restoreMachineTimeoutSeconds(restoreKinds().map((k) => k.timeoutMinutes));
    const definition = drDefinition;
    if (definition === undefined) throw new Error("no DR state machine registered");
    expect(definition).to.deep.equal(restoreMachineDefinition(`arn:aws:lambda:${drRegion}:123456789012:function:dr-restore`, timeout));
    const request = { source: "no-such-db", point: "latest" };
    const run = await inFleet(DR, () =>
      runStateMachine(definition, request, { name: "archive-machine-1", startTime: new Date(), invoke: (_resource, payload) => archive("dr")(payload, lambdaContext()) }),
    );
    const result = run.outcome.result;
    if (result === undefined) throw new Error(`the run threw: ${JSON.stringify(errorOf(run.outcome.error))}`);
    expect(result.status).to.equal("FAILED");
    expect(result.invocations.map((i) => (i.payload as { step: string }).step)).to.deep.equal(["start", "report"]);
    expect(createCalls(run.fake).filter((c) => c.region === DR)).to.deep.equal([]);
    const manifests = Object.entries(objectsOf(run.fake, DR));
    expect(manifests.map(([key]) => key)).to.have.length(1);
    expect(manifests[0][0]).to.match(/^runs\/restore\/\d{4}\/\d{2}\/\d{2}\/archive-machine-1\.json$/);
    expect(JSON.parse(manifests[0][1])).to.deep.include({ restoreId: "archive-machine-1", status: "failed", regionRole: "dr", request });
    expect(objectsOf(run.fake, PRIMARY)).to.deep.equal({});
    expect(run.calls.every((c) => c.region === DR)).to.equal(true);
  });
});
