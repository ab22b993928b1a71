// Builds the whole stack from a validated config: providers, keys, vaults, topic, functions, S3 protection.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { TAG_ENVIRONMENT, TAG_REPLICA_OF, TAG_STACK } from "../handlers/catalog";
import { Backup } from "./backup";
import { Cleanup } from "./cleanup";
import type { FunctionPackaging } from "./function-archive";
import { Copy } from "./copy";
import type { BackupDrConfig } from "./config";
import { RegionKey } from "./kms";
import { DR_TOPIC_PUBLISHERS, Notifications, TOPIC_PUBLISHERS } from "./notifications";
import type { Account } from "./policy-documents";
import { S3Replication, replicaVaultName } from "./replication";
import { Vault } from "./vault";
import { handler as restoreHandler } from "../handlers/restore";
import { handler as drillHandler } from "../handlers/drill";
import { drillKinds, restoreKinds } from "../handlers/kinds/registry";
import { Drill, drillName } from "./drill";
import { drillSampleCount } from "./config-drill";
import { drillMachineTimeoutSeconds } from "./drill-machine";
import { RestoreRegion, restoreName } from "./restore";
import { Report } from "./report";
import { BackupDrDashboard, type WatchedFunction } from "./dashboard";
import type { BackupDrFunction } from "./functions";
import { restoreMachineTimeoutSeconds } from "./restore-machine";

export interface BackupDrOutputs {
  primaryRegion: string;
  drRegion: string;
  primaryKeyArn: pulumi.Output<string>;
  drKeyArn: pulumi.Output<string>;
  primaryVaultBucket: pulumi.Output<string>;
  drVaultBucket: pulumi.Output<string>;
  topicArn: pulumi.Output<string>;
  backupFunctionArn: pulumi.Output<string>;
  /** Absent when no plan copies to DR. */
  copyFunctionArn?: pulumi.Output<string>;
  cleanupFunctionArn: pulumi.Output<string>;
  /** The backup's and the cleanup's run machines (their schedules start them; a person starts a run by hand with them). */
  backupMachineArn: pulumi.Output<string>;
  cleanupMachineArn: pulumi.Output<string>;
  /** Protected bucket -> its replica vault in the DR region. */
  replicaBuckets: Record<string, pulumi.Output<string>>;
  s3ReplicationRoleArn?: pulumi.Output<string>;
  s3BatchReplicationRoleArn?: pulumi.Output<string>;
  /** The DR region's topic (the DR region's alarms: its restore machine's). */
  drTopicArn: pulumi.Output<string>;
  /** Each region's restore state machine (the operator CLI reads these) and restore function. */
  restoreStateMachineArns: { primary: pulumi.Output<string>; dr: pulumi.Output<string> };
  restoreFunctionArns: { primary: pulumi.Output<string>; dr: pulumi.Output<string> };
  /** The drill's state machine (`npm run drill` starts it), its region and its function. */
  drillStateMachineArn: pulumi.Output<string>;
  drillRegion: string;
  drillFunctionArn: pulumi.Output<string>;
  /** The report function: the coverage check and the daily compliance and cost report. */
  reportFunctionArn: pulumi.Output<string>;
  /** The stack's CloudWatch dashboard, in the primary region's console. */
  dashboardUrl: pulumi.Output<string>;
}

/** Tags every resource of the stack carries, through the providers' default tags. */
export function defaultTags(config: BackupDrConfig): Record<string, string> {
  return { ...config.tags, [TAG_STACK]: config.stackTag, [TAG_ENVIRONMENT]: config.environment };
}

/** How the program is built, beyond the stack's config: not stack settings, never set by `pulumi up`. */
export interface BuildOptions {
  /** "default": Pulumi's own function packaging, for `npm run bench:artifact` to measure against. */
  functionPackaging?: FunctionPackaging;
}

