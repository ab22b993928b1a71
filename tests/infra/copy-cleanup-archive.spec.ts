// The deployed artifacts of the copy and cleanup functions: each code archive, as the program registers it,
// written to a temp dir, required and invoked, leaves AWS exactly as the handler called directly does.
// (The environment wiring of each function is asserted in copy.spec.ts and cleanup.spec.ts.)
import { expect } from "chai";
import * as fs from "fs";
import { handler as cleanupHandler } from "../../handlers/cleanup";
import { handler as copyHandler } from "../../handlers/copy";
import { archiveFiles, loadFunctionArchive, type LoadedArchive } from "../../tools/bench-artifact/archive";
import { zippedBytes } from "../../tools/bench-artifact/zip";
import { lambdaContext } from "../helpers/lambda-context";
import { addDbBackup, addEbsBackup, copyEnv, copyFinishedEvent, drCopies, PRIMARY, primaryRegion, queued, SWEEP } from "../helpers/copy-setup";
import { FakeAws } from "../helpers/aws-fake";
import { invokeIsolated } from "../helpers/aws-lambda-run";
import { fakeEndpointEnv, startFakeServer } from "../helpers/aws-transport";
import { buildScenario, remaining, shiftScenarioToNow, survivors, type Scenario } from "../helpers/cleanup-scenario";
import { DR, cleanupContext, cleanupEnv } from "../helpers/cleanup-setup";
import { deployStack } from "../helpers/deploy";
import { one } from "../helpers/resources";

const DAY = 86_400_000;

/** Runs `invoke` against the fake AWS `prepare` builds, with `env` plus the fake's endpoint; returns what `observe` sees after. */
async function inFreshAccount<T>(prepare: (fake: FakeAws) => void, env: Record<string, string | undefined>, invoke: () => Promise<unknown>, observe: (fake: FakeAws) => T) {
  const fake = new FakeAws();
  prepare(fake);
  const server = await startFakeServer(fake);
  try {
    const outcome = await invokeIsolated({ ...env, ...fakeEndpointEnv(server, PRIMARY) }, invoke);
    return { outcome, after: observe(fake) };
  } finally {
    await server.close();
  }
}

