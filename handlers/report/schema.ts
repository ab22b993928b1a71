// The compliance report's JSON (issue 19), defined once: the report function writes exactly this to the primary vault
// (reports/compliance/<yyyy>/<mm>/<dd>.json, the HTML page beside it), the HTML page renders it, and the tests parse
// every report the function writes with it. docs/report.schema.json is generated from it (z.toJSONSchema;
// tests/handlers/report-schema.spec.ts keeps the file equal to the schema) and docs/report.md explains each field.
//
// The Lambda code imports only the TYPES of this module (`import type`): zod is never in a function's archive.
import { z } from "zod";
import { RESOURCE_KINDS, TIERS } from "../../policies/lib/plan-contract";
import { CONTROL_IDS, REGION_STATUS, REPORT_SCHEMA_VERSION } from "./contract";

const isoInstant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/, "an ISO-8601 UTC instant");
const seconds = z.number().int().min(0);
const kind = z.enum(RESOURCE_KINDS);
const tierCounts = z.object(Object.fromEntries(TIERS.map((t) => [t, z.number().int().min(0)])) as Record<(typeof TIERS)[number], z.ZodNumber>);
const errorInfo = z.object({ name: z.string(), message: z.string() });

/** The newest completed recovery point of a source in one region. */
export const lastPointSchema = z.object({
  /** The point's id (a volume snapshot of the set, or the DB snapshot identifier). */
  id: z.string(),
  /** When its data was taken. */
  taken: isoInstant,
  tier: z.enum(TIERS).optional(),
  /** Every snapshot of the point is encrypted. */
  encrypted: z.boolean(),
  /** Every snapshot of the point is encrypted with this stack's customer-managed key of that region. */
  customerKey: z.boolean(),
  /** The distinct KMS key ARNs of its snapshots (empty: unencrypted). */
  kmsKeyIds: z.array(z.string()),
});

/** A source in one region: its newest completed point, its age against the RPO, and its points per tier. */
export const regionCoverageSchema = z.object({
  region: z.string(),
  /**
   * ok: the newest completed point is at most rpoSeconds old. late: it is older. never-backed-up: no completed point,
   * and its first is not pending. pending-first-backup (not out of policy): no completed point yet, and in the primary
   * region the source was created less than rpoSeconds ago (or its creation time is unknown), in DR its oldest
   * completed primary point was taken less than the copy lag threshold ago (or it has none). in-progress (not out of
   * policy): not ok, but a point of it not yet completed (nor failed) was taken within rpoSeconds and at most 24 hours
   * ago. skipped-by-backup (not out of policy): the backup skips the source on purpose (the source's `skip` says why).
   * unknown: the region could not be read (see the report's errors).
   */
  status: z.enum(REGION_STATUS),
  lastPoint: lastPointSchema.optional(),
  /** now - lastPoint.taken. */
  ageSeconds: seconds.optional(),
  rpoSeconds: seconds,
  /** Completed points of the source in the region, by their backup-dr:tier tag. */
  pointsByTier: tierCounts,
  /** What the plan keeps per tier in this region (keep in the primary region, drKeep in DR). */
  keep: tierCounts,
});

/** One opted-in source of a plan. */
export const sourceCoverageSchema = z.object({
  plan: z.string(),
  kind,
  source: z.string(),
  /** The Name tag of a machine, or the identifier of a database, for people. */
  name: z.string().optional(),
  /** When the resource was created (the kind's own creation time), when the region says. */
  createdAt: isoInstant.optional(),
  /** Why the backup skips it on purpose (its kind's own rule, e.g. a stopped database); its statuses are skipped-by-backup. */
  skip: z.string().optional(),
  primary: regionCoverageSchema,
  /** Present when the plan copies to DR. */
  dr: regionCoverageSchema.optional(),
  /** primary (or dr) status is late, never-backed-up or unknown (how its points are encrypted never counts: the controls). */
  outOfPolicy: z.boolean(),
  /** Why it is out of policy, one sentence each (empty when it is not). */
  reasons: z.array(z.string()),
});

/** One plan of the stack and how its sources stand. */
export const planSummarySchema = z.object({
  name: z.string(),
  schedule: z.string(),
  timezone: z.string(),
  resources: z.array(kind),
  copyToDr: z.boolean(),
  /** The plan's longest gap between consecutive slots plus the grace (handlers/lib/slot-gap.ts). */
  rpoSeconds: seconds,
  /** rpoSeconds plus the copy lag threshold; present when the plan copies. */
  drRpoSeconds: seconds.optional(),
  keep: tierCounts,
  drKeep: tierCounts,
  sources: z.number().int().min(0),
  outOfPolicy: z.number().int().min(0),
});

