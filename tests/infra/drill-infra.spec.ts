// The drill under mocks (issue 18): prod (enabled, DR region) and dev (disabled: the machine without schedules), and
// a variant drilling in the primary region. Every resource's inputs: the function's environment and role, the
// STANDARD state machine (definition, role, logs), the schedule starting it and the daily watch (when enabled), the
// alarms to the drill region's topic, and the stack outputs.
import { expect } from "chai";
import type { BackupDrConfig } from "../../infra/config";
import { drillMachineDefinition } from "../../infra/drill-machine";
import { drillOptions } from "../../infra/drill-options";
import { drillStatements } from "../../infra/iam-drill";
import type { PolicyDocument, PolicyStatement } from "../../infra/policy-documents";
import { drillTimeoutSeconds } from "../../infra/stack";
import { deployStack, type Deployed } from "../helpers/deploy";
import { ACCOUNT_ID, promiseOf, type Registered } from "../helpers/program";
import { jsonInput, ofType, one, providerName, TYPE } from "../helpers/resources";
import { stackValues } from "../helpers/stacks";

const T = TYPE;

const statementsOf = (resources: Registered[], name: string): PolicyStatement[] => jsonInput<PolicyDocument>(one(resources, T.policy, name), "policy").Statement;
const variables = (fn: Registered) => (fn.inputs.environment as { variables: Record<string, string> }).variables;
const drillAlarms = (resources: Registered[]) => ofType(resources, T.alarm).filter((a) => a.name.startsWith("dr-drill-"));

