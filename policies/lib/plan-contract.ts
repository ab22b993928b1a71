// The plan contract's dependency-free part: the plan's shape, its tiers and resource kinds, its defaults and its
// count bounds. Config (infra/config-schema.ts), the functions' one plan validator (handlers/plan.ts) and this policy
// pack import it, so a default or a bound is stated here and nowhere else. It lives in the pack because the pack is
// published alone and must be self-contained; it imports only ./bounds.
import { MAX_KEEP } from "./bounds";

/** Retention tiers, shortest first. */
export const TIERS = ["hourly", "daily", "weekly", "monthly", "yearly"] as const;
export type Tier = (typeof TIERS)[number];

/** How many backups of each tier to keep (0 = none of that tier). */
export type TierCounts = Record<Tier, number>;

/** What a plan backs up: ec2 = an instance (all its EBS volumes), rds = a DB instance, aurora = a DB cluster. */
export const RESOURCE_KINDS = ["ec2", "rds", "aurora"] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** The fields of a plan, in the order they are documented and checked. */
export const PLAN_FIELDS = ["name", "schedule", "timezone", "resources", "keep", "drKeep", "copyToDr"] as const;

/**
 * A normalised plan: every default applied. This is what config yields and what BACKUP_DR_PLANS holds as JSON;
 * the functions read it with the schedule parsed (`S`).
 */
export interface Plan<S = string> {
  name: string;
  /** EventBridge Scheduler expression, `cron(...)` or `rate(...)` (parsed in the functions). */
  schedule: S;
  /** IANA time zone of the schedule and of the retention calendar. */
  timezone: string;
  resources: ResourceKind[];
  /** How many backups of each tier to keep in the primary region. */
  keep: TierCounts;
  /** The same for the DR region. */
  drKeep: TierCounts;
  copyToDr: boolean;
}

/** The plan's defaults; `drKeep` left out defaults to the plan's `keep`. */
export const PLAN_DEFAULTS = { timezone: "UTC", copyToDr: true, tierCount: 0 } as const;

/** Counts per tier with every tier present: a tier left out keeps PLAN_DEFAULTS.tierCount. */
export function withTierDefaults(counts: Partial<Record<Tier, number>>): TierCounts {
  const count = (tier: Tier) => counts[tier] ?? PLAN_DEFAULTS.tierCount;
  return { hourly: count("hourly"), daily: count("daily"), weekly: count("weekly"), monthly: count("monthly"), yearly: count("yearly") };
}

/** A plan's DR counts: its own drKeep, else its keep. */
export function drKeepOrKeep(keep: TierCounts, drKeep: TierCounts | undefined): TierCounts {
  return drKeep ?? keep;
}

/** Why a count of a tier is too many (100 years of that tier), or undefined. */
export function keepCountProblem(tier: Tier, count: number): string | undefined {
  return count > MAX_KEEP[tier] ? `at most ${MAX_KEEP[tier]} ${tier} backups can be kept (100 years of them), got ${count}` : undefined;
}
