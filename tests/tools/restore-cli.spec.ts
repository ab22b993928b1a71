// `npm run restore`: the request built from the flags, StartExecution on the region's state machine under a readable
// restore id, following the execution's history (only new events, paged) to the report, --detach and --follow, and
// every usage problem reported at once before any AWS call.
import { expect } from "chai";
import type { RestoreRequest } from "../../handlers/restore/contract";
import { consoleUrl, parseExecutionArn } from "../../tools/lib/execution-arn";
import { parseFlags } from "../../tools/lib/flags";
import { elapsed } from "../../tools/lib/progress";
import { RESTORE_ID_RULE, parseRestoreEvent, parseRestoreRequest } from "../../handlers/restore/event";
import { NAME_RULE } from "../../handlers/restore/naming";
import { RESTORE_USAGE } from "../../tools/restore/restore-args";
import { main, type RestoreDeps } from "../../tools/restore/restore-cli";
import { newRestoreId, RESTORE_ID } from "../../tools/restore/restore-id";
import { FakeAws } from "../helpers/aws-fake";
import type { ExecutionScript } from "../helpers/aws-fake-sfn";
import { FAIL_CAUSE, failingScript, sampleReport, succeedingScript } from "../helpers/restore-history";
import { DR, INSTANCE, MACHINES, NOW, OUTPUTS, PRIMARY, recordingConsole, recordingDeps, stubKinds, type Console } from "../helpers/restore-tools";

const RESTORE_ID_OF = (source: string) => `3f9a1c2e-${source}-20261202T030000Z`;

function setup(script?: ExecutionScript): { fake: FakeAws; console: Console; deps: RestoreDeps; sleeps: number[]; outputsRead: string[] } {
  const fake = new FakeAws();
  fake.sfn.addMachine(MACHINES.primary, script);
  fake.sfn.addMachine(MACHINES.dr, script);
  const { deps, ...recorded } = recordingDeps(fake, OUTPUTS, "3f9a1c2e");
  return { fake, deps: { ...deps, kinds: stubKinds() }, ...recorded };
}

/** The problem lines before the usage text. */
const problemsOf = (lines: readonly string[]) => lines.slice(0, lines.findIndex((l) => l.startsWith("usage:")));

const START = ["--stack", "prod", "--source", INSTANCE, "--region", "dr", "--point", "latest"];

