// backup-dr:expectedSources: validated like all config, passed to the backup function for the quota policy.
import { expect } from "chai";
import { backupEnvironment, EXPECTED_SOURCES_VARIABLE } from "../../infra/backup";
import { parseConfig } from "../../infra/config";

const RAW = {
  "aws:region": "us-east-1",
  "backup-dr:drRegion": "us-west-2",
  "backup-dr:plans": [{ name: "daily", schedule: "cron(0 2 * * ? *)", resources: ["rds"], keep: { daily: 7 } }],
};
const context = { project: "backup-dr", stack: "test" };

describe("config: backup-dr:expectedSources", () => {
  it("defaults missing kinds to 0 and volumes to 1, and reaches the backup function's environment", () => {
    const config = parseConfig({ ...RAW, "backup-dr:expectedSources": { rds: 3 } }, context);
    expect(config.expectedSources).to.deep.equal({ ec2: 0, rds: 3, aurora: 0, volumesPerInstance: 1 });
    const variable = JSON.parse(backupEnvironment(config, "vault", "topic")[EXPECTED_SOURCES_VARIABLE] as string) as unknown;
    // The sources, and the forecast's peak points per source of each plan and region (daily keep 7: 8 at the peak).
    expect(variable).to.deep.equal({
      ec2: 0,
      rds: 3,
      aurora: 0,
      volumesPerInstance: 1,
      peaks: [
        { plan: "daily", region: "us-east-1", role: "primary", resources: ["rds"], peak: 8 },
        { plan: "daily", region: "us-west-2", role: "dr", resources: ["rds"], peak: 8 },
      ],
    });
  });

  it("is absent, and so is the variable, when not set", () => {
    const config = parseConfig(RAW, context);
    expect(config.expectedSources).to.equal(undefined);
    expect(backupEnvironment(config, "vault", "topic")).to.not.have.property(EXPECTED_SOURCES_VARIABLE);
  });

  it("names the key, the bad value and what is allowed", () => {
    expect(() => parseConfig({ ...RAW, "backup-dr:expectedSources": { ec2: -2, rdss: 1 } }, context)).to.throw(
      /backup-dr:expectedSources\.ec2: expected a whole number from 0 to 100000, got -2\n {2}backup-dr:expectedSources\.rdss: unknown key; allowed: ec2, rds, aurora, volumesPerInstance/,
    );
  });
});
