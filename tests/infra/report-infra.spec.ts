// The report function under mocks: prod as shipped (cost tags off, no protected buckets) and a variant with protected
// buckets, cost tags on and another check schedule. Its function settings and environment (the real handler's
// settings reader accepts it), its two schedules, its least-privilege role, the missed-backup alarm per plan (the
// topic as action, missing data breaching, its period from the check schedule), and the cost allocation tags.
import { expect } from "chai";
import { readReportSettings } from "../../handlers/report/settings";
import type { ReportOptions } from "../../handlers/report/contract";
import type { BackupDrConfig } from "../../infra/config";
import { reportOptions } from "../../infra/config-report";
import { reportStatements } from "../../infra/iam-report";
import type { PolicyDocument, PolicyStatement } from "../../infra/policy-documents";
import { deployStack, type Deployed } from "../helpers/deploy";
import { ACCOUNT_ID, promiseOf, type Registered } from "../helpers/program";
import { jsonInput, ofType, one, providerName, TYPE } from "../helpers/resources";
import { stackValues } from "../helpers/stacks";

const T = TYPE;
const COST_TAG = "aws:costexplorer/costAllocationTag:CostAllocationTag";

const variables = (resources: Registered[]) => (one(resources, T.fn, "report").inputs.environment as { variables: Record<string, string> }).variables;
const statementsOf = (resources: Registered[], name: string): PolicyStatement[] => jsonInput<PolicyDocument>(one(resources, T.policy, name), "policy").Statement;
const actionsOf = (statements: PolicyStatement[]) => statements.flatMap((s) => [s.Action].flat());

function where(config: BackupDrConfig) {
  const arn = (region: string, service: string, resource: string) => `arn:aws:${service}:${region}:${ACCOUNT_ID}:${resource}`;
  return {
    keyArn: arn(config.region, "kms", "key/primary-key-key-id"),
    drKeyArn: arn(config.drRegion, "kms", "key/dr-key-key-id"),
    vault: "backup-dr-primary-vault-1a2b3c4",
    drVault: "backup-dr-dr-vault-1a2b3c4",
    topicArn: arn(config.region, "sns", "notifications"),
    functionArn: arn(config.region, "lambda", "function:report"),
    queueArn: arn(config.region, "sqs", "report-failures"),
  };
}