describe("npm run restore: the request", () => {
  it("starts the region's state machine with the request built from the flags, named by a readable restore id", async () => {
    const { fake, console, deps } = setup();
    const argv = [...START, "--mode", "instance", "--instance-type", "m7g.large", "--keep-image", "--name", "web-restored", "--machine-architecture", "arm64", "--machine-root-device", "/dev/xvda", "--detach"];
    expect(await main(argv, deps)).to.equal(0);
    const started = fake.sfn.started();
    expect(started.map((s) => [s.machineArn, s.name])).to.deep.equal([[MACHINES.dr, RESTORE_ID_OF(INSTANCE)]]);
    const request: RestoreRequest = { source: INSTANCE, point: "latest", mode: "instance", name: "web-restored", instanceType: "m7g.large", keepImage: true, machine: { architecture: "arm64", rootDevice: "/dev/xvda" } };
    expect(JSON.parse(started[0].input)).to.deep.equal(request);
    expect(parseRestoreRequest(JSON.parse(started[0].input)), "the function takes it as it is").to.deep.equal(request);
    expect(fake.calls.map((c) => `${c.service} ${c.region} ${c.action}`)).to.deep.equal([`states ${DR} StartExecution`]);
    expect(console.err).to.deep.equal([]);
  });

  it("a database restore: the class, kind, a point in time sent as UTC, database facts", async () => {
    const { fake, deps } = setup();
    const argv = ["--stack", "prod", "--source", "orders-db", "--kind", "aurora", "--region", "primary", "--point", "2026-12-01T08:30:00+02:00", "--instance-class", "db.r6g.large", "--database-engine", "aurora-postgresql", "--database-port", "5432", "--detach"];
    expect(await main(argv, deps)).to.equal(0);
    const [started] = fake.sfn.started();
    expect(started.machineArn).to.equal(MACHINES.primary);
    const request = { source: "orders-db", kind: "aurora", point: "2026-12-01T06:30:00.000Z", instanceClass: "db.r6g.large", database: { engine: "aurora-postgresql", port: 5432 } };
    expect(JSON.parse(started.input)).to.deep.equal(request);
    expect(parseRestoreRequest(JSON.parse(started.input)), "the function takes it as it is").to.deep.equal(request);
  });

  it("an explicit point id or ARN is passed as given", async () => {
    const { fake, deps } = setup();
    const arn = `arn:aws:rds:${DR}:123456789012:snapshot:bdr-orders-db-20261201t0600z`;
    expect(await main(["--stack", "prod", "--source", "orders-db", "--region", "dr", "--point", arn, "--detach"], deps)).to.equal(0);
    expect((JSON.parse(fake.sfn.started()[0].input) as RestoreRequest).point).to.equal(arn);
  });

  it("--detach prints the execution, how to follow it and the console URL, and reads no progress", async () => {
    const { fake, console, deps } = setup();
    expect(await main([...START, "--detach"], deps)).to.equal(0);
    const arn = `arn:aws:states:${DR}:123456789012:execution:restore-prod-dr:${RESTORE_ID_OF(INSTANCE)}`;
    expect(console.out).to.deep.equal([
      `Restoring ${INSTANCE} from latest in dr (${DR}); restore id ${RESTORE_ID_OF(INSTANCE)}`,
      `Request: {"source":"${INSTANCE}","point":"latest"}`,
      `Execution: ${arn}`,
      `Follow it: npm run restore -- --follow ${arn}`,
      `Console:   https://${DR}.console.aws.amazon.com/states/home?region=${DR}#/v2/executions/details/${arn}`,
    ]);
    expect(fake.calls.map((c) => c.action)).to.deep.equal(["StartExecution"]);
  });

  it("--restore-id reruns the same restore (same execution); with another request it is refused, exit 1", async () => {
    const { fake, console, deps } = setup();
    const argv = [...START, "--restore-id", "drill-2026-12-02", "--detach"];
    expect(await main(argv, deps)).to.equal(0);
    expect(await main(argv, deps)).to.equal(0);
    expect(fake.sfn.started()).to.have.length(1);
    expect(await main([...argv, "--zone", "us-west-2b"], deps)).to.equal(1);
    expect(console.err).to.deep.equal(["could not start the restore: RestoreIdTakenError: restore id drill-2026-12-02 was already used with another request (or has ended): choose another --restore-id, or follow that execution with --follow"]);
  });

  it("a stack deployed before restore existed, and a zone of another region, exit 2 before any AWS call", async () => {
    const { fake, console, deps } = setup();
    expect(await main(START, { ...deps, outputs: () => ({ regions: OUTPUTS.regions }) })).to.equal(2);
    expect(console.err[0]).to.equal("the stack has no output restoreStateMachineArns: deploy this version of the program (pulumi up) first");
    expect(await main([...START, "--zone", "us-east-1a"], deps)).to.equal(2);
    expect(console.err[1]).to.equal(`--zone: us-east-1a is not a zone of the dr region ${DR}`);
    expect(fake.calls).to.deep.equal([]);
  });

  it("a StartExecution AWS refuses is reported, exit 1", async () => {
    const { fake, console, deps } = setup();
    expect(await main(START, { ...deps, outputs: () => ({ ...OUTPUTS, restoreStateMachineArns: { ...MACHINES, dr: `${MACHINES.dr}-gone` } }) })).to.equal(1);
    expect(console.err[0]).to.match(/^could not start the restore: StateMachineDoesNotExist: State Machine Does Not Exist/);
    expect(fake.calls.map((c) => c.action)).to.deep.equal(["StartExecution"]);
  });
});

