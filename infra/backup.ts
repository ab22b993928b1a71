// The backup function: the Lambda that snapshots each plan's tagged sources, and one schedule per plan.
import { SNAPSHOT_RATE_SETTING, snapshotRateSetting } from "../handlers/lib/snapshot-rate";
import * as pulumi from "@pulumi/pulumi";
import { RDS_SNAPSHOT_PREFIX } from "../handlers/catalog";
import { handler } from "../handlers/backup";
import { SNAPSHOT_LOCK_SETTING } from "../handlers/lib/snapshot-lock";
import type { BackupDrConfig } from "./config";
import { BackupDrFunction, type FunctionContext } from "./functions";
import { SCHEDULED_TIME } from "./schedules";
import { runMachine } from "./function-machine";
import { runPartStatements } from "./iam";
import { RUN_DEADLINE_SETTING } from "../handlers/lib/run-deadline";
import { RUN_FUNCTION_TIMEOUT_SECONDS } from "./run-machine";
import { backupClaimStatements, backupStatements } from "./iam-snapshots";
import { forecastPeaks } from "../tools/forecast/peaks";

/** The backup function's copy of backup-dr:expectedSources (JSON), for the policy pack. */
export const EXPECTED_SOURCES_VARIABLE = "BACKUP_DR_EXPECTED_SOURCES";

/**
 * Not read by the handler: the plans allowed to skip the DR copy (backup-dr:allowNoDrCopy), where the
 * policy pack can see them (a stack policy cannot read Pulumi config).
 */
export const ALLOW_NO_DR_COPY_SETTING = "BACKUP_DR_ALLOW_NO_DR_COPY";

/** The environment the backup handler reads (documented in handlers/backup.ts and docs/backup.md), and the exceptions above. */
export function backupEnvironment(config: BackupDrConfig, vaultName: pulumi.Input<string>, topicArn: pulumi.Input<string>): Record<string, pulumi.Input<string>> {
  return {
    BACKUP_DR_STACK: config.stackTag,
    BACKUP_DR_PLANS: JSON.stringify(config.plans),
    BACKUP_DR_SELECTION_TAG_KEY: config.selectionTagKey,
    BACKUP_DR_VAULT_BUCKET: vaultName,
    BACKUP_DR_TOPIC_ARN: topicArn,
    BACKUP_DR_NOTIFY_ON: config.notifyOn,
    // Read by the forecast-quotas policy only (a policy cannot read config, nor run the forecast); the handler ignores it.
    ...(config.expectedSources === undefined ? {} : { [EXPECTED_SOURCES_VARIABLE]: JSON.stringify({ ...config.expectedSources, peaks: forecastPeaks(config) }) }),
    [SNAPSHOT_LOCK_SETTING]: config.vaultLock.mode,
    [ALLOW_NO_DR_COPY_SETTING]: JSON.stringify(config.allowNoDrCopy),
    [SNAPSHOT_RATE_SETTING]: snapshotRateSetting({ perSecond: config.pacing.snapshotPerSecond, burst: config.pacing.snapshotBurst }),
    [RUN_DEADLINE_SETTING]: String(config.pacing.runDeadlineMinutes),
  };
}

export class Backup extends pulumi.ComponentResource {
  readonly functionArn: pulumi.Output<string>;
  /** The function (the dashboard shows its metrics and its on-failure queue). */
  readonly fn: BackupDrFunction;
  /** The run machine the schedule starts (infra/run-machine.ts): one run across as many invocations as it needs. */
  readonly stateMachineArn: pulumi.Output<string>;

  constructor(name: string, args: FunctionContext, opts?: pulumi.ComponentResourceOptions) {
    super("backup-dr:backup:Backup", name, {}, opts);
    const { config } = args;
    const fn = new BackupDrFunction(
      name,
      {
        ...args,
        callback: handler,
        description: `backup-dr ${config.stackTag}: snapshots the EC2 instances, RDS instances and Aurora clusters of each plan`,
        timeoutSeconds: RUN_FUNCTION_TIMEOUT_SECONDS,
        memorySize: 512,
        environment: backupEnvironment(config, args.vaultName, args.topicArn),
        statements: pulumi
          .all([args.account, args.vaultArn])
          .apply(([a, vaultArn]) => [
            ...backupStatements({ partition: a.partition, accountId: a.accountId, region: config.region, stackTag: config.stackTag, rdsSnapshotPrefix: RDS_SNAPSHOT_PREFIX, snapshotLock: config.vaultLock.mode }),
            ...backupClaimStatements(vaultArn),
            ...runPartStatements(vaultArn, name),
          ]),
      },
      { parent: this },
    );
    const machine = runMachine("backup", fn, RUN_FUNCTION_TIMEOUT_SECONDS, args, this);
    fn.scheduleRuns(
      `${name}-schedules`,
      config.plans.map((plan) => ({
        name: plan.name,
        description: `backup-dr ${config.stackTag}: back up plan ${plan.name}`,
        expression: plan.schedule,
        timezone: plan.timezone,
        input: { plan: plan.name, scheduledTime: SCHEDULED_TIME },
      })),
      this,
      machine.arn,
    );
    this.fn = fn;
    this.functionArn = fn.functionArn;
    this.stateMachineArn = machine.arn;
    this.registerOutputs({ functionArn: this.functionArn, stateMachineArn: this.stateMachineArn });
  }
}
