// One backup-dr Lambda: the serialized callback, its own least-privilege role, an encrypted log group,
// an encrypted on-failure queue, and alarms on errors and on failed invocations, to the topic.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BackupDrConfig } from "./config";
import { packagingTransformations, type FunctionPackaging } from "./function-archive";
import { functionBaseStatements, rolePolicy, trustPolicy } from "./iam";
import { checkEnvironmentSize } from "./limits";
import { FunctionSchedules, type FunctionSchedulesArgs, type ScheduleSpec } from "./schedules";
import type { Account, PolicyStatement } from "./policy-documents";

/** The Lambda runtime every function is pinned to (set explicitly so upgrades are deployed). */
export const RUNTIME = "nodejs22.x";

/** A handler module's `handler(event, context)`: it validates its own event, so any event type fits. */
export type Handler = (event: never, context: aws.lambda.Context) => Promise<unknown>;

/**
 * What a function of the stack is given: the config, the account, and its region's key, vault and topic (the
 * primary region's for backup, copy and cleanup; each region's own for its restore function). The region is the
 * provider's, from the component's options.
 */
export interface FunctionContext {
  config: BackupDrConfig;
  account: pulumi.Input<Account>;
  /** Encrypts the function's log group and on-failure queue; the vault and topic are encrypted with it too. */
  keyArn: pulumi.Input<string>;
  vaultName: pulumi.Input<string>;
  vaultArn: pulumi.Input<string>;
  topicArn: pulumi.Input<string>;
  /** How each code archive is packaged; absent: "lean", what deploys ("default" only to measure against). */
  packaging?: FunctionPackaging;
}

export interface BackupDrFunctionArgs extends FunctionContext {
  /** The handler exported by handlers/<name>.ts; Pulumi serializes it into the archive. */
  callback: Handler;
  description: string;
  timeoutSeconds: number;
  memorySize: number;
  /** Reserved concurrency; absent: the account's unreserved pool. */
  reservedConcurrency?: number;
  environment: Record<string, pulumi.Input<string>>;
  /** What this function may do beyond the common base (logs, queue, manifests, topic). */
  statements: pulumi.Input<PolicyStatement[]>;
  /** Its run manifests go under `runs/<manifestFolder>/` of the vault; default the function's name. */
  manifestFolder?: string;
  /** What its Errors alarm says; default: a failed backup, copy or cleanup. */
  errorsAlarmDescription?: string;
}

/**
 * Named `name`: its log group is `/backup-dr/<stack>/<name>`, its run manifests go under `runs/<name>/`
 * of the vault (or `runs/<manifestFolder>/`), and its schedules (see `schedule`) invoke it.
 */
export class BackupDrFunction extends pulumi.ComponentResource {
  readonly functionArn: pulumi.Output<string>;
  readonly functionName: pulumi.Output<string>;
  readonly deadLetterQueueArn: pulumi.Output<string>;
  /** The on-failure queue's name (its CloudWatch QueueName dimension). */
  readonly deadLetterQueueName: pulumi.Output<string>;
  private readonly context: FunctionContext;

