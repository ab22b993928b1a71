// The DR copy function's infrastructure under mocks (prod): four completion-event rules, the refill rules, the sweep
// schedule, a role that copies only into the DR region, and a DR-lag alarm per copying plan.
import { expect } from "chai";
import type { BackupDrConfig } from "../../infra/config";
import type { PolicyDocument } from "../../infra/policy-documents";
import { deployStack } from "../helpers/deploy";
import { ACCOUNT_ID, type Registered } from "../helpers/program";
import { jsonInput, ofType, one, providerName } from "../helpers/resources";
import { stackValues } from "../helpers/stacks";

async function deploy(values: Record<string, unknown>) {
  const run = await deployStack("prod", values);
  return { resources: run.resources, config: run.result.config };
}

/** The DR region's (us-west-2) copy-finished events of prod's kinds: EBS copySnapshot, RDS-EVENT-0060/0061; none for cluster snapshots. */
const REFILL_PATTERNS = {
  ebs: { source: ["aws.ec2"], "detail-type": ["EBS Snapshot Notification"], region: ["us-west-2"], detail: { event: ["copySnapshot"], result: ["succeeded", "failed"] } },
  rds: { source: ["aws.rds"], "detail-type": ["RDS DB Snapshot Event"], region: ["us-west-2"], detail: { EventID: ["RDS-EVENT-0060", "RDS-EVENT-0061"], SourceIdentifier: [{ prefix: "bdr-" }] } },
};