export function buildBackupDr(config: BackupDrConfig, options: BuildOptions = {}): BackupDrOutputs {
  const tags = defaultTags(config);
  const primary = new aws.Provider("primary", { region: config.region as aws.Region, defaultTags: { tags } });
  const dr = new aws.Provider("dr", { region: config.drRegion as aws.Region, defaultTags: { tags } });

  const identity = aws.getCallerIdentityOutput({}, { provider: primary });
  const partition = aws.getPartitionOutput({}, { provider: primary });
  const account: pulumi.Output<Account> = pulumi
    .all([identity.accountId, partition.partition, partition.dnsSuffix])
    .apply(([accountId, partitionName, dnsSuffix]) => ({ accountId, partition: partitionName, dnsSuffix }));

  const keyArgs = {
    account,
    aliasName: `alias/backup-dr/${config.stack}`,
    deletionWindowInDays: config.kmsDeletionWindowDays,
    protect: config.protectStorage,
  };
  const primaryKey = new RegionKey(
    "primary-key",
    { ...keyArgs, region: config.region, description: `backup-dr ${config.stackTag}: primary region backups and vault`, topicPublishers: TOPIC_PUBLISHERS },
    { providers: [primary] },
  );
  const drKey = new RegionKey(
    "dr-key",
    { ...keyArgs, region: config.drRegion, description: `backup-dr ${config.stackTag}: DR region copies and vault`, topicPublishers: DR_TOPIC_PUBLISHERS },
    { providers: [dr] },
  );

  const vaultArgs = {
    account,
    lock: config.vaultLock,
    lifecycle: config.vaultLifecycle,
    accessLogDays: config.logRetentionDays,
    destroyable: !config.protectStorage,
  };
  const primaryVault = new Vault("primary-vault", { ...vaultArgs, kmsKeyArn: primaryKey.keyArn, runManifests: true }, { providers: [primary] });
  const drVault = new Vault("dr-vault", { ...vaultArgs, kmsKeyArn: drKey.keyArn, runManifests: true }, { providers: [dr] });

  const notifications = new Notifications(
    "notifications",
    { kmsKeyArn: primaryKey.keyArn, account, emails: config.notifyEmails },
    { providers: [primary] },
  );

  // The DR region's own topic, with the same subscribers: the primary topic is unusable while the primary region is down.
  const drNotifications = new Notifications(
    "dr-notifications",
    { kmsKeyArn: drKey.keyArn, account, emails: config.notifyEmails, publishers: DR_TOPIC_PUBLISHERS },
    { providers: [dr] },
  );

  const functionArgs = { config, account, keyArn: primaryKey.keyArn, vaultName: primaryVault.bucketName, vaultArn: primaryVault.bucketArn, topicArn: notifications.topicArn, packaging: options.functionPackaging };
  const backup = new Backup("backup", functionArgs, { providers: [primary] });

  // No plan copying to DR: no copy function to run.
  const copy = config.plans.some((p) => p.copyToDr) ? new Copy("copy", { ...functionArgs, drKeyArn: drKey.keyArn, drProvider: dr }, { providers: [primary] }) : undefined;
  const cleanup = new Cleanup("cleanup", functionArgs, { providers: [primary] });

  const replicas = config.protectedBuckets.map((bucket) => ({
    bucket,
    vault: new Vault(
      replicaVaultName(bucket),
      { ...vaultArgs, kmsKeyArn: drKey.keyArn, tags: { [TAG_REPLICA_OF]: bucket }, runManifests: false },
      { providers: [dr] },
    ),
  }));
  const replication =
    replicas.length === 0
      ? undefined
      : new S3Replication(
          "s3-replication",
          {
            buckets: replicas.map((r) => ({ bucket: r.bucket, replicaBucketName: r.vault.bucketName, replicaBucketArn: r.vault.bucketArn, replicaVersioning: r.vault.versioning })),
            settings: config.s3Replication,
            account,
            region: config.region,
            drRegion: config.drRegion,
            drKeyArn: drKey.keyArn,
            topicArn: notifications.topicArn,
            topicPolicy: notifications.topicPolicy,
            reportVaultArn: primaryVault.bucketArn,
            reportKeyArn: primaryKey.keyArn,
          },
          { providers: [primary] },
        );

  // The restore path in each region, on that region's provider, key, vault and topic only.
  const restoreArgs = { config, account, callback: restoreHandler, machineTimeoutSeconds: restoreMachineTimeoutSeconds(restoreKinds().map((k) => k.timeoutMinutes)), packaging: options.functionPackaging };
  const primaryRestore = new RestoreRegion(
    restoreName("primary"),
    { ...restoreArgs, role: "primary", region: config.region, keyArn: primaryKey.keyArn, vaultName: primaryVault.bucketName, vaultArn: primaryVault.bucketArn, topicArn: notifications.topicArn },
    { providers: [primary] },
  );
  const drRestore = new RestoreRegion(
    restoreName("dr"),
    { ...restoreArgs, role: "dr", region: config.drRegion, keyArn: drKey.keyArn, vaultName: drVault.bucketName, vaultArn: drVault.bucketArn, topicArn: drNotifications.topicArn },
    { providers: [dr] },
  );

  // The drill in its region (the DR region by default), on that region's provider, key, vault and topic only.
  const drillSide = config.drill.region === "dr"
    ? { region: config.drRegion, provider: dr, keyArn: drKey.keyArn, vaultName: drVault.bucketName, vaultArn: drVault.bucketArn, topicArn: drNotifications.topicArn }
    : { region: config.region, provider: primary, keyArn: primaryKey.keyArn, vaultName: primaryVault.bucketName, vaultArn: primaryVault.bucketArn, topicArn: notifications.topicArn };
  const { provider: drillProvider, ...drillRegionArgs } = drillSide;
  const drill = new Drill(
    drillName(config.drill.region),
    { config, account, callback: drillHandler, machineTimeoutSeconds: drillTimeoutSeconds(config), packaging: options.functionPackaging, ...drillRegionArgs },
    { providers: [drillProvider] },
  );

  // The coverage check and the daily compliance and cost report, in the primary region, reading both.
  const report = new Report(
    "report",
    {
      ...functionArgs,
      drKeyArn: drKey.keyArn,
      drVaultName: drVault.bucketName,
      drVaultArn: drVault.bucketArn,
      protectedBuckets: replicas.map((r) => ({ bucket: r.bucket, replica: r.vault.bucketName })),
    },
    { providers: [primary] },
  );

  const watched = (label: string, region: string, fn: BackupDrFunction): WatchedFunction => ({ label, region, functionName: fn.functionName, deadLetterQueueName: fn.deadLetterQueueName });
  const dashboard = new BackupDrDashboard(
    "dashboard",
    {
      config,
      drillRegion: drillSide.region,
      functions: [
        watched("backup", config.region, backup.fn),
        ...(copy === undefined ? [] : [watched("copy", config.region, copy.fn)]),
        watched("cleanup", config.region, cleanup.fn),
        watched("report", config.region, report.fn),
        watched(restoreName("primary"), config.region, primaryRestore.fn),
        watched(restoreName("dr"), config.drRegion, drRestore.fn),
        watched(drillName(config.drill.region), drillSide.region, drill.fn),
      ],
      queues: copy === undefined ? [] : [{ label: "copy queue", region: config.region, queueName: copy.queueDeadLetterName }],
      replicas: replicas.map((r) => ({ bucket: r.bucket, replicaBucketName: r.vault.bucketName })),
      vaultName: primaryVault.bucketName,
    },
    { providers: [primary] },
  );

  return {
    primaryRegion: config.region,
    drRegion: config.drRegion,
    primaryKeyArn: primaryKey.keyArn,
    drKeyArn: drKey.keyArn,
    primaryVaultBucket: primaryVault.bucketName,
    drVaultBucket: drVault.bucketName,
    topicArn: notifications.topicArn,
    backupFunctionArn: backup.functionArn,
    copyFunctionArn: copy?.functionArn,
    cleanupFunctionArn: cleanup.functionArn,
    backupMachineArn: backup.stateMachineArn,
    cleanupMachineArn: cleanup.stateMachineArn,
    replicaBuckets: Object.fromEntries(replicas.map((r) => [r.bucket, r.vault.bucketName])),
    s3ReplicationRoleArn: replication?.roleArn,
    s3BatchReplicationRoleArn: replication?.batchRoleArn,
    drTopicArn: drNotifications.topicArn,
    restoreStateMachineArns: { primary: primaryRestore.stateMachineArn, dr: drRestore.stateMachineArn },
    restoreFunctionArns: { primary: primaryRestore.functionArn, dr: drRestore.functionArn },
    drillStateMachineArn: drill.stateMachineArn,
    drillRegion: drillSide.region,
    drillFunctionArn: drill.functionArn,
    reportFunctionArn: report.functionArn,
    dashboardUrl: dashboard.url,
  };
}

/**
 * The drill machine's TimeoutSeconds: waves of restores (every drilled plan's sample of each of its kinds, maxConcurrent at a
 * time) to the longest kind's restore timeout, the keep, the slowest kind's deletion, and the margin.
 */
export function drillTimeoutSeconds(config: BackupDrConfig): number {
  const drilled = config.plans.filter((plan) => plan.name in config.drill.plans);
  // What pick can start: samplePerPlan of each drilled plan's own kinds, capped at the history limit.
  const maxSamples = Math.min(drillSampleCount(drilled, config.drill.samplePerPlan), config.drill.maxSamples);
  return drillMachineTimeoutSeconds({
    restoreTimeoutMinutes: restoreKinds().map((k) => k.timeoutMinutes),
    keepMinutes: config.drill.keepMinutes,
    deleteTimeoutMinutes: drillKinds().map((k) => k.deleteTimeoutMinutes),
    maxSamples,
    maxConcurrency: config.drill.maxConcurrent,
  });
}