/** What a side of the stack is called and where its things are, under the mocks. */
function sideOf(config: BackupDrConfig, side: "primary" | "dr") {
  const region = side === "dr" ? config.drRegion : config.region;
  const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:${ACCOUNT_ID}:${resource}`;
  return {
    side,
    region,
    arn,
    keyArn: arn("kms", `key/${side}-key-key-id`),
    topicArn: arn("sns", side === "primary" ? "notifications" : "dr-notifications"),
    vault: `backup-dr-${side}-vault-1a2b3c4`,
    functionArn: arn("lambda", `function:${side}-drill`),
    machineArn: arn("states", `stateMachine:${side}-drill-machine`),
  };
}

describe("drill infrastructure (prod: enabled, in the DR region)", function () {
  this.timeout(300_000);
  let run: Deployed;
  let resources: Registered[];
  let config: BackupDrConfig;
  let s: ReturnType<typeof sideOf>;

  before(async () => {
    run = await deployStack("prod");
    resources = run.resources;
    config = run.result.config;
    s = sideOf(config, "dr");
  });

  it("has the drill function on the DR provider with exactly the drill environment", () => {
    const fn = one(resources, T.fn, "dr-drill");
    expect(providerName(fn)).to.equal("dr");
    expect(fn.inputs).to.deep.include({ runtime: "nodejs22.x", timeout: 300, memorySize: 512, role: `arn:aws:iam::${ACCOUNT_ID}:role/dr-drill-role` });
    expect(variables(fn)).to.deep.equal({
      BACKUP_DR_STACK: "backup-dr/prod",
      BACKUP_DR_REGION: s.region,
      BACKUP_DR_REGION_ROLE: "dr",
      BACKUP_DR_KEY_ARN: s.keyArn,
      BACKUP_DR_VAULT_BUCKET: s.vault,
      BACKUP_DR_RESTORE_NETWORK: JSON.stringify(config.restore.dr),
      BACKUP_DR_TOPIC_ARN: s.topicArn,
      BACKUP_DR_DRILL: JSON.stringify(drillOptions(config.drill, drillTimeoutSeconds(config))),
    });
  });

  it("passes prod's drill settings to the function: gold's targets, silver's defaults, the monthly schedule", () => {
    const options = JSON.parse(variables(one(resources, T.fn, "dr-drill")).BACKUP_DR_DRILL) as ReturnType<typeof drillOptions>;
    expect(options).to.deep.include({ samplePerPlan: 1, keepSeconds: 1800, machineMode: "instance", schedule: "cron(0 6 1 * ? *)", timezone: "America/New_York" });
    // silver: cron(30 1 * * ? *) is daily: two days' gap by plan-bounds' rule, plus the copy lag alarm of 240 minutes.
    // Silver's RPO default: its daily 01:30 in New York is 25 hours from the fall-back day's to the next, plus the lag of 240;
    // its RTO default: 240 lowered to 90, the instance restore's deadline of its machines.
    expect(options.targets).to.deep.equal({ gold: { rtoSeconds: 5400, rpoSeconds: 43200 }, silver: { rtoSeconds: 5400, rpoSeconds: (1500 + 240) * 60 } });
    expect(options.machineTimeoutSeconds).to.equal(drillTimeoutSeconds(config));
  });

  it("its role is the drill statements of the DR region, writing manifests only under runs/drill/, using only the DR key, vault and topic", () => {
    const statements = statementsOf(resources, "dr-drill-policy");
    const expected = drillStatements({ partition: "aws", accountId: ACCOUNT_ID, region: s.region, stackTag: "backup-dr/prod", network: config.restore.dr, vaultArn: `arn:aws:s3:::${s.vault}` });
    expect(statements.slice(-expected.length)).to.deep.equal(expected);
    const puts = statements.filter((x) => [x.Action].flat().includes("s3:PutObject"));
    expect(puts.map((x) => x.Resource)).to.deep.equal([`arn:aws:s3:::${s.vault}/runs/drill/*`]);
    expect(statements.filter((x) => [x.Action].flat().includes("sns:Publish")).map((x) => x.Resource)).to.deep.equal([s.topicArn]);
    const text = JSON.stringify(statements);
    for (const foreign of ["primary-key", "primary-vault", `:${config.region}:`, ":notifications"]) expect(text, foreign).to.not.include(foreign);
  });

  it("has a STANDARD state machine on the DR provider running H3b's definition with the timeout and prod's concurrency", () => {
    const machine = one(resources, T.machine, "dr-drill-machine");
    expect(providerName(machine)).to.equal("dr");
    expect(JSON.parse(String(machine.inputs.definition))).to.deep.equal(drillMachineDefinition(s.functionArn, drillTimeoutSeconds(config), 5));
    const logGroupName = "/aws/vendedlogs/states/backup-dr/prod/dr-drill";
    expect(machine.inputs).to.deep.include({
      type: "STANDARD",
      roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/dr-drill-machine-role`,
      loggingConfiguration: { logDestination: `${s.arn("logs", `log-group:${logGroupName}`)}:*`, level: "ERROR", includeExecutionData: false },
    });
    expect(one(resources, T.logGroup, "dr-drill-machine-logs").inputs).to.deep.include({ name: logGroupName, kmsKeyId: s.keyArn, retentionInDays: 365 });
    expect(machine.dependsOn.some((d) => d.endsWith("::dr-drill-machine-policy"))).to.equal(true);
    const invoke = statementsOf(resources, "dr-drill-machine-policy").filter((x) => [x.Action].flat().includes("lambda:InvokeFunction"));
    expect(invoke).to.deep.equal([{ Sid: "InvokeDrillFunctionOnly", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: [s.functionArn, `${s.functionArn}:*`] }]);
  });

  it("the machine's timeout covers every wave of restores, the keep, the slowest deletion and the margin", () => {
    // prod: gold backs up 3 kinds, silver 2: 5 samples at once in one wave; keep 30 minutes.
    const timeout = drillTimeoutSeconds(config);
    const definition = JSON.parse(String(one(resources, T.machine, "dr-drill-machine").inputs.definition)) as { TimeoutSeconds: number };
    expect(definition.TimeoutSeconds).to.equal(timeout);
    expect(drillTimeoutSeconds({ ...config, drill: { ...config.drill, maxConcurrent: 2 } })).to.be.greaterThan(timeout);
    expect(drillTimeoutSeconds({ ...config, drill: { ...config.drill, keepMinutes: 90 } })).to.equal(timeout + 60 * 60);
  });

  it("starts the machine on the drill schedule with {} through a role that may start only this machine", () => {
    const start = one(resources, T.schedule, "dr-drill-schedule-start");
    expect(providerName(start)).to.equal("dr");
    expect(start.inputs).to.deep.include({ scheduleExpression: "cron(0 6 1 * ? *)", scheduleExpressionTimezone: "America/New_York", state: "ENABLED" });
    const target = start.inputs.target as { arn: string; input: string; roleArn: string; deadLetterConfig: { arn: string } };
    expect(target.arn).to.equal(s.machineArn);
    expect(JSON.parse(target.input)).to.deep.equal({});
    expect(target.roleArn).to.equal(`arn:aws:iam::${ACCOUNT_ID}:role/dr-drill-schedule-role`);
    expect(target.deadLetterConfig.arn).to.equal(s.arn("sqs", "dr-drill-failures"));
    // No retry: Step Functions names each execution itself, so a retry after a lost StartExecution answer would start a
    // second drill (a slot that failed to start goes to the dead-letter queue, and the watch reports it overdue).
    expect((start.inputs.target as { retryPolicy: unknown }).retryPolicy).to.deep.equal({ maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 0 });
    expect((one(resources, T.schedule, "dr-drill-watch-daily").inputs.target as { retryPolicy: unknown }).retryPolicy).to.deep.equal({ maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 5 });
    expect(statementsOf(resources, "dr-drill-schedule-policy")).to.deep.equal([
      { Sid: "StartStateMachine", Effect: "Allow", Action: "states:StartExecution", Resource: s.machineArn },
      { Sid: "SendToDeadLetterQueue", Effect: "Allow", Action: "sqs:SendMessage", Resource: s.arn("sqs", "dr-drill-failures") },
      { Sid: "UseKeyForQueue", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: s.keyArn },
    ]);
  });

  it("invokes the function daily with the watch step", () => {
    const watch = one(resources, T.schedule, "dr-drill-watch-daily");
    expect(watch.inputs).to.deep.include({ scheduleExpression: "cron(0 12 * * ? *)", scheduleExpressionTimezone: "America/New_York", state: "ENABLED" });
    const target = watch.inputs.target as { arn: string; input: string };
    expect(target.arn).to.equal(s.functionArn);
    expect(JSON.parse(target.input)).to.deep.equal({ step: "watch" });
    expect(statementsOf(resources, "dr-drill-watch-policy").filter((x) => x.Sid === "InvokeFunction").map((x) => x.Resource)).to.deep.equal([[s.functionArn, `${s.functionArn}:*`]]);
  });

  it("alarms to the DR topic: executions failed, timed out, aborted", () => {
    const alarms = drillAlarms(resources).filter((a) => a.name.startsWith("dr-drill-executions-"));
    expect(alarms.map((a) => a.inputs.metricName).sort()).to.deep.equal(["ExecutionsAborted", "ExecutionsFailed", "ExecutionsTimedOut"]);
    for (const a of alarms) {
      expect(providerName(a)).to.equal("dr");
      expect(a.inputs).to.deep.include({ namespace: "AWS/States", dimensions: { StateMachineArn: s.machineArn }, statistic: "Sum", threshold: 0, comparisonOperator: "GreaterThanThreshold", alarmActions: [s.topicArn] });
    }
  });

  it("alarms per plan on failures and on restores past the RTO or points past the RPO target (daily, missing data not breaching)", () => {
    const perPlan = (plan: string, suffix: string) => one(resources, T.alarm, `dr-drill-${plan}-${suffix}`).inputs;
    const common = { namespace: "BackupDr", statistic: "Maximum", period: 86400, evaluationPeriods: 1, comparisonOperator: "GreaterThanThreshold", treatMissingData: "notBreaching", alarmActions: [s.topicArn] };
    expect(perPlan("gold", "failures")).to.deep.include({ ...common, metricName: "DrillFailures", dimensions: { Plan: "gold" }, threshold: 0 });
    expect(perPlan("gold", "rto")).to.deep.include({ ...common, metricName: "DrillRestoreSeconds", dimensions: { Plan: "gold" }, threshold: 5400 });
    expect(perPlan("gold", "rpo")).to.deep.include({ ...common, metricName: "DrillRecoveryPointAgeSeconds", dimensions: { Plan: "gold" }, threshold: 43200 });
    expect(perPlan("silver", "rto")).to.deep.include({ threshold: 5400, dimensions: { Plan: "silver" } });
    expect(perPlan("silver", "rpo")).to.deep.include({ threshold: (1500 + 240) * 60, dimensions: { Plan: "silver" } });
  });

  it("alarms when no drill ran on schedule, and when the watch stops reporting (missing data breaching)", () => {
    expect(one(resources, T.alarm, "dr-drill-overdue").inputs).to.deep.include({
      namespace: "BackupDr",
      metricName: "DrillOverdue",
      dimensions: { Region: s.region },
      statistic: "Maximum",
      period: 86400,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "breaching",
      alarmActions: [s.topicArn],
    });
  });

  it("every drill resource is on the DR provider", () => {
    const drill = run.resources.filter((r) => /^dr-drill(-|$)/.test(r.name) && r.type.startsWith("aws:"));
    expect(drill.length).to.be.greaterThan(15);
    for (const r of drill) expect(providerName(r), `${r.type} ${r.name}`).to.equal("dr");
  });

  it("exports the machine, its region and the function", async () => {
    expect(await promiseOf(run.result.outputs.drillStateMachineArn)).to.equal(s.machineArn);
    expect(await promiseOf(run.result.outputs.drillFunctionArn)).to.equal(s.functionArn);
    expect(run.result.outputs.drillRegion).to.equal(s.region);
  });
});

describe("drill infrastructure (dev: disabled)", function () {
  this.timeout(300_000);
  let run: Deployed;

  before(async () => {
    run = await deployStack("dev");
  });

  it("deploys the function and the machine for on-demand drills, but no schedule, no watch and no overdue alarm", () => {
    const config = run.result.config;
    const s = sideOf(config, "dr");
    expect(config.drill.enabled).to.equal(false);
    expect(providerName(one(run.resources, T.fn, "dr-drill"))).to.equal("dr");
    expect(JSON.parse(String(one(run.resources, T.machine, "dr-drill-machine").inputs.definition))).to.deep.equal(drillMachineDefinition(s.functionArn, drillTimeoutSeconds(config), 5));
    expect(ofType(run.resources, T.schedule).filter((x) => x.name.startsWith("dr-drill-"))).to.deep.equal([]);
    expect(run.resources.filter((r) => r.type === T.role && r.name.startsWith("dr-drill-") && r.name !== "dr-drill-role" && r.name !== "dr-drill-machine-role")).to.deep.equal([]);
    expect(drillAlarms(run.resources).map((a) => a.name).sort()).to.deep.equal([
      "dr-drill-daily-failures",
      "dr-drill-daily-rpo",
      "dr-drill-daily-rto",
      "dr-drill-errors",
      "dr-drill-executions-aborted",
      "dr-drill-executions-failed",
      "dr-drill-executions-timed-out",
      "dr-drill-failed-invocations",
    ]);
  });

  it("passes the dev settings: volumes mode, an empty network, the dev plan's target", () => {
    const v = variables(one(run.resources, T.fn, "dr-drill"));
    expect(v.BACKUP_DR_RESTORE_NETWORK).to.equal("{}");
    expect(JSON.parse(v.BACKUP_DR_DRILL)).to.deep.include({ machineMode: "volumes", keepSeconds: 600 });
    expect((JSON.parse(v.BACKUP_DR_DRILL) as { targets: unknown }).targets).to.deep.equal({ daily: { rtoSeconds: 3600, rpoSeconds: (1500 + 240) * 60 } }); // Dublin's 02:00: 25 hours across the fall-back
    // No network: no launch, no terminate, no database delete.
    const actions = statementsOf(run.resources, "dr-drill-policy").flatMap((x) => [x.Action].flat());
    expect(actions.filter((a) => /^(ec2:(RunInstances|TerminateInstances)|rds:(?!Describe|ListTags))/.test(a))).to.deep.equal([]);
  });
});

describe("drill infrastructure in the primary region", function () {
  this.timeout(300_000);
  it("runs on the primary provider with the primary key, vault and topic, and names the primary network", async () => {
    const values = stackValues("prod");
    const drill = values["backup-dr:drill"] as Record<string, unknown>;
    const run = await deployStack("prod", { ...values, "backup-dr:drill": { ...drill, region: "primary" } });
    const config = run.result.config;
    const s = sideOf(config, "primary");
    const fn = one(run.resources, T.fn, "primary-drill");
    expect(providerName(fn)).to.equal("primary");
    expect(variables(fn)).to.deep.include({ BACKUP_DR_REGION: s.region, BACKUP_DR_REGION_ROLE: "primary", BACKUP_DR_KEY_ARN: s.keyArn, BACKUP_DR_VAULT_BUCKET: s.vault, BACKUP_DR_TOPIC_ARN: s.topicArn, BACKUP_DR_RESTORE_NETWORK: JSON.stringify(config.restore.primary) });
    for (const r of run.resources.filter((x) => /^primary-drill(-|$)/.test(x.name) && x.type.startsWith("aws:"))) expect(providerName(r), r.name).to.equal("primary");
    expect(one(run.resources, T.alarm, "primary-drill-overdue").inputs).to.deep.include({ dimensions: { Region: s.region }, alarmActions: [s.topicArn] });
    // The primary region's RPO default has no copy lag: silver's is its longest gap alone.
    expect(config.drill.plans.silver.rpoTargetMinutes).to.equal(1500);
    expect(run.result.outputs.drillRegion).to.equal(s.region);
  });
});
