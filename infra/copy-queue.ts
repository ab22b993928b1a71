// The copy function's FIFO queue: the completion and refill rules and the sweep schedule send to it in one message group,
// and an event source mapping (batch size 1) feeds the function one message at a time, so copy runs never overlap
// without reserving concurrency. Messages that keep failing move to a FIFO dead-letter queue, which alarms.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ruleQueuePolicy, type Account } from "./policy-documents";

/** The one message group: FIFO delivers a group's messages in order, the next only after the last is done. */
export const COPY_MESSAGE_GROUP = "copy-runs";
/** Function timeout plus a minute: a message comes back only after a run that took it has surely ended. */
export const COPY_QUEUE_VISIBILITY_SECONDS = 960;
/** Receives before a message moves to the dead-letter queue; the sweep finds whatever it was about anyway. */
export const COPY_QUEUE_MAX_RECEIVES = 3;

export interface CopyQueueArgs {
  stack: string;
  keyArn: pulumi.Input<string>;
  topicArn: pulumi.Input<string>;
}

export class CopyQueue extends pulumi.ComponentResource {
  readonly queueArn: pulumi.Output<string>;
  readonly queueUrl: pulumi.Output<string>;
  /** The dead-letter queue's name: runs that failed every receive wait there (the dashboard shows its depth). */
  readonly deadLetterQueueName: pulumi.Output<string>;

  constructor(name: string, args: CopyQueueArgs, opts?: pulumi.ComponentResourceOptions) {
    super("backup-dr:copy:CopyQueue", name, {}, opts);
    const parent = { parent: this };
    const encrypted = { kmsMasterKeyId: args.keyArn, kmsDataKeyReusePeriodSeconds: 300, messageRetentionSeconds: 14 * 24 * 3600 };
    // FIFO queue names must end in .fifo (80 characters at most); named by stack so two stacks never share one.
    const prefix = `backup-dr-${args.stack.slice(0, 40)}-${name}`;
    const failed = new aws.sqs.Queue(`${name}-failed`, { ...encrypted, name: `${prefix}-failed.fifo`, fifoQueue: true }, parent);
    const queue = new aws.sqs.Queue(
      name,
      {
        ...encrypted,
        name: `${prefix}.fifo`,
        fifoQueue: true,
        // EventBridge retries and Scheduler redeliveries of one event carry the same body: sent once within 5 minutes.
        contentBasedDeduplication: true,
        visibilityTimeoutSeconds: COPY_QUEUE_VISIBILITY_SECONDS,
        redrivePolicy: failed.arn.apply((arn) => JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: COPY_QUEUE_MAX_RECEIVES })),
      },
      parent,
    );
    const alarm = { namespace: "AWS/SQS", period: 300, evaluationPeriods: 1, statistic: "Maximum", comparisonOperator: "GreaterThanThreshold", treatMissingData: "notBreaching" };
    new aws.cloudwatch.MetricAlarm(
      `${name}-failed-messages`,
      {
        ...alarm,
        alarmDescription: `backup-dr ${args.stack}: a copy run failed ${COPY_QUEUE_MAX_RECEIVES} times and its event is in the copy dead-letter queue; see the copy function's manifests and logs.`,
        metricName: "ApproximateNumberOfMessagesVisible",
        threshold: 0,
        dimensions: { QueueName: failed.name },
        alarmActions: [args.topicArn],
      },
      parent,
    );
    new aws.cloudwatch.MetricAlarm(
      `${name}-stuck`,
      {
        ...alarm,
        alarmDescription: `backup-dr ${args.stack}: the oldest copy message has waited over an hour: copy runs are not being taken off the queue.`,
        metricName: "ApproximateAgeOfOldestMessage",
        threshold: 3600,
        dimensions: { QueueName: queue.name },
        alarmActions: [args.topicArn],
        okActions: [args.topicArn],
      },
      parent,
    );
    this.queueArn = queue.arn;
    this.queueUrl = queue.url;
    this.deadLetterQueueName = failed.name;
    this.registerOutputs({ queueArn: this.queueArn, queueUrl: this.queueUrl });
  }

  /** Lets exactly these rules of this account send to the queue. */
  admitRules(name: string, ruleArns: pulumi.Input<string>[], account: pulumi.Input<Account>): aws.sqs.QueuePolicy {
    return new aws.sqs.QueuePolicy(
      name,
      {
        queueUrl: this.queueUrl,
        policy: pulumi.all([this.queueArn, pulumi.all(ruleArns), account]).apply(([queue, rules, a]) => JSON.stringify(ruleQueuePolicy(queue, rules, a))),
      },
      { parent: this },
    );
  }
}