describe("copy and cleanup function archives (prod, serialized, written, required, invoked)", function () {
  this.timeout(120_000);
  const archives: Record<string, LoadedArchive> = {};

  before(async () => {
    const run = await deployStack("prod");
    for (const name of ["copy", "cleanup"]) archives[name] = await loadFunctionArchive(one(run.resources, "aws:lambda/function:Function", name));
  });

  after(() => {
    for (const a of Object.values(archives)) fs.rmSync(a.dir, { recursive: true, force: true });
  });

  for (const [name, uses, lacks] of [
    ["copy", "CopyDBSnapshot", "CreateSnapshots"],
    ["cleanup", "DeleteDBSnapshot", "CopyDBSnapshot"],
  ] as const) {
    it(`${name}: only a bundle of what its handler reads, under 1 MiB zipped, a few files, no Pulumi`, () => {
      const dir = archives[name].dir;
      const files = archiveFiles(dir);
      expect(files.length).to.be.at.most(16);
      expect(zippedBytes(dir)).to.be.at.most(1024 * 1024);
      expect(files.filter((f) => /node_modules\/(@pulumi|zod)/.test(f))).to.deep.equal([]);
      expect(fs.readFileSync(`${dir}/__index.js`, "utf8")).not.to.match(/require\("@pulumi\//);
      const bundle = fs.readFileSync(`${dir}/node_modules/backup-dr-function-modules/index.js`, "utf8");
      expect(bundle).to.include(uses);
      expect(bundle).not.to.include(lacks);
      // The kinds' restore facets (issue 17) stay in the restore function's archive.
      for (const restoreCall of ["RunInstances", "RestoreDBInstanceFromDBSnapshot", "CreateVolume"]) expect(bundle, restoreCall).not.to.include(restoreCall);
    });
  }

  describe("copy", () => {
    // Yesterday's slot: within the plans' DR retention whatever day the suite runs.
    const slot = () => new Date(Math.floor((Date.now() - DAY) / DAY) * DAY + 5 * 3_600_000);
    const prepare = (fake: FakeAws) => {
      primaryRegion(fake);
      addEbsBackup(fake, { slot: slot() });
      addDbBackup(fake, "rds", { slot: slot() });
      addDbBackup(fake, "aurora", { slot: slot() });
    };
    const observe = (fake: FakeAws) => drCopies(fake).map((c) => ({ ...c, id: undefined })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

    it("a sweep makes the same DR copies, encrypted and tagged the same, as the handler", async () => {
      const direct = await inFreshAccount(prepare, copyEnv(), () => copyHandler(SWEEP, lambdaContext("copy")), observe);
      const deployed = await inFreshAccount(prepare, copyEnv(), () => archives.copy.handler(SWEEP, lambdaContext("copy")), observe);
      expect(direct.outcome.error).to.equal(undefined);
      expect(deployed.outcome.error).to.equal(undefined);
      expect(deployed.after).to.have.length(3);
      expect(deployed.after).to.deep.equal(direct.after);
      const counts = (r: unknown) => (r as { counts: unknown }).counts;
      expect(counts(deployed.outcome.result)).to.deep.equal(counts(direct.outcome.result));
    });

    it("a sweep delivered through the copy queue makes the same DR copies as the bare sweep", async () => {
      const bare = await inFreshAccount(prepare, copyEnv(), () => archives.copy.handler(SWEEP, lambdaContext("copy")), observe);
      const viaQueue = await inFreshAccount(prepare, copyEnv(), () => archives.copy.handler(queued(SWEEP), lambdaContext("copy")), observe);
      expect(viaQueue.outcome.error).to.equal(undefined);
      expect(viaQueue.after).to.have.length(3);
      expect(viaQueue.after).to.deep.equal(bare.after);
    });

    it("a refill (a DR copy-finished event) delivered through the copy queue starts the same copies of its kind as the handler", async () => {
      const event = queued(copyFinishedEvent("snap-0123456789abcdef0"));
      const direct = await inFreshAccount(prepare, copyEnv(), () => copyHandler(event, lambdaContext("copy")), observe);
      const deployed = await inFreshAccount(prepare, copyEnv(), () => archives.copy.handler(event, lambdaContext("copy")), observe);
      expect(deployed.outcome.error).to.equal(undefined);
      expect(deployed.outcome.result).to.deep.include({ trigger: "refill" });
      // The refill is the EBS kind's only: one copy, of the EBS backup.
      expect(deployed.after.map((c) => c.kind)).to.deep.equal(["ebs"]);
      expect(deployed.after).to.deep.equal(direct.after);
    });

    it("rejects two queue messages in one invocation by name before any AWS call", async () => {
      const deployed = await inFreshAccount(prepare, copyEnv(), () => archives.copy.handler(queued(SWEEP, SWEEP), lambdaContext("copy")), (fake) => fake.calls.length);
      expect((deployed.outcome.error as Error).name).to.equal("MalformedEventError");
      expect((deployed.outcome.error as Error).message).to.include("batch size 1");
      expect(deployed.after).to.equal(0);
    });

    it("rejects a malformed event by name before any AWS call, as the handler does", async () => {
      const bad = { sweep: "yes" };
      const deployed = await inFreshAccount(prepare, copyEnv(), () => archives.copy.handler(bad, lambdaContext("copy")), (fake) => fake.calls.length);
      const direct = await inFreshAccount(prepare, copyEnv(), () => copyHandler(bad, lambdaContext("copy")), (fake) => fake.calls.length);
      expect((deployed.outcome.error as Error).name).to.equal("MalformedEventError");
      expect((deployed.outcome.error as Error).message).to.equal((direct.outcome.error as Error).message);
      expect(deployed.after).to.equal(0);
    });
  });

  describe("cleanup", () => {
    const event = { scheduledTime: "2026-11-22T03:30:00Z" };
    let scenario: Scenario | undefined;
    const prepare = (fake: FakeAws) => {
      scenario = buildScenario(fake);
      shiftScenarioToNow(fake, event.scheduledTime, [PRIMARY, DR]);
    };
    const observe = (fake: FakeAws) => {
      if (!scenario) throw new Error("no scenario prepared");
      return { remaining: remaining(fake, scenario), survivors: survivors(scenario), total: scenario.all.length };
    };

    it("deletes exactly what the handler deletes, and keeps the same survivors", async () => {
      const direct = await inFreshAccount(prepare, cleanupEnv(), () => cleanupHandler(event, cleanupContext()), observe);
      const deployed = await inFreshAccount(prepare, cleanupEnv(), () => archives.cleanup.handler(event, cleanupContext()), observe);
      expect(direct.outcome.error).to.equal(undefined);
      expect(deployed.outcome.error).to.equal(undefined);
      expect(deployed.outcome.result).to.deep.equal(direct.outcome.result);
      expect(deployed.after.remaining).to.deep.equal(deployed.after.survivors);
      expect(deployed.after.remaining.length).to.be.lessThan(deployed.after.total);
      expect(deployed.after.remaining).to.deep.equal(direct.after.remaining);
    });

    it("rejects a malformed event by name before any AWS call, as the handler does", async () => {
      const bad = { dryRun: "yes" };
      const deployed = await inFreshAccount(prepare, cleanupEnv(), () => archives.cleanup.handler(bad, cleanupContext()), (fake) => fake.calls.length);
      expect((deployed.outcome.error as Error).name).to.equal("MalformedEventError");
      expect(deployed.after).to.equal(0);
    });
  });
});
