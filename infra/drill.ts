// The DR drill (issue 18), in the drill's region (backup-dr:drill region, the DR region by default) on that region's
// provider, key, vault and topic only: the drill function (its role: infra/iam-drill.ts), its STANDARD state machine
// (definition: infra/drill-machine.ts), and when the drill is enabled the schedule that starts it and the daily watch
// that publishes DrillOverdue; alarms on executions, per plan on failures and missed RTO/RPO targets, and on overdue.
// The machine is deployed even when the drill is disabled: an on-demand drill (`npm run drill`) starts it.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DRILL_MANIFEST_FOLDER } from "../handlers/drill/contract";
import { watchedMetric } from "../handlers/lib/metrics";
import { watchdogAlarm } from "./alarms";
import { drillMachineDefinition } from "./drill-machine";
import { drillOptions } from "./drill-options";
import { functionMachine } from "./function-machine";
import { BackupDrFunction, type FunctionContext, type Handler } from "./functions";
import { drillStatements } from "./iam-drill";
import { restoreEnvironment } from "./restore";
import { FunctionSchedules } from "./schedules";
import type { RegionRole } from "../handlers/restore/settings";

/**
 * The drill component, function and role are named after the drill's region, like the restore's (`dr-drill` or
 * `primary-drill`): the policy pack finds the function by name, and a DR-side name says which provider it is on.
 */
export function drillName(role: RegionRole): string {
  return `${role}-drill`;
}

/** Each step is one short Lambda call (waiting is the machine's): reading points and tags, a few create or delete calls. */
export const DRILL_FUNCTION_TIMEOUT_SECONDS = 300;

/** The watch runs daily at this time in the drill's time zone. */
export const DRILL_WATCH_SCHEDULE = "cron(0 12 * * ? *)";

const DAY_SECONDS = 86_400;

export interface DrillArgs extends FunctionContext {
  /** The drill region (the provider's). */
  region: string;
  /** The handler exported by handlers/drill.ts. */
  callback: Handler;
  /** The state machine's TimeoutSeconds (infra/drill-machine.ts drillMachineTimeoutSeconds). */
  machineTimeoutSeconds: number;
}

/** The environment the drill handler reads: the restore function's of the region, the topic and the drill options. */
export function drillEnvironment(args: Pick<DrillArgs, "config" | "region" | "keyArn" | "vaultName" | "topicArn" | "machineTimeoutSeconds">): Record<string, pulumi.Input<string>> {
  const { config } = args;
  return {
    ...restoreEnvironment(config, { role: config.drill.region, region: args.region, keyArn: args.keyArn, vaultName: args.vaultName }),
    BACKUP_DR_TOPIC_ARN: args.topicArn,
    BACKUP_DR_DRILL: JSON.stringify(drillOptions(config.drill, args.machineTimeoutSeconds)),
  };
}

export class Drill extends pulumi.ComponentResource {
  readonly functionArn: pulumi.Output<string>;
  /** The function (the dashboard shows its metrics and its on-failure queue). */
  readonly fn: BackupDrFunction;
  readonly stateMachineArn: pulumi.Output<string>;

