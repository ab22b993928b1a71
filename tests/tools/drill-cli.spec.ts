// `npm run drill`: the arguments (every problem at once, exit 2, before the outputs are read or AWS is called), the
// execution started on the stack's drill machine in its region under a readable drill id with the DrillRequest as
// input (once, also when StartExecution's answer is lost), --detach, and following the drill's history (the Map's
// restores labelled r<n>) to a passed report (exit 0), a failed one (exit 1) and the function's refusal of a plan.
import { expect } from "chai";
import type { HistoryEvent } from "@aws-sdk/client-sfn";
import * as fs from "fs";
import * as path from "path";
import { RESOURCE_KINDS } from "../../handlers/catalog";
import { MAX_DRILL_ID } from "../../handlers/drill/contract";
import { DRILL_USAGE } from "../../tools/drill/drill-args";
import { main, type DrillDeps } from "../../tools/drill/drill-cli";
import { newDrillId } from "../../tools/drill/drill-id";
import { DrillProgressPrinter } from "../../tools/drill/drill-progress";
import { consoleUrl } from "../../tools/lib/execution-arn";
import { parseFlags } from "../../tools/lib/flags";
import { parseOutputs } from "../../tools/lib/stack-outputs";
import { FakeAws } from "../helpers/aws-fake";
import type { ExecutionScript } from "../helpers/aws-fake-sfn";
import { DRILL_ARN, DRILL_FAIL_CAUSE, DRILL_ID, DRILL_MACHINE, DRILL_OUTPUTS, failedDrill, MANIFEST, passedDrill, POLL_ERROR, UNKNOWN_PLAN, unknownPlanDrill } from "../helpers/drill-tools";
import { DR, NOW, OUTPUTS, PRIMARY, recordingConsole, recordingDeps, type Console } from "../helpers/restore-tools";


function setup(script?: ExecutionScript): { fake: FakeAws; console: Console; deps: DrillDeps; sleeps: number[]; outputsRead: string[] } {
  const fake = new FakeAws();
  fake.sfn.addMachine(DRILL_MACHINE, script);
  return { fake, ...recordingDeps(fake, DRILL_OUTPUTS, "3f9a") };
}

/** The problem lines before the usage text. */
const problemsOf = (lines: readonly string[]) => lines.slice(0, lines.findIndex((l) => l.startsWith("usage:")));
const HEADER = [`Drilling stack prod in ${DR}; drill id ${DRILL_ID}`];

describe("npm run drill: arguments", () => {
  it("reports every problem at once, before reading the outputs or calling AWS (exit 2)", async () => {
    const { fake, console, deps, outputsRead } = setup();
    expect(await main(["--plan", "Gold_Plan", "--follow", "--detach", "--seed", "--region", "dr"], deps)).to.equal(2);
    expect(problemsOf(console.err)).to.deep.equal([
      "--seed: expected a value",
      'unknown argument "--region"',
      'unknown argument "dr"',
      "--stack: required (the Pulumi stack, e.g. prod)",
      '--plan: "Gold_Plan" is not a plan name (1-20 lowercase letters, digits and single hyphens, starting with a letter)',
      "--follow and --detach: give one (a drill is followed unless --detach)",
    ]);
    expect(console.err.slice(problemsOf(console.err).length).join("\n")).to.equal(DRILL_USAGE);
    expect(console.out).to.deep.equal([]);
    expect(fake.calls).to.deep.equal([]);
    expect(outputsRead).to.deep.equal([]);
  });

  it("--follow <executionArn> takes an execution ARN and no other flag", async () => {
    const { fake, console, deps } = setup();
    expect(await main(["--follow", "arn:aws:states:us-west-2:123:execution:x:y", "--stack", "prod"], deps)).to.equal(2);
    expect(problemsOf(console.err)).to.deep.equal([
      "--follow: takes no other flag (got --stack)",
      '--follow: expected a Step Functions execution ARN (arn:aws:states:<region>:<account>:execution:<machine>:<name>), got "arn:aws:states:us-west-2:123:execution:x:y"',
    ]);
    expect(fake.calls).to.deep.equal([]);
  });

  it("a repeated flag and a stack name with spaces are problems too", async () => {
    const { console, deps } = setup();
    expect(await main(["--stack", "my stack", "--plan", "gold", "--plan", "silver"], deps)).to.equal(2);
    expect(problemsOf(console.err)).to.deep.equal(["--plan: given more than once", '--stack: "my stack" is not a stack name']);
  });

  it("the usage names the kinds from the catalog, and no file of the command names a kind itself", () => {
    expect(DRILL_USAGE).to.include(`(${RESOURCE_KINDS.join(", ")})`);
    const dir = path.resolve(__dirname, "..", "..", "tools", "drill");
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".ts"));
    expect(files).to.include.members(["drill-args.ts", "drill-cli.ts", "drill-progress.ts", "drill-report.ts"]);
    const named = files.flatMap((f) => RESOURCE_KINDS.filter((kind) => new RegExp(`\\b${kind}\\b`, "i").test(fs.readFileSync(path.join(dir, f), "utf8"))).map((kind) => `${f}: ${kind}`));
    expect(named).to.deep.equal([]);
  });

  it("a stack deployed before drills existed exits 2 before any AWS call", async () => {
    const { fake, console, deps } = setup();
    expect(await main(["--stack", "prod"], { ...deps, outputs: () => OUTPUTS })).to.equal(2);
    expect(console.err).to.deep.equal(["the stack has no outputs drillStateMachineArn and drillRegion: deploy this version of the program (pulumi up) first"]);
    expect(fake.calls).to.deep.equal([]);
  });
});