describe("DR copy function infrastructure (prod)", () => {
  let resources: Registered[];
  let config: BackupDrConfig;
  const arn = (service: string, resource: string) => `arn:aws:${service}:${config.region}:${ACCOUNT_ID}:${resource}`;
  const topicArn = () => arn("sns", "notifications");

  before(async () => {
    ({ resources, config } = await deploy(stackValues("prod")));
  });

  it("is a Lambda in the primary region with the copy settings in its environment", () => {
    const fn = one(resources, "aws:lambda/function:Function", "copy");
    expect(providerName(fn)).to.equal("primary");
    expect(fn.inputs).to.deep.include({ runtime: "nodejs22.x", architectures: ["arm64"], timeout: 900, role: `arn:aws:iam::${ACCOUNT_ID}:role/copy-role` });
    // Reserved concurrency fails `pulumi up` in accounts with a low concurrency quota: the FIFO queue serialises instead.
    expect(fn.inputs.reservedConcurrentExecutions).to.equal(undefined);
    expect(fn.inputs.environment).to.deep.equal({
      variables: {
        BACKUP_DR_STACK: "backup-dr/prod",
        BACKUP_DR_PLANS: JSON.stringify(config.plans),
        BACKUP_DR_PRIMARY_REGION: "us-east-1",
        BACKUP_DR_DR_REGION: "us-west-2",
        BACKUP_DR_DR_KEY_ARN: `arn:aws:kms:us-west-2:${ACCOUNT_ID}:key/dr-key-key-id`,
        BACKUP_DR_VAULT_BUCKET: "backup-dr-primary-vault-1a2b3c4",
        BACKUP_DR_TOPIC_ARN: topicArn(),
        BACKUP_DR_NOTIFY_ON: "failure",
        BACKUP_DR_MAX_EBS_COPIES: "20",
        BACKUP_DR_MAX_RDS_COPIES: "20",
        BACKUP_DR_MAX_CLUSTER_COPIES: "5",
        BACKUP_DR_SNAPSHOT_LOCK: "COMPLIANCE",
      },
    });
    expect(one(resources, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "copy-async").inputs.destinationConfig).to.deep.equal({
      onFailure: { destination: arn("sqs", "copy-failures") },
    });
    expect(one(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", "copy-errors").inputs.dimensions).to.deep.equal({ FunctionName: "copy" });
  });

  it("has one rule per completion event, in the primary region, each sending to the copy FIFO queue in one message group", () => {
    const expected: Record<string, unknown> = {
      "copy-ebs-multi-volume": { source: ["aws.ec2"], "detail-type": ["EBS Multi-Volume Snapshots Completion Status"], detail: { event: ["createSnapshots"], result: ["succeeded"] } },
      "copy-ebs-snapshot": { source: ["aws.ec2"], "detail-type": ["EBS Snapshot Notification"], detail: { event: ["createSnapshot"], result: ["succeeded"] } },
      "copy-rds-snapshot": { source: ["aws.rds"], "detail-type": ["RDS DB Snapshot Event"], detail: { EventID: ["RDS-EVENT-0042"], SourceIdentifier: [{ prefix: "bdr-" }] } },
      "copy-rds-cluster-snapshot": { source: ["aws.rds"], "detail-type": ["RDS DB Cluster Snapshot Event"], detail: { EventID: ["RDS-EVENT-0075"], SourceIdentifier: [{ prefix: "bdr-" }] } },
      // The DR region's copy-finished events, forwarded to this region's bus (matched by their region): refills.
      "copy-refill-ebs-copy": REFILL_PATTERNS.ebs,
      "copy-refill-rds-copy": REFILL_PATTERNS.rds,
    };
    const rules = ofType(resources, "aws:cloudwatch/eventRule:EventRule").filter((r) => providerName(r) === "primary");
    expect(rules.map((r) => r.name).sort()).to.deep.equal(Object.keys(expected).sort());
    const queuePolicy = one(resources, "aws:sqs/queuePolicy:QueuePolicy", "copy-queue-policy");
    for (const [name, pattern] of Object.entries(expected)) {
      const rule = one(resources, "aws:cloudwatch/eventRule:EventRule", name);
      expect(JSON.parse(String(rule.inputs.eventPattern)), name).to.deep.equal(pattern);
      expect(providerName(rule)).to.equal("primary");
      const target = one(resources, "aws:cloudwatch/eventTarget:EventTarget", `${name}-target`);
      expect(target.inputs).to.deep.include({ rule: name, arn: arn("sqs", "copy-queue"), sqsTarget: { messageGroupId: "copy-runs" } });
      expect(target.dependsOn.some((urn) => urn.endsWith("::copy-queue-policy")), name).to.equal(true);
    }
    // Nothing invokes the function directly any more: only the queue feeds it.
    expect(ofType(resources, "aws:lambda/permission:Permission").filter((p) => p.name.startsWith("copy"))).to.deep.equal([]);
    const policy = jsonInput<PolicyDocument>(queuePolicy, "policy");
    expect(policy.Statement[0]).to.deep.equal({
      Sid: "RulesOfThisAccountSend",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: "sqs:SendMessage",
      Resource: arn("sqs", "copy-queue"),
      Condition: { ArnEquals: { "aws:SourceArn": Object.keys(expected).map((n) => arn("events", `rule/${n}`)) }, StringEquals: { "aws:SourceAccount": ACCOUNT_ID } },
    });
    // EventBridge encrypts what it sends to the queue with the primary key.
    const key = jsonInput<PolicyDocument>(one(resources, "aws:kms/key:Key", "primary-key"), "policy");
    expect(key.Statement.find((st) => st.Sid === "ServicesPublishToEncryptedTopics")?.Principal).to.deep.include({ Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com", "s3.amazonaws.com"] });
  });

  it("forwards the DR region's copy-finished events from a rule in the DR region to the primary region's default bus, with a role that may only put events there", () => {
    const busArn = `arn:aws:events:us-east-1:${ACCOUNT_ID}:event-bus/default`;
    const drRules = ofType(resources, "aws:cloudwatch/eventRule:EventRule").filter((r) => providerName(r) === "dr");
    expect(drRules.map((r) => r.name).sort()).to.deep.equal(["dr-copy-forward-ebs-copy", "dr-copy-forward-rds-copy"]);
    for (const [name, pattern] of [["dr-copy-forward-ebs-copy", REFILL_PATTERNS.ebs], ["dr-copy-forward-rds-copy", REFILL_PATTERNS.rds]] as const) {
      expect(JSON.parse(String(one(resources, "aws:cloudwatch/eventRule:EventRule", name).inputs.eventPattern)), name).to.deep.equal(pattern);
      const target = one(resources, "aws:cloudwatch/eventTarget:EventTarget", `${name}-target`);
      expect(providerName(target)).to.equal("dr");
      expect(target.inputs).to.deep.include({ rule: name, arn: busArn, roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/dr-copy-forward-role` });
      expect(target.inputs.sqsTarget).to.equal(undefined);
      expect(target.dependsOn.some((urn) => urn.endsWith("::dr-copy-forward-policy")), name).to.equal(true);
    }
    const trust = jsonInput<PolicyDocument>(one(resources, "aws:iam/role:Role", "dr-copy-forward-role"), "assumeRolePolicy");
    expect(trust.Statement).to.deep.equal([
      { Sid: "ServiceOfThisAccountAssumes", Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } } },
    ]);
    const policy = one(resources, "aws:iam/rolePolicy:RolePolicy", "dr-copy-forward-policy");
    expect(String(policy.inputs.role)).to.match(/^dr-copy-forward-role/);
    expect(jsonInput<PolicyDocument>(policy, "policy").Statement).to.deep.equal([{ Sid: "PutEventsOnPrimaryBus", Effect: "Allow", Action: "events:PutEvents", Resource: busArn }]);
    // In the primary region, the forwarded events (region us-west-2) go to the copy queue in the one message group.
    for (const kind of ["ebs", "rds"] as const) {
      const rule = one(resources, "aws:cloudwatch/eventRule:EventRule", `copy-refill-${kind}-copy`);
      expect(providerName(rule)).to.equal("primary");
      expect(JSON.parse(String(rule.inputs.eventPattern))).to.deep.equal(REFILL_PATTERNS[kind]);
      expect(one(resources, "aws:cloudwatch/eventTarget:EventTarget", `copy-refill-${kind}-copy-target`).inputs).to.deep.include({
        rule: `copy-refill-${kind}-copy`,
        arn: arn("sqs", "copy-queue"),
        sqsTarget: { messageGroupId: "copy-runs" },
      });
    }
  });

  it("serialises runs through one encrypted FIFO queue feeding the function one message at a time, failures to a FIFO dead-letter queue", () => {
    const queue = one(resources, "aws:sqs/queue:Queue", "copy-queue");
    const failed = one(resources, "aws:sqs/queue:Queue", "copy-queue-failed");
    expect(queue.inputs).to.deep.include({
      name: "backup-dr-prod-copy-queue.fifo",
      fifoQueue: true,
      contentBasedDeduplication: true,
      visibilityTimeoutSeconds: 960,
      kmsMasterKeyId: `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/primary-key-key-id`,
    });
    expect(JSON.parse(String(queue.inputs.redrivePolicy))).to.deep.equal({ deadLetterTargetArn: arn("sqs", "copy-queue-failed"), maxReceiveCount: 3 });
    expect(failed.inputs).to.deep.include({ name: "backup-dr-prod-copy-queue-failed.fifo", fifoQueue: true });
    expect(one(resources, "aws:lambda/eventSourceMapping:EventSourceMapping", "copy-queue-feed").inputs).to.deep.include({
      eventSourceArn: arn("sqs", "copy-queue"),
      functionName: arn("lambda", "function:copy"),
      batchSize: 1,
      enabled: true,
    });
    expect(one(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", "copy-queue-failed-messages").inputs).to.deep.include({
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: "copy-queue-failed" },
      threshold: 0,
      alarmActions: [topicArn()],
    });
    const statements = jsonInput<PolicyDocument>(one(resources, "aws:iam/rolePolicy:RolePolicy", "copy-policy"), "policy").Statement;
    expect(statements.find((st) => st.Sid === "ConsumeOwnQueue")).to.deep.include({ Resource: arn("sqs", "copy-queue") });
  });

  it("sweeps every sweepMinutes with {sweep: true}, through the queue in the same message group", () => {
    const sweep = one(resources, "aws:scheduler/schedule:Schedule", "copy-sweep-every");
    expect(sweep.inputs).to.deep.include({ scheduleExpression: "rate(30 minutes)", scheduleExpressionTimezone: "UTC", state: "ENABLED" });
    const target = sweep.inputs.target as { arn: string; input: string; sqsParameters: unknown };
    expect(target.arn).to.equal(arn("sqs", "copy-queue"));
    expect(target.sqsParameters).to.deep.equal({ messageGroupId: "copy-runs" });
    expect(JSON.parse(target.input)).to.deep.equal({ sweep: true });
    const role = jsonInput<PolicyDocument>(one(resources, "aws:iam/rolePolicy:RolePolicy", "copy-sweep-policy"), "policy").Statement;
    expect(role.find((st) => st.Sid === "SendToTargetQueue")?.Resource).to.equal(arn("sqs", "copy-queue"));
    expect(role.flatMap((st) => [st.Action].flat())).to.not.include("lambda:InvokeFunction");
  });

  it("copies and tags only into the DR region, and deletes only this stack's failed DR copies", () => {
    const statements = jsonInput<PolicyDocument>(one(resources, "aws:iam/rolePolicy:RolePolicy", "copy-policy"), "policy").Statement;
    for (const s of statements) for (const a of [s.Action].flat()) expect(a, s.Sid).to.not.match(/\*/);
    const tagging = statements.filter((s) => [s.Action].flat().some((a) => /Tag/.test(a)));
    for (const s of tagging) for (const r of [s.Resource ?? []].flat()) expect(r, s.Sid).to.include(":us-west-2:");
    const deletes = statements.filter((s) => [s.Action].flat().some((a) => /Delete.*Snapshot/.test(a)));
    expect(deletes).to.have.length(3);
    for (const s of deletes) {
      expect(JSON.stringify(s.Condition), s.Sid).to.include('"backup-dr/prod"');
      for (const r of [s.Resource ?? []].flat()) expect(r, s.Sid).to.include(":us-west-2:");
    }
    const encrypt = statements.find((s) => s.Sid === "UseDrKeyThroughEbsAndRds");
    expect(encrypt?.Resource).to.equal(`arn:aws:kms:us-west-2:${ACCOUNT_ID}:key/dr-key-key-id`);
  });

  it("alarms per copying plan when the oldest uncopied backup is older than lagAlarmMinutes, or sweeps stop", () => {
    for (const plan of config.plans) {
      expect(one(resources, "aws:cloudwatch/metricAlarm:MetricAlarm", `copy-lag-${plan.name}`).inputs).to.deep.include({
        namespace: "BackupDr",
        metricName: "OldestUncopiedAgeSeconds",
        dimensions: { Plan: plan.name },
        statistic: "Maximum",
        period: 1800,
        threshold: 240 * 60,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "breaching",
        alarmActions: [topicArn()],
      });
    }
  });
});

describe("DR copy function switches", () => {
  it("is not deployed when no plan copies to DR, and a plan without copyToDr gets no lag alarm", async () => {
    const plans = (stackValues("prod")["backup-dr:plans"] as Record<string, unknown>[]).map((p) => ({ ...p, copyToDr: false }));
    // The drill's targets name prod's plans, and a plan without DR copies cannot be drilled in DR: no targets here.
    const drill = { ...(stackValues("prod")["backup-dr:drill"] as object), plans: {} };
    const none = await deploy({ ...stackValues("prod"), "backup-dr:plans": plans, "backup-dr:drill": drill });
    expect(none.resources.filter((r) => r.name.startsWith("copy"))).to.deep.equal([]);

    const mixed = await deploy({ ...stackValues("prod"), "backup-dr:plans": [plans[0], { ...plans[1], copyToDr: true }], "backup-dr:drill": drill, "backup-dr:copy": { sweepMinutes: 15, lagAlarmMinutes: 60, maxEbsCopies: 10 } });
    expect(ofType(mixed.resources, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.name.startsWith("copy-lag-")).map((a) => a.name)).to.deep.equal(["copy-lag-silver"]);
    expect(one(mixed.resources, "aws:scheduler/schedule:Schedule", "copy-sweep-every").inputs.scheduleExpression).to.equal("rate(15 minutes)");
    const env = (one(mixed.resources, "aws:lambda/function:Function", "copy").inputs.environment as { variables: Record<string, string> }).variables;
    expect(env.BACKUP_DR_MAX_EBS_COPIES).to.equal("10");
  });
});
