// The report's controls: AWS Backup Audit Manager's controls where they overlap with what this stack does (README:
// the mapping), evaluated from the report's assembled parts. Pure: no AWS call, no clock.
import { TIERS, type RunPlan, type TierCounts } from "../plan";
import { longestSlotGapMs, SLOT_GAP_REFERENCE_MS } from "../lib/slot-gap";
import { addPeriods } from "../lib/retention";
import { zone } from "../lib/zoned-time";
import { CONTROL_IDS, OUT_OF_POLICY_STATUS, type ControlId, type ReportOptions } from "./contract";
import type { Control, RegionCoverage, SourceCoverage, Unselected, VaultState } from "./schema";

/** Most failing items a control lists (the report's sources and plans have them all). */
export const MAX_CONTROL_EXAMPLES = 20;
const DAY_MS = 86_400_000;
/** A zone without DST: slots stepped there are the schedule's wall-clock slots. */
const WALL_CLOCK_ZONE = "UTC";

/** What the controls are evaluated from. */
export interface ControlInput {
  plans: readonly RunPlan[];
  sources: readonly SourceCoverage[];
  unselected: readonly Unselected[];
  vaults: readonly VaultState[];
  options: Pick<ReportOptions, "requiredFrequencySeconds" | "requiredRetentionDays">;
}

/** One control's outcome before it is written down: what was checked, and the names of the failing ones. */
interface Verdict {
  description: string;
  checked: number;
  failing: string[];
}

/**
 * How long a plan's points stay, at most, in one region, in days: the longest of its kept tiers' spans (keep[tier]
 * periods of the tier, as retention.ts expires them, an hourly period being the schedule's longest slot gap); a plan
 * keeping no tier keeps each point until the next slot. Stepped from the slot-gap reference (2024-01-01), so the result never depends
 * on the clock (month lengths make it vary by a day or two with the reference). The reference Date is built per call:
 * a module-scope Date does not survive the closure serializer.
 */
export function retentionSpanDays(plan: Pick<RunPlan, "schedule" | "timezone">, keep: TierCounts): number {
  const gapMs = longestSlotGapMs(plan.schedule, plan.timezone);
  const z = zone(plan.timezone);
  const reference = new Date(SLOT_GAP_REFERENCE_MS);
  const spans = TIERS.filter((tier) => keep[tier] > 0).map((tier) => addPeriods(reference, tier, keep[tier], z, gapMs).getTime() - SLOT_GAP_REFERENCE_MS);
  return Math.max(gapMs, ...spans) / DAY_MS;
}

/**
 * Why a plan fails the minimum frequency and retention control, or undefined. Frequency is the schedule's longest gap
 * by its wall clock (stepped in UTC): a daily 02:30 in a zone whose spring change skips 02:30 is still daily. The RPO
 * (coverage) uses the real gap in the plan's zone instead, so that night is never "late".
 */
export function frequencyRetentionProblem(plan: RunPlan, options: ControlInput["options"]): string | undefined {
  const gapSeconds = longestSlotGapMs(plan.schedule, WALL_CLOCK_ZONE) / 1000;
  const problems: string[] = [];
  if (gapSeconds > options.requiredFrequencySeconds) problems.push(`up to ${hours(gapSeconds)} h between backups, more than ${hours(options.requiredFrequencySeconds)} h`);
  const regions: Array<[string, TierCounts]> = plan.copyToDr ? [["primary", plan.keep], ["DR", plan.drKeep]] : [["primary", plan.keep]];
  for (const [region, keep] of regions) {
    const days = retentionSpanDays(plan, keep);
    if (days < options.requiredRetentionDays) problems.push(`keeps points ${Math.floor(days * 10) / 10} days in the ${region} region, less than ${options.requiredRetentionDays}`);
  }
  return problems.length === 0 ? undefined : problems.join("; ");
}

function hours(seconds: number): number {
  return Math.round((seconds / 3600) * 100) / 100;
}

const outOfPolicy = (region: RegionCoverage | undefined) => region !== undefined && OUT_OF_POLICY_STATUS.includes(region.status);
const lastPoints = (source: SourceCoverage) => [source.primary.lastPoint, source.dr?.lastPoint].filter((p) => p !== undefined);
/**
 * The source's newest point is not encrypted as it should be: in the primary region not encrypted at all (a backup keeps
 * the source's own key, whichever it is: README prerequisite 3), in DR not under the DR region's customer key (the copy
 * function chooses that key).
 */
const badEncryption = (source: SourceCoverage) => source.primary.lastPoint?.encrypted === false || source.dr?.lastPoint?.customerKey === false;

/** Each control of CONTROL_IDS, in that order. */
export function evaluateControls(input: ControlInput): Control[] {
  const verdicts: Record<ControlId, Verdict> = {
    BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN: {
      description: "Every instance, DB instance and DB cluster of the primary region is opted into a plan of this stack that backs up its kind",
      checked: input.sources.length + input.unselected.length,
      failing: input.unselected.map((u) => u.id),
    },
    BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK: {
      description: "Every plan backs up at least every report.requiredFrequencyHours and keeps its points at least report.requiredRetentionDays in each region it keeps them in",
      checked: input.plans.length,
      failing: input.plans.filter((plan) => frequencyRetentionProblem(plan, input.options) !== undefined).map((plan) => plan.name),
    },
    BACKUP_RECOVERY_POINT_ENCRYPTED: {
      description: "The newest recovery point of every source is encrypted: in the primary region with any key (the source's own), in the DR region with this stack's customer-managed key there",
      checked: input.sources.filter((s) => lastPoints(s).length > 0).length,
      failing: input.sources.filter(badEncryption).map((s) => s.source),
    },
    BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION: {
      description: "Every source of a plan that copies to DR has a recent enough copy in the DR region (plans with copyToDr false are out of scope)",
      checked: input.sources.filter((s) => s.dr !== undefined).length,
      failing: input.sources.filter((s) => outOfPolicy(s.dr)).map((s) => s.source),
    },
    BACKUP_LAST_RECOVERY_POINT_CREATED: {
      description: "Every source has a completed recovery point in the primary region within its plan's RPO",
      checked: input.sources.length,
      failing: input.sources.filter((s) => outOfPolicy(s.primary)).map((s) => s.source),
    },
    BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK: {
      description: "Both vaults (where manifests and reports are kept) have Object Lock enabled with a default retention (Days or Years)",
      checked: input.vaults.length,
      failing: input.vaults.filter((v) => !v.locked).map((v) => v.bucket),
    },
  };
  return CONTROL_IDS.map((id) => {
    const { description, checked, failing } = verdicts[id];
    return { id, description, checked, failing: failing.length, passed: failing.length === 0, examples: failing.slice(0, MAX_CONTROL_EXAMPLES) };
  });
}