describe("npm run drill: starting", () => {
  it("starts the drill machine in its region, named by the drill id, with the DrillRequest as input", async () => {
    const { fake, console, deps, outputsRead } = setup();
    expect(await main(["--stack", "prod", "--plan", "gold", "--seed", "december", "--detach", "--outputs", "prod.json"], deps)).to.equal(0);
    expect(outputsRead).to.deep.equal(["prod prod.json"]);
    const started = fake.sfn.started();
    expect(started.map((s) => [s.machineArn, s.name])).to.deep.equal([[DRILL_MACHINE, DRILL_ID]]);
    expect(JSON.parse(started[0].input)).to.deep.equal({ plan: "gold", seed: "december" });
    expect(fake.calls.map((c) => `${c.service} ${c.region} ${c.action}`)).to.deep.equal([`states ${DR} StartExecution`]);
    expect(console.err).to.deep.equal([]);
  });

  it("without --plan and --seed the input is {} (every drilled plan, seeded by the drill id), as the schedule sends", async () => {
    const { fake, deps } = setup();
    expect(await main(["--stack", "prod", "--detach"], deps)).to.equal(0);
    expect(fake.sfn.started()[0].input).to.equal("{}");
  });

  it("--detach prints the execution, how to follow it and the console URL, and reads no progress", async () => {
    const { fake, console, deps } = setup();
    expect(await main(["--stack", "prod", "--detach"], deps)).to.equal(0);
    expect(console.out).to.deep.equal([
      ...HEADER,
      "Request: {}",
      `Execution: ${DRILL_ARN}`,
      `Follow it: npm run drill -- --follow ${DRILL_ARN}`,
      `Console:   ${consoleUrl(DRILL_ARN)}`,
    ]);
    expect(fake.calls.map((c) => c.action)).to.deep.equal(["StartExecution"]);
  });

  it("a StartExecution answer lost after Step Functions started the drill: the retry gets the same execution, one drill", async () => {
    const { fake, deps } = setup();
    fake.loseAnswers({ rate: 1, kinds: ["500"], seed: 1, actions: ["StartExecution"] });
    fake.beforeHandle = (call) => {
      if (call.attempt > 1) fake.loseAnswers(undefined);
    };
    expect(await main(["--stack", "prod", "--detach"], deps)).to.equal(0);
    expect(fake.handled("StartExecution").map((c) => [c.attempt, c.lost])).to.deep.equal([[1, "500"], [2, undefined]]);
    expect(fake.sfn.started()).to.have.length(1);
  });

  it("a StartExecution AWS refuses is reported, exit 1", async () => {
    const { console, deps } = setup();
    const gone = { ...DRILL_OUTPUTS, drill: { stateMachineArn: `${DRILL_MACHINE}-gone`, region: DR } };
    expect(await main(["--stack", "prod"], { ...deps, outputs: () => gone })).to.equal(1);
    expect(console.err).to.have.length(1);
    expect(console.err[0]).to.match(/^could not start the drill: StateMachineDoesNotExist: State Machine Does Not Exist/);
  });

  it("drill ids: drill-<UTC start>-<4 random>, an execution name with room for -r<n>, new each time", () => {
    expect(newDrillId(NOW, () => "3f9a")).to.equal(DRILL_ID);
    const ids = new Set(Array.from({ length: 20 }, () => newDrillId(NOW)));
    expect(ids.size).to.be.greaterThan(15);
    for (const id of ids) {
      expect(id).to.match(/^drill-20261202T030000Z-[0-9a-f]{4}$/);
      expect(`${id}-r999`.length).to.be.at.most(MAX_DRILL_ID);
    }
    expect(() => newDrillId(NOW, () => "a b/")).to.throw("not a drill id");
  });
});