describe("npm run restore: arguments", () => {
  it("reports every problem at once, before reading the outputs or calling AWS (exit 2)", async () => {
    const { fake, console, deps, outputsRead } = setup();
    const argv = ["--source", "orders-db", "--kind", "rds", "--region", "eu", "--point", "2026-12-01T06:00:00", "--mode", "instance", "--zone", "us-west-2a", "--name", "Bad--Name", "--instance-type", "huge", "--machine-boot-mode", "bios", "--database-port", "80", "--restore-id", "has spaces", "--wait"];
    expect(await main(argv, deps)).to.equal(2);
    expect(problemsOf(console.err)).to.deep.equal([
      'unknown argument "--wait"',
      "--stack: required (the Pulumi stack, e.g. prod)",
      '--region: expected primary or dr, got "eu"',
      '--point: expected an ISO-8601 instant with Z or an offset, got "2026-12-01T06:00:00"',
      "--mode: only for an EC2 source",
      "--zone: only for an EC2 source restored as volumes",
      '--instance-type: expected an EC2 instance type such as m7g.large, got "huge"',
      `--name: expected ${NAME_RULE}, got "Bad--Name"`,
      `--restore-id: expected ${RESTORE_ID_RULE}, got "has spaces"`,
      '--machine-boot-mode: expected one of legacy-bios, uefi, uefi-preferred, got "bios"',
      '--database-port: expected a port from 1150 to 65535, got "80"',
    ]);
    expect(console.err.slice(problemsOf(console.err).length).join("\n")).to.equal(RESTORE_USAGE);
    expect(fake.calls).to.deep.equal([]);
    expect(outputsRead).to.deep.equal([]);
  });

  it("requires the stack, source, region and point; options only where they apply", async () => {
    const { console, deps } = setup();
    expect(await main(["--keep-image", "--instance-class", "db.t4g.micro", "--source", INSTANCE, "--kind", "ec2"], deps)).to.equal(2);
    expect(problemsOf(console.err)).to.deep.equal([
      "--stack: required (the Pulumi stack, e.g. prod)",
      "--region: required (primary or dr: the region to restore into)",
      "--point: required (latest, an ISO instant such as 2026-12-01T06:00:00Z, or a snapshot id or ARN)",
      "--keep-image: only with --mode instance",
      "--instance-class: only for an RDS or Aurora source",
    ]);
  });

  it("an explicit point must be one the source's kinds can own", async () => {
    const { console, deps } = setup();
    expect(await main([...START.slice(0, -1), "bdr-orders-db-20261201", "--kind", "ec2"], deps)).to.equal(2);
    expect(console.err[0]).to.equal('--point: "bdr-orders-db-20261201" is not latest, an ISO instant, or a recovery point id or ARN of ec2');
  });

  it("--follow takes a Step Functions execution ARN and no other flag", async () => {
    const { console, deps } = setup();
    expect(await main(["--follow", "arn:aws:states:us-west-2:123:execution:x:y", "--stack", "prod"], deps)).to.equal(2);
    expect(console.err.slice(0, 2)).to.deep.equal([
      "--follow: takes no other flag (got --stack)",
      '--follow: expected a Step Functions execution ARN (arn:aws:states:<region>:<account>:execution:<machine>:<name>), got "arn:aws:states:us-west-2:123:execution:x:y"',
    ]);
  });
});

