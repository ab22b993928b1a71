// Cost Explorer in the fake AWS, over its real wire format (JSON 1.1, X-Amz-Target
// AWSInsightsIndexService.GetCostAndUsage), one global endpoint (us-east-1). A test scripts what the month's
// cost groups are (or a permanent error); the fake checks the request as Cost Explorer would and pages the groups
// by NextPageToken. Every request body is kept, so tests assert the period, filter and grouping sent.
import { AwsFault, pageOffset, pageToken } from "./aws-wire";

export const CE_CONTENT_TYPE = "application/x-amz-json-1.1";
export const CE_TARGET_PREFIX = "AWSInsightsIndexService.";

/** One cost group as a test writes it: the plan tag's value (undefined: untagged), the region, the amount. */
export interface ScriptedCost {
  plan?: string;
  region: string;
  amount: number;
}

/** The action a JSON 1.1 Cost Explorer request names ("" when none). */
export function ceAction(target: string): string {
  return target.startsWith(CE_TARGET_PREFIX) ? target.slice(CE_TARGET_PREFIX.length) : "";
}

interface CostRequest {
  TimePeriod?: { Start?: string; End?: string };
  Granularity?: string;
  Metrics?: string[];
  GroupBy?: Array<{ Type?: string; Key?: string }>;
  Filter?: unknown;
  NextPageToken?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class FakeCostExplorer {
  /** The month's cost groups GetCostAndUsage answers with (none: Cost Explorer answered, nothing matched). */
  groups: ScriptedCost[] = [];
  /** Most groups one page returns: small values force NextPageToken paging. */
  pageCap = 1000;
  unit = "USD";
  /** Every GetCostAndUsage request body, in order (retries included). */
  readonly requests: CostRequest[] = [];

  handle(action: string, body: string): string {
    if (action !== "GetCostAndUsage") throw new AwsFault("UnknownOperationException", 400, `The fake does not implement Cost Explorer ${action}`);
    const request = JSON.parse(body === "" ? "{}" : body) as CostRequest;
    this.requests.push(request);
    const start = request.TimePeriod?.Start ?? "";
    const end = request.TimePeriod?.End ?? "";
    if (!DATE.test(start) || !DATE.test(end) || start >= end) throw new AwsFault("ValidationException", 400, "TimePeriod needs Start before End, as yyyy-MM-dd");
    if (request.Granularity === undefined || (request.Metrics ?? []).length === 0) throw new AwsFault("ValidationException", 400, "Granularity and Metrics are required");
    const groupBy = request.GroupBy ?? [];
    if (groupBy.length > 2) throw new AwsFault("ValidationException", 400, "GroupBy takes at most two groups");
    const keyOf = (cost: ScriptedCost) => groupBy.map((g) => (g.Type === "TAG" ? `${g.Key ?? ""}$${cost.plan ?? ""}` : g.Key === "REGION" ? cost.region : "NoDimension"));
    const offset = pageOffset(request.NextPageToken);
    const page = this.groups.slice(offset, offset + this.pageCap);
    const next = offset + this.pageCap < this.groups.length ? pageToken(offset + this.pageCap) : undefined;
    const metrics = request.Metrics ?? [];
    return JSON.stringify({
      GroupDefinitions: groupBy,
      ResultsByTime: [
        {
          TimePeriod: { Start: start, End: end },
          Total: {},
          Groups: page.map((cost) => ({ Keys: keyOf(cost), Metrics: Object.fromEntries(metrics.map((m) => [m, { Amount: String(cost.amount), Unit: this.unit }])) })),
          Estimated: false,
        },
      ],
      ...(next === undefined ? {} : { NextPageToken: next }),
      DimensionValueAttributes: [],
    });
  }
}
