// The cleanup function's infrastructure under mocks (prod): daily schedule, settings, a role whose
// deletes are conditioned on the stack tag in both regions, and the manual-snapshot quota alarms.
import { expect } from "chai";
import type { BackupDrConfig } from "../../infra/config";
import type { PolicyDocument } from "../../infra/policy-documents";
import { deployStack } from "../helpers/deploy";
import { ACCOUNT_ID, type Registered } from "../helpers/program";
import { jsonInput, ofType, one, providerName } from "../helpers/resources";

describe("cleanup function infrastructure (prod)", () => {
  let resources: Registered[];
  let config: BackupDrConfig;
  const arn = (service: string, resource: string) => `arn:aws:${service}:${config.region}:${ACCOUNT_ID}:${resource}`;
  const topicArn = () => arn("sns", "notifications");

  before(async () => {
    const run = await deployStack("prod");
    resources = run.resources;
    config = run.result.config;
  });

  it("is a Lambda in the primary region with the cleanup settings in its environment", () => {
    const fn = one(resources, "aws:lambda/function:Function", "cleanup");
    expect(providerName(fn)).to.equal("primary");
    expect(fn.inputs).to.deep.include({ runtime: "nodejs22.x", timeout: 900, role: `arn:aws:iam::${ACCOUNT_ID}:role/cleanup-role` });
    expect(fn.inputs.environment).to.deep.equal({
      variables: {
        BACKUP_DR_STACK: "backup-dr/prod",
        BACKUP_DR_PRIMARY_REGION: "us-east-1",
        BACKUP_DR_DR_REGION: "us-west-2",
        BACKUP_DR_VAULT_BUCKET: "backup-dr-primary-vault-1a2b3c4",
        BACKUP_DR_TOPIC_ARN: topicArn(),
        BACKUP_DR_NOTIFY_ON: "failure",
        BACKUP_DR_DRY_RUN: "false",
        BACKUP_DR_MAX_DELETIONS: "200",
        BACKUP_DR_MIN_AGE_DAYS: "2",
        BACKUP_DR_MAX_DELETE_FRACTION: "0.5",
        BACKUP_DR_SNAPSHOT_RATE: "5/100",
        BACKUP_DR_RUN_DEADLINE_MINUTES: "120",
      },
    });
    expect(one(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", "cleanup-errors").inputs).to.deep.include({ dimensions: { FunctionName: "cleanup" }, alarmActions: [topicArn()] });
    expect(one(resources, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "cleanup-async").inputs.destinationConfig).to.deep.equal({
      onFailure: { destination: arn("sqs", "cleanup-failures") },
    });
  });

  it("starts its run machine daily at the configured time and time zone, passing the scheduled time", () => {
    const s = one(resources, "aws:scheduler/schedule:Schedule", "cleanup-schedule-daily");
    expect(s.inputs).to.deep.include({ scheduleExpression: "cron(15 4 * * ? *)", scheduleExpressionTimezone: "America/New_York", state: "ENABLED" });
    const target = s.inputs.target as { arn: string; input: string };
    expect(target.arn).to.equal(arn("states", "stateMachine:cleanup-machine"));
    expect(JSON.parse(target.input)).to.deep.equal({ scheduledTime: "<aws.scheduler.scheduled-time>" });
  });

  it("may delete, in both regions, only snapshots tagged with this stack, and create or tag nothing", () => {
    const statements = jsonInput<PolicyDocument>(one(resources, "aws:iam/rolePolicy:RolePolicy", "cleanup-policy"), "policy").Statement;
    const deletes = statements.filter((s) => [s.Action].flat().some((a) => /Delete/.test(a)));
    expect(deletes.map((s) => [s.Action, s.Condition])).to.deep.equal([
      ["ec2:DeleteSnapshot", { StringEquals: { "aws:ResourceTag/backup-dr:stack": "backup-dr/prod" } }],
      ["rds:DeleteDBSnapshot", { StringEquals: { "rds:snapshot-tag/backup-dr:stack": "backup-dr/prod" } }],
      ["rds:DeleteDBClusterSnapshot", { StringEquals: { "rds:cluster-snapshot-tag/backup-dr:stack": "backup-dr/prod" } }],
    ]);
    for (const s of deletes) {
      const regions = [s.Resource ?? []].flat().map((r) => r.split(":")[3]);
      expect(regions.sort(), s.Sid).to.deep.equal(["us-east-1", "us-west-2"]);
    }
    for (const s of statements) for (const a of [s.Action].flat()) expect(a, s.Sid).to.not.match(/^(ec2|rds):(Create|Copy|AddTags)/);
  });

  it("reads back from the vault only its own run parts, and deletes nothing there", () => {
    const statements = jsonInput<PolicyDocument>(one(resources, "aws:iam/rolePolicy:RolePolicy", "cleanup-policy"), "policy").Statement;
    const s3 = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith("s3:")));
    expect(s3.map((s) => [s.Sid, s.Action, s.Resource])).to.deep.equal([
      ["WriteRunManifests", "s3:PutObject", "arn:aws:s3:::backup-dr-primary-vault-1a2b3c4/runs/cleanup/*"],
      ["ReadOwnRunParts", "s3:GetObject", "arn:aws:s3:::backup-dr-primary-vault-1a2b3c4/runs/cleanup/*.part-*.json"],
    ]);
  });

  it("alarms at 80% of the manual snapshot quota, per region and kind", () => {
    const alarms = ofType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.name.startsWith("cleanup-quota-"));
    expect(alarms.map((a) => a.inputs.dimensions)).to.have.deep.members([
      { Region: "us-east-1", Kind: "rds" },
      { Region: "us-east-1", Kind: "aurora" },
      { Region: "us-west-2", Kind: "rds" },
      { Region: "us-west-2", Kind: "aurora" },
    ]);
    for (const a of alarms) {
      expect(a.inputs).to.deep.include({ namespace: "BackupDr", metricName: "ManualSnapshotsUsed", threshold: 80, comparisonOperator: "GreaterThanOrEqualToThreshold", alarmActions: [topicArn()] });
    }
  });
});
