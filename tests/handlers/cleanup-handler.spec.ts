// The Lambda entry, end to end: settings from the environment, both regions through AWS_ENDPOINT_URL, Powertools
// logs and metrics, the notification, and named errors before any AWS call.
import { expect } from "chai";
import { handler } from "../../handlers/cleanup";
import { FakeAws } from "../helpers/aws-fake";
import { notifications } from "../helpers/aws-inspect";
import { invokeIsolated } from "../helpers/aws-lambda-run";
import { fakeEndpointEnv, startFakeServer, type FakeServer } from "../helpers/aws-transport";
import { DR, PRIMARY, cleanupContext, cleanupEnv, cleanupManifests } from "../helpers/cleanup-setup";
import { buildScenario, remaining, shiftScenarioToNow, survivors, type Scenario } from "../helpers/cleanup-scenario";
import { finished, unfinished } from "../helpers/run-steps";

const EVENT = { scheduledTime: "2026-11-22T03:30:00Z" };
const MANIFEST = "s3://backup-dr-test-vault/runs/cleanup/2026/11/22/cleanup-2026-11-22T03-30-00Z.json";

describe("cleanup handler (Lambda entry)", () => {
  let fake: FakeAws;
  let scenario: Scenario;
  let server: FakeServer;
  beforeEach(async () => {
    fake = new FakeAws();
    scenario = buildScenario(fake);
    server = await startFakeServer(fake);
  });
  afterEach(() => server.close());

  const env = (overrides: Record<string, string | undefined> = {}) => ({
    ...cleanupEnv(),
    ...fakeEndpointEnv(server, PRIMARY),
    POWERTOOLS_LOG_LEVEL: "INFO",
    ...overrides,
  });

  // The handler runs on the real clock: move the scenario so its "now" is an hour from now.
  beforeEach(() => shiftScenarioToNow(fake, "2026-11-22T03:30:00Z", [PRIMARY, DR]));

  it("cleans both regions and returns the counts and where the manifest is", async () => {
    const { result, error } = await invokeIsolated(env(), () => handler(EVENT, cleanupContext()));
    expect(error).to.equal(undefined);
    const counts = { deleted: 11, wouldDelete: 0, kept: 34, deferred: 0, failed: 0 };
    expect(result).to.deep.equal({
      runId: "cleanup@2026-11-22T03:30:00Z",
      dryRun: false,
      counts: { deleted: 22, wouldDelete: 0, kept: 68, deferred: 0, failed: 0 },
      regions: [
        { region: PRIMARY, counts, massDeletionStop: false },
        { region: DR, counts, massDeletionStop: false },
      ],
      done: true,
      deadlineStop: false,
      manifest: MANIFEST,
    });
    expect(remaining(fake, scenario)).to.deep.equal(survivors(scenario));
    // Both regions were reached as themselves: requests signed for each region, answered by that region.
    expect(new Set(fake.handled().filter((c) => c.action.startsWith("Delete")).map((c) => c.region))).to.deep.equal(new Set([PRIMARY, DR]));
    expect([...cleanupManifests(fake).keys()]).to.deep.equal([MANIFEST.replace("s3://backup-dr-test-vault/", "")]);
  });

  it("a second run that finds nothing to delete writes no manifest and returns none, but still publishes and notifies (always)", async () => {
    await invokeIsolated(env(), () => handler(EVENT, cleanupContext()));
    const puts = fake.handled("PutObject").length;
    const { result: answer, error, captured } = await invokeIsolated(env({ BACKUP_DR_NOTIFY_ON: "always" }), () => handler({ scheduledTime: "2026-11-23T03:30:00Z" }, cleanupContext()));
    expect(error).to.equal(undefined);
    const result = finished(answer);
    expect(result).to.include({ runId: "cleanup@2026-11-23T03:30:00Z" });
    expect(result).to.not.have.property("manifest");
    expect(result?.counts).to.deep.equal({ deleted: 0, wouldDelete: 0, kept: 68, deferred: 0, failed: 0 });
    expect(fake.handled("PutObject")).to.have.length(puts);
    expect([...cleanupManifests(fake).keys()]).to.have.length(1);
    expect(notifications(fake.region(PRIMARY)).at(-1)?.message).to.include("Manifest: none");
    expect(captured.metrics.flatMap((m) => (m.SnapshotsKept === undefined ? [] : [m.SnapshotsKept]))).to.deep.equal([34, 34]);
  });

  it("emits per-region counts (dimension Region) and manual snapshot counts (Region, Kind), without the service dimension", async () => {
    const { captured } = await invokeIsolated(env(), () => handler(EVENT, cleanupContext()));
    const byRegion = captured.metrics.filter((m) => (m._aws as { CloudWatchMetrics: { Dimensions: string[][] }[] }).CloudWatchMetrics[0].Dimensions[0].length === 1);
    expect(byRegion.map((m) => ({ ...m, _aws: undefined }))).to.deep.equal([
      { _aws: undefined, Region: PRIMARY, SnapshotsDeleted: 11, SnapshotsKept: 34, SnapshotsDeferred: 0, CleanupFailed: 0 },
      { _aws: undefined, Region: DR, SnapshotsDeleted: 11, SnapshotsKept: 34, SnapshotsDeferred: 0, CleanupFailed: 0 },
    ]);
    expect(byRegion[0]._aws).to.deep.include({
      CloudWatchMetrics: [
        {
          Namespace: "BackupDr",
          Dimensions: [["Region"]],
          Metrics: [
            { Name: "SnapshotsDeleted", Unit: "Count" },
            { Name: "SnapshotsKept", Unit: "Count" },
            { Name: "SnapshotsDeferred", Unit: "Count" },
            { Name: "CleanupFailed", Unit: "Count" },
          ],
        },
      ],
    });
    const quota = captured.metrics.filter((m) => "ManualSnapshotsUsed" in m);
    expect(quota.map((m) => [m.Region, m.Kind, m.ManualSnapshotsUsed])).to.deep.equal([
      [PRIMARY, "rds", 13],
      [PRIMARY, "aurora", 12],
      [DR, "rds", 13],
      [DR, "aurora", 12],
    ]);
    expect(quota[0]._aws).to.deep.include({ CloudWatchMetrics: [{ Namespace: "BackupDr", Dimensions: [["Region", "Kind"]], Metrics: [{ Name: "ManualSnapshotsUsed", Unit: "Count" }] }] });
    expect(captured.metrics).to.have.length(6);
    for (const m of captured.metrics) expect(m).to.not.have.property("service");
  });

  it("logs structured JSON with the Lambda context, each deletion and each snapshot kept for a reason to look at", async () => {
    const { captured } = await invokeIsolated(env(), () => handler(EVENT, cleanupContext()));
    const finished = captured.logs.find((l) => l.message === "cleanup run finished");
    expect(finished).to.deep.include({ level: "INFO", runId: "cleanup@2026-11-22T03:30:00Z", function_request_id: cleanupContext().awsRequestId, service: "backup-dr-cleanup" });
    expect(captured.logs.filter((l) => l.message === "snapshot deleted")).to.have.length(22);
    expect(captured.logs.filter((l) => l.message === "snapshot kept" && l.level === "WARN").map((l) => l.reason)).to.include.members(["made by AWS Backup, not by this stack", "no backup-dr:expires tag"]);
  });

  it("a preview ({dryRun: true}) deletes nothing and, with notifyOn always, sends what it would delete", async () => {
    const before = remaining(fake, scenario);
    const { result } = await invokeIsolated(env({ BACKUP_DR_NOTIFY_ON: "always" }), () => handler({ dryRun: true }, cleanupContext()));
    expect(finished(result).dryRun).to.be.true;
    expect(finished(result).counts.wouldDelete).to.equal(22);
    expect(remaining(fake, scenario)).to.deep.equal(before);
    const [message] = notifications(fake.region(PRIMARY));
    expect(message.subject).to.equal("backup-dr cleanup OK (dry run): backup-dr/test");
    expect(message.message).to.include("Would delete: 22").and.include("Would delete:\n");
  });

  it("near the Lambda's time limit it answers a cursor (reading the context's remaining time); invoked with it, the run finishes", async () => {
    let calls = 0;
    const first = await invokeIsolated(env(), () => handler(EVENT, cleanupContext(() => (++calls <= 3 ? 300_000 : 10_000))));
    const { cursor, part } = unfinished(first.result);
    expect(part).to.match(/^s3:\/\/backup-dr-test-vault\/runs\/cleanup\/2026\/11\/22\/cleanup-2026-11-22T03-30-00Z\.part-1-\d{8}T\d{9}Z\.json$/);
    expect(cursor).to.deep.include({ function: "cleanup", runId: "cleanup@2026-11-22T03:30:00Z", dryRun: false, deleted: 3, invocation: 1, parts: [part.replace("s3://backup-dr-test-vault/", "")] });
    // An unfinished invocation publishes no run metrics.
    expect(first.captured.metrics).to.deep.equal([]);
    const second = await invokeIsolated(env(), () => handler({ cursor }, cleanupContext()));
    expect(second.error).to.equal(undefined);
    const result = finished(second.result);
    expect(result.counts).to.deep.include({ deleted: 22, deferred: 0 });
    expect(remaining(fake, scenario)).to.deep.equal(survivors(scenario));
    expect(cleanupManifests(fake).get(MANIFEST.replace("s3://backup-dr-test-vault/", ""))).to.deep.include({ invocations: 2, parts: cursor.parts });
  });

  it("on a mass-deletion stop, notifies, publishes CleanupFailed and throws RunFailedError", async () => {
    const { error, captured } = await invokeIsolated(env({ BACKUP_DR_MAX_DELETE_FRACTION: "0.2" }), () => handler(EVENT, cleanupContext()));
    expect(error).to.have.property("name", "RunFailedError");
    expect(remaining(fake, scenario)).to.have.length(scenario.all.length);
    expect(captured.metrics.filter((m) => "CleanupFailed" in m).map((m) => m.CleanupFailed)).to.deep.equal([1, 1]);
    expect(notifications(fake.region(PRIMARY)).map((n) => n.subject)).to.deep.equal(["backup-dr cleanup FAILED (2): backup-dr/test"]);
    expect(captured.logs.some((l) => l.message === "cleanup run failed" && l.level === "ERROR")).to.be.true;
  });

  const rejected: [string, unknown, Record<string, string | undefined>, string][] = [
    ["an unknown event field", { scheduledTime: "2026-11-22T03:30:00Z", force: true }, {}, "MalformedEventError"],
    ["a dryRun that is not a boolean", { dryRun: "false" }, {}, "MalformedEventError"],
    ["a malformed time", { scheduledTime: "2026-11-22" }, {}, "MalformedEventError"],
    ["a missing BACKUP_DR_STACK", EVENT, { BACKUP_DR_STACK: undefined }, "MissingSettingError"],
    ["a missing BACKUP_DR_DR_REGION", EVENT, { BACKUP_DR_DR_REGION: undefined }, "MissingSettingError"],
    ["an invalid BACKUP_DR_MAX_DELETE_FRACTION", EVENT, { BACKUP_DR_MAX_DELETE_FRACTION: "2" }, "InvalidSettingError"],
  ];
  for (const [what, event, overrides, name] of rejected) {
    it(`rejects ${what} with ${name} before any AWS call`, async () => {
      const { error } = await invokeIsolated(env(overrides), () => handler(event, cleanupContext()));
      expect(error).to.have.property("name", name);
      expect(fake.calls).to.deep.equal([]);
    });
  }
});
