// The report function's contract (issue 19): its events, what each returns, its settings, and where it writes. The
// compliance report's JSON itself is handlers/report/schema.ts (zod; the functions import only its types).
//
// One function, deployed in the primary region, reading both regions, with two steps on two schedules:
//
//   coverage { "step": "coverage" } -> CoverageResult. Every few minutes (report.checkSchedule): for every resource
//              opted into a plan (its selection tag names a plan backing up its kind), the age of its newest completed
//              recovery point in the primary region and, when the plan copies, in the DR region, against the plan's RPO
//              there (planRpoSeconds). Publishes SourcesOutOfPolicy and SourcesChecked per plan (every plan, 0 included;
//              handlers/lib/metrics.ts `coverage`): the missed-backup alarm watches SourcesOutOfPolicy. Writes nothing.
//   report   { "step": "report" } -> ReportResult. Daily (report.schedule): the coverage above plus encryption, points
//              per tier against keep/drKeep, the vaults' Object Lock, the protected buckets' replication, the primary
//              region's resources no plan selects, last month's snapshot cost per plan and region (Cost Explorer), and
//              the Audit Manager-style controls; writes reports/compliance/<yyyy>/<mm>/<dd>.json (schema.ts) and .html
//              (html.ts) to the primary vault; publishes the coverage metrics and ResourcesNotSelected; sends the summary
//              to the topic when a source is out of policy (or always, with notifyOn "always"; failing controls alone
//              do not send it: they are in the report).
//
// A region that cannot be read (the DR region down, a denied call) does not stop either step: that region's statuses
// are "unknown" and the failure is in `errors`; coverage counts an unknown source as out of policy (the alarm fires).
// A malformed event is a MalformedEventError before any AWS call.
//
// Environment (the entry, handlers/report.ts, documents each; a missing or bad one is MissingSettingError /
// InvalidSettingError before any AWS call): BACKUP_DR_STACK, BACKUP_DR_PLANS, BACKUP_DR_SELECTION_TAG_KEY (optional,
// default backup-plan), BACKUP_DR_PRIMARY_REGION, BACKUP_DR_DR_REGION, BACKUP_DR_KEY_ARN (the primary region's key),
// BACKUP_DR_DR_KEY_ARN, BACKUP_DR_VAULT_BUCKET (primary vault: the report goes there), BACKUP_DR_DR_VAULT_BUCKET,
// BACKUP_DR_TOPIC_ARN (primary topic), BACKUP_DR_REPORT (ReportOptions as JSON).
import type { ErrorInfo } from "../lib/errors";
import type { MetricSet } from "../lib/metrics";
import type { ReportClients } from "./clients";
import type { ResourceKind } from "../plan";

/** The report's schema version: bump on any change a reader of older reports would misread. */
export const REPORT_SCHEMA_VERSION = 1;

/** The vault folder of compliance reports: reports/compliance/<yyyy>/<mm>/<dd>.json and .html (the role may write only there). */
export const REPORT_FOLDER = "reports/compliance";

/** Where a source stands in one region against its plan's RPO there (schema.ts regionCoverageSchema explains each). */
export const REGION_STATUS = ["ok", "late", "never-backed-up", "pending-first-backup", "in-progress", "skipped-by-backup", "unknown"] as const;
export type RegionStatus = (typeof REGION_STATUS)[number];
/** The statuses that put a source out of policy. */
export const OUT_OF_POLICY_STATUS: readonly RegionStatus[] = ["late", "never-backed-up", "unknown"];

/** The AWS Backup Audit Manager controls the report's checks follow where they overlap (README: the mapping). */
export const CONTROL_IDS = [
  "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN",
  "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
  "BACKUP_RECOVERY_POINT_ENCRYPTED",
  "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION",
  "BACKUP_LAST_RECOVERY_POINT_CREATED",
  "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK",
] as const;
export type ControlId = (typeof CONTROL_IDS)[number];