  constructor(name: string, args: DrillArgs, opts?: pulumi.ComponentResourceOptions) {
    super("backup-dr:drill:Drill", name, {}, opts);
    const parent = { parent: this };
    const { config, region } = args;
    const drill = config.drill;
    const network = config.restore[drill.region];

    const fn = new BackupDrFunction(
      name,
      {
        ...args,
        description: `backup-dr ${config.stackTag}: DR drills in ${region}: restores a sample of recovery points, measures RTO/RPO, deletes what it restored (step events from its state machine)`,
        timeoutSeconds: DRILL_FUNCTION_TIMEOUT_SECONDS,
        memorySize: 512,
        environment: drillEnvironment(args),
        manifestFolder: DRILL_MANIFEST_FOLDER,
        errorsAlarmDescription: `backup-dr ${name}: a drill step failed in ${region}; see the drill execution, its manifest under runs/${DRILL_MANIFEST_FOLDER}/ and the function's logs.`,
        statements: pulumi
          .all([args.account, args.vaultArn])
          .apply(([a, vaultArn]) => drillStatements({ partition: a.partition, accountId: a.accountId, region, stackTag: config.stackTag, network, vaultArn })),
      },
      parent,
    );

    const machine = functionMachine(
      name,
      {
        ...args,
        functionArn: fn.functionArn,
        definition: (arn) => drillMachineDefinition(arn, args.machineTimeoutSeconds, drill.maxConcurrent),
        purpose: "drill",
        manifestFolder: DRILL_MANIFEST_FOLDER,
        invokeSid: "InvokeDrillFunctionOnly",
      },
      this,
    );

    if (drill.enabled) {
      const common = { functionArn: fn.functionArn, deadLetterQueueArn: fn.deadLetterQueueArn, keyArn: args.keyArn, account: args.account };
      new FunctionSchedules(
        `${name}-schedule`,
        {
          ...common,
          stateMachineArn: machine.arn,
          schedules: [{ name: "start", description: `backup-dr ${config.stackTag}: start a DR drill in ${region}`, expression: drill.schedule, timezone: drill.timezone, input: {} }],
        },
        parent,
      );
      new FunctionSchedules(
        `${name}-watch`,
        {
          ...common,
          schedules: [{ name: "daily", description: `backup-dr ${config.stackTag}: check that DR drills run on schedule`, expression: DRILL_WATCH_SCHEDULE, timezone: drill.timezone, input: { step: "watch" } }],
        },
        parent,
      );
      // A watch that stops running is overdue too (missing data breaches).
      watchdogAlarm(
        `${name}-overdue`,
        {
          description: `backup-dr ${config.stackTag}: no DR drill has completed in ${region} since the drill schedule's last slot (${drill.schedule} ${drill.timezone}), or the daily watch stopped reporting; see the drill executions and runs/${DRILL_MANIFEST_FOLDER}/.`,
          metric: watchedMetric("DrillOverdue", { Region: region }),
          statistic: "Maximum",
          period: DAY_SECONDS,
          evaluationPeriods: 1,
          threshold: 1,
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          topicArn: args.topicArn,
        },
        parent,
      );
    }

    for (const [plan, targets] of Object.entries(drill.plans)) {
      const perPlan = (suffix: string, description: string, metric: { namespace: string; metricName: string; dimensions: Record<string, string> }, statistic: string, threshold: number) =>
        new aws.cloudwatch.MetricAlarm(
          `${name}-${plan}-${suffix}`,
          {
            alarmDescription: `backup-dr ${config.stackTag}: plan ${plan}: ${description}; see the drill's report under runs/${DRILL_MANIFEST_FOLDER}/ of the ${region} vault.`,
            ...metric,
            statistic,
            period: DAY_SECONDS,
            evaluationPeriods: 1,
            threshold,
            comparisonOperator: "GreaterThanThreshold",
            // Published only when a drill reports: between drills there is nothing to judge.
            treatMissingData: "notBreaching",
            alarmActions: [args.topicArn],
          },
          parent,
        );
      perPlan("failures", "a drill restore failed or missed a target", watchedMetric("DrillFailures", { Plan: plan }), "Maximum", 0);
      perPlan("rto", `a drill restore took longer than the RTO target of ${targets.rtoTargetMinutes} minutes`, watchedMetric("DrillRestoreSeconds", { Plan: plan }), "Maximum", targets.rtoTargetMinutes * 60);
      perPlan("rpo", `a drill restored a point older than the RPO target of ${targets.rpoTargetMinutes} minutes`, watchedMetric("DrillRecoveryPointAgeSeconds", { Plan: plan }), "Maximum", targets.rpoTargetMinutes * 60);
    }

    this.fn = fn;
    this.functionArn = fn.functionArn;
    this.stateMachineArn = machine.arn;
    this.registerOutputs({ functionArn: this.functionArn, stateMachineArn: this.stateMachineArn });
  }
}
