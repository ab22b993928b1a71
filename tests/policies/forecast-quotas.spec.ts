// forecast-quotas: the forecast's quota check at preview, when backup-dr:expectedSources is set.
import { expect } from "chai";
import { EXPECTED_SOURCES_VARIABLE as PROGRAM_VARIABLE } from "../../infra/backup";
import { EXPECTED_SOURCES_VARIABLE, forecastQuotas } from "../../policies/forecast-quotas";
import type { StackResource } from "../../policies/offline/model";
import { check, json, provider, resource } from "./harness";

const PLANS = [{ name: "daily7", schedule: "cron(0 2 * * ? *)", timezone: "UTC", resources: ["rds"], keep: { daily: 7 }, copyToDr: false }];

function stack(sources: Record<string, number> | undefined): StackResource[] {
  const primary = provider("primary", "us-east-1");
  const variables: Record<string, string> = { BACKUP_DR_PLANS: json(PLANS), ...(sources ? { [EXPECTED_SOURCES_VARIABLE]: json(sources) } : {}) };
  return [primary, provider("dr", "us-west-2"), resource("aws:lambda/function:Function", "backup", { environment: { variables } }, { provider: primary })];
}

describe("policies: forecast-quotas", () => {
  it("reads the variable the program sets", () => {
    expect(EXPECTED_SOURCES_VARIABLE).to.equal(PROGRAM_VARIABLE);
  });

  it("passes 12 DBs of a daily plan keeping 7 (peak 8 each: 96 of 100), and a stack without expectedSources", async () => {
    expect(await check(forecastQuotas, stack({ ec2: 0, rds: 12, aurora: 0, volumesPerInstance: 1 }))).to.deep.equal([]);
    expect(await check(forecastQuotas, stack(undefined))).to.deep.equal([]);
  });

  it("reports 13 DBs (104 of 100) naming the plan, and honours a raised quota", async () => {
    expect(await check(forecastQuotas, stack({ ec2: 0, rds: 13, aurora: 0, volumesPerInstance: 1 }))).to.deep.equal([
      'backup (aws:lambda/function:Function): Forecast over quota in us-east-1: RDS manual DB snapshots: 104 forecast, quota 100; driven by plan "daily7" (reduce its retention or its sources, or raise the quota); npm run forecast -- <stack> shows the numbers.',
    ]);
    expect(await check(forecastQuotas, stack({ ec2: 0, rds: 13, aurora: 0, volumesPerInstance: 1 }), { rdsSnapshotQuota: 110 })).to.deep.equal([]);
  });

  it("reports unreadable expected sources", async () => {
    expect(await check(forecastQuotas, stack({ ec2: -1 }))).to.deep.equal([
      `backup (aws:lambda/function:Function): ${EXPECTED_SOURCES_VARIABLE} has a count that is not a whole number (ec2, rds, aurora >= 0; volumesPerInstance >= 1): set backup-dr:expectedSources to a map of whole numbers.`,
    ]);
  });
});
