// `npm run recovery-points`: every recovery point of a source in both regions (or one), newest first, through the
// kinds' listings in each region; a region that fails is named and never hides the other's points; bad usage is
// refused with every problem at once before any AWS call.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { RecoveryPoint } from "../../handlers/restore/contract";
import { main, type PointsDeps } from "../../tools/restore/recovery-points-cli";
import { parseOutputs, readOutputs, type RunCommand } from "../../tools/lib/stack-outputs";
import { stackTag } from "../../tools/restore/stack-tag";
import { FakeAws } from "../helpers/aws-fake";
import { AwsFault } from "../helpers/aws-wire";
import { DR, INSTANCE, OUTPUTS, PRIMARY, recordingConsole, stubKinds, toolClients, type Console } from "../helpers/restore-tools";

const point = (overrides: Partial<RecoveryPoint>): RecoveryPoint => ({
  kind: "ec2",
  region: PRIMARY,
  source: INSTANCE,
  id: "snap-01",
  snapshotIds: ["snap-01"],
  origin: "backup",
  completed: true,
  plan: "gold",
  tier: "daily",
  stack: "backup-dr/prod",
  ...overrides,
});

const POINTS: RecoveryPoint[] = [
  point({ id: "snap-0a1", snapshotIds: ["snap-0a1", "snap-0a2"], taken: "2026-12-01T06:00:00.000Z", expires: "2026-12-15T06:00:00.000Z" }),
  point({ id: "snap-0b1", snapshotIds: ["snap-0b1"], taken: "2026-12-02T00:00:00.000Z", tier: "hourly", completed: false }),
  point({ id: "snap-0c1", region: DR, origin: "copy", copyOf: ["snap-0a1", "snap-0a2"], taken: "2026-12-01T06:00:00.000Z", expires: "2026-12-08T06:00:00.000Z" }),
  point({ id: "snap-0d1", region: DR, origin: "copy", copyOf: ["snap-0b1"], completed: false, taken: "2026-11-30T06:00:00.000Z", notRestorable: "set short: 1 of 2 snapshots" }),
  point({ id: "snap-0f1", snapshotIds: ["snap-0f1"], taken: "2026-11-29T06:00:00.000Z", tier: "daily" }),
  point({ id: "snap-0e1", source: "i-0fffffffffffffff0", taken: "2026-12-01T07:00:00.000Z" }),
];

function setup(): { fake: FakeAws; console: Console; deps: PointsDeps; kinds: ReturnType<typeof stubKinds>; outputsRead: string[] } {
  const fake = new FakeAws();
  const console = recordingConsole();
  const kinds = stubKinds(POINTS);
  const outputsRead: string[] = [];
  const deps: PointsDeps = {
    kinds,
    clientsOf: toolClients(fake),
    outputs: (stack, file) => {
      outputsRead.push(`${stack} ${file ?? ""}`);
      return OUTPUTS;
    },
    stackTag: (stack) => `backup-dr/${stack}`,
    ...console.write,
  };
  return { fake, console, deps, kinds, outputsRead };
}

