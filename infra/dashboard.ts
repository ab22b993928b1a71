// The stack's CloudWatch dashboard (issue 19), in the primary region, built with awsx's classic dashboard helpers
// (`awsx.classic.cloudwatch`, imported by its module path so the program does not load awsx's other components). Every
// BackupDr metric comes from the metrics catalog (handlers/lib/metrics.ts watchedMetric: namespace, name and exactly
// its dimensions), never a name typed here; AWS's own metrics (Lambda, SQS, S3 replication) name their documented
// dimensions. One widget per metric with a line per plan, region or function: the widget count does not grow with the
// plans (CloudWatch allows 100 widgets). A widget shows one region: the DR region's functions and the drill (when it
// runs there) get their own widgets.
import * as aws from "@pulumi/aws";
import * as cw from "@pulumi/awsx/classic/cloudwatch";
import * as pulumi from "@pulumi/pulumi";
import { QUOTA_KINDS } from "../handlers/catalog";
import { cataloguedMetric, watchedMetric, type DimensionName, type MetricName, type SetOf } from "../handlers/lib/metrics";
import type { BackupDrConfig } from "./config";
import { checkPeriodMinutes } from "./config-report";
import { MANUAL_SNAPSHOT_QUOTA, QUOTA_ALARM_SHARE } from "./cleanup";
import { REPLICATION_RULE_ID } from "./replication";

/** A function of the stack as the dashboard shows it: its Lambda metrics and its on-failure queue's depth. */
export interface WatchedFunction {
  /** The line's label: the component's name (backup, copy, primary-restore, ...). */
  label: string;
  region: string;
  functionName: pulumi.Input<string>;
  deadLetterQueueName: pulumi.Input<string>;
}

/** Another queue whose depth means failed work (the copy queue's dead-letter queue). */
export interface WatchedQueue {
  label: string;
  region: string;
  queueName: pulumi.Input<string>;
}

export interface DashboardArgs {
  config: BackupDrConfig;
  /** The region the drill runs in (its metrics are published there). */
  drillRegion: string;
  functions: WatchedFunction[];
  queues: WatchedQueue[];
  /** The protected buckets and their replica vaults (the S3 replication metrics' dimensions). */
  replicas: Array<{ bucket: string; replicaBucketName: pulumi.Input<string> }>;
  vaultName: pulumi.Input<string>;
}

/** CloudWatch's dashboard limit. */
export const MAX_DASHBOARD_WIDGETS = 100;

const HOUR = 3600;
const DAY = 86_400;
/** Catalogued Count metrics that are levels, not events: shown at their Maximum, not summed. */
const LEVELS: readonly MetricName[] = ["ManualSnapshotsUsed", "SourcesChecked", "SourcesOutOfPolicy", "ResourcesNotSelected", "DrillOverdue"];

/** A catalogued metric as an awsx Metric: namespace, name and dimensions from the catalog; a level or a duration at its Maximum, events summed. */
export function cataloguedWidgetMetric<N extends MetricName>(name: N, dimensions: Readonly<Record<DimensionName<SetOf<N>>, pulumi.Input<string>>>, label: string, period: number): cw.Metric {
  const watched = watchedMetric(name, dimensions);
  const summed = cataloguedMetric(name).unit === "Count" && !LEVELS.includes(name);
  return new cw.Metric({ namespace: watched.namespace, name: watched.metricName, dimensions: watched.dimensions, statistic: summed ? "Sum" : "Maximum", label, period });
}

/** The dashboard's name: `backup-dr-<stack>`, in the characters CloudWatch allows. */
export function dashboardName(stack: string): string {
  return `backup-dr-${stack}`.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 255);
}

