// The report function's clients: both regions' (kinds, S3, SNS) and Cost Explorer's, built the way every function
// builds them (handlers/lib/clients.ts: retries, timeouts, AWS_ENDPOINT_URL); tests pass the fake AWS as overrides.
import { CostExplorerClient } from "@aws-sdk/client-cost-explorer";
import { createClients, MAX_ATTEMPTS, type AwsClients, type ClientOverrides } from "../lib/clients";

/** Cost Explorer has one endpoint for the commercial partition, in us-east-1. */
export const COST_EXPLORER_REGION = "us-east-1";

/** What the report steps call: the primary region's clients (vault, topic, inventory), the DR region's, and Cost Explorer. */
export interface ReportClients {
  primary: AwsClients;
  dr: AwsClients;
  ce: CostExplorerClient;
}

export function createReportClients(primaryRegion: string, drRegion: string, overrides: ClientOverrides = {}): ReportClients {
  const { retryStrategy, ...rest } = overrides;
  return {
    primary: createClients(primaryRegion, overrides),
    dr: createClients(drRegion, overrides),
    ce: new CostExplorerClient({ region: COST_EXPLORER_REGION, maxAttempts: MAX_ATTEMPTS, retryMode: "standard", ...rest, ...(retryStrategy ? { retryStrategy: retryStrategy() } : {}) }),
  };
}
