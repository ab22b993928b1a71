// The forecast's peak points per source of every plan and region, for a stack config: what the program hands the
// policy pack (which must stay a self-contained package and so cannot run the forecast itself) with the expected
// sources. A fixed start keeps the value, and so the deployed function, the same from one preview to the next.
import type { BackupDrConfig } from "../../infra/config";
import { forecast } from "./forecast";

export const PEAKS_START = new Date("2027-01-01T00:00:00Z");

export interface PlanPeak {
  plan: string;
  region: string;
  role: "primary" | "dr";
  resources: readonly ("ec2" | "rds" | "aurora")[];
  peak: number;
}

export function forecastPeaks(config: Pick<BackupDrConfig, "stack" | "region" | "drRegion" | "plans" | "cleanup">): PlanPeak[] {
  const result = forecast({
    stack: config.stack,
    region: config.region,
    drRegion: config.drRegion,
    plans: config.plans,
    cleanup: config.cleanup,
    start: PEAKS_START,
    rdsSnapshotQuota: 100,
    prices: { source: "", date: "", currency: "USD", regions: {} },
  });
  return result.regions.map((r) => ({ plan: r.plan, region: r.region, role: r.role, resources: r.resources, peak: r.measures.peak }));
}
