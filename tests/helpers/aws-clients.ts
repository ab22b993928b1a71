// SDK clients wired to the fake AWS, built by the handlers' own factory, with the SDK's standard retry strategy.
import { StandardRetryStrategy } from "@smithy/core/retry";
import { MAX_ATTEMPTS, createClients, type AwsClients } from "../../handlers/lib/clients";
import { REGION, type FakeAws } from "./aws-fake";
import { fakeRequestHandler } from "./aws-transport";

export const TEST_CREDENTIALS = { accessKeyId: "AKIDEXAMPLEFAKE", secretAccessKey: "fake-secret-key" };

/**
 * The SDK's StandardRetryStrategy itself (same error classification, attempt limit and retry quota) with the
 * backoff delay set to zero, so a test with thousands of retries stays fast.
 */
export function fastRetryStrategy(maxAttempts: number = MAX_ATTEMPTS): StandardRetryStrategy {
  return new StandardRetryStrategy({ maxAttempts, backoff: { computeNextBackoffDelay: () => 0, setDelayBase: () => undefined } });
}

export function fakeClients(fake: FakeAws, options: { maxAttempts?: number; region?: string } = {}): AwsClients {
  return createClients(options.region ?? REGION, {
    requestHandler: fakeRequestHandler(fake),
    retryStrategy: () => fastRetryStrategy(options.maxAttempts),
    credentials: TEST_CREDENTIALS,
  });
}
