// Last month's snapshot storage cost per plan and region, from Cost Explorer (GetCostAndUsage, paginated by
// NextPageToken). Read-only; a failed call is status "error" with the error (the report still goes out), never thrown.
// Which usage the filter counts is explained in docs/report.md "## Cost".
import { GetCostAndUsageCommand, type CostExplorerClient, type Expression, type Group } from "@aws-sdk/client-cost-explorer";
import { TAG_PLAN, TAG_STACK } from "../catalog";
import { snapshotCostUsage } from "../kinds/registry";
import { describeError, namedError } from "../lib/errors";
import type { CostReport } from "./schema";

const METRIC = "UnblendedCost";
/** One month grouped by plan and region is a page or two; a token that never ends is a fault, not a bill. */
export const MAX_COST_PAGES = 100;

/**
 * The billing codes Cost Explorer prefixes usage types with (AWS Region billing codes). us-east-1 bills both without
 * a prefix and, in newer usage types, with USE1. A region missing here: its usage types (not its usage type groups)
 * are left out, and the report's note says so.
 */
const BILLING_CODES: Readonly<Record<string, readonly string[]>> = {
  "us-east-1": ["", "USE1-"],
  "us-east-2": ["USE2-"],
  "us-west-1": ["USW1-"],
  "us-west-2": ["USW2-"],
  "ca-central-1": ["CAN1-"],
  "sa-east-1": ["SAE1-"],
  "eu-west-1": ["EU-"],
  "eu-west-2": ["EUW2-"],
  "eu-west-3": ["EUW3-"],
  "eu-central-1": ["EUC1-"],
  "eu-central-2": ["EUC2-"],
  "eu-north-1": ["EUN1-"],
  "eu-south-1": ["EUS1-"],
  "eu-south-2": ["EUS2-"],
  "ap-northeast-1": ["APN1-"],
  "ap-northeast-2": ["APN2-"],
  "ap-northeast-3": ["APN3-"],
  "ap-southeast-1": ["APS1-"],
  "ap-southeast-2": ["APS2-"],
  "ap-south-1": ["APS3-"],
  "ap-east-1": ["APE1-"],
  "me-south-1": ["MES1-"],
  "af-south-1": ["AFS1-"],
};

/** What the cost section is computed from. */
export interface CostQuery {
  stack: string;
  /** Both regions of the stack (their database snapshot usage types). */
  regions: readonly string[];
  /** The stack activates the cost allocation tags (report.activateCostTags). */
  costTags: boolean;
  now: Date;
}

/** The previous calendar month in UTC, as Cost Explorer takes it: [first day, first day of this month). */
export function previousMonth(now: Date): CostReport["period"] {
  const day = (year: number, month: number) => new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
  return { start: day(now.getUTCFullYear(), now.getUTCMonth() - 1), end: day(now.getUTCFullYear(), now.getUTCMonth()) };
}

/** The snapshot usage filter of the stack's costs (tag backup-dr:stack), and the regions it cannot name usage types for. */
export function costFilter(stack: string, regions: readonly string[]): { filter: Expression; unknownRegions: string[] } {
  const kinds = snapshotCostUsage();
  const unknownRegions = kinds.usageTypes.length === 0 ? [] : regions.filter((region) => !Object.hasOwn(BILLING_CODES, region));
  const usageTypes = regions.flatMap((region) => (BILLING_CODES[region] ?? []).flatMap((code) => kinds.usageTypes.map((type) => `${code}${type}`)));
  const snapshotUsage: Expression[] = [
    ...(kinds.usageTypeGroups.length > 0 ? [{ Dimensions: { Key: "USAGE_TYPE_GROUP" as const, Values: kinds.usageTypeGroups } }] : []),
    ...(usageTypes.length > 0 ? [{ Dimensions: { Key: "USAGE_TYPE" as const, Values: usageTypes } }] : []),
  ];
  const usage = snapshotUsage.length === 1 ? snapshotUsage[0] : { Or: snapshotUsage };
  return { filter: { And: [{ Tags: { Key: TAG_STACK, Values: [stack] } }, usage] }, unknownRegions };
}

