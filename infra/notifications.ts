// The notification topic in the primary region: encrypted with the primary key, one email subscription per address.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { topicPolicy, type Account } from "./policy-documents";

/** AWS services that publish to the topic: CloudWatch alarms, EventBridge rules, S3 replication events. */
export const TOPIC_PUBLISHERS = ["cloudwatch.amazonaws.com", "events.amazonaws.com", "s3.amazonaws.com"];

export interface NotificationsArgs {
  kmsKeyArn: pulumi.Input<string>;
  account: pulumi.Input<Account>;
  emails: string[];
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
        policy: pulumi.all([topic.arn, args.account]).apply(([arn, account]) => JSON.stringify(topicPolicy(arn, TOPIC_PUBLISHERS, account))),
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
