// Bad input to the drill function: every malformed step event is a MalformedEventError and every bad setting a
// MissingSettingError / InvalidSettingError naming the variable, before any AWS call (the fake records none).
import { expect } from "chai";
import type { DrillOptions } from "../../handlers/drill/contract";
import { runDrillStep } from "../../handlers/drill/run";
import { parseDrillOptions, readDrillSettings } from "../../handlers/drill/settings";
import { parseConfig } from "../../infra/config";
import { drillOptions } from "../../infra/drill-options";
import { drillTimeoutSeconds } from "../../infra/stack";
import { FakeAws } from "../helpers/aws-fake";
import { rejection } from "../helpers/copy-setup";
import { DRILL_ID, DRILL_OPTIONS, DRILL_START, drillDeps, drillEnv, drillSettings, listingKinds, pickedState, sample, scriptedDrillKinds } from "../helpers/drill-setup";
import { stackFiles, stackValues } from "../helpers/stacks";
import { thrown } from "../helpers/thrown";

const S = sample(1);
const STATE = { restoreId: S.restoreId, drillId: DRILL_ID, startedAt: DRILL_START, region: "us-west-2", kind: "ec2", source: S.source, point: { id: S.pointId, snapshotIds: [S.pointId] }, name: "n", phase: "p", status: "pending", waitSeconds: 30, deadline: DRILL_START, created: [] };

/** Each event and the words its message must carry. */
const MALFORMED: Array<[string, unknown, string]> = [
  ["not an object", "pick", "Expected a drill step event"],
  ["unknown step", { step: "begin" }, "Unknown step"],
  ["an unknown field", { step: "watch", dryRun: true }, "unknown fields dryRun"],
  ["pick: drill id with a slash", { step: "pick", drillId: "a/b", startedAt: DRILL_START, request: {} }, "drillId must be"],
  ["pick: drill id too long", { step: "pick", drillId: "d".repeat(73), startedAt: DRILL_START, request: {} }, "drillId must be"],
  ["pick: no zone on the instant", { step: "pick", drillId: DRILL_ID, startedAt: "2026-12-01T03:00:00", request: {} }, "startedAt must be"],
  ["pick: a request field misspelt", { step: "pick", drillId: DRILL_ID, startedAt: DRILL_START, request: { plans: "gold" } }, "request has unknown fields plans"],
  ["pick: a plan that is no plan name", { step: "pick", drillId: DRILL_ID, startedAt: DRILL_START, request: { plan: "Gold!" } }, "request.plan must be a plan name"],
  ["pick: an empty seed", { step: "pick", drillId: DRILL_ID, startedAt: DRILL_START, request: { seed: " " } }, "request.seed must be"],
  ["pick: no request", { step: "pick", drillId: DRILL_ID, startedAt: DRILL_START }, "request must be an object"],
  ["start: a restore id of another drill", { step: "start", sample: { ...S, restoreId: "other-r1" }, startedAt: DRILL_START }, "restoreId must be"],
  ["start: a request for another point", { step: "start", sample: { ...S, request: { ...S.request, point: "latest" } }, startedAt: DRILL_START }, "must restore the sample's own"],
  ["start: a request with an unknown field", { step: "start", sample: { ...S, request: { ...S.request, force: true } }, startedAt: DRILL_START }, "request has unknown fields force"],
  ["start: an unknown sample field", { step: "start", sample: { ...S, extra: 1 }, startedAt: DRILL_START }, "sample has unknown fields extra"],
  ["start: no drill start on the sample", { step: "start", sample: { ...S, drillStartedAt: undefined }, startedAt: DRILL_START }, "sample.drillStartedAt must be"],
  ["start: negative target", { step: "start", sample: { ...S, targets: { rtoSeconds: -1, rpoSeconds: 1 } }, startedAt: DRILL_START }, "sample.targets.rtoSeconds"],
  ["start: an RPO that is not start minus taken", { step: "start", sample: { ...S, rpoSeconds: S.rpoSeconds + 60 }, startedAt: DRILL_START }, "sample.rpoSeconds must be drillStartedAt minus taken"],
  ["start: a negative RPO (a point taken after the drill's start)", { step: "start", sample: { ...S, taken: "2026-12-02T00:00:00.000Z", rpoSeconds: -75_600 }, startedAt: DRILL_START }, "sample.rpoSeconds must be a number of seconds"],
  ["poll: another restore's state", { step: "poll", sample: S, state: { ...STATE, restoreId: `${DRILL_ID}-r2` } }, "is not the sample's restore"],
  ["poll: a state without the drill id", { step: "poll", sample: S, state: { ...STATE, drillId: undefined } }, "is not the sample's drill"],
  ["validate: no state", { step: "validate", sample: S }, "state must be the RestoreState"],
  ["measure: neither state nor error", { step: "measure", sample: S }, "needs the restore's state, or the error"],
  ["measure: an error without a name", { step: "measure", sample: S, error: { Cause: "x" } }, "error must be"],
  ["cleanup: a sample of another drill", { step: "cleanup", state: pickedState([{ ...S, drillId: "other", restoreId: "other-r1" }]) }, "a sample of another drill"],
  ["cleanup: a restore id twice", { step: "cleanup", state: pickedState([S, S]) }, "a restore id twice"],
  ["cleanup: an unknown state field", { step: "cleanup", state: { ...pickedState([S]), extra: true } }, "state has unknown fields extra"],
  ["report: a result of no sample", { step: "report", drillId: DRILL_ID, startedAt: DRILL_START, state: { ...pickedState([S]), results: [{ restoreId: "x" }] } }, "is not a restore of the drill"],
  ["report: a cleanup of an unknown status", { step: "report", drillId: DRILL_ID, startedAt: DRILL_START, state: { ...pickedState([S]), cleanup: { status: "finished" } } }, "state.cleanup.status"],
  ["report: a deeply nested state", { step: "report", drillId: DRILL_ID, startedAt: DRILL_START, state: JSON.parse("[".repeat(5000) + "]".repeat(5000)) as unknown }, "state must be an object"],
];

