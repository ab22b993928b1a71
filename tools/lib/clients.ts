// The AWS clients of one region for the operator commands: the operator's credentials (the SDK's default chain), the
// handlers' retry settings, and the transport a test replaces.
import { SFNClient } from "@aws-sdk/client-sfn";
import { createClients, MAX_ATTEMPTS, type ClientOverrides } from "../../handlers/lib/clients";
import type { KindClients } from "../../handlers/kinds/clients";

export interface RegionClients {
  kinds: KindClients;
  sfn: SFNClient;
}

export type ClientsOf = (region: string) => RegionClients;

export function regionClients(overrides: ClientOverrides = {}): ClientsOf {
  return (region) => {
    const { ec2, rds } = createClients(region, overrides);
    const { retryStrategy, ...rest } = overrides;
    const sfn = new SFNClient({ region, maxAttempts: MAX_ATTEMPTS, retryMode: "standard", ...rest, ...(retryStrategy ? { retryStrategy: retryStrategy() } : {}) });
    return { kinds: { ec2, rds }, sfn };
  };
}
