// The backup function: the Lambda that snapshots each plan's tagged sources, and one schedule per plan.
import * as pulumi from "@pulumi/pulumi";
import { RDS_SNAPSHOT_PREFIX } from "../handlers/catalog";
import { handler } from "../handlers/backup";
import type { BackupDrConfig } from "./config";
import { BackupDrFunction } from "./functions";
import { backupStatements } from "./iam";
import type { Account } from "./policy-documents";
import { FunctionSchedules } from "./schedules";

/** Scheduler fills this in with the slot's time, so a retried invocation lands in the same slot. */
export const SCHEDULED_TIME = "<aws.scheduler.scheduled-time>";

export interface BackupArgs {
  config: BackupDrConfig;
  account: pulumi.Input<Account>;
  keyArn: pulumi.Input<string>;
  vaultName: pulumi.Input<string>;
  vaultArn: pulumi.Input<string>;
  topicArn: pulumi.Input<string>;
}

/** The environment the backup handler reads (documented in handlers/backup.ts and the README). */
export function backupEnvironment(config: BackupDrConfig, vaultName: pulumi.Input<string>, topicArn: pulumi.Input<string>): Record<string, pulumi.Input<string>> {
  return {
    BACKUP_DR_STACK: config.stackTag,
    BACKUP_DR_PLANS: JSON.stringify(config.plans),
    BACKUP_DR_SELECTION_TAG_KEY: config.selectionTagKey,
    BACKUP_DR_VAULT_BUCKET: vaultName,
    BACKUP_DR_TOPIC_ARN: topicArn,
    BACKUP_DR_NOTIFY_ON: config.notifyOn,
  };
}

export class Backup extends pulumi.ComponentResource {
  readonly functionArn: pulumi.Output<string>;

  constructor(name: string, args: BackupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("backup-dr:backup:Backup", name, {}, opts);
    const { config } = args;
    const fn = new BackupDrFunction(
      name,
      {
        callback: handler,
        description: `backup-dr ${config.stackTag}: snapshots the EC2 instances, RDS instances and Aurora clusters of each plan`,
        timeoutSeconds: 900,
        memorySize: 512,
        environment: backupEnvironment(config, args.vaultName, args.topicArn),
        statements: pulumi
          .output(args.account)
          .apply((a) => backupStatements({ partition: a.partition, accountId: a.accountId, region: config.region, stackTag: config.stackTag, rdsSnapshotPrefix: RDS_SNAPSHOT_PREFIX })),
        manifestFolder: "backup",
        logGroupName: `/backup-dr/${config.stack}/${name}`,
        logRetentionDays: config.logRetentionDays,
        account: args.account,
        region: config.region,
        keyArn: args.keyArn,
        vaultArn: args.vaultArn,
        topicArn: args.topicArn,
      },
      { parent: this },
    );
    new FunctionSchedules(
      `${name}-schedules`,
      {
        functionArn: fn.functionArn,
        deadLetterQueueArn: fn.deadLetterQueueArn,
        keyArn: args.keyArn,
        account: args.account,
        schedules: config.plans.map((plan) => ({
          name: plan.name,
          description: `backup-dr ${config.stackTag}: back up plan ${plan.name}`,
          expression: plan.schedule,
          timezone: plan.timezone,
          input: { plan: plan.name, scheduledTime: SCHEDULED_TIME },
        })),
      },
      { parent: this },
    );
    this.functionArn = fn.functionArn;
    this.registerOutputs({ functionArn: this.functionArn });
  }
}
