// Storage and monthly cost of a region's points. Snapshots are incremental: a chain of points holds one full copy
// plus, between each point and the one before, the blocks changed in between (at most the whole volume). EBS points
// stay in the standard tier (the stack never archives); RDS and Aurora snapshot storage is billed beyond a free
// allowance equal to the databases' storage in the region, which only the primary region has. A DR copy moves its
// increment across regions once.
import { DAY_MS, type ForecastPlan, type Point } from "./simulate";
import { heldAt, round } from "./measure";
import type { Sources } from "./quotas";

export interface StorageInputs {
  /** GiB of data per EBS volume. */
  ebsGiB: number;
  /** Fraction of a volume's (or database's) blocks changed per day. */
  dailyChange: number;
  /** GiB of storage per RDS instance or Aurora cluster. */
  dbGiB: number;
}

export interface RegionPrices {
  ebsSnapshotStandardGibMonth: number;
  ebsSnapshotArchiveGibMonth: number;
  rdsBackupGibMonth: number;
  auroraBackupGibMonth: number;
  interRegionTransferGib: number;
}

export interface PriceTable {
  source: string;
  date: string;
  currency: string;
  /** By region; "default" for any region not listed. */
  regions: Record<string, RegionPrices>;
}

export interface CostEstimate {
  ebsStandardGiB: number;
  ebsArchiveGiB: number;
  rdsGiB: number;
  rdsBillableGiB: number;
  auroraGiB: number;
  auroraBillableGiB: number;
  transferGiBPerMonth: number;
  monthlyCost: { ebs: number; rds: number; aurora: number; transfer: number; total: number };
}

export function pricesFor(table: PriceTable, region: string): RegionPrices {
  const prices = table.regions[region] ?? table.regions.default;
  if (prices === undefined) throw new Error(`the price table has no prices for ${region} and no "default"`);
  return prices;
}

/** GiB a chain of points of one source holds: one full copy plus each increment (capped at the whole size). */
export function chainGiB(slots: readonly number[], sizeGiB: number, dailyChange: number): number {
  if (slots.length === 0) return 0;
  let total = sizeGiB;
  for (let i = 1; i < slots.length; i++) total += increment(slots[i] - slots[i - 1], sizeGiB, dailyChange);
  return total;
}

const increment = (gapMs: number, sizeGiB: number, dailyChange: number) => Math.min(sizeGiB, sizeGiB * dailyChange * (gapMs / DAY_MS));

const MONTH_DAYS = 365.25 / 12;

export interface CostArgs {
  plan: ForecastPlan;
  role: "primary" | "dr";
  region: string;
  points: readonly Point[];
  /** The instant whose held points are priced (the steady state's last cleanup run). */
  at: number;
  windowStart: number;
  end: number;
  sources: Sources;
  storage: StorageInputs;
  prices: PriceTable;
}

/** Storage and monthly cost of a plan in a region, as if every expected source of its kinds were in this plan. */
export function costOf(args: CostArgs): CostEstimate {
  const { plan, sources, storage } = args;
  const prices = pricesFor(args.prices, args.region);
  const held = heldAt(args.points, args.at).map((p) => p.slot);
  const has = (kind: "ec2" | "rds" | "aurora") => plan.resources.includes(kind);
  const volumes = has("ec2") ? sources.ec2 * sources.volumesPerInstance : 0;
  const dbs = has("rds") ? sources.rds : 0;
  const clusters = has("aurora") ? sources.aurora : 0;
  const ebsStandardGiB = volumes * chainGiB(held, storage.ebsGiB, storage.dailyChange);
  const rdsGiB = dbs * chainGiB(held, storage.dbGiB, storage.dailyChange);
  const auroraGiB = clusters * chainGiB(held, storage.dbGiB, storage.dailyChange);
  const free = (n: number) => (args.role === "primary" ? n * storage.dbGiB : 0);
  const rdsBillableGiB = Math.max(0, rdsGiB - free(dbs));
  const auroraBillableGiB = Math.max(0, auroraGiB - free(clusters));
  let transferGiBPerMonth = 0;
  if (args.role === "dr") {
    // Each copy moves the blocks changed since the previous copy of the source.
    const copies = args.points.filter((p) => p.slot >= args.windowStart && p.slot < args.end);
    const perSourcePerWindow = (size: number) => copies.reduce((sum, p, i) => (i === 0 ? sum : sum + increment(p.slot - copies[i - 1].slot, size, storage.dailyChange)), 0);
    const months = (args.end - args.windowStart) / DAY_MS / MONTH_DAYS;
    transferGiBPerMonth = (volumes * perSourcePerWindow(storage.ebsGiB) + (dbs + clusters) * perSourcePerWindow(storage.dbGiB)) / months;
  }
  const ebs = ebsStandardGiB * prices.ebsSnapshotStandardGibMonth;
  const rds = rdsBillableGiB * prices.rdsBackupGibMonth;
  const aurora = auroraBillableGiB * prices.auroraBackupGibMonth;
  const transfer = transferGiBPerMonth * prices.interRegionTransferGib;
  return {
    ebsStandardGiB: round(ebsStandardGiB),
    ebsArchiveGiB: 0,
    rdsGiB: round(rdsGiB),
    rdsBillableGiB: round(rdsBillableGiB),
    auroraGiB: round(auroraGiB),
    auroraBillableGiB: round(auroraBillableGiB),
    transferGiBPerMonth: round(transferGiBPerMonth),
    monthlyCost: { ebs: round(ebs), rds: round(rds), aurora: round(aurora), transfer: round(transfer), total: round(ebs + rds + aurora + transfer) },
  };
}
