// The report function (issue 19), in the primary region, reading both: the coverage check on backup-dr:report
// checkSchedule ({"step":"coverage"}) and the daily compliance and cost report on its schedule ({"step":"report"}), two
// EventBridge Scheduler schedules; per plan the missed-backup alarm on SourcesOutOfPolicy (a check that stops running
// alarms too); and, with activateCostTags, backup-dr:stack and backup-dr:plan activated as cost allocation tags.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { TAG_PLAN, TAG_STACK } from "../handlers/catalog";
import { watchedMetric } from "../handlers/lib/metrics";
import { handler } from "../handlers/report";
import { REPORT_FOLDER } from "../handlers/report/contract";
import type { BackupDrConfig } from "./config";
import { COVERAGE_ALARM_PERIODS, checkPeriodMinutes, coverageDetectionMinutes, reportOptions, type ProtectedBucket } from "./config-report";
import { BackupDrFunction, type FunctionContext } from "./functions";
import { reportStatements } from "./iam-report";
import { watchdogAlarm } from "./alarms";

/** Each step reads every source's points in both regions; the report also renders and writes two files. */
export const REPORT_FUNCTION_TIMEOUT_SECONDS = 900;

/** The tag keys the report's cost per plan and region groups by, activated with report.activateCostTags. */
export const COST_ALLOCATION_TAGS = [TAG_STACK, TAG_PLAN] as const;

export interface ReportArgs extends FunctionContext {
  drKeyArn: pulumi.Input<string>;
  drVaultName: pulumi.Input<string>;
  drVaultArn: pulumi.Input<string>;
  /** The protected buckets and their replica vaults' names (known after deploy). */
  protectedBuckets: Array<{ bucket: string; replica: pulumi.Input<string> }>;
}

/** BACKUP_DR_REPORT: the options as JSON, once the replica vaults' names are known. */
function reportVariable(config: BackupDrConfig, buckets: ReportArgs["protectedBuckets"]): pulumi.Input<string> {
  if (buckets.length === 0) return JSON.stringify(reportOptions(config, []));
  return pulumi
    .all(buckets.map((b) => pulumi.output(b.replica).apply((replica): ProtectedBucket => ({ bucket: b.bucket, replica }))))
    .apply((resolved) => JSON.stringify(reportOptions(config, resolved)));
}

/** The environment the report handler reads (documented in handlers/report.ts and handlers/report/contract.ts). */
export function reportEnvironment(config: BackupDrConfig, a: Pick<ReportArgs, "keyArn" | "drKeyArn" | "vaultName" | "drVaultName" | "topicArn" | "protectedBuckets">): Record<string, pulumi.Input<string>> {
  return {
    BACKUP_DR_STACK: config.stackTag,
    BACKUP_DR_PLANS: JSON.stringify(config.plans),
    BACKUP_DR_SELECTION_TAG_KEY: config.selectionTagKey,
    BACKUP_DR_PRIMARY_REGION: config.region,
    BACKUP_DR_DR_REGION: config.drRegion,
    BACKUP_DR_KEY_ARN: a.keyArn,
    BACKUP_DR_DR_KEY_ARN: a.drKeyArn,
    BACKUP_DR_VAULT_BUCKET: a.vaultName,
    BACKUP_DR_DR_VAULT_BUCKET: a.drVaultName,
    BACKUP_DR_TOPIC_ARN: a.topicArn,
    BACKUP_DR_REPORT: reportVariable(config, a.protectedBuckets),
  };
}

export class Report extends pulumi.ComponentResource {
  readonly functionArn: pulumi.Output<string>;
  readonly fn: BackupDrFunction;

  constructor(name: string, args: ReportArgs, opts?: pulumi.ComponentResourceOptions) {
    super("backup-dr:report:Report", name, {}, opts);
    const parent = { parent: this };
    const { config } = args;
    const report = config.report;

    const fn = new BackupDrFunction(
      name,
      {
        ...args,
        callback: handler,
        description: `backup-dr ${config.stackTag}: coverage check (missed backups) and the daily compliance and cost report, reading ${config.region} and ${config.drRegion}`,
        timeoutSeconds: REPORT_FUNCTION_TIMEOUT_SECONDS,
        memorySize: 1024,
        environment: reportEnvironment(config, args),
        errorsAlarmDescription: `backup-dr ${name}: a coverage check or the daily report failed; see the function's logs and the reports under ${REPORT_FOLDER}/ of the primary vault.`,
        statements: pulumi
          .all([args.account, args.vaultArn, args.drVaultArn])
          .apply(([a, vaultArn, drVaultArn]) =>
            reportStatements({ partition: a.partition, region: config.region, drRegion: config.drRegion, vaultArn, drVaultArn, protectedBuckets: args.protectedBuckets.map((b) => b.bucket) }),
          ),
      },
      parent,
    );

    fn.schedule(
      `${name}-schedules`,
      [
        { name: "coverage", description: `backup-dr ${config.stackTag}: check every opted-in source's newest recovery points against its plan's RPO`, expression: report.checkSchedule, timezone: report.timezone, input: { step: "coverage" } },
        { name: "daily", description: `backup-dr ${config.stackTag}: write the compliance and cost report to the primary vault`, expression: report.schedule, timezone: report.timezone, input: { step: "report" } },
      ],
      this,
    );

    // One period per check; two consecutive periods out of policy, or without a check (a check that stopped), alarm.
    const period = checkPeriodMinutes(report) * 60;
    const delay = coverageDetectionMinutes(report);
    for (const plan of config.plans) {
      // A check that stops running is as bad as a missed backup (missing data breaches).
      watchdogAlarm(
        `${name}-out-of-policy-${plan.name}`,
        {
          description:
            `backup-dr ${config.stackTag}: plan ${plan.name} has sources without a recent enough recovery point (a missed or failed backup, a disabled schedule, ` +
            `a source never backed up${plan.copyToDr ? ", a missing DR copy" : ""}), or the coverage check stopped running; alarms at most ${delay} minutes after a missed slot. ` +
            `Run the report function with {"step":"coverage"} to list the sources, or read the latest report under ${REPORT_FOLDER}/.`,
          metric: watchedMetric("SourcesOutOfPolicy", { Plan: plan.name }),
          statistic: "Maximum",
          period,
          evaluationPeriods: COVERAGE_ALARM_PERIODS,
          datapointsToAlarm: COVERAGE_ALARM_PERIODS,
          threshold: 0,
          comparisonOperator: "GreaterThanThreshold",
          topicArn: args.topicArn,
        },
        parent,
      );
    }

    // Account-wide settings (in an Organization, the management account's): activated only when asked, a day after the
    // first deploy, because AWS refuses a key its billing has not seen yet.
    if (report.activateCostTags) {
      for (const tagKey of COST_ALLOCATION_TAGS) {
        new aws.costexplorer.CostAllocationTag(`${name}-cost-tag-${tagKey.replace(/[^a-z0-9]+/gi, "-")}`, { tagKey, status: "Active" }, parent);
      }
    }

    this.fn = fn;
    this.functionArn = fn.functionArn;
    this.registerOutputs({ functionArn: this.functionArn });
  }
}
