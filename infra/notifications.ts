// A notification topic: encrypted with its region's key, one email subscription per address. The primary region's
// topic takes every alarm and rule; the DR region's takes the DR region's own alarms (the restore machine's), so a
// restore in the DR region is watched even while the primary region is down.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { topicPolicy, type Account } from "./policy-documents";

/** AWS services that publish to the topic: CloudWatch alarms, EventBridge rules, S3 replication events. */
export const TOPIC_PUBLISHERS = ["cloudwatch.amazonaws.com", "events.amazonaws.com", "s3.amazonaws.com"];
/** The DR region's topic: only CloudWatch alarms publish to it (and this account's functions, through IAM). */
export const DR_TOPIC_PUBLISHERS = ["cloudwatch.amazonaws.com"];

export interface NotificationsArgs {
  kmsKeyArn: pulumi.Input<string>;
  account: pulumi.Input<Account>;
  emails: string[];
  /** AWS services that publish to the topic (default TOPIC_PUBLISHERS); its key's policy must let them use it. */
  publishers?: string[];
}

export class Notifications extends pulumi.ComponentResource {
  readonly topicArn: pulumi.Output<string>;
  /** The topic's policy: S3 validates a notification destination when the configuration is set, so wait for it. */
  readonly topicPolicy: pulumi.Resource;

  constructor(name: string, args: NotificationsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("backup-dr:notifications:Notifications", name, {}, opts);
    const topic = new aws.sns.Topic(name, { kmsMasterKeyId: args.kmsKeyArn }, { parent: this });
    this.topicPolicy = new aws.sns.TopicPolicy(
      `${name}-policy`,
      {
        arn: topic.arn,
        policy: pulumi.all([topic.arn, args.account]).apply(([arn, account]) => JSON.stringify(topicPolicy(arn, args.publishers ?? TOPIC_PUBLISHERS, account))),
      },
      { parent: this },
    );
    // Named by address, so removing one address leaves the others' confirmed subscriptions alone.
    for (const email of args.emails) {
      new aws.sns.TopicSubscription(`${name}-${email}`, { topic: topic.arn, protocol: "email", endpoint: email }, { parent: this });
    }
    this.topicArn = topic.arn;
    this.registerOutputs({ topicArn: this.topicArn });
  }
}