describe("npm run restore: following the execution", () => {
  it("prints each step entered with the time since the start, what it decided, then the report; exit 0", async () => {
    const request: RestoreRequest = { source: INSTANCE, point: "latest" };
    const { fake, console, deps, sleeps } = setup(succeedingScript(request, 2));
    fake.sfn.pageCap = 2;
    expect(await main(START, deps)).to.equal(0);
    const arn = `arn:aws:states:${DR}:123456789012:execution:restore-prod-dr:${RESTORE_ID_OF(INSTANCE)}`;
    expect(console.out.slice(3)).to.deep.equal([
      "  +0:15    Start",
      "  +0:30    point snap-0aaa (ec2 copy taken 2026-12-01T06:00:00.000Z, daily) -> restored-i-0123456789abcdef0-3f9a1c2e, mode volumes",
      "  +0:30    phase volumes: pending",
      "  +0:45    Wait 30 s",
      "  +0:45    Poll 1",
      "  +1:15    Wait 30 s",
      "  +1:15    Poll 2",
      "  +1:30    phase volumes: available (vol-01,vol-02)",
      "  +1:45    Validate",
      "  +1:45    validation passed (2 checks)",
      "  +2:00    Report",
      "  +2:00    report: succeeded",
      `Restore ${RESTORE_ID_OF(INSTANCE)} succeeded in ${DR} (ec2 ${INSTANCE} from snap-0aaa)`,
      "  endpoint: vol-01,vol-02",
      "  available after: 1:35 (95 s)",
      "  created:",
      "    volume vol-01 (available)",
      "    volume vol-02 (available)",
      `  manifest: ${sampleReport().manifest}`,
      `Console: ${consoleUrl(arn)}`,
    ]);
    // One DescribeExecution per step and the end; waits between; history read newest first and never further back
    // than the last event printed (with 2 events a page, a full re-read would take 13 pages each time).
    const describes = fake.handled("DescribeExecution").length;
    expect(describes).to.equal(11);
    expect(sleeps).to.deep.equal(Array<number>(describes - 1).fill(5000));
    const histories = fake.handled("GetExecutionHistory");
    expect(histories.every((c) => c.params.get("reverseOrder") === "true")).to.equal(true);
    expect(histories.length).to.be.at.most(describes * 3);
  });

  it("a failed restore prints the error, the report's failure and the execution's end; exit 1", async () => {
    const request: RestoreRequest = { source: INSTANCE, point: "2026-01-01T00:00:00.000Z" };
    const error = { name: "NoRecoveryPointError", message: `No completed recovery point of ${INSTANCE} in ${DR} taken at or before 2026-01-01T00:00:00.000Z` };
    const { console, deps } = setup(failingScript(request, error));
    expect(await main([...START.slice(0, -1), "2026-01-01T00:00:00Z"], deps)).to.equal(1);
    expect(console.out.slice(3)).to.deep.equal([
      "  +0:10    Start",
      `  +0:20    TaskFailed: NoRecoveryPointError: ${error.message}`,
      "  +0:30    Report",
      "  +0:30    report: failed",
      `  +0:40    ExecutionFailed: RestoreFailed: ${FAIL_CAUSE}`,
      `Restore ${RESTORE_ID_OF(INSTANCE)} failed in ${DR} (ec2 ${INSTANCE} from snap-0aaa)`,
      "  created: nothing",
      `  failure: NoRecoveryPointError: ${error.message}`,
      `  manifest: ${sampleReport().manifest}`,
      `Execution FAILED: RestoreFailed: ${FAIL_CAUSE}`,
      `Console: ${consoleUrl(`arn:aws:states:${DR}:123456789012:execution:restore-prod-dr:${RESTORE_ID_OF(INSTANCE)}`)}`,
    ]);
  });

  it("--follow picks up an execution in its own region, from its first event", async () => {
    const request: RestoreRequest = { source: INSTANCE, point: "latest" };
    const { fake, console, deps } = setup(succeedingScript(request, 1));
    expect(await main([...START, "--detach"], deps)).to.equal(0);
    const arn = `arn:aws:states:${DR}:123456789012:execution:restore-prod-dr:${RESTORE_ID_OF(INSTANCE)}`;
    const followed = recordingConsole();
    expect(await main(["--follow", arn], { ...deps, ...followed.write })).to.equal(0);
    expect(followed.out[0]).to.equal("  +0:15    Start");
    expect(followed.out.filter((l) => l.endsWith("Poll 1"))).to.have.length(1);
    expect(new Set(fake.calls.map((c) => c.region))).to.deep.equal(new Set([DR]));
    expect(console.err).to.deep.equal([]);
  });

  it("an execution that cannot be read says the restore goes on and how to follow it again; exit 1", async () => {
    const { console, deps } = setup();
    const arn = `arn:aws:states:${PRIMARY}:123456789012:execution:restore-prod:nope`;
    expect(await main(["--follow", arn], deps)).to.equal(1);
    expect(console.err).to.deep.equal([
      `could not follow ${arn}: ExecutionDoesNotExist: Execution Does Not Exist: '${arn}'`,
      `The restore itself goes on: follow again with npm run restore -- --follow ${arn}`,
    ]);
  });

  it("a timed-out execution without a report exits 1 naming the end", async () => {
    const { console, deps } = setup({ steps: [], end: { status: "TIMED_OUT", error: "States.Timeout", cause: "" } });
    expect(await main(START, deps)).to.equal(1);
    expect(console.out.slice(3, -1)).to.deep.equal(["Execution TIMED_OUT: States.Timeout"]);
  });
});