describe("drill input", () => {
  for (const [name, event, words] of MALFORMED) {
    it(`refuses ${name} before any AWS call`, async () => {
      const fake = new FakeAws();
      const listed: Array<{ kind: string; args: unknown[] }> = [];
      const deleted: unknown[] = [];
      const deps = drillDeps(fake, () => new Date(), { kinds: listingKinds([], listed), drillKinds: scriptedDrillKinds(() => ({ deleted: [], remaining: [], refused: [] }), deleted as never[]) });
      const error = await rejection(runDrillStep(deps, drillSettings(), event));
      expect(error.name, error.message).to.equal("MalformedEventError");
      expect(error.message).to.include(words);
      expect(fake.calls).to.deep.equal([]);
      expect(listed).to.deep.equal([]);
      expect(deleted).to.deep.equal([]);
    });
  }

  const bad: Array<[string, Partial<DrillOptions> | Record<string, unknown>, string]> = [
    ["samplePerPlan 0", { samplePerPlan: 0 }, "samplePerPlan must be a whole number from 1 to 100"],
    ["keepSeconds fractional", { keepSeconds: 1.5 }, "keepSeconds must be"],
    ["an unknown mode", { machineMode: "image" as never }, "machineMode must be one of volumes, instance"],
    ["a schedule EventBridge would refuse", { schedule: "cron(0 3 1 * * *)" }, "schedule"],
    ["a zone not spelt as IANA does", { timezone: "europe/berlin" }, "timezone must be"],
    ["no plan", { targets: {} }, "targets names no plan"],
    ["a plan name that is none", { targets: { Gold: { rtoSeconds: 1, rpoSeconds: 1 } } }, "is not a plan name"],
    ["a target field misspelt", { targets: { gold: { rto: 1, rpoSeconds: 1 } } }, "targets.gold: unknown fields rto"],
    ["a target of zero", { targets: { gold: { rtoSeconds: 0, rpoSeconds: 1 } } }, "targets.gold.rtoSeconds"],
    ["an empty instance type", { instanceType: "" }, "instanceType must be non-empty"],
    ["an unknown option", { keepMinutes: 5 }, "unknown fields keepMinutes"],
    ["a timeout under a minute", { machineTimeoutSeconds: 59 }, "machineTimeoutSeconds"],
  ];
  for (const [name, options, words] of bad) {
    it(`settings: refuses ${name}, naming BACKUP_DR_DRILL`, () => {
      const error = thrown(() => readDrillSettings(drillEnv(options)));
      expect(error.name).to.equal("InvalidSettingError");
      expect(error.message).to.include("BACKUP_DR_DRILL").and.include(words);
    });
  }

  for (const stack of stackFiles()) {
    it(`settings: the ${stack} stack's drill options, as infra writes them, are read back unchanged`, () => {
      const config = parseConfig(stackValues(stack), { project: "backup-dr", stack });
      const options = drillOptions(config.drill, drillTimeoutSeconds(config));
      expect(parseDrillOptions(JSON.parse(JSON.stringify(options)))).to.deep.equal(options);
    });
  }

  it("settings: the config's extremes are within the function's limits", () => {
    const config = parseConfig(stackValues("prod"), { project: "backup-dr", stack: "prod" });
    const plans = Object.fromEntries(Object.entries(config.drill.plans).map(([plan, t]) => [plan, { ...t, rtoTargetMinutes: 10080, rpoTargetMinutes: 527040 + 10080 }]));
    const extreme = { ...config.drill, samplePerPlan: 10, maxConcurrent: 1, keepMinutes: 1440, plans };
    const options = drillOptions(extreme, drillTimeoutSeconds({ ...config, drill: extreme }));
    expect(parseDrillOptions(JSON.parse(JSON.stringify(options)))).to.deep.equal(options);
  });

  it("settings: the options and the topic are required; the topic must be the region's; the restore settings apply", () => {
    expect(thrown(() => readDrillSettings(drillEnv({}, { BACKUP_DR_DRILL: undefined }))).name).to.equal("MissingSettingError");
    expect(thrown(() => readDrillSettings(drillEnv({}, { BACKUP_DR_DRILL: "{" }))).message).to.include("expected JSON");
    expect(thrown(() => readDrillSettings(drillEnv({}, { BACKUP_DR_TOPIC_ARN: undefined }))).name).to.equal("MissingSettingError");
    expect(thrown(() => readDrillSettings(drillEnv({}, { BACKUP_DR_TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:t" }))).message).to.include("the topic is in us-east-1, but the drill runs in us-west-2");
    expect(thrown(() => readDrillSettings(drillEnv({}, { BACKUP_DR_TOPIC_ARN: "topic" }))).message).to.include("expected an SNS topic ARN");
    expect(thrown(() => readDrillSettings(drillEnv({}, { BACKUP_DR_REGION: "mars-1" }))).name).to.equal("InvalidSettingError");
    const settings = readDrillSettings(drillEnv({ instanceType: "t3.micro" }));
    expect(settings.options).to.deep.equal({ ...DRILL_OPTIONS, instanceType: "t3.micro" });
  });
});
