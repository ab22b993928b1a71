// The deployed artifact of the report function: its code archive, as the program registers it (dev), written to a temp
// dir, required and invoked against the fake AWS over HTTP (both regions), answers and calls AWS exactly as the handler
// called directly does; it carries the read calls the report makes and none of another flow's snapshot, copy, restore or
// delete calls; and the environment infra deploys (dev and prod) is one the real handler accepts. The coverage step
// runs on the real clock here (the archive's handler builds its own), so the fleet is laid out relative to now.
import { expect } from "chai";
import * as fs from "fs";
import { handler as reportHandler } from "../../handlers/report";
import type { CoverageResult } from "../../handlers/report/contract";
import { readReportSettings } from "../../handlers/report/settings";
import { archiveFiles, loadFunctionArchive, type LoadedArchive } from "../../tools/bench-artifact/archive";
import { zippedBytes } from "../../tools/bench-artifact/zip";
import type { FakeAws } from "../helpers/aws-fake";
import { invokeAgainstFake } from "./archive-run";
import { deployStack, type Deployed } from "../helpers/deploy";
import { lambdaContext } from "../helpers/lambda-context";
import { DR, PRIMARY, addSource, backUp, reportEnv } from "../helpers/report-setup";
import { one } from "../helpers/resources";

type Handler = (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

const HOUR = 3_600_000;
const errorOf = (e: unknown) => (e instanceof Error ? { name: e.name, message: e.message } : { name: typeof e, message: String(e) });
const variablesOf = (run: Deployed) => (one(run.resources, "aws:lambda/function:Function", "report").inputs.environment as { variables: Record<string, string> }).variables;

/**
 * Gold (every 6 hours UTC, copied): an instance backed up at the latest slot at least 10 minutes old and copied 5
 * minutes later (in policy in both regions), and a DB instance created two days ago and never backed up (out of policy).
 */
function fleet(fake: FakeAws): void {
  const now = Date.now();
  let slot = Math.floor(now / (6 * HOUR)) * 6 * HOUR;
  if (now - slot < 10 * 60_000) slot -= 6 * HOUR;
  const web = addSource(fake, "ec2", "gold", new Date(now - 30 * 24 * HOUR), "web-1");
  backUp(fake, "ec2", web, "gold", new Date(slot), { copyAfterMinutes: 5 });
  addSource(fake, "rds", "gold", new Date(now - 48 * HOUR), "orders-db");
}

/** Runs `invoke` against a fresh fake AWS (both regions, `setup` applied) over HTTP, with `env`'s settings; calls sorted. */
async function inFake<T>(env: Record<string, string | undefined>, setup: (fake: FakeAws) => void, invoke: () => Promise<T>) {
  const { outcome, calls } = await invokeAgainstFake(env, PRIMARY, setup, invoke);
  return { outcome, calls: [...calls].sort() };
}

describe("report function archive (dev: serialized, written, required, invoked)", function () {
  this.timeout(600_000);
  let dev: Deployed;
  let prod: Deployed;
  let archive: LoadedArchive | undefined;
  const deployed = (): Handler => {
    if (archive === undefined) throw new Error("no report archive loaded");
    return archive.handler;
  };

  before(async () => {
    dev = await deployStack("dev");
    prod = await deployStack("prod");
    archive = await loadFunctionArchive(one(dev.resources, "aws:lambda/function:Function", "report"));
  });

  after(() => {
    if (archive !== undefined) fs.rmSync(archive.dir, { recursive: true, force: true });
  });

  it("is a bundle of what the handler reads, under 1 MiB zipped, no Pulumi, no zod: the report's read calls, no other flow's writes", () => {
    const dir = archive?.dir ?? "";
    expect(zippedBytes(dir)).to.be.at.most(1024 * 1024);
    expect(archiveFiles(dir).filter((f) => /node_modules\/(@pulumi|zod)/.test(f))).to.deep.equal([]);
    expect(fs.readFileSync(`${dir}/__index.js`, "utf8")).not.to.match(/require\("@pulumi\//);
    const bundle = fs.readFileSync(`${dir}/node_modules/backup-dr-function-modules/index.js`, "utf8");
    for (const call of ["DescribeInstances", "DescribeSnapshots", "DescribeDBInstances", "DescribeDBClusters", "DescribeDBSnapshots", "DescribeDBClusterSnapshots"]) {
      expect(bundle, call).to.match(new RegExp(`${call}Command|paginate${call}`));
    }
    const never = [
      "CreateSnapshots", "CreateDBSnapshot", "CreateDBClusterSnapshot", "CopySnapshot", "CopyDBSnapshot", "CopyDBClusterSnapshot",
      "DeleteSnapshot", "DeleteDBSnapshot", "DeleteDBClusterSnapshot", "RunInstances", "RestoreDBInstanceFromDBSnapshot", "TerminateInstances", "DeleteDBInstance",
    ];
    for (const call of never) expect(bundle, call).not.to.include(`${call}Command`);
  });

  it("rejects a malformed event by name before any AWS call, as the handler does", async () => {
    for (const bad of [{ step: "rollback" }, {}, "coverage", null]) {
      const fromArchive = await inFake(reportEnv(), () => undefined, () => deployed()(bad, lambdaContext()));
      const direct = await inFake(reportEnv(), () => undefined, () => reportHandler(bad, lambdaContext()));
      expect(errorOf(fromArchive.outcome.error).name, JSON.stringify(bad)).to.equal("MalformedEventError");
      expect(errorOf(fromArchive.outcome.error)).to.deep.equal(errorOf(direct.outcome.error));
      expect(fromArchive.calls).to.deep.equal([]);
    }
  });

  for (const stack of ["dev", "prod"] as const) {
    it(`the real handler accepts the environment infra deploys (${stack})`, () => {
      const run = stack === "dev" ? dev : prod;
      const { config } = run.result;
      const settings = readReportSettings({ ...variablesOf(run), AWS_REGION: config.region });
      const text = JSON.stringify(settings);
      for (const value of [`backup-dr/${stack}`, config.region, config.drRegion, ...config.plans.map((p) => p.name)]) expect(text, value).to.include(value);
    });
  }

  it("the coverage step through the archive answers, publishes and calls AWS as the handler does: the never-backed-up DB flagged, the backed-up instance not", async () => {
    const event = { step: "coverage" };
    const fromArchive = await inFake(reportEnv(), fleet, () => deployed()(event, lambdaContext()));
    const direct = await inFake(reportEnv(), fleet, () => reportHandler(event, lambdaContext()));
    expect(errorOf(fromArchive.outcome.error)).to.deep.equal({ name: "undefined", message: "undefined" });
    const result = fromArchive.outcome.result as CoverageResult;
    const withoutClock = (r: unknown) => ({ ...(r as CoverageResult), checkedAt: undefined });
    expect(withoutClock(result)).to.deep.equal(withoutClock(direct.outcome.result));
    expect(fromArchive.calls).to.deep.equal(direct.calls);
    expect(result.errors).to.deep.equal([]);
    const gold = result.plans.find((p) => p.plan === "gold");
    expect(gold).to.deep.include({ sources: 2, outOfPolicy: 1 });
    expect(gold?.examples).to.have.length(1);
    expect(gold?.examples[0]).to.match(/^orders-db: /);
    expect(result.outOfPolicy).to.equal(1);
    // Read-only: describe calls only, in both regions.
    expect(fromArchive.calls.filter((c) => !/ Describe/.test(c))).to.deep.equal([]);
    expect([...new Set(fromArchive.calls.map((c) => c.split(" ")[0]))].sort()).to.deep.equal([DR, PRIMARY].sort());
    // The coverage metric set per plan, 0 included, through the archive's own Powertools.
    const published = fromArchive.outcome.captured.metrics.map((m) => ({ plan: m.Plan, out: m.SourcesOutOfPolicy, checked: m.SourcesChecked }));
    expect(published).to.have.deep.members([
      { plan: "gold", out: 1, checked: 2 },
      { plan: "silver", out: 0, checked: 0 },
    ]);
  });
});