/** A resource of the primary region that no plan of this stack backs up. */
export const unselectedSchema = z.object({
  kind,
  id: z.string(),
  name: z.string().optional(),
  /** Its selection tag's value, when it has one (e.g. a plan this stack does not have, or one not backing up its kind). */
  selection: z.string().optional(),
  reason: z.string(),
});

/** A vault bucket's Object Lock configuration as S3 reports it. */
export const vaultSchema = z.object({
  role: z.enum(["primary", "dr"]),
  region: z.string(),
  bucket: z.string(),
  /** Object Lock is enabled on the bucket. */
  locked: z.boolean(),
  mode: z.enum(["GOVERNANCE", "COMPLIANCE"]).optional(),
  /** The default retention, in days (S3's Years converted at 365 days). */
  retentionDays: z.number().int().min(0).optional(),
  error: errorInfo.optional(),
});

/** A protected bucket's replication configuration as S3 reports it. */
export const replicationSchema = z.object({
  bucket: z.string(),
  /** Its replica vault in the DR region. */
  replica: z.string(),
  /**
   * enabled: an Enabled rule replicates the whole bucket (no prefix or tag filter) to the replica vault; partial: Enabled
   * rules to it cover only part of the bucket (a prefix or tag filter); disabled: such rules exist but are Disabled;
   * missing: none.
   */
  status: z.enum(["enabled", "partial", "disabled", "missing", "error"]),
  /** Replication Time Control is on for that rule. */
  timeControl: z.boolean(),
  error: errorInfo.optional(),
});

/** Last month's snapshot storage cost per plan and region, from Cost Explorer. */
export const costSchema = z.object({
  /**
   * available: Cost Explorer returned costs grouped by the plan tag. not-yet-available: it answered, but no cost carries
   * the plan tag yet (tags activated less than a day ago, or no bill since). disabled: the stack does not activate the
   * cost allocation tags (report.activateCostTags). error: the call failed (see `error`).
   */
  status: z.enum(["available", "not-yet-available", "disabled", "error"]),
  /** The month reported: [start, end) as yyyy-mm-dd. */
  period: z.object({ start: z.string(), end: z.string() }),
  currency: z.string().optional(),
  byPlan: z.array(z.object({ plan: z.string(), region: z.string(), amount: z.number() })),
  /** Cost of snapshots carrying this stack's tag but no plan tag value (e.g. restores' leftovers). */
  untagged: z.number().optional(),
  note: z.string().optional(),
  error: errorInfo.optional(),
});

export const controlSchema = z.object({
  id: z.enum(CONTROL_IDS),
  /** What the check is, in this stack's words. */
  description: z.string(),
  /** Resources (or plans, or vaults) checked and how many fail. */
  checked: z.number().int().min(0),
  failing: z.number().int().min(0),
  passed: z.boolean(),
  /** Up to 20 of the failing ones (source ids, plan names or buckets). */
  examples: z.array(z.string()),
});

export const complianceReportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  stack: z.string(),
  generatedAt: isoInstant,
  /** The UTC day the report is filed under (yyyy-mm-dd). */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  regions: z.object({ primary: z.string(), dr: z.string() }),
  summary: z.object({
    plans: z.number().int().min(0),
    sources: z.number().int().min(0),
    outOfPolicy: z.number().int().min(0),
    unselected: z.number().int().min(0),
    controlsFailed: z.number().int().min(0),
  }),
  plans: z.array(planSummarySchema),
  sources: z.array(sourceCoverageSchema),
  unselected: z.array(unselectedSchema),
  vaults: z.array(vaultSchema),
  replication: z.array(replicationSchema),
  cost: costSchema,
  controls: z.array(controlSchema),
  /** What could not be read (a region down, a denied call): the report is still written, these parts marked unknown. */
  errors: z.array(z.object({ where: z.string(), name: z.string(), message: z.string() })),
});

export type LastPoint = z.infer<typeof lastPointSchema>;
export type RegionCoverage = z.infer<typeof regionCoverageSchema>;
export type SourceCoverage = z.infer<typeof sourceCoverageSchema>;
export type PlanSummary = z.infer<typeof planSummarySchema>;
export type Unselected = z.infer<typeof unselectedSchema>;
export type VaultState = z.infer<typeof vaultSchema>;
export type ReplicationState = z.infer<typeof replicationSchema>;
export type CostReport = z.infer<typeof costSchema>;
export type Control = z.infer<typeof controlSchema>;
export type ComplianceReport = z.infer<typeof complianceReportSchema>;
