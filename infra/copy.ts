// The DR copy function: EventBridge rules for the four "snapshot completed" events, the refill rules for the DR
// region's "copy finished" events (infra/copy-refill.ts), a sweep schedule (the safety net for lost events and
// deferred copies), all sent through one FIFO queue so runs never overlap, its role, and a DR-lag alarm per copying plan.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { COPY_LIMITS, RDS_SNAPSHOT_PREFIX, SNAPSHOT_KINDS } from "../handlers/catalog";
import { handler } from "../handlers/copy";
import { watchedMetric } from "../handlers/lib/metrics";
import { SNAPSHOT_LOCK_SETTING } from "../handlers/lib/snapshot-lock";
import type { BackupDrConfig } from "./config";
import { COPY_MESSAGE_GROUP, CopyQueue } from "./copy-queue";
import { refillRules } from "./copy-refill";
import { BackupDrFunction, type FunctionContext } from "./functions";
import { queueConsumerStatements } from "./iam";
import { copyStatements } from "./iam-snapshots";
import { watchdogAlarm } from "./alarms";

/** The completion events that start a copy, one EventBridge rule each. */
export const COPY_EVENT_PATTERNS: Record<string, Record<string, unknown>> = {
  "ebs-multi-volume": {
    source: ["aws.ec2"],
    "detail-type": ["EBS Multi-Volume Snapshots Completion Status"],
    detail: { event: ["createSnapshots"], result: ["succeeded"] },
  },
  "ebs-snapshot": { source: ["aws.ec2"], "detail-type": ["EBS Snapshot Notification"], detail: { event: ["createSnapshot"], result: ["succeeded"] } },
  // Only snapshots named like ours: RDS events can be filtered by name, EBS events only after a lookup.
  "rds-snapshot": { source: ["aws.rds"], "detail-type": ["RDS DB Snapshot Event"], detail: { EventID: ["RDS-EVENT-0042"], SourceIdentifier: [{ prefix: RDS_SNAPSHOT_PREFIX }] } },
  "rds-cluster-snapshot": {
    source: ["aws.rds"],
    "detail-type": ["RDS DB Cluster Snapshot Event"],
    detail: { EventID: ["RDS-EVENT-0075"], SourceIdentifier: [{ prefix: RDS_SNAPSHOT_PREFIX }] },
  },
};

export interface CopyArgs extends FunctionContext {
  drKeyArn: pulumi.Input<string>;
  /** The DR region's provider: the rules forwarding its copy-finished events live there (infra/copy-refill.ts). */
  drProvider: aws.Provider;
}

/** The environment the copy handler reads (documented in handlers/copy.ts and docs/copy.md). */
export function copyEnvironment(config: BackupDrConfig, a: Pick<CopyArgs, "drKeyArn" | "vaultName" | "topicArn">): Record<string, pulumi.Input<string>> {
  return {
    BACKUP_DR_STACK: config.stackTag,
    BACKUP_DR_PLANS: JSON.stringify(config.plans),
    BACKUP_DR_PRIMARY_REGION: config.region,
    BACKUP_DR_DR_REGION: config.drRegion,
    BACKUP_DR_DR_KEY_ARN: a.drKeyArn,
    BACKUP_DR_VAULT_BUCKET: a.vaultName,
    BACKUP_DR_TOPIC_ARN: a.topicArn,
    BACKUP_DR_NOTIFY_ON: config.notifyOn,
    // Each kind's copy limit, under the variable its kind reads (COPY_LIMITS in the catalog).
    ...Object.fromEntries(SNAPSHOT_KINDS.map((kind) => [COPY_LIMITS[kind].setting, String(config.copy[COPY_LIMITS[kind].key])])),
    [SNAPSHOT_LOCK_SETTING]: config.vaultLock.mode,
  };
}

export class Copy extends pulumi.ComponentResource {
  readonly functionArn: pulumi.Output<string>;
  /** The function (the dashboard shows its metrics and its on-failure queue). */
  readonly fn: BackupDrFunction;
  /** The copy queue's dead-letter queue's name. */
  readonly queueDeadLetterName: pulumi.Output<string>;