describe("npm run drill: following the drill", () => {
  it("prints Pick's sample, each restore's steps as r<n>, its RTO and RPO, cleanup, then the passed report; exit 0", async () => {
    const { fake, console, deps, sleeps } = setup(passedDrill());
    fake.sfn.pageCap = 3;
    expect(await main(["--stack", "prod"], deps)).to.equal(0);
    expect(console.out.slice(3)).to.deep.equal([
      "  +0:15    Pick",
      `  +0:30    picked 2 restores in ${DR} (seed ${DRILL_ID})`,
      "  +0:30      r1 gold ec2 i-0123456789abcdef0 at snap-0aaa (taken 2026-12-01T21:00:00.000Z)",
      "  +0:30      r2 gold rds orders-db at bdr-orders-db-20261202t0000z (taken 2026-12-02T00:00:00.000Z)",
      `  +0:30      not sampled: silver ec2: no completed point in ${DR} taken by the drill's start`,
      "  +0:30    Restores",
      "  +0:30    2 restores",
      "  +0:45    r1 Start (gold ec2 i-0123456789abcdef0)",
      "  +0:45    r1 point snap-0aaa (ec2 copy taken 2026-12-01T21:00:00.000Z, daily) -> drill-i-0123456789abcdef0-1, mode volumes",
      "  +0:45    r1 phase volumes: pending",
      "  +1:00    r2 Start (gold rds orders-db)",
      "  +1:00    r2 point bdr-orders-db-20261202t0000z (rds copy taken 2026-12-02T00:00:00.000Z, daily) -> drill-orders-db-2",
      "  +1:00    r2 phase db-instance: pending",
      "  +1:15    r1 RestoreWait 30 s",
      "  +1:15    r1 Poll 1",
      "  +1:15    r1 phase volumes: available (vol-01,vol-02)",
      "  +1:30    r2 RestoreWait 30 s",
      "  +1:30    r2 Poll 1",
      "  +1:45    r1 Validate",
      "  +1:45    r1 validation passed (1 check)",
      "  +1:45    r1 Measure",
      "  +1:45    r1 passed: RTO 1:35 (target 4:00:00), RPO 6:00:00 (target 9:00:00)",
      "  +2:00    r2 RestoreWait 30 s",
      "  +2:00    r2 Poll 2",
      "  +2:00    r2 phase db-instance: available (drill-orders-db-2.abc.us-west-2.rds.amazonaws.com:5432)",
      "  +2:15    r2 Validate",
      "  +2:15    r2 validation passed (1 check)",
      "  +2:15    r2 Measure",
      "  +2:15    r2 passed: RTO 3:10 (target 4:00:00), RPO 3:00:00 (target 9:00:00)",
      "  +2:30    Keep 600 s",
      "  +2:45    Cleanup",
      "  +2:45    cleanup: pending (0 deleted, 1 remaining)",
      "  +3:00    CleanupWait 30 s",
      "  +3:00    Cleanup",
      "  +3:15    cleanup: done (2 deleted, 0 remaining)",
      "  +3:15    Report",
      "  +3:15    report: passed",
      `Drill ${DRILL_ID} passed in ${DR} (started 2026-12-02T03:00:00.000Z, finished 2026-12-02T03:20:00.000Z)`,
      "  RESTORE  PLAN  KIND  SOURCE               POINT                         RTO / TARGET    RPO / TARGET       OUTCOME",
      "  r1       gold  ec2   i-0123456789abcdef0  snap-0aaa                     1:35 / 4:00:00  6:00:00 / 9:00:00  passed",
      "  r2       gold  rds   orders-db            bdr-orders-db-20261202t0000z  3:10 / 4:00:00  3:00:00 / 9:00:00  passed",
      `  not sampled: silver ec2: no completed point in ${DR} taken by the drill's start`,
      "  cleanup: done (2 deleted, 0 remaining)",
      `  manifest: ${MANIFEST}`,
      `Console: ${consoleUrl(DRILL_ARN)}`,
    ]);
    // One DescribeExecution per scripted step and the end, a wait between; the history read newest first, never
    // further back than the last event printed (3 events a page).
    const describes = fake.handled("DescribeExecution").length;
    expect(describes).to.equal(passedDrill().steps.length + 1);
    expect(sleeps).to.deep.equal(Array<number>(describes - 1).fill(deps.intervalMs));
    const histories = fake.handled("GetExecutionHistory");
    expect(histories.every((c) => c.params.get("reverseOrder") === "true")).to.equal(true);
    expect(histories.length).to.be.at.most(describes * 4);
    expect(new Set(fake.calls.map((c) => c.region))).to.deep.equal(new Set([DR]));
    // The operator permissions the README names for npm run drill, and nothing else.
    expect(new Set(fake.calls.map((c) => `states:${c.action}`))).to.deep.equal(new Set(["states:StartExecution", "states:DescribeExecution", "states:GetExecutionHistory"]));
  });

  it("a failed drill: the restore's error under its label, missed and failed outcomes, cleanup incomplete, DrillFailed; exit 1", async () => {
    const { console, deps } = setup(failedDrill());
    expect(await main(["--stack", "prod"], deps)).to.equal(1);
    const out = console.out.slice(3);
    expect(out.filter((l) => / r[12] (Poll|Measure|passed|missed|failed)|TaskFailed/.test(l))).to.deep.equal([
      "  +1:15    r1 Poll 1",
      "  +1:30    r2 Poll 1",
      `  +1:30    r2 Poll TaskFailed: ${POLL_ERROR.name}: ${POLL_ERROR.message}`,
      "  +1:45    r1 Measure",
      "  +1:45    r1 missed-target (rto): RTO 5:00:00 (target 4:00:00), RPO 6:00:00 (target 9:00:00)",
      "  +2:00    r2 Measure",
      `  +2:00    r2 failed: RTO not validated (target 4:00:00), RPO 3:00:00 (target 9:00:00) - ${POLL_ERROR.name}: ${POLL_ERROR.message}`,
    ]);
    expect(out.slice(out.findIndex((l) => l.startsWith("Drill ")))).to.deep.equal([
      `Drill ${DRILL_ID} failed in ${DR} (started 2026-12-02T03:00:00.000Z, finished 2026-12-02T08:10:00.000Z)`,
      "  RESTORE  PLAN  KIND  SOURCE               POINT                         RTO / TARGET       RPO / TARGET       OUTCOME",
      "  r1       gold  ec2   i-0123456789abcdef0  snap-0aaa                     5:00:00 / 4:00:00  6:00:00 / 9:00:00  missed-target (rto)",
      "  r2       gold  rds   orders-db            bdr-orders-db-20261202t0000z  - / 4:00:00        3:00:00 / 9:00:00  failed",
      `  r2: ${POLL_ERROR.name}: ${POLL_ERROR.message}`,
      `  not sampled: silver ec2: no completed point in ${DR} taken by the drill's start`,
      "  cleanup: incomplete (1 deleted, 1 remaining)",
      "    remaining: db-instance drill-orders-db-2 (r2)",
      `  manifest: ${MANIFEST}`,
      `Execution FAILED: DrillFailed: ${DRILL_FAIL_CAUSE}`,
      `Console: ${consoleUrl(DRILL_ARN)}`,
    ]);
  });

  it("a plan the function does not drill: Pick's named error, no restores, the report's failure; exit 1", async () => {
    const { fake, console, deps } = setup(unknownPlanDrill());
    expect(await main(["--stack", "prod", "--plan", "bronze"], deps)).to.equal(1);
    expect(JSON.parse(fake.sfn.started()[0].input)).to.deep.equal({ plan: "bronze" });
    expect(console.out.slice(3)).to.deep.equal([
      "  +0:10    Pick",
      `  +0:10    Pick TaskFailed: ${UNKNOWN_PLAN.name}: ${UNKNOWN_PLAN.message}`,
      "  +0:20    Report",
      "  +0:20    report: failed",
      `  +0:20    ExecutionFailed: DrillFailed: ${DRILL_FAIL_CAUSE}`,
      `Drill ${DRILL_ID} failed in ${DR} (started 2026-12-02T03:00:00.000Z, finished 2026-12-02T03:00:30.000Z)`,
      "  no restores",
      "  cleanup: none reported",
      `  failure: ${UNKNOWN_PLAN.name}: ${UNKNOWN_PLAN.message}`,
      `  manifest: ${MANIFEST}`,
      `Execution FAILED: DrillFailed: ${DRILL_FAIL_CAUSE}`,
      `Console: ${consoleUrl(DRILL_ARN)}`,
    ]);
  });

  it("--follow picks up a drill in its own region from its first event, after --detach", async () => {
    const { fake, console, deps } = setup(passedDrill());
    expect(await main(["--stack", "prod", "--detach"], deps)).to.equal(0);
    const followed = recordingConsole();
    expect(await main(["--follow", DRILL_ARN], { ...deps, ...followed.write, clientsOf: (region) => deps.clientsOf(region), outputs: () => { throw new Error("--follow reads no outputs"); } })).to.equal(0);
    expect(followed.out[0]).to.equal("  +0:15    Pick");
    expect(followed.out.filter((l) => l.endsWith("r2 Poll 2"))).to.have.length(1);
    expect(followed.out.at(-2)).to.equal(`  manifest: ${MANIFEST}`);
    expect(new Set(fake.calls.map((c) => c.region))).to.deep.equal(new Set([DR]));
    expect(console.err).to.deep.equal([]);
  });

  it("an execution that cannot be read says the drill goes on and how to follow it again; exit 1", async () => {
    const { console, deps } = setup();
    const arn = `arn:aws:states:${PRIMARY}:123456789012:execution:drill-prod:nope`;
    expect(await main(["--follow", arn], deps)).to.equal(1);
    expect(console.err).to.deep.equal([
      `could not follow ${arn}: ExecutionDoesNotExist: Execution Does Not Exist: '${arn}'`,
      `The drill itself goes on (and deletes what it restored): follow again with npm run drill -- --follow ${arn}`,
    ]);
  });

  it("a drill that timed out without a report exits 1 naming the end", async () => {
    const { console, deps } = setup({ steps: [], end: { status: "TIMED_OUT", error: "States.Timeout", cause: "" } });
    expect(await main(["--stack", "prod"], deps)).to.equal(1);
    expect(console.out.slice(3, -1)).to.deep.equal(["Execution TIMED_OUT: States.Timeout"]);
  });

  it("a drill that succeeded without a drill report is not a pass: exit 1", async () => {
    const { console, deps } = setup({ steps: [], end: { status: "SUCCEEDED", output: JSON.stringify({ restoreId: "x", status: "succeeded", created: [] }) } });
    expect(await main(["--stack", "prod"], deps)).to.equal(1);
    expect(console.out.slice(3, -1)).to.deep.equal(["Execution SUCCEEDED but returned no drill report"]);
  });
});

