// The Lambda entry, end to end: settings from the environment, AWS through AWS_ENDPOINT_URL, Powertools logs and metrics.
import { expect } from "chai";
import { handler } from "../../handlers/backup";
import { FakeAws, REGION } from "../helpers/aws-fake";
import { backupEnv } from "../helpers/backup-setup";
import { lambdaContext } from "../helpers/lambda-context";
import { buildFleet, goldSources, type Fleet } from "../helpers/backup-fleet";
import { backups, manifests, notifications } from "../helpers/aws-inspect";
import { invokeIsolated } from "../helpers/aws-lambda-run";
import { fakeEndpointEnv, startFakeServer, type FakeServer } from "../helpers/aws-transport";
import { AwsFault } from "../helpers/aws-wire";

const EVENT = { plan: "gold", scheduledTime: "2026-11-22T05:00:00Z" };

describe("backup handler (Lambda entry)", () => {
  let fake: FakeAws;
  let fleet: Fleet;
  let server: FakeServer;
  beforeEach(async () => {
    fake = new FakeAws();
    fleet = buildFleet(fake);
    server = await startFakeServer(fake);
  });
  afterEach(() => server.close());

  const env = (overrides: Record<string, string | undefined> = {}) => ({
    ...backupEnv(),
    ...fakeEndpointEnv(server, REGION),
    POWERTOOLS_LOG_LEVEL: "INFO",
    ...overrides,
  });

  it("backs up the plan's slot and returns where the manifest is", async () => {
    const { result, error } = await invokeIsolated(env(), () => handler(EVENT, lambdaContext()));
    expect(error).to.equal(undefined);
    expect(result).to.deep.equal({
      done: true,
      runId: "gold@2026-11-22T05:00:00Z",
      plan: "gold",
      slot: "2026-11-22T05:00:00Z",
      tier: "daily",
      expires: "2026-12-06T05:00:00Z",
      counts: { created: goldSources(fleet).length, skipped: fleet.goldSkipped.size, failed: 0 },
      manifest: "s3://backup-dr-test-vault/runs/backup/2026/11/22/gold-2026-11-22T05-00-00Z.json",
    });
    expect(new Set(backups(fake.region()).map((b) => b.source))).to.deep.equal(new Set(goldSources(fleet)));
    expect([...manifests(fake.region()).keys()]).to.deep.equal(["runs/backup/2026/11/22/gold-2026-11-22T05-00-00Z.json"]);
  });

  it("emits the run's counts as CloudWatch metrics in namespace BackupDr with the Plan dimension only", async () => {
    const { captured } = await invokeIsolated(env(), () => handler(EVENT, lambdaContext()));
    expect(captured.metrics).to.have.length(1);
    const [emf] = captured.metrics;
    expect(emf).to.deep.include({ Plan: "gold", BackupsCreated: goldSources(fleet).length, BackupsSkipped: fleet.goldSkipped.size, BackupsFailed: 0 });
    expect(emf._aws).to.deep.include({
      CloudWatchMetrics: [
        {
          Namespace: "BackupDr",
          Dimensions: [["Plan"]],
          Metrics: [
            { Name: "BackupsCreated", Unit: "Count" },
            { Name: "BackupsSkipped", Unit: "Count" },
            { Name: "BackupsFailed", Unit: "Count" },
          ],
        },
      ],
    });
  });

  it("logs structured JSON with the Lambda context and the run id", async () => {
    const { captured } = await invokeIsolated(env(), () => handler(EVENT, lambdaContext()));
    const finished = captured.logs.find((l) => l.message === "backup run finished");
    expect(finished).to.deep.include({ level: "INFO", runId: "gold@2026-11-22T05:00:00Z", function_request_id: lambdaContext().awsRequestId, service: "backup-dr-backup" });
    expect(captured.logs.filter((l) => l.message === "backup created")).to.have.length(goldSources(fleet).length);
  });

  it("on a failure, still finishes, publishes BackupsFailed, notifies the topic and throws", async () => {
    fake.permanent = (call) => (call.action === "CreateDBClusterSnapshot" && call.params.get("DBClusterIdentifier") === "gold-aurora-2" ? new AwsFault("SnapshotQuotaExceeded", 400, "quota reached") : undefined);
    const { error, captured } = await invokeIsolated(env(), () => handler(EVENT, lambdaContext()));
    expect(error).to.have.property("name", "RunFailedError");
    expect(captured.metrics[0]).to.deep.include({ BackupsCreated: goldSources(fleet).length - 1, BackupsFailed: 1 });
    expect(notifications(fake.region()).map((n) => n.subject)).to.deep.equal(["backup-dr backup FAILED (1): plan gold, slot 2026-11-22T05:00:00Z"]);
    expect(captured.logs.some((l) => l.message === "backup run failed" && l.level === "ERROR")).to.be.true;
  });

  it("notifies after a clean run too when BACKUP_DR_NOTIFY_ON is always", async () => {
    await invokeIsolated(env({ BACKUP_DR_NOTIFY_ON: "always" }), () => handler(EVENT, lambdaContext()));
    const [message] = notifications(fake.region());
    expect(message.subject).to.equal("backup-dr backup OK: plan gold, slot 2026-11-22T05:00:00Z");
    expect(message.message).to.include(`Created: ${goldSources(fleet).length}`);
  });

  const rejected: [string, unknown, Record<string, string | undefined>, string][] = [
    ["an unknown plan", { plan: "platinum" }, {}, "UnknownPlanError"],
    ["a malformed time", { plan: "gold", scheduledTime: "soon" }, {}, "MalformedEventError"],
    ["a missing BACKUP_DR_VAULT_BUCKET", EVENT, { BACKUP_DR_VAULT_BUCKET: undefined }, "MissingSettingError"],
    ["an invalid BACKUP_DR_PLANS", EVENT, { BACKUP_DR_PLANS: "[{}]" }, "InvalidSettingError"],
  ];
  for (const [what, event, overrides, name] of rejected) {
    it(`rejects ${what} with ${name} before any AWS call`, async () => {
      const { error } = await invokeIsolated(env(overrides), () => handler(event, lambdaContext()));
      expect(error).to.have.property("name", name);
      expect(fake.calls).to.deep.equal([]);
    });
  }
});