/** The cost section: disabled without cost tags (no call), else Cost Explorer's answer summed per plan and region. */
export async function readCost(ce: CostExplorerClient, query: CostQuery): Promise<CostReport> {
  const period = previousMonth(query.now);
  if (!query.costTags) return { status: "disabled", period, byPlan: [], note: "report.activateCostTags is off: the stack does not activate its cost allocation tags" };
  const { filter, unknownRegions } = costFilter(query.stack, query.regions);
  try {
    const groups = await costGroups(ce, period, filter);
    const summary = summarise(groups, period);
    const notes = [summary.note, regionsNote(unknownRegions)].filter((n): n is string => n !== undefined);
    return { ...summary, ...(notes.length > 0 ? { note: notes.join(". ") } : {}) };
  } catch (error) {
    return { status: "error", period, byPlan: [], error: describeError(error) };
  }
}

async function costGroups(ce: CostExplorerClient, period: CostReport["period"], filter: Expression): Promise<Group[]> {
  const groups: Group[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    if (++pages > MAX_COST_PAGES) throw namedError("CostPagesExceededError", `Cost Explorer returned more than ${MAX_COST_PAGES} pages for one month; stopped reading`, {});
    const page = await ce.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: period.start, End: period.end },
        Granularity: "MONTHLY",
        Metrics: [METRIC],
        Filter: filter,
        GroupBy: [
          { Type: "TAG", Key: TAG_PLAN },
          { Type: "DIMENSION", Key: "REGION" },
        ],
        NextPageToken: token,
      }),
    );
    for (const result of page.ResultsByTime ?? []) groups.push(...(result.Groups ?? []));
    token = page.NextPageToken;
  } while (token !== undefined && token !== "");
  return groups;
}

/** Cost Explorer names a tag group `<key>$<value>`; an empty value is the cost without the tag. */
function planOf(key: string | undefined): string {
  const prefix = `${TAG_PLAN}$`;
  return key !== undefined && key.startsWith(prefix) ? key.slice(prefix.length) : "";
}

function summarise(groups: readonly Group[], period: CostReport["period"]): CostReport {
  const sums = new Map<string, { plan: string; region: string; amount: number }>();
  let untagged = 0;
  let currency: string | undefined;
  for (const group of groups) {
    const [tagKey, region = ""] = group.Keys ?? [];
    const metric = group.Metrics?.[METRIC];
    const amount = Number(metric?.Amount ?? "0");
    if (!Number.isFinite(amount)) continue;
    currency ??= metric?.Unit;
    const plan = planOf(tagKey);
    if (plan === "") {
      untagged += amount;
      continue;
    }
    const key = `${plan}\n${region}`;
    const entry = sums.get(key) ?? { plan, region, amount: 0 };
    entry.amount += amount;
    sums.set(key, entry);
  }
  const byPlan = [...sums.values()].map((e) => ({ ...e, amount: round(e.amount) })).sort((a, b) => a.plan.localeCompare(b.plan) || a.region.localeCompare(b.region));
  const common = { period, byPlan, ...(currency === undefined ? {} : { currency }), ...(untagged > 0 ? { untagged: round(untagged) } : {}) };
  if (byPlan.length === 0) return { status: "not-yet-available", ...common, note: "No snapshot cost carries the backup-dr:plan tag yet: cost allocation tags show data about a day after activation, and only for usage billed since" };
  return { status: "available", ...common };
}

/** Cents are what a bill shows; Cost Explorer's amounts carry float noise. */
function round(amount: number): number {
  return Math.round(amount * 100) / 100;
}

function regionsNote(unknown: readonly string[]): string | undefined {
  return unknown.length === 0 ? undefined : `Snapshot storage billed by usage type in ${unknown.join(", ")} is not included: no billing code known for the region`;
}