describe("report function infrastructure (prod as shipped)", function () {
  this.timeout(300_000);
  let run: Deployed;
  let config: BackupDrConfig;
  let w: ReturnType<typeof where>;

  before(async () => {
    run = await deployStack("prod");
    config = run.result.config;
    w = where(config);
  });

  it("is an arm64 nodejs22.x function in the primary region with a 900 s timeout, its own role, logs and on-failure handling", () => {
    const fn = one(run.resources, T.fn, "report");
    expect(providerName(fn)).to.equal("primary");
    expect(fn.inputs).to.deep.include({ runtime: "nodejs22.x", architectures: ["arm64"], timeout: 900, memorySize: 1024, role: `arn:aws:iam::${ACCOUNT_ID}:role/report-role` });
    expect(one(run.resources, T.logGroup, "report-logs").inputs).to.deep.include({ name: "/backup-dr/prod/report", kmsKeyId: w.keyArn, retentionInDays: 365 });
    const async = one(run.resources, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "report-async");
    expect(async.inputs.destinationConfig).to.deep.equal({ onFailure: { destination: w.queueArn } });
    const errors = one(run.resources, T.alarm, "report-errors");
    expect(errors.inputs).to.deep.include({ namespace: "AWS/Lambda", metricName: "Errors", alarmActions: [w.topicArn] });
  });

  it("has exactly the environment of the contract, and the real handler's settings reader accepts it", () => {
    const env = variables(run.resources);
    expect(env).to.deep.equal({
      BACKUP_DR_STACK: "backup-dr/prod",
      BACKUP_DR_PLANS: JSON.stringify(config.plans),
      BACKUP_DR_SELECTION_TAG_KEY: "backup-plan",
      BACKUP_DR_PRIMARY_REGION: config.region,
      BACKUP_DR_DR_REGION: config.drRegion,
      BACKUP_DR_KEY_ARN: w.keyArn,
      BACKUP_DR_DR_KEY_ARN: w.drKeyArn,
      BACKUP_DR_VAULT_BUCKET: w.vault,
      BACKUP_DR_DR_VAULT_BUCKET: w.drVault,
      BACKUP_DR_TOPIC_ARN: w.topicArn,
      BACKUP_DR_REPORT: JSON.stringify(reportOptions(config, [])),
    });
    const options = JSON.parse(env.BACKUP_DR_REPORT) as ReportOptions;
    // prod: 30 minutes' grace, the copy lag alarm of 240 minutes, daily frequency and 7 days' retention.
    expect(options).to.deep.equal({ graceSeconds: 1800, drLagSeconds: 14400, notifyOn: "outOfPolicy", costTags: false, requiredFrequencySeconds: 86400, requiredRetentionDays: 7, protectedBuckets: [] });
    const settings = readReportSettings({ ...env, AWS_REGION: config.region });
    expect(JSON.stringify(settings)).to.include(w.drVault);
  });

  it("runs the coverage step on checkSchedule and the report step on schedule, in the report's time zone, through a role that may invoke only it", () => {
    const coverage = one(run.resources, T.schedule, "report-schedules-coverage");
    const daily = one(run.resources, T.schedule, "report-schedules-daily");
    expect(coverage.inputs).to.deep.include({ scheduleExpression: "rate(15 minutes)", scheduleExpressionTimezone: "America/New_York", state: "ENABLED" });
    expect(daily.inputs).to.deep.include({ scheduleExpression: "cron(0 7 * * ? *)", scheduleExpressionTimezone: "America/New_York", state: "ENABLED" });
    for (const [schedule, step] of [[coverage, "coverage"], [daily, "report"]] as const) {
      const target = schedule.inputs.target as { arn: string; input: string; deadLetterConfig: { arn: string } };
      expect(target.arn).to.equal(w.functionArn);
      expect(JSON.parse(target.input)).to.deep.equal({ step });
      expect(target.deadLetterConfig.arn).to.equal(w.queueArn);
    }
    expect(actionsOf(statementsOf(run.resources, "report-schedules-policy"))).to.deep.equal(["lambda:InvokeFunction", "sqs:SendMessage", "kms:GenerateDataKey", "kms:Decrypt"]);
  });

  it("its role: the base statements and the report's, and nothing that writes outside reports/compliance/ and runs/report/", () => {
    const statements = statementsOf(run.resources, "report-policy");
    const expected = reportStatements({ partition: "aws", region: config.region, drRegion: config.drRegion, vaultArn: `arn:aws:s3:::${w.vault}`, drVaultArn: `arn:aws:s3:::${w.drVault}`, protectedBuckets: [] });
    expect(statements.slice(-expected.length)).to.deep.equal(expected);
    const byAction = (action: string) => statements.filter((s) => [s.Action].flat().includes(action));
    expect(byAction("s3:PutObject").map((s) => s.Resource).sort()).to.deep.equal([`arn:aws:s3:::${w.vault}/reports/compliance/*`, `arn:aws:s3:::${w.vault}/runs/report/*`]);
    expect(byAction("s3:GetBucketObjectLockConfiguration").map((s) => s.Resource)).to.deep.equal([[`arn:aws:s3:::${w.vault}`, `arn:aws:s3:::${w.drVault}`]]);
    expect(byAction("s3:GetReplicationConfiguration")).to.deep.equal([]);
    expect(byAction("sns:Publish").map((s) => s.Resource)).to.deep.equal([w.topicArn]);
    expect(byAction("kms:GenerateDataKey").map((s) => s.Resource)).to.deep.equal([w.keyArn]);
    // Points in both regions; the inventory (every resource, opted in or not) only in the primary region it covers.
    const points = byAction("ec2:DescribeSnapshots");
    expect(points).to.have.length(1);
    expect(points[0].Condition).to.deep.equal({ StringEquals: { "aws:RequestedRegion": [config.region, config.drRegion] } });
    expect(actionsOf(points)).to.have.members(["ec2:DescribeSnapshots", "rds:DescribeDBSnapshots", "rds:DescribeDBClusterSnapshots"]);
    const inventory = byAction("ec2:DescribeInstances");
    expect(inventory).to.have.length(1);
    expect(inventory[0].Condition).to.deep.equal({ StringEquals: { "aws:RequestedRegion": config.region } });
    expect(actionsOf(inventory)).to.have.members(["ec2:DescribeInstances", "rds:DescribeDBInstances", "rds:DescribeDBClusters"]);
    // Read-only everywhere else: no create, delete, copy, tag or modify call of any service.
    const writes = actionsOf(statements).filter((a) => /:(Create|Delete|Copy|Modify|Put|Tag|Untag|Add|Remove|Restore|Start|Stop|Terminate|Run|Update)/.test(a));
    expect(writes).to.deep.equal(["logs:CreateLogStream", "logs:PutLogEvents", "s3:PutObject", "s3:PutObject"]);
    expect(actionsOf(statements).filter((a) => a.includes("*"))).to.deep.equal([]);
  });

  it("alarms per plan when sources are out of policy or the check stops: SourcesOutOfPolicy > 0 for two check periods, missing data breaching, to the topic", () => {
    const alarms = ofType(run.resources, T.alarm).filter((a) => a.name.startsWith("report-out-of-policy-"));
    expect(alarms.map((a) => a.name).sort()).to.deep.equal(config.plans.map((p) => `report-out-of-policy-${p.name}`).sort());
    for (const plan of config.plans) {
      const alarm = one(run.resources, T.alarm, `report-out-of-policy-${plan.name}`);
      expect(alarm.inputs).to.deep.include({
        namespace: "BackupDr",
        metricName: "SourcesOutOfPolicy",
        dimensions: { Plan: plan.name },
        statistic: "Maximum",
        period: 900,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "breaching",
        alarmActions: [w.topicArn],
        okActions: [w.topicArn],
      });
      expect(String(alarm.inputs.alarmDescription)).to.include(`plan ${plan.name}`).and.to.include("60 minutes");
    }
  });

  it("activates no cost allocation tag while activateCostTags is false (the shipped default for a first deploy)", () => {
    expect(ofType(run.resources, COST_TAG)).to.deep.equal([]);
  });

  it("exports the report function's ARN", async () => {
    expect(await promiseOf(run.result.outputs.reportFunctionArn)).to.equal(w.functionArn);
  });
});

