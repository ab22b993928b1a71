// The Lambda entry, end to end: settings from the environment, both regions through AWS_ENDPOINT_URL, Powertools
// logs and metrics (namespace BackupDr, dimension Plan only).
import { expect } from "chai";
import { handler, type CopyResult } from "../../handlers/copy";
import { FakeAws } from "../helpers/aws-fake";
import { lambdaContext } from "../helpers/lambda-context";
import { addDbBackup, addEbsBackup, copiesOf, copyEnv, DR_KEY_ARN, drCopies, multiVolumeEvent, PRIMARY, primaryRegion, queued, snapshotEvent, SWEEP } from "../helpers/copy-setup";
import { manifests, notifications } from "../helpers/aws-inspect";
import { invokeIsolated } from "../helpers/aws-lambda-run";
import { fakeEndpointEnv, startFakeServer, type FakeServer } from "../helpers/aws-transport";
import { AwsFault } from "../helpers/aws-wire";

const DAY = 86_400_000;
/** Yesterday's gold slot (05:00 UTC): within its 30 days of DR retention whatever the clock says. */
const yesterday = () => new Date(Math.floor((Date.now() - DAY) / DAY) * DAY + 5 * 3_600_000);

describe("copy handler (Lambda entry)", () => {
  let fake: FakeAws;
  let server: FakeServer;
  beforeEach(async () => {
    fake = new FakeAws();
    primaryRegion(fake);
    server = await startFakeServer(fake);
  });
  afterEach(() => server.close());

  const env = (overrides: Record<string, string | undefined> = {}) => ({
    ...copyEnv(),
    ...fakeEndpointEnv(server, PRIMARY),
    POWERTOOLS_LOG_LEVEL: "INFO",
    ...overrides,
  });

  it("copies the snapshots of an event into the DR region and returns where the manifest is", async () => {
    const backups = [addEbsBackup(fake, { slot: yesterday() }), addEbsBackup(fake, { slot: yesterday() })];
    const event = multiVolumeEvent(backups.map((b) => b.id));
    const { result, error } = await invokeIsolated(env(), () => handler(event, lambdaContext("copy")));
    expect(error).to.equal(undefined);
    const key = `runs/copy/2026/11/20/event-2026-11-20T05-09-41Z-${event.id}.json`;
    expect(result).to.deep.equal({
      runId: `event@2026-11-20T05:09:41Z-${event.id}`,
      trigger: "event",
      counts: { started: 2, skipped: 0, deferred: 0, failed: 0, ignored: 0, unencrypted: 0, replaced: 0 },
      manifest: `s3://backup-dr-test-vault/${key}`,
    } satisfies CopyResult);
    for (const b of backups) expect(copiesOf(fake, b.id)[0]).to.deep.include({ encrypted: true, kmsKeyId: DR_KEY_ARN });
    expect([...manifests(fake.region(PRIMARY)).keys()]).to.deep.equal([key]);
  });

  it("copies the snapshots of an event delivered through the copy queue, exactly as for the bare event", async () => {
    const backups = [addEbsBackup(fake, { slot: yesterday() }), addEbsBackup(fake, { slot: yesterday() })];
    const event = multiVolumeEvent(backups.map((b) => b.id));
    const { result, error } = await invokeIsolated(env(), () => handler(queued(event), lambdaContext("copy")));
    expect(error).to.equal(undefined);
    expect(result).to.deep.include({ runId: `event@2026-11-20T05:09:41Z-${event.id}`, trigger: "event" });
    expect(result?.counts.started).to.equal(2);
    for (const b of backups) expect(copiesOf(fake, b.id)).to.have.length(1);
  });

  it("runs a sweep delivered through the copy queue", async () => {
    const backup = addEbsBackup(fake, { slot: yesterday() });
    const { result, error } = await invokeIsolated(env(), () => handler(queued(SWEEP), lambdaContext("copy")));
    expect(error).to.equal(undefined);
    expect(result?.trigger).to.equal("sweep");
    expect(copiesOf(fake, backup.id)).to.have.length(1);
  });

  it("on a sweep, emits counts and OldestUncopiedAgeSeconds per copy-enabled plan, in namespace BackupDr with the Plan dimension only", async () => {
    addDbBackup(fake, "rds", { slot: yesterday(), created: new Date(Date.now() - 3_600_000) });
    const { captured, error } = await invokeIsolated(env(), () => handler(SWEEP, lambdaContext("copy")));
    expect(error).to.equal(undefined);
    expect(captured.metrics.map((m) => m.Plan)).to.deep.equal(["bronze", "gold"]);
    const gold = captured.metrics[1];
    expect(gold).to.deep.include({ Plan: "gold", CopiesStarted: 1, CopiesSkipped: 0, CopiesDeferred: 0, CopiesFailed: 0, CopiesUnencrypted: 0 });
    expect(gold.OldestUncopiedAgeSeconds).to.be.within(3590, 3700);
    expect(gold._aws).to.deep.include({
      CloudWatchMetrics: [
        {
          Namespace: "BackupDr",
          Dimensions: [["Plan"]],
          Metrics: [
            { Name: "CopiesStarted", Unit: "Count" },
            { Name: "CopiesSkipped", Unit: "Count" },
            { Name: "CopiesDeferred", Unit: "Count" },
            { Name: "CopiesFailed", Unit: "Count" },
            { Name: "CopiesUnencrypted", Unit: "Count" },
            { Name: "OldestUncopiedAgeSeconds", Unit: "Seconds" },
          ],
        },
      ],
    });
    expect(captured.metrics[0]).to.deep.include({ Plan: "bronze", OldestUncopiedAgeSeconds: 0 });
    expect(drCopies(fake)).to.have.length(1);
  });

  it("logs structured JSON with the Lambda context and the run id", async () => {
    const backup = addEbsBackup(fake, { slot: yesterday() });
    const event = snapshotEvent(backup.id);
    const { captured } = await invokeIsolated(env(), () => handler(event, lambdaContext("copy")));
    const finished = captured.logs.find((l) => l.message === "copy run finished");
    expect(finished).to.deep.include({ level: "INFO", runId: `event@2026-11-20T05:09:41Z-${event.id}`, function_request_id: lambdaContext("copy").awsRequestId, service: "backup-dr-copy" });
    expect(captured.logs.filter((l) => l.message === "copy started")).to.have.length(1);
  });

  it("an event about someone else's snapshot: counted as ignored, no manifest, no metrics", async () => {
    const foreign = addEbsBackup(fake, { stack: "other/prod", slot: yesterday() });
    const { result, captured } = await invokeIsolated(env(), () => handler(snapshotEvent(foreign.id), lambdaContext("copy")));
    expect(result).to.deep.equal({ runId: result?.runId, trigger: "event", counts: { started: 0, skipped: 0, deferred: 0, failed: 0, ignored: 1, unencrypted: 0, replaced: 0 } });
    expect(captured.metrics).to.deep.equal([]);
    expect(manifests(fake.region(PRIMARY)).size).to.equal(0);
  });

  it("on a failure, finishes, publishes CopiesFailed, notifies the topic and throws RunFailedError", async () => {
    const backups = [addEbsBackup(fake, { slot: yesterday() }), addEbsBackup(fake, { slot: yesterday() })];
    fake.permanent = (call) => (call.action === "CopySnapshot" && call.params.get("SourceSnapshotId") === backups[0].id ? new AwsFault("InvalidParameterValue", 400, "KMS key is disabled") : undefined);
    const { error, captured } = await invokeIsolated(env(), () => handler(multiVolumeEvent(backups.map((b) => b.id)), lambdaContext("copy")));
    expect(error).to.have.property("name", "RunFailedError");
    expect(captured.metrics[0]).to.deep.include({ Plan: "gold", CopiesStarted: 1, CopiesFailed: 1 });
    const [message] = notifications(fake.region(PRIMARY));
    expect(message.subject).to.match(/^backup-dr copy FAILED \(1\): event EBS Multi-Volume Snapshots Completion Status /);
    expect(message.message).to.include(`ebs ${backups[0].id}: InvalidParameterValue: KMS key is disabled`);
    expect(captured.logs.some((l) => l.message === "copy run failed" && l.level === "ERROR")).to.be.true;
  });

  it("notifies after a clean run too when BACKUP_DR_NOTIFY_ON is always", async () => {
    addEbsBackup(fake, { slot: yesterday() });
    await invokeIsolated(env({ BACKUP_DR_NOTIFY_ON: "always" }), () => handler(SWEEP, lambdaContext("copy")));
    const [message] = notifications(fake.region(PRIMARY));
    expect(message.subject).to.match(/^backup-dr copy OK: sweep /);
    expect(message.message).to.include("Started: 1");
  });

  const rejected: [string, unknown, Record<string, string | undefined>, string][] = [
    ["a malformed event", { "detail-type": "EBS Snapshot Notification" }, {}, "MalformedEventError"],
    ["a malformed event through the queue", queued({ "detail-type": "EBS Snapshot Notification" }), {}, "MalformedEventError"],
    ["two queue messages in one invocation", queued(SWEEP, SWEEP), {}, "MalformedEventError"],
    ["a queue message that is not JSON", queued("sweep please"), {}, "MalformedEventError"],
    ["a missing BACKUP_DR_DR_KEY_ARN", SWEEP, { BACKUP_DR_DR_KEY_ARN: undefined }, "MissingSettingError"],
    ["an invalid BACKUP_DR_PLANS", SWEEP, { BACKUP_DR_PLANS: "[{}]" }, "InvalidSettingError"],
    ["a DR region equal to the primary", SWEEP, { BACKUP_DR_DR_REGION: PRIMARY }, "InvalidSettingError"],
  ];
  for (const [what, event, overrides, name] of rejected) {
    it(`rejects ${what} with ${name} before any AWS call`, async () => {
      const { error } = await invokeIsolated(env(overrides), () => handler(event, lambdaContext("copy")));
      expect(error).to.have.property("name", name);
      expect(fake.calls).to.deep.equal([]);
    });
  }
});
