// Every alarm of every shipped stack (each Pulumi.<stack>.yaml, under mocks) tells someone: at least one alarm action,
// and every action is a topic of the stack in the alarm's own region (the DR region's alarms go to the DR topic, which
// works while the primary region is down). An alarm without an action only changes colour on a console nobody watches.
import { expect } from "chai";
import { deployStack, type Deployed } from "../helpers/deploy";
import { ACCOUNT_ID } from "../helpers/program";
import { ofType, providerName, TYPE } from "../helpers/resources";
import { stackFiles } from "../helpers/stacks";

describe("alarms: every alarm of every shipped stack has an action, to its region's topic", function () {
  this.timeout(600_000);
  const stacks = stackFiles();
  const runs = new Map<string, Deployed>();

  before(async () => {
    for (const stack of stacks) runs.set(stack, await deployStack(stack));
  });

  it("ships at least the dev and prod stacks", () => {
    expect(stacks).to.include.members(["dev", "prod"]);
  });

  for (const stack of stacks) {
    it(`${stack}: every metric alarm has at least one alarm action, each the topic of the alarm's region`, () => {
      const run = runs.get(stack);
      if (run === undefined) throw new Error(`${stack} was not deployed`);
      const { config } = run.result;
      const topics: Record<string, string> = {
        primary: `arn:aws:sns:${config.region}:${ACCOUNT_ID}:notifications`,
        dr: `arn:aws:sns:${config.drRegion}:${ACCOUNT_ID}:dr-notifications`,
      };
      const alarms = ofType(run.resources, TYPE.alarm);
      // The stack's alarms of every component: functions, copy lag, quotas, replication, restore and drill machines, coverage.
      expect(alarms.length).to.be.greaterThan(20);
      expect(alarms.some((a) => a.name.startsWith("report-out-of-policy-"))).to.equal(true);
      const silent = alarms.filter((a) => !Array.isArray(a.inputs.alarmActions) || a.inputs.alarmActions.length === 0).map((a) => a.name);
      expect(silent).to.deep.equal([]);
      const misdirected = alarms
        .filter((a) => (a.inputs.alarmActions as unknown[]).some((action) => action !== topics[providerName(a)]))
        .map((a) => `${a.name} (${providerName(a)}): ${JSON.stringify(a.inputs.alarmActions)}`);
      expect(misdirected).to.deep.equal([]);
    });
  }
});