describe("npm run drill: the Map's interleaved events", () => {
  const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
  const item = (n: number) => JSON.stringify({ sample: { drillId: DRILL_ID, restoreId: `${DRILL_ID}-r${n}`, plan: "gold", kind: "ec2", source: `i-0${n}` } });

  it("a failure is the restore's whose events it follows by previousEventId, not the one printed just before", () => {
    const events: HistoryEvent[] = [
      { id: 10, previousEventId: 9, type: "TaskStateEntered", timestamp: at(5), stateEnteredEventDetails: { name: "Start", input: item(1) } },
      { id: 11, previousEventId: 9, type: "TaskStateEntered", timestamp: at(5), stateEnteredEventDetails: { name: "Start", input: item(2) } },
      { id: 12, previousEventId: 10, type: "TaskScheduled", timestamp: at(6) },
      { id: 13, previousEventId: 11, type: "TaskScheduled", timestamp: at(6) },
      { id: 14, previousEventId: 12, type: "TaskFailed", timestamp: at(7), taskFailedEventDetails: { resourceType: "lambda", resource: "invoke", error: "RestoreNameTakenError", cause: '{"errorMessage":"name held"}' } },
      { id: 15, previousEventId: 14, type: "MapIterationFailed", timestamp: at(8), mapIterationFailedEventDetails: { name: "Restores", index: 0 } },
    ];
    const printer = new DrillProgressPrinter(NOW);
    expect(printer.lines(events.slice(0, 3))).to.deep.equal(["  +0:05    r1 Start (gold ec2 i-01)", "  +0:05    r2 Start (gold ec2 i-02)"]);
    // Later pages of the history: the printer remembers each event's restore across reads.
    expect(printer.lines(events.slice(3))).to.deep.equal(["  +0:07    r1 Start TaskFailed: RestoreNameTakenError: name held", "  +0:08    r1 MapIterationFailed"]);
  });
});

