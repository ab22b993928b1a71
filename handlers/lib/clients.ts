// Builds the AWS SDK v3 clients the handlers use, with the SDK's standard retry mode sized for snapshot-API throttling.
// The endpoint follows the SDK's own AWS_ENDPOINT_URL support, so the same code runs against any AWS-compatible API.
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import { createKindClients, type ClientConfig, type KindClients } from "../kinds/clients";

/** Attempts per call: the snapshot APIs' token bucket refills 5 per second, so a throttled call needs several backed-off tries. */
export const MAX_ATTEMPTS = 10;

/** A hung connection becomes a TimeoutError, which the standard retry strategy retries. */
const TRANSPORT = { connectionTimeout: 5_000, requestTimeout: 30_000 };

/** What a caller may replace: transport and credentials, and the retry strategy (tests use an in-memory AWS). */
export interface ClientOverrides extends Pick<ClientConfig, "requestHandler" | "credentials"> {
  /** Makes each client's strategy: every client keeps its own retry quota, as with the SDK's default. */
  retryStrategy?: () => NonNullable<ClientConfig["retryStrategy"]>;
}

/** The kinds' clients (handlers/kinds/clients.ts) and the manifest and notification clients. */
export interface AwsClients extends KindClients {
  s3: S3Client;
  sns: SNSClient;
}

/** Clients for one region (undefined: the SDK's default, AWS_REGION in Lambda). */
export function createClients(region?: string, overrides: ClientOverrides = {}): AwsClients {
  const { retryStrategy, ...rest } = overrides;
  const config = () => ({ region, maxAttempts: MAX_ATTEMPTS, retryMode: "standard", requestHandler: TRANSPORT, ...rest, ...(retryStrategy ? { retryStrategy: retryStrategy() } : {}) });
  return { ...createKindClients(config), s3: new S3Client(config()), sns: new SNSClient(config()) };
}