describe("report function infrastructure (protected buckets, cost tags on, an hourly check)", function () {
  this.timeout(300_000);
  let run: Deployed;
  let config: BackupDrConfig;

  before(async () => {
    run = await deployStack("dev", {
      ...stackValues("dev"),
      "backup-dr:protectedBuckets": ["app-data", "app-logs"],
      "backup-dr:report": { checkSchedule: "rate(1 hour)", graceMinutes: 0, activateCostTags: true, notifyOn: "always" },
    });
    config = run.result.config;
  });

  it("passes each protected bucket with its replica vault's name, as the replication writes to it", () => {
    const options = JSON.parse(variables(run.resources).BACKUP_DR_REPORT) as ReportOptions;
    expect(options.protectedBuckets.map((b) => b.bucket)).to.deep.equal(["app-data", "app-logs"]);
    const destinations = ofType(run.resources, T.alarm)
      .filter((a) => a.inputs.metricName === "ReplicationLatency")
      .map((a) => (a.inputs.dimensions as Record<string, string>))
      .map((d) => ({ bucket: d.SourceBucket, replica: d.DestinationBucket }));
    expect(options.protectedBuckets).to.have.deep.members(destinations);
    expect(options).to.deep.include({ graceSeconds: 0, notifyOn: "always", costTags: true });
  });

  it("may read only the protected buckets' replication configuration", () => {
    const statements = statementsOf(run.resources, "report-policy");
    const replication = statements.filter((s) => [s.Action].flat().includes("s3:GetReplicationConfiguration"));
    expect(replication.map((s) => s.Resource)).to.deep.equal([["arn:aws:s3:::app-data", "arn:aws:s3:::app-logs"]]);
    expect(statements.slice(-1)).to.deep.equal(replication);
  });

  it("activates backup-dr:stack and backup-dr:plan as cost allocation tags", () => {
    const tags = ofType(run.resources, COST_TAG);
    expect(tags.map((t) => t.inputs).sort((a, b) => String(a.tagKey).localeCompare(String(b.tagKey)))).to.deep.equal([
      { tagKey: "backup-dr:plan", status: "Active" },
      { tagKey: "backup-dr:stack", status: "Active" },
    ]);
  });

  it("the alarm's period follows the check schedule (an hour), and its description the detection delay (0 + 2 x 60 minutes)", () => {
    const alarm = one(run.resources, T.alarm, `report-out-of-policy-${config.plans[0].name}`);
    expect(alarm.inputs).to.deep.include({ period: 3600, evaluationPeriods: 2, treatMissingData: "breaching" });
    expect(String(alarm.inputs.alarmDescription)).to.include("120 minutes");
    expect(one(run.resources, T.schedule, "report-schedules-coverage").inputs).to.deep.include({ scheduleExpression: "rate(1 hour)", scheduleExpressionTimezone: "UTC" });
  });
});