describe("drill outputs and flags", () => {
  const base = { primaryRegion: PRIMARY, drRegion: DR };

  it("reads drillStateMachineArn and drillRegion (a region, or a role read as its region); without them there is no drill", () => {
    expect(parseOutputs({ ...base, drillStateMachineArn: DRILL_MACHINE, drillRegion: DR }, "x").drill).to.deep.equal({ stateMachineArn: DRILL_MACHINE, region: DR });
    expect(parseOutputs({ ...base, drillStateMachineArn: DRILL_MACHINE, drillRegion: "dr" }, "x").drill).to.deep.equal({ stateMachineArn: DRILL_MACHINE, region: DR });
    expect(parseOutputs({ ...base, drillStateMachineArn: DRILL_MACHINE }, "x")).to.not.have.property("drill");
    expect(parseOutputs(base, "x")).to.not.have.property("drill");
  });

  it("refuses a drill machine outside the drill region (a start would go to the wrong region)", () => {
    expect(() => parseOutputs({ ...base, drillStateMachineArn: DRILL_MACHINE, drillRegion: PRIMARY }, "the outputs of stack prod")).to.throw(
      `the outputs of stack prod: drillStateMachineArn ${DRILL_MACHINE} is not in drillRegion ${PRIMARY}`,
    );
  });

  it("an optional-value flag is a switch alone and takes a value when one follows", () => {
    const spec = { "--follow": "optional", "--detach": "switch" } as const;
    expect(parseFlags(["--follow", "--detach"], spec)).to.deep.equal({ values: new Map(), switches: new Set(["--follow", "--detach"]), problems: [] });
    expect(parseFlags(["--follow", "arn"], spec).values).to.deep.equal(new Map([["--follow", "arn"]]));
    expect(parseFlags(["--follow=arn"], spec).values).to.deep.equal(new Map([["--follow", "arn"]]));
    expect(parseFlags(["--follow="], spec).problems).to.deep.equal(["--follow: expected a value"]);
  });
});
