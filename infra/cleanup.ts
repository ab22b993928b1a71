// The cleanup function: a daily schedule, a role that may delete only snapshots tagged with this stack,
// and alarms when RDS/Aurora manual snapshots approach the per-region quota.
import { SNAPSHOT_RATE_SETTING, snapshotRateSetting } from "../handlers/lib/snapshot-rate";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { QUOTA_KINDS } from "../handlers/catalog";
import { handler } from "../handlers/cleanup";
import { watchedMetric } from "../handlers/lib/metrics";
import type { BackupDrConfig } from "./config";
import { BackupDrFunction, type FunctionContext } from "./functions";
import { cleanupStatements } from "./iam-snapshots";
import { SCHEDULED_TIME } from "./schedules";
import { runMachine } from "./function-machine";
import { runPartStatements } from "./iam";
import { RUN_DEADLINE_SETTING } from "../handlers/lib/run-deadline";
import { RUN_FUNCTION_TIMEOUT_SECONDS } from "./run-machine";

/** AWS's default quota of manual DB snapshots (and, separately, cluster snapshots) per region. */
export const MANUAL_SNAPSHOT_QUOTA = 100;
export const QUOTA_ALARM_SHARE = 0.8;

/** The environment the cleanup handler reads (documented in handlers/cleanup.ts and docs/cleanup.md). */
export function cleanupEnvironment(config: BackupDrConfig, vaultName: pulumi.Input<string>, topicArn: pulumi.Input<string>): Record<string, pulumi.Input<string>> {
  return {
    BACKUP_DR_STACK: config.stackTag,
    BACKUP_DR_PRIMARY_REGION: config.region,
    BACKUP_DR_DR_REGION: config.drRegion,
    BACKUP_DR_VAULT_BUCKET: vaultName,
    BACKUP_DR_TOPIC_ARN: topicArn,
    BACKUP_DR_NOTIFY_ON: config.notifyOn,
    BACKUP_DR_DRY_RUN: String(config.cleanup.dryRun),
    BACKUP_DR_MAX_DELETIONS: String(config.cleanup.maxDeletionsPerRun),
    BACKUP_DR_MIN_AGE_DAYS: String(config.cleanup.minAgeDays),
    BACKUP_DR_MAX_DELETE_FRACTION: String(config.cleanup.maxDeleteFraction),
    [SNAPSHOT_RATE_SETTING]: snapshotRateSetting({ perSecond: config.pacing.snapshotPerSecond, burst: config.pacing.snapshotBurst }),
    [RUN_DEADLINE_SETTING]: String(config.pacing.runDeadlineMinutes),
  };
}

export class Cleanup extends pulumi.ComponentResource {
  readonly functionArn: pulumi.Output<string>;
  /** The function (the dashboard shows its metrics and its on-failure queue). */
  readonly fn: BackupDrFunction;
  /** The run machine the schedule starts (infra/run-machine.ts): one run across as many invocations as it needs. */
  readonly stateMachineArn: pulumi.Output<string>;

  constructor(name: string, args: FunctionContext, opts?: pulumi.ComponentResourceOptions) {
    super("backup-dr:cleanup:Cleanup", name, {}, opts);
    const { config } = args;
    const fn = new BackupDrFunction(
      name,
      {
        ...args,
        callback: handler,
        description: `backup-dr ${config.stackTag}: deletes this stack's expired backups in ${config.region} and ${config.drRegion}`,
        timeoutSeconds: RUN_FUNCTION_TIMEOUT_SECONDS,
        memorySize: 512,
        environment: cleanupEnvironment(config, args.vaultName, args.topicArn),
        statements: pulumi
          .all([args.account, args.vaultArn])
          .apply(([a, vaultArn]) => [
            ...cleanupStatements({ partition: a.partition, accountId: a.accountId, region: config.region, drRegion: config.drRegion, stackTag: config.stackTag }),
            ...runPartStatements(vaultArn, name),
          ]),
      },
      { parent: this },
    );
    const machine = runMachine("cleanup", fn, RUN_FUNCTION_TIMEOUT_SECONDS, args, this);
    fn.scheduleRuns(
      `${name}-schedule`,
      [
        {
          name: "daily",
          description: `backup-dr ${config.stackTag}: delete expired backups`,
          expression: config.cleanup.schedule,
          timezone: config.cleanup.timezone,
          input: { scheduledTime: SCHEDULED_TIME },
        },
      ],
      this,
      machine.arn,
    );
    for (const region of [config.region, config.drRegion]) {
      for (const kind of QUOTA_KINDS) {
        new aws.cloudwatch.MetricAlarm(
          `${name}-quota-${kind}-${region}`,
          {
            alarmDescription: `backup-dr ${config.stackTag}: manual ${kind === "rds" ? "DB" : "DB cluster"} snapshots in ${region} are at ${QUOTA_ALARM_SHARE * 100}% of the quota of ${MANUAL_SNAPSHOT_QUOTA}; new backups will fail at the quota. Shorten retention or raise the quota.`,
            ...watchedMetric("ManualSnapshotsUsed", { Region: region, Kind: kind }),
            statistic: "Maximum",
            period: 86400,
            evaluationPeriods: 1,
            threshold: MANUAL_SNAPSHOT_QUOTA * QUOTA_ALARM_SHARE,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            // Published once a run (daily): between runs keep the last state.
            treatMissingData: "ignore",
            alarmActions: [args.topicArn],
            okActions: [args.topicArn],
          },
          { parent: this },
        );
      }
    }
    this.fn = fn;
    this.functionArn = fn.functionArn;
    this.stateMachineArn = machine.arn;
    this.registerOutputs({ functionArn: this.functionArn, stateMachineArn: this.stateMachineArn });
  }
}
