// API calls a plan costs per region: creates (primary) or copies (DR) per day, deletes per day, and the most one run
// sends, against EC2's token buckets (EC2 API throttling guide, in DESIGN.md: CreateSnapshot(s)/DeleteSnapshot burst
// 100, refill 5/s; other mutating calls incl. CopySnapshot burst 50, refill 5/s). RDS publishes no per-call rate for
// these calls; its stored-snapshot and in-flight-copy quotas (quotas.ts) are what binds.
import type { RegionForecast } from "./forecast";
import { round } from "./measure";
import type { Sources } from "./quotas";

export const EC2_BUCKETS = { snapshot: { burst: 100, refillPerSecond: 5 }, mutating: { burst: 50, refillPerSecond: 5 } } as const;

export interface ApiLoad {
  plan: string;
  region: string;
  /** CreateSnapshots + CreateDBSnapshot + CreateDBClusterSnapshot (primary) or CopySnapshot + CopyDBSnapshot + CopyDBClusterSnapshot (DR). */
  createsOrCopiesPerDay: number;
  deletesPerDay: number;
  /** EC2 calls of one backup run (one CreateSnapshots per instance) or one copy wave (one CopySnapshot per volume). */
  ec2PerRun: number;
  ec2DeletesPerRun: number;
  /** Seconds beyond the token bucket's burst the busiest run waits for refills (0: within the burst). */
  ec2ThrottledSeconds: number;
}

export function apiLoad(region: RegionForecast, sources: Sources): ApiLoad {
  const kinds = (k: "ec2" | "rds" | "aurora") => (region.resources.includes(k) ? 1 : 0);
  const volumes = kinds("ec2") * sources.ec2 * sources.volumesPerInstance;
  const instances = kinds("ec2") * sources.ec2;
  const dbs = kinds("rds") * sources.rds + kinds("aurora") * sources.aurora;
  // A backup makes one CreateSnapshots per instance; a copy and a delete are one call per volume snapshot.
  const perPoint = region.role === "primary" ? instances + dbs : volumes + dbs;
  const ec2PerRun = region.role === "primary" ? instances : volumes;
  const bucket = region.role === "primary" ? EC2_BUCKETS.snapshot : EC2_BUCKETS.mutating;
  const ec2DeletesPerRun = region.measures.deletedPerRunMax * volumes;
  const over = (calls: number, b: { burst: number; refillPerSecond: number }) => Math.max(0, calls - b.burst) / b.refillPerSecond;
  return {
    plan: region.plan,
    region: region.region,
    createsOrCopiesPerDay: round(region.measures.madePerDay * perPoint),
    deletesPerDay: round(region.measures.deletedPerDay * (volumes + dbs)),
    ec2PerRun,
    ec2DeletesPerRun,
    ec2ThrottledSeconds: round(Math.max(over(ec2PerRun, bucket), over(ec2DeletesPerRun, EC2_BUCKETS.snapshot))),
  };
}