/** When the report's summary goes to the topic (config report.notifyOn). */
export const REPORT_NOTIFY_ON = ["outOfPolicy", "always"] as const;
export type ReportNotifyOn = (typeof REPORT_NOTIFY_ON)[number];

/** The events the function takes. */
export type ReportEvent = { step: "coverage" } | { step: "report" };

/** One plan's coverage, as the coverage step returns and publishes it. */
export interface PlanCoverage {
  plan: string;
  /** Sources opted into the plan (of the plan's kinds). */
  sources: number;
  /** Of those, out of policy in either region. */
  outOfPolicy: number;
  /** Up to 20 out-of-policy sources, `<source>: <reason>`. */
  examples: string[];
}

/** What the coverage step returns. */
export interface CoverageResult {
  step: "coverage";
  checkedAt: string;
  plans: PlanCoverage[];
  /** Sum over plans. */
  outOfPolicy: number;
  errors: Array<ErrorInfo & { where: string }>;
}

/** What the report step returns: where the report went and whether the summary was sent. */
export interface ReportResult {
  step: "report";
  date: string;
  /** reports/compliance/<yyyy>/<mm>/<dd>.json and .html in the primary vault. */
  jsonKey: string;
  htmlKey: string;
  outOfPolicy: number;
  unselected: number;
  controlsFailed: number;
  notified: boolean;
}

/**
 * The report function's options (config backup-dr:report and what it derives from the stack), as the function reads
 * them from BACKUP_DR_REPORT (JSON; every field checked, InvalidSettingError naming the field).
 */
export interface ReportOptions {
  /** Added to each plan's longest slot gap to make its RPO in the primary region (report.graceMinutes * 60). */
  graceSeconds: number;
  /** Added again in the DR region for plans that copy: the copy lag threshold (copy.lagAlarmMinutes * 60). */
  drLagSeconds: number;
  notifyOn: ReportNotifyOn;
  /** The stack activates backup-dr:stack and backup-dr:plan as cost allocation tags (report.activateCostTags). */
  costTags: boolean;
  /** The minimum-frequency control: a plan's longest slot gap is at most this (report.requiredFrequencyHours * 3600). */
  requiredFrequencySeconds: number;
  /** The minimum-retention control: a plan keeps its points at least this long in each region (report.requiredRetentionDays). */
  requiredRetentionDays: number;
  /** The protected buckets and their replica vaults (backup-dr:protectedBuckets). */
  protectedBuckets: Array<{ bucket: string; replica: string }>;
}

// A plan's RPO in seconds (planRpo in handlers/report/rpo.ts, the one definition): its longest gap between consecutive
// slots (handlers/lib/slot-gap.ts, DST-aware) plus graceSeconds, and in the DR region plus drLagSeconds as well.

/** A resource of one kind in a region, opted in or not (a kind's report facet lists them; handlers/kinds/kind.ts). */
export interface InventoryItem {
  kind: ResourceKind;
  id: string;
  /** The Name tag of a machine, or the identifier of a database, for people. */
  name?: string;
  /** The value of its selection tag (backup-dr:selectionTagKey), when it has one. */
  selection?: string;
  /** When it was created (ISO), when the region says. */
  createdAt?: string;
  /** The restore that created it (its backup-dr:restore-id tag, handlers/catalog.ts TAG_RESTORE_ID), when a restore or drill did. */
  restoreId?: string;
  /**
   * Why the backup would skip it (a stopped database, a machine with instance-store disks only), from the same predicate the
   * kind's backup select uses; absent when the backup would back it up. Coverage: status "skipped-by-backup".
   */
  skip?: string;
}

/**
 * What both steps are given (the entry builds it: handlers/report/clients.ts createReportClients; tests pass the fake).
 * `publishMetrics` takes catalogued sets only (handlers/lib/metrics.ts metricSet).
 */
export interface ReportDeps {
  clients: ReportClients;
  now: () => Date;
  publishMetrics: (set: MetricSet) => void;
}
