// Config backup-dr:pacing.runDeadlineMinutes (issue 20 item 4): its default, its range, what a bad value is told (key,
// value, what is allowed), every pacing problem in one round, and that the shipped stacks keep the default.
import { expect } from "chai";
import { parseConfig } from "../../infra/config";
import { RUN_DEADLINE_MINUTES } from "../../handlers/lib/shared-settings";
import { configProblems, problemsOf } from "../helpers/config-problems";
import { stackValues } from "../helpers/stacks";

const CONTEXT = { project: "backup-dr", stack: "test" };
const RANGE = "expected a whole number of minutes from 15 to 1440";

function withPacing(pacing: unknown): Record<string, unknown> {
  return {
    "aws:region": "us-east-1",
    "backup-dr:drRegion": "us-west-2",
    "backup-dr:plans": [{ name: "daily", schedule: "cron(0 2 * * ? *)", resources: ["ec2"], keep: { daily: 7 } }],
    "backup-dr:pacing": pacing,
  };
}

describe("config: backup-dr:pacing.runDeadlineMinutes", () => {
  it("defaults to 120 minutes, beside the snapshot pace", () => {
    expect(RUN_DEADLINE_MINUTES).to.deep.equal({ fallback: 120, min: 15, max: 1440 });
    expect(parseConfig(withPacing(undefined), CONTEXT).pacing).to.deep.equal({ snapshotPerSecond: 5, snapshotBurst: 100, runDeadlineMinutes: 120 });
    expect(parseConfig(withPacing({ snapshotBurst: 50 }), CONTEXT).pacing.runDeadlineMinutes).to.equal(120);
  });

  it("accepts whole minutes from 15 (one invocation) to 1440 (a day), also as the CLI's strings", () => {
    for (const value of [15, 1440, "360"]) expect(parseConfig(withPacing({ runDeadlineMinutes: value }), CONTEXT).pacing.runDeadlineMinutes, String(value)).to.equal(Number(value));
  });

  for (const [value, shown] of [[14, "14"], [1441, "1441"], [90.5, "90.5"], ["two hours", '"two hours"'], [true, "true"]] as const) {
    it(`refuses ${shown}, naming the key, the value and the range`, () => {
      expect(problemsOf(withPacing({ runDeadlineMinutes: value }))).to.deep.equal([`backup-dr:pacing.runDeadlineMinutes: ${RANGE}, got ${shown}`]);
    });
  }

  it("reports every bad pacing field at once", () => {
    expect(problemsOf(withPacing({ snapshotPerSecond: 0, snapshotBurst: 5000, runDeadlineMinutes: 10 }))).to.have.members([
      "backup-dr:pacing.snapshotPerSecond: expected a number above 0 and at most 100, got 0",
      "backup-dr:pacing.snapshotBurst: expected a whole number from 1 to 1000, got 5000",
      `backup-dr:pacing.runDeadlineMinutes: ${RANGE}, got 10`,
    ]);
  });

  it("tells a misspelt field the allowed ones", () => {
    const [problem] = problemsOf(withPacing({ runDeadline: 60 }));
    expect(problem).to.match(/^backup-dr:pacing\.runDeadline: unknown key; allowed: snapshotPerSecond, snapshotBurst, runDeadlineMinutes/);
  });

  it("the shipped stacks are valid and keep the default", () => {
    for (const stack of ["dev", "prod"]) {
      expect(configProblems(stackValues(stack)), stack).to.deep.equal([]);
      expect(parseConfig(stackValues(stack), { project: "backup-dr", stack }).pacing.runDeadlineMinutes, stack).to.equal(120);
    }
  });
});