describe("restore ids and execution ARNs", () => {
  it("a restore id starts with 8 random characters, names the source and the start, fits 80 characters", () => {
    expect(newRestoreId(INSTANCE, NOW, () => "3f9a1c2e")).to.equal(`3f9a1c2e-${INSTANCE}-20261202T030000Z`);
    const long = newRestoreId("a".repeat(100), NOW, () => "0123abcd");
    expect(long).to.have.length(80);
    expect(long).to.match(RESTORE_ID);
    expect(newRestoreId("x.y/z", NOW)).to.match(/^[0-9a-f]{8}-x-y-z-20261202T030000Z$/);
    // The restore function takes each as its restore id.
    for (const restoreId of [long, newRestoreId(INSTANCE, NOW)]) {
      expect(parseRestoreEvent({ step: "start", restoreId, startedAt: NOW.toISOString(), request: { source: INSTANCE, point: "latest" } })).to.have.property("restoreId", restoreId);
    }
  });

  it("reads an execution ARN and builds its console page per partition", () => {
    expect(parseExecutionArn("arn:aws:states:eu-west-1:123456789012:execution:m:n")).to.deep.equal({ partition: "aws", region: "eu-west-1", account: "123456789012", machine: "m", name: "n" });
    expect(parseExecutionArn("arn:aws:states:eu-west-1:123456789012:stateMachine:m")).to.equal(undefined);
    expect(consoleUrl("arn:aws-cn:states:cn-north-1:123456789012:execution:m:n")).to.equal("https://console.amazonaws.cn/states/home?region=cn-north-1#/v2/executions/details/arn:aws-cn:states:cn-north-1:123456789012:execution:m:n");
  });

  it("elapsed time is m:ss, then h:mm:ss", () => {
    expect([elapsed(0), elapsed(95), elapsed(3600), elapsed(3725.4)]).to.deep.equal(["0:00", "1:35", "1:00:00", "1:02:05"]);
  });
});

describe("operator command flags", () => {
  it("take `--flag value` and `--flag=value`; a value may not look like a flag", () => {
    const spec = { "--a": "value", "--b": "value", "--s": "switch" } as const;
    expect(parseFlags(["--a=x=y", "--b", "z", "--s"], spec)).to.deep.equal({ values: new Map([["--a", "x=y"], ["--b", "z"]]), switches: new Set(["--s"]), problems: [] });
    expect(parseFlags(["--a", "--b", "", "extra"], spec).problems).to.deep.equal(["--a: expected a value", "--b: expected a value", 'unknown argument "extra"']);
  });
});
