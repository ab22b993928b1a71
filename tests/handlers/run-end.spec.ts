// The shared end of run (handlers/lib/run-end.ts): manifest, metrics, notification per notifyOn, finish log, then
// RunFailedError naming every failure, in that order, with a failed manifest write or notification still finishing.
import { expect } from "chai";
import { metricSet } from "../../handlers/lib/metrics";
import { finishRun, type RunEnd, type RunEndDeps } from "../../handlers/lib/run-end";
import { fakeClients } from "../helpers/aws-clients";
import { FakeAws } from "../helpers/aws-fake";
import { TOPIC_NAME, VAULT_BUCKET } from "../helpers/backup-fleet";
import { manifests, notifications } from "../helpers/aws-inspect";
import { AwsFault } from "../helpers/aws-wire";

const KEY = "runs/backup/2026/11/22/gold-2026-11-22T05-00-00Z.json";
const URI = `s3://${VAULT_BUCKET}/${KEY}`;
const METRICS = metricSet("backupRun", { Plan: "gold" }, { BackupsCreated: 3, BackupsSkipped: 1, BackupsFailed: 0 });

describe("end of run (finishRun)", () => {
  let fake: FakeAws;
  let topicArn: string;
  /** Every effect in the order it happened: AWS actions (first attempts), metric sets, log lines. */
  let timeline: string[];
  let failing: Set<string>;
  let deps: RunEndDeps;
  let logged: { message: string; attributes: Record<string, unknown> }[];

  beforeEach(() => {
    fake = new FakeAws();
    fake.region().addBucket(VAULT_BUCKET);
    topicArn = fake.region().addTopic(TOPIC_NAME);
    timeline = [];
    failing = new Set();
    logged = [];
    fake.permanent = (call) => {
      if (call.attempt === 1) timeline.push(call.action);
      return failing.has(call.action) ? new AwsFault("AccessDenied", 403, `not allowed to ${call.action}`) : undefined;
    };
    const clients = fakeClients(fake);
    const log = (message: string, attributes: Record<string, unknown>) => {
      timeline.push(`log ${message}`);
      logged.push({ message, attributes });
    };
    deps = { s3: clients.s3, sns: clients.sns, log: { info: log, warn: log, error: log }, publishMetrics: (m) => void timeline.push(`metrics ${m.set} ${JSON.stringify(m.values)}`) };
  });

  const end = (overrides: Partial<RunEnd> = {}): RunEnd => ({
    function: "backup",
    runId: "gold@2026-11-22T05:00:00Z",
    manifest: { function: "backup", runId: "gold@2026-11-22T05:00:00Z" },
    bucket: VAULT_BUCKET,
    key: KEY,
    metrics: [METRICS],
    failures: [],
    notifyOn: "failure",
    topicArn,
    message: (uri, problems) => ({ subject: `run ${problems.length}`, lines: [`Manifest: ${uri}`, ...problems] }),
    summary: { runId: "gold@2026-11-22T05:00:00Z", counts: { created: 3 } },
    ...overrides,
  });

  async function finishError(e: RunEnd): Promise<Error & { failures?: string[]; runId?: string }> {
    try {
      await finishRun(deps, e);
    } catch (error) {
      if (error instanceof Error) return error;
    }
    throw new Error("expected finishRun to throw");
  }

  it("writes the manifest, publishes the metrics and logs the finish of a clean run, without a notification", async () => {
    expect(await finishRun(deps, end())).to.equal(URI);
    expect(timeline).to.deep.equal(["PutObject", `metrics backupRun {"BackupsCreated":3,"BackupsSkipped":1,"BackupsFailed":0}`, "log backup run finished"]);
    expect(manifests(fake.region()).get(KEY)).to.deep.equal({ function: "backup", runId: "gold@2026-11-22T05:00:00Z" });
    expect(notifications(fake.region())).to.deep.equal([]);
    expect(logged).to.deep.equal([{ message: "backup run finished", attributes: { runId: "gold@2026-11-22T05:00:00Z", counts: { created: 3 }, manifest: URI, failures: [] } }]);
  });

  it("without a key (the run changed nothing) writes no manifest but still publishes, notifies per notifyOn and logs", async () => {
    expect(await finishRun(deps, end({ key: undefined, notifyOn: "always" }))).to.equal(undefined);
    expect(timeline).to.deep.equal([`metrics backupRun {"BackupsCreated":3,"BackupsSkipped":1,"BackupsFailed":0}`, "Publish", "log backup run finished"]);
    expect(fake.region().buckets.get(VAULT_BUCKET)?.size).to.equal(0);
    expect(notifications(fake.region())).to.deep.equal([{ topicArn, subject: "run 0", message: "Manifest: undefined" }]);
    expect(logged[0].attributes).to.include({ manifest: "none (the run changed nothing)" });
  });

  it("notifies after a clean run when notifyOn is always, between the metrics and the log", async () => {
    await finishRun(deps, end({ notifyOn: "always" }));
    expect(timeline).to.deep.equal(["PutObject", `metrics backupRun {"BackupsCreated":3,"BackupsSkipped":1,"BackupsFailed":0}`, "Publish", "log backup run finished"]);
    expect(notifications(fake.region())).to.deep.equal([{ topicArn, subject: "run 0", message: `Manifest: ${URI}` }]);
  });

  it("on a failed run does every step, then throws RunFailedError naming each failure", async () => {
    const error = await finishError(end({ failures: ["ebs vol-1: SnapshotLimitExceeded: too many"] }));
    expect(timeline).to.deep.equal(["PutObject", `metrics backupRun {"BackupsCreated":3,"BackupsSkipped":1,"BackupsFailed":0}`, "Publish", "log backup run finished"]);
    expect(error.name).to.equal("RunFailedError");
    expect(error.message).to.equal("Run gold@2026-11-22T05:00:00Z finished with 1 failure: ebs vol-1: SnapshotLimitExceeded: too many");
    expect(error.failures).to.deep.equal(["ebs vol-1: SnapshotLimitExceeded: too many"]);
    expect(logged[0].attributes.failures).to.deep.equal(["ebs vol-1: SnapshotLimitExceeded: too many"]);
  });

  it("publishes every metric set, in order", async () => {
    const quota = metricSet("cleanupQuota", { Region: "us-east-1", Kind: "rds" }, { ManualSnapshotsUsed: 13 });
    await finishRun(deps, end({ metrics: [METRICS, quota] }));
    expect(timeline.filter((t) => t.startsWith("metrics"))).to.deep.equal([`metrics backupRun {"BackupsCreated":3,"BackupsSkipped":1,"BackupsFailed":0}`, `metrics cleanupQuota {"ManualSnapshotsUsed":13}`]);
  });

  it("a manifest that cannot be written fails the run, still publishes the metrics and tells the notification why", async () => {
    failing.add("PutObject");
    const error = await finishError(end());
    const problem = `writing the manifest ${URI}: AccessDenied: not allowed to PutObject`;
    expect(timeline).to.deep.equal(["PutObject", `metrics backupRun {"BackupsCreated":3,"BackupsSkipped":1,"BackupsFailed":0}`, "Publish", "log backup run finished"]);
    expect(notifications(fake.region())).to.deep.equal([{ topicArn, subject: "run 1", message: `Manifest: ${URI}\n${problem}` }]);
    expect(error.failures).to.deep.equal([problem]);
  });

  it("a notification that cannot be sent is a failure too, logged and thrown after everything else", async () => {
    failing.add("Publish");
    const error = await finishError(end({ failures: ["rds db-1: InvalidDBInstanceState: stopped"] }));
    const problem = `notifying ${topicArn}: AccessDenied: not allowed to Publish`;
    expect(timeline).to.deep.equal(["PutObject", `metrics backupRun {"BackupsCreated":3,"BackupsSkipped":1,"BackupsFailed":0}`, "Publish", "log backup run finished"]);
    expect(error.failures).to.deep.equal(["rds db-1: InvalidDBInstanceState: stopped", problem]);
    expect(logged[0].attributes.failures).to.deep.equal(["rds db-1: InvalidDBInstanceState: stopped", problem]);
    expect(manifests(fake.region()).has(KEY)).to.be.true;
  });

  it("a clean run whose notification (notifyOn always) cannot be sent fails", async () => {
    failing.add("Publish");
    const error = await finishError(end({ notifyOn: "always" }));
    expect(error.name).to.equal("RunFailedError");
    expect(error.failures).to.deep.equal([`notifying ${topicArn}: AccessDenied: not allowed to Publish`]);
  });

  it("names the finish log after the function", async () => {
    await finishRun(deps, end({ function: "cleanup", summary: { runId: "cleanup@2026-11-22T03:30:00Z", dryRun: true } }));
    expect(logged.map((l) => [l.message, l.attributes.dryRun])).to.deep.equal([["cleanup run finished", true]]);
  });
});