  constructor(name: string, args: CopyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("backup-dr:copy:Copy", name, {}, opts);
    const { config } = args;
    const queue = new CopyQueue(`${name}-queue`, { stack: config.stack, keyArn: args.keyArn, topicArn: args.topicArn }, { parent: this });
    const fn = new BackupDrFunction(
      name,
      {
        ...args,
        callback: handler,
        description: `backup-dr ${config.stackTag}: copies completed backups to ${config.drRegion} under the DR key`,
        timeoutSeconds: 900,
        memorySize: 512,
        // One run at a time comes from the FIFO queue's single message group, not from reserved concurrency (which
        // fails `pulumi up` in accounts with a low concurrency quota): CopySnapshot takes no idempotency token, so an
        // event run racing a sweep could copy twice, and the in-flight count must stay exact.
        environment: copyEnvironment(config, args),
        statements: pulumi.all([args.account, args.drKeyArn, queue.queueArn]).apply(([a, drKeyArn, queueArn]) => [
          ...copyStatements({ partition: a.partition, accountId: a.accountId, region: config.region, drRegion: config.drRegion, drKeyArn, stackTag: config.stackTag, rdsSnapshotPrefix: RDS_SNAPSHOT_PREFIX, snapshotLock: config.vaultLock.mode }),
          ...queueConsumerStatements(queueArn),
        ]),
      },
      { parent: this },
    );

    // Batch size 1: each message is one run, and a failed run returns only its own message.
    new aws.lambda.EventSourceMapping(`${name}-queue-feed`, { eventSourceArn: queue.queueArn, functionName: fn.functionArn, batchSize: 1, enabled: true }, { parent: this });

    // A lost or undeliverable event is not retried forever: the sweep finds every backup without a copy.
    const completions = Object.entries(COPY_EVENT_PATTERNS).map(([kind, pattern]) => ({
      key: kind,
      rule: new aws.cloudwatch.EventRule(
        `${name}-${kind}`,
        { description: `backup-dr ${config.stackTag}: copy to DR when a snapshot completes (${kind})`, eventPattern: JSON.stringify(pattern), state: "ENABLED" },
        { parent: this },
      ),
    }));
    // A DR copy finishing frees a place: its event, forwarded from the DR region, starts a refill (infra/copy-refill.ts).
    const rules = [...completions, ...refillRules(name, { config, account: args.account, drProvider: args.drProvider }, this)];
    const admitted = queue.admitRules(`${name}-queue-policy`, rules.map((r) => r.rule.arn), args.account);
    for (const { key, rule } of rules) {
      new aws.cloudwatch.EventTarget(
        `${name}-${key}-target`,
        {
          rule: rule.name,
          arn: queue.queueArn,
          sqsTarget: { messageGroupId: COPY_MESSAGE_GROUP },
          retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 8 },
        },
        { parent: this, dependsOn: [admitted] },
      );
    }

    fn.schedule(
      `${name}-sweep`,
      [
        {
          name: "every",
          description: `backup-dr ${config.stackTag}: start deferred and missed DR copies, replace failed ones`,
          expression: `rate(${config.copy.sweepMinutes} minutes)`,
          timezone: "UTC",
          input: { sweep: true },
        },
      ],
      this,
      { arn: queue.queueArn, messageGroupId: COPY_MESSAGE_GROUP },
    );

    // Each sweep publishes the age of the oldest backup still waiting; no data means no sweep ran, which is as bad.
    const period = config.copy.sweepMinutes * 60;
    for (const plan of config.plans.filter((p) => p.copyToDr)) {
      watchdogAlarm(
        `${name}-lag-${plan.name}`,
        {
          description: `backup-dr ${config.stackTag}: a backup of plan ${plan.name} has waited more than ${config.copy.lagAlarmMinutes} minutes for its DR copy, or the copy sweep stopped running.`,
          metric: watchedMetric("OldestUncopiedAgeSeconds", { Plan: plan.name }),
          statistic: "Maximum",
          period,
          evaluationPeriods: 2,
          threshold: config.copy.lagAlarmMinutes * 60,
          comparisonOperator: "GreaterThanThreshold",
          topicArn: args.topicArn,
        },
        { parent: this },
      );
    }

    this.fn = fn;
    this.queueDeadLetterName = queue.deadLetterQueueName;
    this.functionArn = fn.functionArn;
    this.registerOutputs({ functionArn: this.functionArn });
  }
}
