// Lambda policies on a synthetic function built like infra/functions.ts's BackupDrFunction (role,
// log group, on-failure queue, async invoke config, errors alarm), then with one piece changed.
import { expect } from "chai";
import { lambdaErrorsAlarm, lambdaExplicitRole, lambdaFailureDestination, lambdaLogGroupRetention, lambdaRuntime } from "../../policies/functions";
import type { StackResource } from "../../tools/policy-check/model";
import { ACCOUNT, check, provider, replace, resource, urnOf, withProps } from "./harness";

const T = {
  fn: "aws:lambda/function:Function",
  role: "aws:iam/role:Role",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  queue: "aws:sqs/queue:Queue",
  invokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
};
const arn = (service: string, resourceId: string) => `arn:aws:${service}:us-east-1:${ACCOUNT}:${resourceId}`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/backup-role`;
const QUEUE_ARN = arn("sqs", "backup-failures");
const TOPIC_ARN = arn("sns", "notifications");
const label = `backup (${T.fn})`;

function stack(): StackResource[] {
  const p = provider("primary", "us-east-1");
  const opts = { provider: p };
  return [
    p,
    resource(T.role, "backup-role", { assumeRolePolicy: "{}" }, { ...opts, computed: { name: "backup-role", id: "backup-role", arn: ROLE_ARN } }),
    resource(T.logGroup, "backup-logs", { name: "/backup-dr/test/backup", retentionInDays: 14 }, opts),
    resource(T.queue, "backup-failures", { kmsMasterKeyId: "alias/backup-dr/test" }, { ...opts, computed: { arn: QUEUE_ARN } }),
    resource(
      T.fn,
      "backup",
      { runtime: "nodejs22.x", role: ROLE_ARN, handler: "__index.handler", loggingConfig: { logFormat: "JSON", logGroup: "/backup-dr/test/backup" } },
      { ...opts, computed: { name: "backup", arn: arn("lambda", "function:backup") } },
    ),
    resource(T.invokeConfig, "backup-async", { functionName: "backup", maximumRetryAttempts: 2, destinationConfig: { onFailure: { destination: QUEUE_ARN } } }, opts),
    resource(
      T.alarm,
      "backup-errors",
      { namespace: "AWS/Lambda", metricName: "Errors", statistic: "Sum", dimensions: { FunctionName: "backup" }, alarmActions: [TOPIC_ARN], threshold: 0 },
      opts,
    ),
  ];
}

function changed(type: string, name: string, changes: Record<string, unknown> | "remove", resources = stack()): StackResource[] {
  const urn = urnOf(type, name);
  const target = resources.find((r) => r.urn === urn);
  if (target === undefined) throw new Error(`fixture has no ${urn}`);
  return replace(resources, urn, changes === "remove" ? undefined : withProps(target, changes));
}

describe("policies: Lambda functions", () => {
  it("every function policy passes the BackupDrFunction-like function", async () => {
    for (const policy of [lambdaRuntime, lambdaExplicitRole, lambdaLogGroupRetention, lambdaFailureDestination, lambdaErrorsAlarm]) {
      expect(await check(policy, stack()), policy.name).to.deep.equal([]);
    }
  });

  describe("lambda-runtime", () => {
    it("reports a missing runtime", async () => {
      expect(await check(lambdaRuntime, changed(T.fn, "backup", { runtime: undefined }))).to.deep.equal([`${label}: The function sets no runtime: set runtime to "nodejs22.x" or newer.`]);
    });

    it("reports an old Node.js and another language", async () => {
      expect(await check(lambdaRuntime, changed(T.fn, "backup", { runtime: "nodejs18.x" }))).to.deep.equal([`${label}: The function runs on "nodejs18.x": set runtime to "nodejs22.x" or newer.`]);
      expect(await check(lambdaRuntime, changed(T.fn, "backup", { runtime: "python3.12" }))).to.deep.equal([`${label}: The function runs on "python3.12": set runtime to "nodejs22.x" or newer.`]);
    });

    it("reports a runtime whose changes are ignored", async () => {
      const resources = stack().map((r) => (r.name === "backup" && r.type === T.fn ? { ...r, opts: { ...r.opts, ignoreChanges: ["runtime"] } } : r));
      expect(await check(lambdaRuntime, resources)).to.deep.equal([
        `${label}: The function ignores changes to its runtime, so a runtime upgrade would never be deployed: remove "runtime" from its ignoreChanges.`,
      ]);
    });

    it("takes the minimum version from config, and skips container images", async () => {
      expect(await check(lambdaRuntime, stack(), { minimumNodeVersion: 24 })).to.deep.equal([`${label}: The function runs on "nodejs22.x": set runtime to "nodejs24.x" or newer.`]);
      expect(await check(lambdaRuntime, changed(T.fn, "backup", { runtime: undefined, packageType: "Image" }))).to.deep.equal([]);
    });
  });

  describe("lambda-explicit-role", () => {
    it("reports a function without a role", async () => {
      expect(await check(lambdaExplicitRole, changed(T.fn, "backup", { role: undefined }))).to.deep.equal([`${label}: The function has no role: pass an explicit least-privilege aws.iam.Role as its role.`]);
    });

    it("reports CallbackFunction's default role with its broad managed policies", async () => {
      const p = stack()[0];
      const managed = ["LambdaFullAccess", "CloudWatchFullAccessV2", "service-role/AWSLambdaBasicExecutionRole", "AmazonCognitoPowerUser"];
      const attachments = managed.map((m, i) => resource(T.attachment, `backup-${i}`, { role: "backup-role", policyArn: `arn:aws:iam::aws:policy/${m}` }, { provider: p }));
      expect(await check(lambdaExplicitRole, [...stack(), ...attachments])).to.deep.equal([
        `${label}: The function's role has the broad AWS-managed policies AmazonCognitoPowerUser, CloudWatchFullAccessV2, LambdaFullAccess: pass an explicit role of its own that allows only what the function needs.`,
      ]);
    });

    it("accepts a role from outside the stack", async () => {
      expect(await check(lambdaExplicitRole, changed(T.fn, "backup", { role: `arn:aws:iam::${ACCOUNT}:role/platform-managed` }))).to.deep.equal([]);
    });
  });

  describe("lambda-log-group-retention (advisory)", () => {
    it("reports a function whose log group is not in the stack", async () => {
      expect(await check(lambdaLogGroupRetention, changed(T.logGroup, "backup-logs", "remove"))).to.deep.equal([
        `${label}: The function's log group /backup-dr/test/backup is not part of the stack, so Lambda creates it without retention: add an aws.cloudwatch.LogGroup named /backup-dr/test/backup with retentionInDays (backup-dr:logRetentionDays).`,
      ]);
      expect(await check(lambdaLogGroupRetention, changed(T.fn, "backup", { loggingConfig: undefined }))).to.deep.equal([
        `${label}: The function's log group /aws/lambda/backup is not part of the stack, so Lambda creates it without retention: add an aws.cloudwatch.LogGroup named /aws/lambda/backup with retentionInDays (backup-dr:logRetentionDays).`,
      ]);
    });

    it("reports a log group that keeps logs forever", async () => {
      expect(await check(lambdaLogGroupRetention, changed(T.logGroup, "backup-logs", { retentionInDays: undefined }))).to.deep.equal([
        `${label}: The function's log group /backup-dr/test/backup keeps logs forever: set retentionInDays (backup-dr:logRetentionDays).`,
      ]);
    });
  });

  describe("lambda-failure-destination", () => {
    it("reports a function with no invoke config and no dead-letter queue", async () => {
      expect(await check(lambdaFailureDestination, changed(T.invokeConfig, "backup-async", "remove"))).to.deep.equal([
        `${label}: The function has no on-failure destination or dead-letter queue, so a failed asynchronous run is lost: add an aws.lambda.FunctionEventInvokeConfig with destinationConfig.onFailure.destination (an SQS queue), or set deadLetterConfig.targetArn.`,
      ]);
    });

    it("reports an invoke config without an on-failure destination", async () => {
      expect(await check(lambdaFailureDestination, changed(T.invokeConfig, "backup-async", { destinationConfig: { onSuccess: { destination: QUEUE_ARN } } }))).to.deep.equal([
        `${label}: The function's aws.lambda.FunctionEventInvokeConfig has no on-failure destination: set destinationConfig.onFailure.destination to an SQS queue.`,
      ]);
    });

    it("accepts a dead-letter queue, and an invoke config naming the function by ARN", async () => {
      const dlq = changed(T.fn, "backup", { deadLetterConfig: { targetArn: QUEUE_ARN } }, changed(T.invokeConfig, "backup-async", "remove"));
      expect(await check(lambdaFailureDestination, dlq)).to.deep.equal([]);
      expect(await check(lambdaFailureDestination, changed(T.invokeConfig, "backup-async", { functionName: arn("lambda", "function:backup") }))).to.deep.equal([]);
    });
  });

  describe("lambda-errors-alarm", () => {
    const silent = `${label}: The function's Errors alarm notifies no one: set alarmActions to the notification topic (and leave actionsEnabled on).`;

    it("reports a function no alarm watches", async () => {
      const message = `${label}: No CloudWatch alarm watches the function's Errors metric: add an aws.cloudwatch.MetricAlarm on AWS/Lambda Errors with dimension FunctionName and alarmActions set to the notification topic.`;
      expect(await check(lambdaErrorsAlarm, changed(T.alarm, "backup-errors", "remove"))).to.deep.equal([message]);
      expect(await check(lambdaErrorsAlarm, changed(T.alarm, "backup-errors", { metricName: "Throttles" }))).to.deep.equal([message]);
    });

    it("reports an alarm without actions, or with actions disabled", async () => {
      expect(await check(lambdaErrorsAlarm, changed(T.alarm, "backup-errors", { alarmActions: [] }))).to.deep.equal([silent]);
      expect(await check(lambdaErrorsAlarm, changed(T.alarm, "backup-errors", { actionsEnabled: false }))).to.deep.equal([silent]);
    });

    it("accepts an alarm on a metric query", async () => {
      const query = { namespace: undefined, metricName: undefined, dimensions: undefined, metricQueries: [{ id: "e", returnData: true, metric: { namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: "backup" }, period: 300, stat: "Sum" } }] };
      expect(await check(lambdaErrorsAlarm, changed(T.alarm, "backup-errors", query))).to.deep.equal([]);
    });
  });
});
