// backup-dr:report as the program uses it (schema and bounds: config-schema.ts `report`), and what the report function
// is given from it (handlers/report/contract.ts ReportOptions, the BACKUP_DR_REPORT variable).
//
// Decision, the coverage check's detection delay: a source whose backup was missed turns late `graceMinutes` after the
// slot that should have made it (its RPO is the plan's longest slot gap plus the grace); the next check (at most one
// check period later) publishes it out of policy, and the alarm wants two consecutive check periods out of policy (or
// without data: a check that stopped) so that one check finishing in the next period never alarms alone. A missed
// backup therefore alarms at most grace + 2 × check period after its slot (defaults: 30 + 2 × 15 = 60 minutes), the
// DR side of a copying plan copy.lagAlarmMinutes later; a check that stops running alarms after two check periods.
// The check period is the schedule's LONGEST gap, all year: config refuses one over 60 minutes (config-schema.ts
// REPORT_BOUNDS.checkGapMinutes), so the delay stays within grace + 2 × 60 minutes (a DST night or business hours
// would otherwise set a slow alarm for the whole year).
import type { ReportNotifyOn, ReportOptions } from "../handlers/report/contract";
import type { BackupDrConfig } from "./config";
import type { ParsedConfig } from "./config-schema";
import { KEYS, scheduleGapMinutes } from "./config-schema";

/** The coverage check and the daily compliance and cost report (backup-dr:report, every default applied). */
export interface ReportConfig {
  /** EventBridge Scheduler expression of the coverage check ({"step":"coverage"}). */
  checkSchedule: string;
  /** EventBridge Scheduler expression of the daily report ({"step":"report"}). */
  schedule: string;
  /** IANA time zone of both schedules. */
  timezone: string;
  /** Added to each plan's longest slot gap to make its RPO. */
  graceMinutes: number;
  notifyOn: ReportNotifyOn;
  /** Activate backup-dr:stack and backup-dr:plan as cost allocation tags (set it a day after the first deploy). */
  activateCostTags: boolean;
  requiredFrequencyHours: number;
  requiredRetentionDays: number;
}

/** The validated backup-dr:report (already the program's shape: every default applied by the schema). */
export function reportConfig(parsed: ParsedConfig[typeof KEYS.report]): ReportConfig {
  return { ...parsed };
}

/** The coverage check's period: the longest gap between its runs, in whole minutes (the alarm's period). */
export function checkPeriodMinutes(report: Pick<ReportConfig, "checkSchedule" | "timezone">): number {
  const gap = scheduleGapMinutes(report.checkSchedule, report.timezone);
  if (gap === undefined) throw new Error(`${KEYS.report} checkSchedule ${report.checkSchedule} in ${report.timezone} is not a valid schedule (config validates it first)`);
  return gap;
}

/** How many consecutive check periods out of policy (or without a check) the missed-backup alarm waits for. */
export const COVERAGE_ALARM_PERIODS = 2;

/** The longest time from a missed backup's slot to its alarm (primary region), in minutes: the decision above. */
export function coverageDetectionMinutes(report: Pick<ReportConfig, "checkSchedule" | "timezone" | "graceMinutes">): number {
  return report.graceMinutes + COVERAGE_ALARM_PERIODS * checkPeriodMinutes(report);
}

/** A protected bucket and its replica vault's name (a name known after deploy: resolve it before calling reportOptions). */
export interface ProtectedBucket {
  bucket: string;
  replica: string;
}

/** What the report function reads from BACKUP_DR_REPORT (handlers/report/contract.ts ReportOptions). */
export function reportOptions(config: Pick<BackupDrConfig, "report" | "copy">, protectedBuckets: readonly ProtectedBucket[]): ReportOptions {
  const r = config.report;
  return {
    graceSeconds: r.graceMinutes * 60,
    drLagSeconds: config.copy.lagAlarmMinutes * 60,
    notifyOn: r.notifyOn,
    costTags: r.activateCostTags,
    requiredFrequencySeconds: r.requiredFrequencyHours * 3600,
    requiredRetentionDays: r.requiredRetentionDays,
    protectedBuckets: protectedBuckets.map((b) => ({ bucket: b.bucket, replica: b.replica })),
  };
}