  constructor(name: string, args: BackupDrFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("backup-dr:functions:BackupDrFunction", name, {}, opts);
    const parent = { parent: this };
    this.context = args;
    checkEnvironmentSize(name, args.environment);

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: `/backup-dr/${args.config.stack}/${name}`, retentionInDays: args.config.logRetentionDays, kmsKeyId: args.keyArn },
      parent,
    );
    const failures = new aws.sqs.Queue(
      `${name}-failures`,
      { kmsMasterKeyId: args.keyArn, kmsDataKeyReusePeriodSeconds: 300, messageRetentionSeconds: 14 * 24 * 3600 },
      parent,
    );
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `backup-dr ${name}: runs the ${name} function`,
        assumeRolePolicy: pulumi.output(args.account).apply((a) => JSON.stringify(trustPolicy("lambda.amazonaws.com", a.accountId))),
      },
      parent,
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.id,
        policy: pulumi
          .all([logGroup.arn, failures.arn, args.keyArn, args.vaultArn, args.topicArn, args.statements])
          .apply(([logGroupArn, deadLetterQueueArn, keyArn, vaultArn, topicArn, statements]) =>
            JSON.stringify(
              rolePolicy([
                ...functionBaseStatements({ logGroupArn, deadLetterQueueArn, keyArn, vaultArn, topicArn, manifestFolder: args.manifestFolder ?? name }),
                ...statements,
              ]),
            ),
          ),
      },
      parent,
    );
    const fn = new aws.lambda.CallbackFunction(
      name,
      {
        callback: args.callback,
        description: args.description,
        runtime: RUNTIME,
        architectures: ["arm64"],
        timeout: args.timeoutSeconds,
        memorySize: args.memorySize,
        reservedConcurrentExecutions: args.reservedConcurrency,
        role,
        environment: { variables: args.environment },
        loggingConfig: { logFormat: "JSON", logGroup: logGroup.name, applicationLogLevel: "INFO", systemLogLevel: "WARN" },
      },
      // The archive carries Pulumi's serialized handler and a bundle of only the package exports it reads.
      { parent: this, dependsOn: [policy], transformations: packagingTransformations(name, args.packaging ?? "lean") },
    );
    new aws.lambda.FunctionEventInvokeConfig(
      `${name}-async`,
      {
        functionName: fn.name,
        maximumRetryAttempts: 2,
        maximumEventAgeInSeconds: 6 * 3600,
        destinationConfig: { onFailure: { destination: failures.arn } },
      },
      parent,
    );
    const alarm = { namespace: "AWS/Lambda", period: 300, evaluationPeriods: 1, threshold: 0, comparisonOperator: "GreaterThanThreshold", treatMissingData: "notBreaching" };
    new aws.cloudwatch.MetricAlarm(
      `${name}-errors`,
      {
        ...alarm,
        alarmDescription: args.errorsAlarmDescription ?? `backup-dr ${name}: the function reported an error (a failed backup, copy or cleanup); see its run manifest and logs.`,
        metricName: "Errors",
        statistic: "Sum",
        dimensions: { FunctionName: fn.name },
        alarmActions: [args.topicArn],
        okActions: [args.topicArn],
      },
      parent,
    );
    new aws.cloudwatch.MetricAlarm(
      `${name}-failed-invocations`,
      {
        ...alarm,
        namespace: "AWS/SQS",
        alarmDescription: `backup-dr ${name}: an invocation failed after all retries and is waiting in its on-failure queue.`,
        metricName: "ApproximateNumberOfMessagesVisible",
        statistic: "Maximum",
        dimensions: { QueueName: failures.name },
        alarmActions: [args.topicArn],
      },
      parent,
    );

    this.functionArn = fn.arn;
    this.functionName = fn.name;
    this.deadLetterQueueArn = failures.arn;
    this.deadLetterQueueName = failures.name;
    this.registerOutputs({ functionArn: this.functionArn, functionName: this.functionName, deadLetterQueueArn: this.deadLetterQueueArn });
  }

  /**
   * Schedules that invoke this function (or send to the queue that feeds it), dead-lettering to its on-failure queue;
   * children of `parent`.
   */
  schedule(name: string, schedules: ScheduleSpec[], parent: pulumi.Resource, queue?: FunctionSchedulesArgs["queue"]): FunctionSchedules {
    const { keyArn, account } = this.context;
    return new FunctionSchedules(name, { functionArn: this.functionArn, deadLetterQueueArn: this.deadLetterQueueArn, keyArn, account, schedules, queue }, { parent });
  }

  /**
   * Schedules that start this function's run machine (infra/run-machine.ts) instead of invoking it, retried like a
   * function (its executions are idempotent per slot: scheduleRetryPolicy); children of `parent`.
   */
  scheduleRuns(name: string, schedules: ScheduleSpec[], parent: pulumi.Resource, stateMachineArn: pulumi.Input<string>): FunctionSchedules {
    const { keyArn, account } = this.context;
    return new FunctionSchedules(
      name,
      { functionArn: this.functionArn, deadLetterQueueArn: this.deadLetterQueueArn, keyArn, account, schedules, stateMachineArn, runsPerSlot: true },
      { parent },
    );
  }
}
