// The backup function's infrastructure under mocks (prod): the Lambda, its role, log group,
// on-failure queue, alarms, and one schedule per plan.
import { expect } from "chai";
import type { BackupDrConfig } from "../../infra/config";
import type { PolicyDocument } from "../../infra/policy-documents";
import { deployStack } from "../helpers/deploy";
import { ACCOUNT_ID, type Registered } from "../helpers/program";
import { jsonInput, ofType, one, providerName } from "../helpers/resources";

describe("backup function infrastructure (prod)", () => {
  let resources: Registered[];
  let config: BackupDrConfig;
  const arn = (service: string, resource: string) => `arn:aws:${service}:${config.region}:${ACCOUNT_ID}:${resource}`;
  const keyArn = () => arn("kms", "key/primary-key-key-id");
  const topicArn = () => arn("sns", "notifications");

  before(async () => {
    const run = await deployStack("prod");
    resources = run.resources;
    config = run.result.config;
  });

  it("is a nodejs22.x arm64 Lambda with explicit timeout, memory, role, JSON logs to its own log group", () => {
    const fn = one(resources, "aws:lambda/function:Function", "backup");
    expect(fn.inputs).to.deep.include({
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      timeout: 900,
      memorySize: 512,
      role: `arn:aws:iam::${ACCOUNT_ID}:role/backup-role`,
      handler: "__index.handler",
      loggingConfig: { logFormat: "JSON", logGroup: "/backup-dr/prod/backup", applicationLogLevel: "INFO", systemLogLevel: "WARN" },
    });
    expect(providerName(fn)).to.equal("primary");
    expect(one(resources, "aws:cloudwatch/logGroup:LogGroup", "backup-logs").inputs).to.deep.include({ name: "/backup-dr/prod/backup", retentionInDays: 365, kmsKeyId: keyArn() });
  });

  it("passes its settings through the environment", () => {
    const fn = one(resources, "aws:lambda/function:Function", "backup");
    expect(fn.inputs.environment).to.deep.equal({
      variables: {
        BACKUP_DR_STACK: "backup-dr/prod",
        BACKUP_DR_PLANS: JSON.stringify(config.plans),
        BACKUP_DR_SELECTION_TAG_KEY: "backup-plan",
        BACKUP_DR_VAULT_BUCKET: "backup-dr-primary-vault-1a2b3c4",
        BACKUP_DR_TOPIC_ARN: topicArn(),
        BACKUP_DR_NOTIFY_ON: "failure",
        BACKUP_DR_SNAPSHOT_LOCK: "COMPLIANCE",
        BACKUP_DR_ALLOW_NO_DR_COPY: "[]",
        BACKUP_DR_SNAPSHOT_RATE: "5/100",
        BACKUP_DR_RUN_DEADLINE_MINUTES: "120",
      },
    });
  });

  it("retries async invocations twice, then sends them to an encrypted on-failure queue", () => {
    const queue = one(resources, "aws:sqs/queue:Queue", "backup-failures");
    expect(queue.inputs).to.deep.include({ kmsMasterKeyId: keyArn(), messageRetentionSeconds: 1209600 });
    expect(one(resources, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "backup-async").inputs).to.deep.include({
      functionName: "backup",
      maximumRetryAttempts: 2,
      destinationConfig: { onFailure: { destination: arn("sqs", "backup-failures") } },
    });
  });

  it("alarms to the topic on function errors and on invocations that ended in the queue", () => {
    expect(one(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", "backup-errors").inputs).to.deep.include({
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: "backup" },
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      alarmActions: [topicArn()],
    });
    expect(one(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", "backup-failed-invocations").inputs).to.deep.include({
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: "backup-failures" },
      alarmActions: [topicArn()],
    });
  });

  it("schedules each plan in its time zone, starting the run machine with the plan and the scheduled time", () => {
    const schedules = ofType(resources, "aws:scheduler/schedule:Schedule").filter((s) => s.name.startsWith("backup-"));
    expect(schedules.map((s) => s.name).sort()).to.deep.equal(config.plans.map((p) => `backup-schedules-${p.name}`).sort());
    for (const plan of config.plans) {
      const s = one(resources, "aws:scheduler/schedule:Schedule", `backup-schedules-${plan.name}`);
      expect(s.inputs).to.deep.include({
        scheduleExpression: plan.schedule,
        scheduleExpressionTimezone: plan.timezone,
        flexibleTimeWindow: { mode: "OFF" },
        state: "ENABLED",
      });
      const target = s.inputs.target as Record<string, unknown>;
      expect(target).to.deep.include({
        arn: arn("states", "stateMachine:backup-machine"),
        roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/backup-schedules-role`,
        deadLetterConfig: { arn: arn("sqs", "backup-failures") },
      });
      expect(JSON.parse(String(target.input))).to.deep.equal({ plan: plan.name, scheduledTime: "<aws.scheduler.scheduled-time>" });
    }
  });

  it("lets the scheduler start only this function's run machine", () => {
    const trust = jsonInput<PolicyDocument>(one(resources, "aws:iam/role:Role", "backup-schedules-role"), "assumeRolePolicy");
    expect(trust.Statement[0].Principal).to.deep.equal({ Service: "scheduler.amazonaws.com" });
    const policy = jsonInput<PolicyDocument>(one(resources, "aws:iam/rolePolicy:RolePolicy", "backup-schedules-policy"), "policy");
    expect(policy.Statement.find((s) => s.Sid === "StartStateMachine")?.Resource).to.equal(arn("states", "stateMachine:backup-machine"));
    expect(policy.Statement.flatMap((s) => [s.Action].flat())).to.not.include("lambda:InvokeFunction");
  });

  describe("role", () => {
    let statements: PolicyDocument["Statement"];
    before(() => {
      statements = jsonInput<PolicyDocument>(one(resources, "aws:iam/rolePolicy:RolePolicy", "backup-policy"), "policy").Statement;
    });

    it("is assumable by Lambda only for this account", () => {
      const trust = jsonInput<PolicyDocument>(one(resources, "aws:iam/role:Role", "backup-role"), "assumeRolePolicy");
      expect(trust.Statement[0]).to.deep.include({ Principal: { Service: "lambda.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } } });
    });

    it("allows no * action, and * resources only for describe calls", () => {
      for (const s of statements) {
        for (const a of [s.Action].flat()) expect(a, s.Sid).to.not.match(/\*/);
        if (s.Resource === "*") for (const a of [s.Action].flat()) expect(a, s.Sid).to.match(/:Describe/);
      }
    });

    it("tags only as part of creating a snapshot, except the volume restore fact on this stack's own EBS snapshots", () => {
      const tagging = statements.filter((s) => [s.Action].flat().some((a) => /Tag/.test(a)));
      expect(tagging.map((s) => s.Sid).sort()).to.deep.equal(["TagDatabaseSnapshotsOnlyAtCreation", "TagOwnSnapshotsWithVolumeFacts", "TagSnapshotsOnlyAtCreation"]);
      expect(tagging.find((s) => s.Sid === "TagOwnSnapshotsWithVolumeFacts")?.Condition).to.deep.equal({
        StringEquals: { "aws:ResourceTag/backup-dr:stack": "backup-dr/prod" },
        "ForAllValues:StringEquals": { "aws:TagKeys": ["backup-dr:volume"] },
        Null: { "aws:TagKeys": "false" },
      });
      expect(tagging.find((s) => s.Sid === "TagSnapshotsOnlyAtCreation")?.Condition).to.deep.equal({ StringEquals: { "ec2:CreateAction": "CreateSnapshots" } });
      expect(tagging.find((s) => s.Sid === "TagDatabaseSnapshotsOnlyAtCreation")?.Resource).to.deep.equal([
        arn("rds", "snapshot:bdr-*"),
        arn("rds", "cluster-snapshot:bdr-*"),
      ]);
    });

    it("writes manifests only under runs/backup/ of the primary vault, reads back only its run parts there, and publishes only to the topic", () => {
      expect(statements.find((s) => s.Sid === "WriteRunManifests")?.Resource).to.equal("arn:aws:s3:::backup-dr-primary-vault-1a2b3c4/runs/backup/*");
      expect(statements.find((s) => s.Sid === "ClaimInstancesPerRun")?.Resource).to.equal("arn:aws:s3:::backup-dr-primary-vault-1a2b3c4/locks/backup/*");
      expect(statements.filter((s) => [s.Action].flat().includes("s3:GetObject")).map((s) => s.Resource)).to.deep.equal([
        "arn:aws:s3:::backup-dr-primary-vault-1a2b3c4/locks/backup/*",
        "arn:aws:s3:::backup-dr-primary-vault-1a2b3c4/runs/backup/*.part-*.json",
      ]);
      expect(statements.find((s) => s.Sid === "PublishRunSummaries")?.Resource).to.equal(topicArn());
    });
  });
});