describe("npm run recovery-points", () => {
  it("lists the source's points of both regions, newest first, with tier, plan, expiry, origin, DR copy state and why one is not restorable", async () => {
    const { console, deps, kinds } = setup();
    const code = await main(["--stack", "prod", "--source", INSTANCE], deps);
    expect(code).to.equal(0);
    expect(console.err).to.deep.equal([]);
    const [heading, columns, ...rows] = console.out;
    expect(heading).to.equal(`Recovery points of ${INSTANCE} (stack backup-dr/prod; primary ${PRIMARY}, dr ${DR}), newest first:`);
    expect(columns.split(/\s{2,}/)).to.deep.equal(["TAKEN", "KIND", "REGION", "ORIGIN", "DR COPY", "TIER", "PLAN", "EXPIRES", "COMPLETED", "POINT", "RESTORABLE"]);
    // DR COPY: snap-0a1's set is copied whole (one completed copy of both its snapshots), snap-0b1's copy is not
    // complete yet, snap-0f1 has none in the DR region; a copy itself shows "-".
    expect(rows.map((r) => r.split(/\s{2,}/))).to.deep.equal([
      ["2026-12-02T00:00:00.000Z", "ec2", `primary ${PRIMARY}`, "backup", "copying", "hourly", "gold", "-", "no", "snap-0b1", "no: not completed yet"],
      ["2026-12-01T06:00:00.000Z", "ec2", `dr ${DR}`, "copy", "-", "daily", "gold", "2026-12-08T06:00:00.000Z", "yes", "snap-0c1", "yes"],
      ["2026-12-01T06:00:00.000Z", "ec2", `primary ${PRIMARY}`, "backup", "copied", "daily", "gold", "2026-12-15T06:00:00.000Z", "yes", "snap-0a1 (+1 more)", "yes"],
      ["2026-11-30T06:00:00.000Z", "ec2", `dr ${DR}`, "copy", "-", "daily", "gold", "-", "no", "snap-0d1", "no: set short: 1 of 2 snapshots"],
      ["2026-11-29T06:00:00.000Z", "ec2", `primary ${PRIMARY}`, "backup", "not copied", "daily", "gold", "-", "yes", "snap-0f1", "yes"],
    ]);
    // Every kind whose sources may look like this id (an instance id is a valid DB identifier too) was asked once per
    // region with the stack tag.
    for (const kind of kinds) expect(kind.listed.sort(), kind.name).to.deep.equal([`${PRIMARY} backup-dr/prod ${INSTANCE}`, `${DR} backup-dr/prod ${INSTANCE}`]);
  });

  it("--json prints the points and failures as data", async () => {
    const { console, deps } = setup();
    expect(await main(["--stack", "prod", "--source", INSTANCE, "--json", "--region", "dr"], deps)).to.equal(0);
    const doc = JSON.parse(console.out.join("\n")) as { stack: string; source: string; points: Array<{ id: string; regionRole: string; restorable: boolean; whyNot?: string }>; failures: unknown[] };
    expect(doc.stack).to.equal("backup-dr/prod");
    expect(doc.points.map((p) => [p.id, p.regionRole, p.restorable, p.whyNot])).to.deep.equal([
      ["snap-0c1", "dr", true, undefined],
      ["snap-0d1", "dr", false, "set short: 1 of 2 snapshots"],
    ]);
    expect(doc.failures).to.deep.equal([]);
  });

  it("--region reads only that region", async () => {
    const { fake, console, deps } = setup();
    expect(await main(["--stack", "prod", "--source", INSTANCE, "--region", "primary"], deps)).to.equal(0);
    expect(new Set(fake.calls.map((c) => c.region))).to.deep.equal(new Set([PRIMARY]));
    // Without the DR region, whether a backup was copied is not known.
    expect(new Set(console.out.slice(2).map((r) => r.split(/\s{2,}/)[4]))).to.deep.equal(new Set(["not read"]));
  });

  it("a region that is down is named with its error; the other region's points are still listed; exit 1", async () => {
    const { fake, console, deps } = setup();
    fake.permanent = (call) => (call.region === DR ? new AwsFault("UnauthorizedOperation", 403, "You are not authorized to perform this operation.") : undefined);
    const code = await main(["--stack", "prod", "--source", INSTANCE], deps);
    expect(code).to.equal(1);
    expect(console.err).to.deep.equal([`region dr (${DR}) could not be read: UnauthorizedOperation: You are not authorized to perform this operation.`]);
    // The DR region did not answer: a backup's copy state is "not read", never "not copied".
    expect(console.out.slice(2).map((r) => [r.split(/\s{2,}/)[9], r.split(/\s{2,}/)[4]])).to.deep.equal([
      ["snap-0b1", "not read"],
      ["snap-0a1 (+1 more)", "not read"],
      ["snap-0f1", "not read"],
    ]);
  });

  it("both regions down: no points, both named, exit 1", async () => {
    const { fake, console, deps } = setup();
    fake.permanent = () => new AwsFault("UnauthorizedOperation", 403, "denied");
    expect(await main(["--stack", "prod", "--source", INSTANCE], deps)).to.equal(1);
    expect(console.out[1]).to.equal("(no recovery points in the regions that answered)");
    expect(console.err).to.have.length(2);
  });

  it("--kind restricts the listing to that kind; a DB identifier is asked of both database kinds only", async () => {
    const { deps, kinds } = setup();
    expect(await main(["--stack", "prod", "--source", "orders-db"], deps)).to.equal(0);
    expect(kinds.map((k) => k.listed.length)).to.deep.equal([0, 2, 2]);
    const again = setup();
    expect(await main(["--stack", "prod", "--source", "orders-db", "--kind", "aurora"], again.deps)).to.equal(0);
    expect(again.kinds.map((k) => k.listed.length)).to.deep.equal([0, 0, 2]);
  });

  it("refuses bad usage with every problem at once, before reading outputs or calling AWS (exit 2)", async () => {
    const { fake, console, deps, outputsRead } = setup();
    const code = await main(["--source", "i-0123", "--kind", "ec2", "--region", "eu", "--kind", "ec2", "--verbose", "--json=yes"], deps);
    expect(code).to.equal(2);
    expect(console.err).to.deep.equal([
      '--kind: given more than once',
      'unknown argument "--verbose"',
      "--json: takes no value",
      "--stack: required (the Pulumi stack, e.g. prod)",
      '--region: expected primary or dr, got "eu"',
      console.err[5],
    ]);
    expect(console.err[5]).to.match(/^usage: npm run recovery-points/);
    expect(fake.calls).to.deep.equal([]);
    expect(outputsRead).to.deep.equal([]);
  });

  it("refuses a source no kind can own, and a source that is not the asked kind's", async () => {
    const { console, deps } = setup();
    expect(await main(["--stack", "prod", "--source", "snap-0123", "--kind", "ec2"], deps)).to.equal(2);
    expect(console.err[0]).to.equal('--source: "snap-0123" cannot name a source of kind ec2 (EC2: an instance id i-...; RDS and Aurora: a DB identifier, a letter then letters, digits and hyphens)');
    const none = setup();
    expect(await main(["--stack", "prod", "--source", "0-bad"], none.deps)).to.equal(2);
    expect(none.console.err[0]).to.match(/^--source: "0-bad" cannot name a source of no resource kind/);
  });

  it("says so when this version restores no kind at all", async () => {
    const { console, deps } = setup();
    expect(await main(["--stack", "prod", "--source", INSTANCE], { ...deps, kinds: [] })).to.equal(2);
    expect(console.err[0]).to.equal("no resource kind can be restored by this version");
  });

  it("unreadable stack outputs exit 2 with the reason", async () => {
    const { console, deps } = setup();
    const code = await main(["--stack", "prod", "--source", INSTANCE], { ...deps, outputs: () => readOutputs("prod", "/nonexistent/outputs.json") });
    expect(code).to.equal(2);
    expect(console.err[0]).to.match(/^--outputs \/nonexistent\/outputs.json: cannot read it \(ENOENT/);
  });
});

describe("the stack's outputs and tag", () => {
  it("reads `pulumi stack output --json --stack <stack>` in the project folder", () => {
    const ran: string[] = [];
    const run: RunCommand = (command, args, cwd) => {
      ran.push(`${cwd === path.resolve(__dirname, "..", "..") ? "<project>" : cwd}: ${command} ${args.join(" ")}`);
      return JSON.stringify({ primaryRegion: PRIMARY, drRegion: DR, restoreStateMachineArns: OUTPUTS.restoreStateMachineArns, topicArn: "x" });
    };
    expect(readOutputs("prod", undefined, run)).to.deep.equal(OUTPUTS);
    expect(ran).to.deep.equal(["<project>: pulumi stack output --json --stack prod"]);
  });

  it("without the Pulumi CLI, says to pass --outputs", () => {
    const run: RunCommand = () => {
      throw Object.assign(new Error("spawnSync pulumi ENOENT"), { code: "ENOENT" });
    };
    expect(() => readOutputs("prod", undefined, run)).to.throw(/failed: the pulumi CLI is not on PATH\nPass --outputs <file.json> instead: a saved `pulumi stack output --json --stack prod`/);
  });

  it("a CLI failure carries its stderr", () => {
    const run: RunCommand = () => {
      throw Object.assign(new Error("Command failed"), { status: 255, stderr: "error: no stack named 'prdo' found\n" });
    };
    expect(() => readOutputs("prdo", undefined, run)).to.throw(/failed: error: no stack named 'prdo' found\n/);
  });

  it("reads a saved outputs file; names missing outputs; a stack without restore machines has none", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "backup-dr-outputs-"));
    const file = path.join(dir, "prod.json");
    fs.writeFileSync(file, JSON.stringify({ primaryRegion: PRIMARY, drRegion: DR }));
    expect(readOutputs("prod", file)).to.deep.equal({ regions: { primary: PRIMARY, dr: DR } });
    fs.writeFileSync(file, "not json");
    expect(() => readOutputs("prod", file)).to.throw(`--outputs ${file}: not JSON`);
    expect(() => parseOutputs({ drRegion: DR }, "x")).to.throw("x: missing output primaryRegion (is this a backup-dr stack's output?)");
    expect(() => parseOutputs([], "x")).to.throw("x: missing output primaryRegion, drRegion");
  });

  it("the stack tag is <Pulumi.yaml name>/<stack>", () => {
    expect(stackTag("prod")).to.equal("backup-dr/prod");
    expect(stackTag("acme/backup-dr/dev")).to.equal("backup-dr/dev");
  });
});
