// The deployed artifact of the drill function: its code archive, as the program registers it, written to a temp dir,
// required and invoked against the fake AWS, answers and calls AWS exactly as the handler called directly does; it
// carries the drill's restore and delete calls and none of the backup, copy or cleanup facets' snapshot calls; and the
// environment infra deploys (dev and prod) is one the real handler accepts. (The fake's S3 over HTTP has no
// ListObjectsV2: the watch step is covered by the handler's own specs.)
import { expect } from "chai";
import * as fs from "fs";
import { handler as drillHandler } from "../../handlers/drill";
import type { DrillReport } from "../../handlers/drill/contract";
import { readDrillSettings } from "../../handlers/drill/settings";
import { archiveFiles, loadFunctionArchive, type LoadedArchive } from "../../tools/bench-artifact/archive";
import { zippedBytes } from "../../tools/bench-artifact/zip";
import { invokeAgainstFake } from "./archive-run";
import { deployStack, type Deployed } from "../helpers/deploy";
import { DR, DRILL_ID, drillEnv, drRegion, passedReportEvent, VAULT_BUCKET } from "../helpers/drill-setup";
import { lambdaContext } from "../helpers/lambda-context";
import { one } from "../helpers/resources";

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

const errorOf = (e: unknown) => (e instanceof Error ? { name: e.name, message: e.message } : { name: typeof e, message: String(e) });
const variablesOf = (run: Deployed) => (one(run.resources, "aws:lambda/function:Function", "dr-drill").inputs.environment as { variables: Record<string, string> }).variables;

/** Runs `invoke` in the DR region of a fresh fake AWS (its vault and the drill's topic), with `env`'s settings. */
async function inDr<T>(env: Record<string, string | undefined>, invoke: () => Promise<T>) {
  const { outcome, calls, fake } = await invokeAgainstFake(env, DR, drRegion, invoke);
  return { outcome, calls, objects: [...(fake.region(DR).buckets.get(VAULT_BUCKET)?.keys() ?? [])] };
}

describe("drill function archive (dev: serialized, written, required, invoked)", function () {
  this.timeout(600_000);
  let dev: Deployed;
  let prod: Deployed;
  let archive: LoadedArchive | undefined;
  const deployed = (): Handler => {
    if (archive === undefined) throw new Error("no drill archive loaded");
    return archive.handler;
  };

  before(async () => {
    dev = await deployStack("dev");
    prod = await deployStack("prod");
    archive = await loadFunctionArchive(one(dev.resources, "aws:lambda/function:Function", "dr-drill"));
  });

  after(() => {
    if (archive !== undefined) fs.rmSync(archive.dir, { recursive: true, force: true });
  });

  it("is a bundle of what the handler reads, under 1 MiB zipped, no Pulumi: the drill's restore and delete calls, no other flow's snapshot calls", () => {
    const dir = archive?.dir ?? "";
    expect(zippedBytes(dir)).to.be.at.most(1024 * 1024);
    expect(archiveFiles(dir).filter((f) => /node_modules\/(@pulumi|zod)/.test(f))).to.deep.equal([]);
    expect(fs.readFileSync(`${dir}/__index.js`, "utf8")).not.to.match(/require\("@pulumi\//);
    const bundle = fs.readFileSync(`${dir}/node_modules/backup-dr-function-modules/index.js`, "utf8");
    const calls = [
      "PutObject", "ListObjectsV2", "Publish",
      "CreateVolume", "RegisterImage", "RunInstances", "RestoreDBInstanceFromDBSnapshot", "RestoreDBClusterFromSnapshot",
      "TerminateInstances", "DeleteVolume", "DeregisterImage", "DeleteDBInstance", "DeleteDBCluster",
    ];
    for (const call of calls) expect(bundle, call).to.include(`${call}Command`);
    // The backup, copy and cleanup facets: snapshots made, copied or deleted. A drill never does any of these.
    for (const never of ["CreateSnapshots", "CreateDBSnapshot", "CreateDBClusterSnapshot", "CopySnapshot", "CopyDBSnapshot", "CopyDBClusterSnapshot", "DeleteSnapshot", "DeleteDBSnapshot", "DeleteDBClusterSnapshot"]) {
      expect(bundle, never).not.to.include(`${never}Command`);
    }
  });

  it("rejects a malformed step event by name before any AWS call, as the handler does", async () => {
    const env = drillEnv();
    const bad = { step: "rollback" };
    const fromArchive = await inDr(env, () => deployed()(bad, lambdaContext()));
    const direct = await inDr(env, () => drillHandler(bad, lambdaContext()));
    expect(errorOf(fromArchive.outcome.error).name).to.equal("MalformedEventError");
    expect(errorOf(fromArchive.outcome.error)).to.deep.equal(errorOf(direct.outcome.error));
    expect(fromArchive.calls).to.deep.equal([]);
  });

  for (const stack of ["dev", "prod"] as const) {
    it(`the real handler accepts the environment infra deploys (${stack}): every setting, the drill options as built`, () => {
      const variables = variablesOf(stack === "dev" ? dev : prod);
      const config = (stack === "dev" ? dev : prod).result.config;
      const settings = readDrillSettings(variables);
      expect(settings).to.deep.include({ region: config.drRegion, stackTag: `backup-dr/${stack}`, regionRole: "dr" });
      expect(settings.options).to.deep.equal(JSON.parse(variables.BACKUP_DR_DRILL));
    });
  }

  it("the report step through the archive, with the options dev deploys, answers and calls AWS as the handler does: the manifest in the vault, the metrics", async () => {
    const env = drillEnv({}, { BACKUP_DR_DRILL: variablesOf(dev).BACKUP_DR_DRILL });
    const fromArchive = await inDr(env, () => deployed()(passedReportEvent(), lambdaContext()));
    const direct = await inDr(env, () => drillHandler(passedReportEvent(), lambdaContext()));
    expect(errorOf(fromArchive.outcome.error)).to.deep.equal({ name: "undefined", message: "undefined" });
    const withoutClock = (r: unknown) => ({ ...(r as DrillReport), finishedAt: undefined, summary: undefined });
    expect(withoutClock(fromArchive.outcome.result)).to.deep.equal(withoutClock(direct.outcome.result));
    expect(fromArchive.calls).to.deep.equal(direct.calls);
    expect(fromArchive.calls).to.include(`${DR} PutObject`);
    expect(fromArchive.objects).to.deep.equal([`runs/drill/2026/12/01/${DRILL_ID}.json`]);
    expect(fromArchive.outcome.captured.metrics.map((m) => m.Plan)).to.deep.equal(["gold"]);
    expect((fromArchive.outcome.result as DrillReport).status).to.equal("passed");
  });
});
