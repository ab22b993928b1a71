// Alarms on a metric a scheduled run publishes: no data means the run stopped, which is as bad as what the metric
// reports, so missing data breaches; the topic hears both the alarm and the return to OK.
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

export interface WatchdogAlarmArgs {
  description: string;
  /** What watchedMetric() gives: namespace, name and exactly the catalogued dimensions. */
  metric: { namespace: string; metricName: string; dimensions: Record<string, string> };
  statistic: "Maximum" | "Sum";
  period: number;
  evaluationPeriods: number;
  /** Of the evaluation periods, how many must breach (default all of them). */
  datapointsToAlarm?: number;
  threshold: number;
  comparisonOperator: "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold";
  topicArn: pulumi.Input<string>;
}

export function watchdogAlarm(name: string, a: WatchdogAlarmArgs, opts: pulumi.CustomResourceOptions): aws.cloudwatch.MetricAlarm {
  return new aws.cloudwatch.MetricAlarm(
    name,
    {
      alarmDescription: a.description,
      ...a.metric,
      statistic: a.statistic,
      period: a.period,
      evaluationPeriods: a.evaluationPeriods,
      ...(a.datapointsToAlarm === undefined ? {} : { datapointsToAlarm: a.datapointsToAlarm }),
      threshold: a.threshold,
      comparisonOperator: a.comparisonOperator,
      treatMissingData: "breaching",
      alarmActions: [a.topicArn],
      okActions: [a.topicArn],
    },
    opts,
  );
}
