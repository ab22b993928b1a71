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
import { DR, PRIMARY, RestoreFleet, restoreEnv } from "../helpers/restore-setup";
import type { FakeCall } from "../helpers/aws-fake";
import { runStateMachine } from "../helpers/state-machine-run";
import { fakeRestoreNetwork } from "../helpers/aws-fake-restore-state";

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

/** The region's restore network as the fake AWS has it (its subnets, security groups and DB subnet group). */
function networkOf(region: string): string {
  const { subnetIds, securityGroupIds, dbSubnetGroup } = fakeRestoreNetwork(region);
  return JSON.stringify({ subnetIds, securityGroupIds, dbSubnetGroup });
}

/**
 * Runs `invoke` in the region against a fresh fake AWS holding a fleet backed up on the 20th (and copied to DR);
 * returns what it answered, the fake and the calls the invocation made.
 */
async function inFleet<T>(region: string, invoke: () => Promise<T>) {
  const fake = new FakeAws();
  const fleet = new RestoreFleet(fake);
  await fleet.copy(await fleet.backup(20), new Date("2026-11-20T06:00:00Z"));
  const server = await startFakeServer(fake);
  const from = fake.calls.length;
  try {
    const env = { ...restoreEnv(region === PRIMARY ? "primary" : "dr", { BACKUP_DR_RESTORE_NETWORK: networkOf(region) }), ...fakeEndpointEnv(server, region) };
    const outcome = await invokeIsolated(env, invoke);
    return { outcome, fake, calls: fake.calls.slice(from) };
  } finally {
    await server.close();
  }
}

/** The calls that create something (what a refused restore never sends). */
const creates = (calls: FakeCall[]) => calls.filter((c) => /^(Create|Run|Register|Restore|Copy)/.test(c.action));
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
    it(`${side}: only a bundle of what the handler reads, under 1 MiB zipped, a few files, no Pulumi, no snapshot delete or copy`, () => {
      const dir = archives[side]?.dir ?? "";
      const files = archiveFiles(dir);
      expect(files.length).to.be.at.most(16);
      expect(zippedBytes(dir)).to.be.at.most(1024 * 1024);
      expect(files.filter((f) => /node_modules\/(@pulumi|zod)/.test(f))).to.deep.equal([]);
      expect(fs.readFileSync(`${dir}/__index.js`, "utf8")).not.to.match(/require\("@pulumi\//);
      const bundle = fs.readFileSync(`${dir}/node_modules/backup-dr-function-modules/index.js`, "utf8");
      // The manifest's PutObject and the restore calls; none of the other flows' snapshot calls (the registry's
      // restore table carries only the restore facets; the lock calls of every facet's KindBase do travel, and the
      // role allows none of them).
      for (const call of ["PutObject", "CreateVolume", "RegisterImage", "RunInstances", "DeregisterImage", "RestoreDBInstanceFromDBSnapshot", "RestoreDBClusterFromSnapshot", "CreateDBInstance"]) {
        expect(bundle, call).to.include(`${call}Command`);
      }
      for (const never of ["DeleteSnapshot", "DeleteDBSnapshot", "DeleteDBClusterSnapshot", "CopySnapshot", "CopyDBSnapshot", "CreateSnapshots", "CreateDBSnapshot"]) {
        expect(bundle, never).not.to.include(`${never}Command`);
      }
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
    expect(errorOf(deployed.outcome.error)).to.deep.equal({ name: "undefined", message: "undefined" });
    expect(deployed.outcome.result).to.deep.include({ status: "pending", kind: "rds", source: "orders-db" });
    expect(creates(deployed.calls).map((c) => `${c.region} ${c.action}`)).to.deep.equal([`${PRIMARY} RestoreDBInstanceFromDBSnapshot`]);
  });

  it("the DR region's machine, as registered, drives the deployed DR archive through a whole restore from a DR copy, in the DR region only", async () => {
    const definition = drDefinition;
    if (definition === undefined) throw new Error("no DR state machine registered");
    const request = { source: "orders-db", point: "latest" };
    const run = await inFleet(DR, () =>
      runStateMachine(definition, request, { name: "archive-machine-ok", startTime: new Date(), invoke: (_resource, payload) => archive("dr")(payload, lambdaContext()) }),
    );
    const result = run.outcome.result;
    if (result === undefined) throw new Error(`the run threw: ${JSON.stringify(errorOf(run.outcome.error))}`);
    expect([result.status, result.error, result.cause]).to.deep.equal(["SUCCEEDED", undefined, undefined]);
    const steps = result.invocations.map((i) => (i.payload as { step: string }).step);
    expect([steps[0], steps[steps.length - 2], steps[steps.length - 1]]).to.deep.equal(["start", "validate", "report"]);
    expect(result.output).to.deep.include({ restoreId: "archive-machine-ok", status: "succeeded", kind: "rds", source: "orders-db" });
    expect(creates(run.calls).map((c) => `${c.region} ${c.action}`)).to.deep.equal([`${DR} RestoreDBInstanceFromDBSnapshot`]);
    expect(run.calls.every((c) => c.region === DR)).to.equal(true);
    expect(Object.keys(objectsOf(run.fake, DR))).to.have.length(1);
    expect(Object.keys(objectsOf(run.fake, DR))[0]).to.match(/archive-machine-ok\.json$/);
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
    expect(creates(run.calls)).to.deep.equal([]);
    const manifests = Object.entries(objectsOf(run.fake, DR));
    expect(manifests.map(([key]) => key)).to.have.length(1);
    expect(manifests[0][0]).to.match(/^runs\/restore\/\d{4}\/\d{2}\/\d{2}\/archive-machine-1\.json$/);
    expect(JSON.parse(manifests[0][1])).to.deep.include({ restoreId: "archive-machine-1", status: "failed", regionRole: "dr", request });
    expect(objectsOf(run.fake, PRIMARY)).to.deep.equal({});
    expect(run.calls.every((c) => c.region === DR)).to.equal(true);
  });
});
