// Quotas a stack's plans will meet, per region: stored snapshots (RDS and Aurora manual snapshots, EBS snapshots)
// and copies in flight. A source opts into one plan (its selection tag's value), so the worst case for a region is
// every expected source of a kind in the plan that holds the most points per source there: that plan drives it.
import type { RegionForecast } from "./forecast";

/** How many sources the stack is expected to back up (backup-dr:expectedSources, --sources). */
export interface Sources {
  ec2: number;
  rds: number;
  aurora: number;
  /** EBS volumes per instance: one snapshot each per backup. */
  volumesPerInstance: number;
}

/** AWS's quotas (RDS and EBS user guides; the DESIGN table): stored snapshots per region and copies in flight per destination. */
export const QUOTAS = {
  rdsSnapshots: 100,
  ebsSnapshots: 100_000,
  ebsCopies: 20,
  rdsCopies: 20,
  clusterCopies: 5,
} as const;

export interface QuotaCheck {
  region: string;
  quota: string;
  limit: number;
  forecast: number;
  /** The plan whose points per source, times the sources, give the forecast. */
  plan: string;
  exceeded: boolean;
  /** Stored-snapshot quotas fail the forecast; copies over the in-flight limit are queued by the copy function (a warning). */
  blocking: boolean;
}

type Kind = "ec2" | "rds" | "aurora";

const perSource = (sources: Sources, kind: Kind) => (kind === "ec2" ? sources.ec2 * sources.volumesPerInstance : sources[kind]);

/** The stored-snapshot and in-flight-copy checks for every region and kind that has sources. */
export function checkQuotas(regions: readonly Pick<RegionForecast, "plan" | "region" | "role" | "resources" | "measures">[], sources: Sources, rdsSnapshotQuota: number): QuotaCheck[] {
  const checks: QuotaCheck[] = [];
  const stored: { kind: Kind; quota: string; limit: number }[] = [
    { kind: "rds", quota: "RDS manual DB snapshots", limit: rdsSnapshotQuota },
    { kind: "aurora", quota: "RDS manual DB cluster snapshots", limit: rdsSnapshotQuota },
    { kind: "ec2", quota: "EBS snapshots", limit: QUOTAS.ebsSnapshots },
  ];
  const copies: { kind: Kind; quota: string; limit: number }[] = [
    { kind: "ec2", quota: "EBS snapshot copies in flight", limit: QUOTAS.ebsCopies },
    { kind: "rds", quota: "RDS snapshot copies in flight", limit: QUOTAS.rdsCopies },
    { kind: "aurora", quota: "Aurora cluster snapshot copies in flight", limit: QUOTAS.clusterCopies },
  ];
  for (const region of [...new Set(regions.map((r) => r.region))]) {
    const here = regions.filter((r) => r.region === region);
    for (const { kind, quota, limit } of stored) {
      const n = perSource(sources, kind);
      const driver = worst(here.filter((r) => r.resources.includes(kind)), (r) => r.measures.peak);
      if (n === 0 || driver === undefined) continue;
      const value = n * driver.measures.peak;
      checks.push({ region, quota, limit, forecast: value, plan: driver.plan, exceeded: value > limit, blocking: true });
    }
    for (const { kind, quota, limit } of copies) {
      const n = perSource(sources, kind);
      // Every source of a plan is copied after the same slot: that many copies start at once.
      const driver = here.find((r) => r.role === "dr" && r.resources.includes(kind));
      if (n === 0 || driver === undefined) continue;
      checks.push({ region, quota, limit, forecast: n, plan: driver.plan, exceeded: n > limit, blocking: false });
    }
  }
  return checks;
}

function worst<T>(items: readonly T[], value: (item: T) => number): T | undefined {
  return items.reduce<T | undefined>((best, item) => (best === undefined || value(item) > value(best) ? item : best), undefined);
}

/** The quota checks that fail the forecast, in words naming the plan. */
export function quotaFailures(checks: readonly QuotaCheck[]): string[] {
  return checks
    .filter((c) => c.exceeded && c.blocking)
    .map((c) => `${c.region}: ${c.quota}: ${c.forecast} forecast, quota ${c.limit}; driven by plan "${c.plan}" (reduce its retention or its sources, or raise the quota)`);
}
