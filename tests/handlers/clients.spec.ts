// The deployed clients: the SDK's standard retry mode with room for throttling, each with its own retry quota.
import { expect } from "chai";
import { MAX_ATTEMPTS, createClients } from "../../handlers/lib/clients";
import { fastRetryStrategy } from "../helpers/aws-clients";

interface ResolvedConfig {
  retryStrategy: () => Promise<object>;
  maxAttempts: () => Promise<number>;
  region: () => Promise<string>;
}

async function retrySetup(config: ResolvedConfig): Promise<{ mode: unknown; maxAttempts: number; region: string }> {
  const strategy = await config.retryStrategy();
  return { mode: "mode" in strategy ? strategy.mode : undefined, maxAttempts: await config.maxAttempts(), region: await config.region() };
}

describe("AWS clients", () => {
  it("retry in the SDK's standard mode with MAX_ATTEMPTS (at least 8) attempts per call", async () => {
    expect(MAX_ATTEMPTS).to.be.at.least(8);
    const { ec2, rds, s3, sns } = createClients("us-east-1");
    for (const [name, config] of [["ec2", ec2.config], ["rds", rds.config], ["s3", s3.config], ["sns", sns.config]] as const) {
      expect(await retrySetup(config), name).to.deep.equal({ mode: "standard", maxAttempts: MAX_ATTEMPTS, region: "us-east-1" });
    }
  });

  it("give each client its own retry strategy (and quota) when one is supplied", async () => {
    const { ec2, rds, s3, sns } = createClients("us-east-1", { retryStrategy: () => fastRetryStrategy() });
    const strategies = await Promise.all([ec2.config.retryStrategy(), rds.config.retryStrategy(), s3.config.retryStrategy(), sns.config.retryStrategy()]);
    expect(new Set(strategies).size).to.equal(4);
  });
});
