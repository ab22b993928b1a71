// The forecast as a person reads it (table), as tools read it (--json) and as a spreadsheet reads it (--csv).
import { TIERS } from "../../handlers/catalog";
import { apiLoad } from "./api";
import type { Forecast, RegionForecast } from "./forecast";
import { AGES, type TierCounts } from "./measure";
import type { Sources } from "./quotas";

const SHORT: Record<string, string> = { hourly: "h", daily: "d", weekly: "w", monthly: "m", yearly: "y" };
const tiers = (c: TierCounts) => TIERS.filter((t) => c[t] > 0).map((t) => `${SHORT[t]}${c[t]}`).join(" ") || "-";
const gap = (hours: number | null) => (hours === null ? "none" : hours >= 48 ? `${Math.round((hours / 24) * 10) / 10}d` : `${hours}h`);
const range = (r: { min: number; max: number }) => (r.min === r.max ? `${r.min}` : `${r.min}-${r.max}`);

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function regionRow(r: RegionForecast): string[] {
  const m = r.measures;
  return [r.plan, `${r.region} (${r.role})`, range(m.kept), tiers(m.keptByTier), `${m.peak}`, `${m.oldestDays.min}d`, ...AGES.map((a) => gap(m.worstGapHours[a.label])), `${m.madePerDay}`, `${m.deletedPerDay}`];
}

const REGION_HEADER = ["plan", "region", "kept/source", "kept by tier", "peak", "oldest", ...AGES.map((a) => `gap@${a.label}`), "made/day", "deleted/day"];

export function formatTable(f: Forecast, sources?: Sources): string {
  const out = [`Forecast for stack ${f.stack}: ${f.start} to ${f.end} (${f.horizonDays} days); steady state from ${f.steadyFrom}`, "", table(REGION_HEADER, f.regions.map(regionRow))];
  if (sources) {
    out.push("", `API calls (sources: ${sources.ec2} ec2 x ${sources.volumesPerInstance} volumes, ${sources.rds} rds, ${sources.aurora} aurora)`);
    out.push(table(["plan", "region", "creates or copies/day", "deletes/day", "EC2 calls/run", "EC2 deletes/run", "throttled s"], f.regions.map((r) => {
      const a = apiLoad(r, sources);
      return [a.plan, a.region, `${a.createsOrCopiesPerDay}`, `${a.deletesPerDay}`, `${a.ec2PerRun}`, `${a.ec2DeletesPerRun}`, `${a.ec2ThrottledSeconds}`];
    })));
  }
  if (f.quotas.length > 0) {
    out.push("", "Quotas (worst case: every source of a kind in the plan named)");
    out.push(table(["region", "quota", "forecast", "limit", "plan", "status"], f.quotas.map((q) => [q.region, q.quota, `${q.forecast}`, `${q.limit}`, q.plan, q.exceeded ? (q.blocking ? "EXCEEDED" : "over: copies queue") : "ok"])));
  }
  const costed = f.regions.filter((r) => r.cost);
  if (costed.length > 0) {
    out.push("", "Storage and monthly cost (if every expected source of its kinds were in the plan)");
    out.push(table(["plan", "region", "EBS GiB", "RDS GiB (billed)", "Aurora GiB (billed)", "transfer GiB/mo", "cost/mo"], costed.map((r) => {
      const c = r.cost;
      if (c === undefined) return [];
      return [r.plan, r.region, `${c.ebsStandardGiB}`, `${c.rdsGiB} (${c.rdsBillableGiB})`, `${c.auroraGiB} (${c.auroraBillableGiB})`, `${c.transferGiBPerMonth}`, `${c.monthlyCost.total}`];
    })));
  }
  out.push("", "kept/source: points per source after each cleanup run at steady state (fewest-most); peak: most at once over the horizon;", "oldest: a restore can always reach this far back; gap@age: worst time between the points around that age.");
  return out.join("\n");
}

/** The forecast without the per-point series (those are for the chart). */
export function toJson(f: Forecast, sources?: Sources): string {
  const regions = f.regions.map(({ points: _points, ...rest }) => ({ ...rest, ...(sources ? { api: apiLoad({ ...rest, points: [] }, sources) } : {}) }));
  return JSON.stringify({ ...f, regions }, null, 2);
}

export function toCsv(f: Forecast): string {
  const header = ["plan", "region", "role", "kept_min", "kept_max", ...TIERS.map((t) => `kept_${t}`), "peak", ...TIERS.map((t) => `peak_${t}`), "oldest_days_min", ...AGES.map((a) => `worst_gap_hours_${a.label}`), "made_per_day", "deleted_per_day", "cost_per_month"];
  const rows = f.regions.map((r) => {
    const m = r.measures;
    return [r.plan, r.region, r.role, m.kept.min, m.kept.max, ...TIERS.map((t) => m.keptByTier[t]), m.peak, ...TIERS.map((t) => m.peakByTier[t]), m.oldestDays.min, ...AGES.map((a) => m.worstGapHours[a.label] ?? ""), m.madePerDay, m.deletedPerDay, r.cost?.monthlyCost.total ?? ""];
  });
  return [header, ...rows].map((row) => row.join(",")).join("\n");
}