/** Every widget of the dashboard, in order (a pure function of the args, so its count is checked before AWS sees it). */
export function dashboardWidgets(args: DashboardArgs): cw.Widget[] {
  const { config } = args;
  const primary = config.region as aws.Region;
  const widgets: cw.Widget[] = [];
  const graph = (title: string, region: string, metrics: cw.Metric[], annotations?: cw.HorizontalAnnotation[]) => {
    if (metrics.length > 0) widgets.push(new cw.LineGraphMetricWidget({ title, region: region as aws.Region, metrics, annotations, width: 8, height: 6 }));
  };
  const plans = config.plans;
  const copying = plans.filter((p) => p.copyToDr);
  const regions = [config.region, config.drRegion];

  widgets.push(
    new cw.TextWidget({
      width: 24,
      height: 2,
      markdown: pulumi.interpolate`## backup-dr ${config.stackTag}\nPrimary ${config.region}, DR ${config.drRegion}. Daily compliance reports: \`s3://${args.vaultName}/reports/compliance/\`. Lines per plan, region and function; alarms go to the stack's topics.`,
    }),
  );

  const perPlan = (name: "BackupsCreated" | "BackupsSkipped" | "BackupsFailed" | "SourcesOutOfPolicy", period: number) =>
    plans.map((p) => cataloguedWidgetMetric(name, { Plan: p.name }, p.name, period));
  graph("Backups created per plan", primary, perPlan("BackupsCreated", HOUR));
  graph("Backups skipped per plan", primary, perPlan("BackupsSkipped", HOUR));
  graph("Backups failed per plan", primary, perPlan("BackupsFailed", HOUR));

  const perCopyingPlan = (name: "CopiesStarted" | "CopiesDeferred" | "CopiesFailed" | "OldestUncopiedAgeSeconds", period: number) =>
    copying.map((p) => cataloguedWidgetMetric(name, { Plan: p.name }, p.name, period));
  graph("DR lag: oldest backup waiting for its copy (s)", primary, perCopyingPlan("OldestUncopiedAgeSeconds", config.copy.sweepMinutes * 60), [
    new cw.HorizontalAnnotation({ aboveEdge: { value: config.copy.lagAlarmMinutes * 60, label: "lag alarm" } }),
  ]);
  graph("DR copies started per plan", primary, perCopyingPlan("CopiesStarted", HOUR));
  graph("DR copies deferred per plan", primary, perCopyingPlan("CopiesDeferred", HOUR));
  graph("DR copies failed per plan", primary, perCopyingPlan("CopiesFailed", HOUR));

  graph("Sources out of policy per plan (coverage check)", primary, perPlan("SourcesOutOfPolicy", checkPeriodMinutes(config.report) * 60));
  graph("Resources no plan selects", primary, [cataloguedWidgetMetric("ResourcesNotSelected", { Region: config.region }, config.region, DAY)]);

  const perRegion = (name: "SnapshotsDeleted" | "SnapshotsKept" | "SnapshotsDeferred") => regions.map((r) => cataloguedWidgetMetric(name, { Region: r }, r, DAY));
  graph("Cleanup: snapshots deleted per region", primary, perRegion("SnapshotsDeleted"));
  graph("Cleanup: snapshots kept per region", primary, perRegion("SnapshotsKept"));
  graph("Cleanup: snapshots deferred per region", primary, perRegion("SnapshotsDeferred"));
  graph(
    `Manual DB snapshots used per region and kind (quota ${MANUAL_SNAPSHOT_QUOTA})`,
    primary,
    regions.flatMap((r) => QUOTA_KINDS.map((kind) => cataloguedWidgetMetric("ManualSnapshotsUsed", { Region: r, Kind: kind }, `${kind} ${r}`, DAY))),
    [new cw.HorizontalAnnotation({ aboveEdge: { value: MANUAL_SNAPSHOT_QUOTA * QUOTA_ALARM_SHARE, label: "quota alarm" } })],
  );

  // S3 publishes replication metrics in the source bucket's region, under the rule's id.
  const replication = (name: string, statistic: cw.MetricStatistic) =>
    args.replicas.map(
      (r) =>
        new cw.Metric({
          namespace: "AWS/S3",
          name,
          dimensions: { SourceBucket: r.bucket, DestinationBucket: r.replicaBucketName, RuleId: REPLICATION_RULE_ID },
          statistic,
          label: r.bucket,
          period: 300,
        }),
    );
  graph("S3 replication latency per protected bucket (s)", primary, replication("ReplicationLatency", "Maximum"), [
    new cw.HorizontalAnnotation({ aboveEdge: { value: config.s3Replication.latencyAlarmSeconds, label: "latency alarm" } }),
  ]);
  graph("S3 operations failed replication per protected bucket", primary, replication("OperationsFailedReplication", "Sum"));

  const drilled = Object.keys(config.drill.plans);
  graph("Drill: slowest restore per plan (s, RTO)", args.drillRegion, drilled.map((p) => cataloguedWidgetMetric("DrillRestoreSeconds", { Plan: p }, p, DAY)));
  graph("Drill: restored point's age per plan (s, RPO)", args.drillRegion, drilled.map((p) => cataloguedWidgetMetric("DrillRecoveryPointAgeSeconds", { Plan: p }, p, DAY)));

  for (const region of regions) {
    const here = args.functions.filter((f) => f.region === region);
    const lambda = (name: string, statistic: cw.MetricStatistic) =>
      here.map((f) => new cw.Metric({ namespace: "AWS/Lambda", name, dimensions: { FunctionName: f.functionName }, statistic, label: f.label, period: 300 }));
    graph(`Function errors (${region})`, region, lambda("Errors", "Sum"));
    graph(`Function duration, max (ms, ${region})`, region, lambda("Duration", "Maximum"));
    graph(`Function throttles (${region})`, region, lambda("Throttles", "Sum"));
    const queues = [
      ...here.map((f) => ({ label: f.label, queueName: f.deadLetterQueueName })),
      ...args.queues.filter((q) => q.region === region).map((q) => ({ label: q.label, queueName: q.queueName })),
    ];
    graph(
      `Failed invocations waiting in on-failure queues (${region})`,
      region,
      queues.map((q) => new cw.Metric({ namespace: "AWS/SQS", name: "ApproximateNumberOfMessagesVisible", dimensions: { QueueName: q.queueName }, statistic: "Maximum", label: q.label, period: 300 })),
    );
  }
  if (widgets.length > MAX_DASHBOARD_WIDGETS) throw new Error(`The dashboard would have ${widgets.length} widgets, over CloudWatch's limit of ${MAX_DASHBOARD_WIDGETS}.`);
  return widgets;
}

export class BackupDrDashboard extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;
  readonly dashboardName: pulumi.Output<string>;

  constructor(name: string, args: DashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super("backup-dr:dashboard:Dashboard", name, {}, opts);
    const dashboard = new cw.Dashboard(
      name,
      { name: dashboardName(args.config.stack), region: args.config.region as aws.Region, periodOverride: "inherit", start: "-P7D", widgets: dashboardWidgets(args) },
      { parent: this },
    );
    this.url = dashboard.url;
    this.dashboardName = dashboard.dashboardName;
    this.registerOutputs({ url: this.url, dashboardName: this.dashboardName });
  }
}
