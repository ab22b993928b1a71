// "forecast-quotas": the forecast's quota check at preview, when backup-dr:expectedSources is set. The backup
// function's variable is built by the program itself (backupEnvironment), so the peaks are the forecast's.
import { expect } from "chai";
import { backupEnvironment, EXPECTED_SOURCES_VARIABLE as PROGRAM_VARIABLE } from "../../infra/backup";
import { parseConfig } from "../../infra/config";
import { EXPECTED_SOURCES_VARIABLE, forecastQuotas, quotaExcesses, readSources } from "../../policies/forecast-quotas";
import type { StackResource } from "../../tools/policy-check/model";
import { forecast } from "../../tools/forecast/forecast";
import { PEAKS_START } from "../../tools/forecast/peaks";
import { checkQuotas, quotaFailures } from "../../tools/forecast/quotas";
import { check, provider, resource } from "./harness";

const RAW = {
  "aws:region": "us-east-1",
  "backup-dr:drRegion": "us-west-2",
  "backup-dr:plans": [
    { name: "daily7", schedule: "cron(0 2 * * ? *)", resources: ["rds", "ec2"], keep: { daily: 7 }, drKeep: { daily: 3 } },
    { name: "weekly", schedule: "cron(0 3 ? * SUN *)", resources: ["aurora"], keep: { weekly: 4 }, copyToDr: false },
  ],
};

const configWith = (sources?: Record<string, number>) => parseConfig(sources ? { ...RAW, "backup-dr:expectedSources": sources } : RAW, { project: "backup-dr", stack: "test" });

function stack(sources?: Record<string, number>): StackResource[] {
  const primary = provider("primary", "us-east-1");
  const variables = backupEnvironment(configWith(sources), "vault", "topic");
  return [primary, provider("dr", "us-west-2"), resource("aws:lambda/function:Function", "backup", { environment: { variables } }, { provider: primary })];
}

describe("policies: forecast-quotas", () => {
  it("reads the variable the program sets", () => {
    expect(EXPECTED_SOURCES_VARIABLE).to.equal(PROGRAM_VARIABLE);
  });

  it("passes 12 DBs of a daily plan keeping 7 (peak 8 each: 96 of 100), and a stack without expectedSources", async () => {
    expect(await check(forecastQuotas, stack({ rds: 12, aurora: 20 }))).to.deep.equal([]);
    expect(await check(forecastQuotas, stack())).to.deep.equal([]);
  });

  it("reports 13 DBs (104 of 100) naming the plan, and honours a raised quota", async () => {
    expect(await check(forecastQuotas, stack({ rds: 13 }))).to.deep.equal([
      'backup (aws:lambda/function:Function): Forecast over quota in us-east-1: RDS manual DB snapshots: 104 forecast, quota 100; driven by plan "daily7" (reduce its retention or its sources, or raise the quota); npm run forecast -- <stack> shows the numbers.',
    ]);
    expect(await check(forecastQuotas, stack({ rds: 13 }), { rdsSnapshotQuota: 110 })).to.deep.equal([]);
  });

  it("reports an unreadable variable", async () => {
    const resources = stack({ rds: 1 }).map((r) => (r.name === "backup" ? { ...r, inputs: { environment: { variables: { [EXPECTED_SOURCES_VARIABLE]: '{"ec2":-1}' } } }, outputs: { environment: { variables: { [EXPECTED_SOURCES_VARIABLE]: '{"ec2":-1}' } } } } : r));
    expect(await check(forecastQuotas, resources)).to.deep.equal([
      `backup (aws:lambda/function:Function): ${EXPECTED_SOURCES_VARIABLE} has a count that is not a whole number (ec2, rds, aurora >= 0; volumesPerInstance >= 1): set backup-dr:expectedSources to a map of whole numbers (the program adds the peaks).`,
    ]);
  });

  it("gives the same answers as the forecast tool's quota check", () => {
    const cases: Record<string, number>[] = [{ rds: 13 }, { rds: 12, aurora: 21 }, { aurora: 25, ec2: 12600, volumesPerInstance: 1 }, { ec2: 3000, volumesPerInstance: 5, rds: 40 }];
    for (const sources of cases) {
      const config = configWith(sources);
      const expected = config.expectedSources;
      if (expected === undefined) throw new Error("no expected sources");
      const read = readSources(backupEnvironment(config, "vault", "topic")[EXPECTED_SOURCES_VARIABLE] as string);
      if ("problem" in read) throw new Error(read.problem);
      const tool = forecast({ stack: "test", region: config.region, drRegion: config.drRegion, plans: config.plans, cleanup: config.cleanup, start: PEAKS_START, sources: expected, rdsSnapshotQuota: 100, prices: { source: "", date: "", currency: "USD", regions: {} } });
      expect(quotaExcesses(read, 100), JSON.stringify(sources)).to.deep.equal(quotaFailures(checkQuotas(tool.regions, expected, 100)));
    }
  });
});
