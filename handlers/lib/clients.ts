// Builds the AWS SDK v3 clients the handlers use, with the SDK's standard retry mode sized for EC2 throttling.
// The endpoint follows the SDK's own AWS_ENDPOINT_URL support, so the same code runs against any AWS-compatible API.
import { EC2Client, type EC2ClientConfig } from "@aws-sdk/client-ec2";
import { RDSClient } from "@aws-sdk/client-rds";
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";

/** Attempts per call: EC2's snapshot token bucket refills 5 per second, so a throttled call needs several backed-off tries. */
export const MAX_ATTEMPTS = 10;

/** A hung connection becomes a TimeoutError, which the standard retry strategy retries. */
const TRANSPORT = { connectionTimeout: 5_000, requestTimeout: 30_000 };

/** What a caller may replace: transport and credentials, and the retry strategy (tests use an in-memory AWS). */
export interface ClientOverrides extends Pick<EC2ClientConfig, "requestHandler" | "credentials"> {
  /** Makes each client's strategy: every client keeps its own retry quota, as with the SDK's default. */
  retryStrategy?: () => NonNullable<EC2ClientConfig["retryStrategy"]>;
}

export interface AwsClients {
  ec2: EC2Client;
  rds: RDSClient;
  s3: S3Client;
  sns: SNSClient;
}

/** Clients for one region (undefined: the SDK's default, AWS_REGION in Lambda). */
export function createClients(region?: string, overrides: ClientOverrides = {}): AwsClients {
  const { retryStrategy, ...rest } = overrides;
  const config = () => ({ region, maxAttempts: MAX_ATTEMPTS, retryMode: "standard", requestHandler: TRANSPORT, ...rest, ...(retryStrategy ? { retryStrategy: retryStrategy() } : {}) });
  return { ec2: new EC2Client(config()), rds: new RDSClient(config()), s3: new S3Client(config()), sns: new SNSClient(config()) };
}
