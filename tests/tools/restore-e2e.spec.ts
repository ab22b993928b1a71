// The operator commands over what really exists: recovery points made by the real backup and copy functions and read
// by the kinds' real points half; a restore run by the real state machine definition (in the test interpreter)
// invoking the real restore function with the kinds' real actions in the fake DR region, whose history the command
// follows through the fake Step Functions.
import { expect } from "chai";
import { DescribeVolumesCommand } from "@aws-sdk/client-ec2";
import type { ResourceKind } from "../../handlers/catalog";
import { ec2Restore } from "../../handlers/kinds/ec2-restore";
import { dbRestore } from "../../handlers/kinds/rds-restore";
import type { RestoreRequest } from "../../handlers/restore/contract";
import { runRestoreStep } from "../../handlers/restore/run";
import { restoreMachineDefinition, restoreMachineTimeoutSeconds } from "../../infra/restore-machine";
import { main as pointsMain } from "../../tools/restore/recovery-points-cli";
import { main as restoreMain, type RestoreDeps } from "../../tools/restore/restore-cli";
import { fakeClients } from "../helpers/aws-clients";
import { ACCOUNT_ID, FakeAws } from "../helpers/aws-fake";
import { VAULT_BUCKET } from "../helpers/backup-fleet";
import { fakeRestoreNetwork } from "../helpers/aws-fake-restore-state";
import { historyOf } from "../helpers/execution-history";
import { createCalls, DR, kindsWith, POINTS, PRIMARY, restoreDeps, RestoreFleet, restoreSettings, STACK_TAG } from "../helpers/restore-setup";
import { recordingConsole, toolClients } from "../helpers/restore-tools";
import { runStateMachine } from "../helpers/state-machine-run";

const KINDS: ResourceKind[] = ["ec2", "rds", "aurora"];
const POINT_KINDS = KINDS.map((name) => ({ name, ...POINTS[name] }));
const FUNCTION = `arn:aws:lambda:${DR}:${ACCOUNT_ID}:function:restore-dr`;
const MACHINE = `arn:aws:states:${DR}:${ACCOUNT_ID}:stateMachine:restore-dr`;
const OUTPUTS = { regions: { primary: PRIMARY, dr: DR }, restoreStateMachineArns: { primary: MACHINE.replace(DR, PRIMARY), dr: MACHINE } };
const NOW = new Date("2026-11-21T09:00:00.000Z");

/** The DR region's restore network as the fake knows it (subnets with zones, security groups, DB subnet group). */
function fakeNetwork(): { subnetIds: string[]; securityGroupIds: string[]; dbSubnetGroup: string } {
  const { subnetIds, securityGroupIds, dbSubnetGroup } = fakeRestoreNetwork(DR);
  return { subnetIds, securityGroupIds, dbSubnetGroup };
}

describe("operator commands end to end", () => {
  let fake: FakeAws;
  let fleet: RestoreFleet;

  beforeEach(async () => {
    fake = new FakeAws();
    fleet = new RestoreFleet(fake);
    await fleet.backup(19);
    const made = await fleet.backup(20);
    await fleet.copy(made, new Date("2026-11-20T06:00:00Z"));
  });

  it("recovery-points lists the genuine backups and DR copies of an instance, newest first", async () => {
    const console = recordingConsole();
    const from = fake.calls.length;
    const code = await pointsMain(["--stack", "test", "--source", fleet.instance, "--json"], {
      kinds: POINT_KINDS,
      clientsOf: toolClients(fake),
      outputs: () => OUTPUTS,
      stackTag: () => STACK_TAG,
      ...console.write,
    });
    expect(code).to.equal(0);
    const doc = JSON.parse(console.out.join("\n")) as { points: Array<{ kind: string; regionRole: string; origin: string; taken: string; restorable: boolean; snapshotIds: string[] }> };
    expect(doc.points.map((p) => [p.kind, p.regionRole, p.origin, p.taken.slice(0, 10), p.restorable, p.snapshotIds.length])).to.deep.equal([
      ["ec2", "dr", "copy", "2026-11-20", true, 2],
      ["ec2", "primary", "backup", "2026-11-20", true, 2],
      ["ec2", "primary", "backup", "2026-11-19", true, 2],
    ]);
    // The operator permissions docs/restore.md lists for listing points, and nothing else.
    expect([...new Set(fake.calls.slice(from).map((c) => `${c.service}:${c.action}`))].sort()).to.deep.equal(["ec2:DescribeSnapshots", "rds:DescribeDBClusterSnapshots", "rds:DescribeDBSnapshots"]);
  });

  /** Runs the restore the command will start through the real machine and function; the fake then replays its history. */
  async function runInDr(request: RestoreRequest, restoreId: string, env: Record<string, string | undefined> = {}) {
    const kinds = kindsWith((name) => (name === "ec2" ? ec2Restore : dbRestore(name)));
    const definition = restoreMachineDefinition(FUNCTION, restoreMachineTimeoutSeconds(kinds.all().map((k) => k.timeoutMinutes)));
    const from = fake.calls.length;
    const run = await runStateMachine(definition, request, {
      name: restoreId,
      startTime: NOW,
      invoke: (_resource, payload, call) => runRestoreStep(restoreDeps(fake, DR, () => call.now, kinds), restoreSettings("dr", env), payload),
    });
    fake.sfn.clockStart = NOW.getTime() / 1000;
    fake.sfn.addMachine(MACHINE, historyOf(run, request, NOW));
    return { run, from };
  }

  function restoreDepsOf(console: ReturnType<typeof recordingConsole>): RestoreDeps {
    return { kinds: POINT_KINDS, clientsOf: toolClients(fake), outputs: () => OUTPUTS, ...console.write, now: () => NOW, sleep: () => Promise.resolve(), intervalMs: 0, random: () => "0c0ffee0" };
  }

  it("restore follows a DR volumes restore to its report: the volumes exist, tagged, in the first restore subnet's zone; the manifest is in the DR vault", async () => {
    const restoreId = `0c0ffee0-${fleet.instance}-20261121T090000Z`;
    // No --zone: the DR copy records the primary region's zone, so the volumes go to the first restore subnet's.
    const request: RestoreRequest = { source: fleet.instance, point: "latest" };
    const { run, from } = await runInDr(request, restoreId, { BACKUP_DR_RESTORE_NETWORK: JSON.stringify(fakeNetwork()) });
    expect(run.status).to.equal("SUCCEEDED");
    expect(fake.calls.slice(from).filter((c) => c.region !== DR), "nothing in the primary region").to.deep.equal([]);

    const console = recordingConsole();
    const before = fake.calls.length;
    const code = await restoreMain(["--stack", "test", "--source", fleet.instance, "--region", "dr", "--point", "latest"], restoreDepsOf(console));
    // The operator permissions docs/restore.md lists for a restore, and nothing else.
    expect([...new Set(fake.calls.slice(before).map((c) => `${c.service}:${c.action}`))].sort()).to.deep.equal(["states:DescribeExecution", "states:GetExecutionHistory", "states:StartExecution"]);
    expect(console.err).to.deep.equal([]);
    expect(code).to.equal(0);
    expect(JSON.parse(fake.sfn.started()[0].input)).to.deep.equal(request);

    const volumes = (await fakeClients(fake, { region: DR }).ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: "tag:backup-dr:restore-id", Values: [restoreId] }] }))).Volumes ?? [];
    const ids = volumes.map((v) => v.VolumeId ?? "").sort();
    expect(ids).to.have.length(2);
    expect(volumes.map((v) => v.AvailabilityZone)).to.deep.equal([`${DR}a`, `${DR}a`]);
    const lines = console.out.map((l) => l.replace(/^ {2}\+\d+:\d\d {4}/, ""));
    expect(lines).to.include.members(["Start", "Wait 30 s", "Poll 1", "Validate", "Report", "report: succeeded", `Restore ${restoreId} succeeded in ${DR} (ec2 ${fleet.instance} from ${lines.find((l) => l.startsWith("point "))?.split(" ")[1] ?? "?"})`]);
    expect(lines.find((l) => l.startsWith("point "))).to.match(new RegExp(`^point snap-[0-9a-f]+ \\(ec2 copy taken 2026-11-20T05:02:00.000Z, \\w+\\) -> restored-${fleet.instance}-0c0ffee0, mode volumes$`));
    expect(lines.filter((l) => /^\s+volume /.test(l)).map((l) => l.trim().split(" ")[1]).sort()).to.deep.equal(ids);
    expect(lines.find((l) => l.startsWith("validation "))).to.match(/^validation passed \(\d+ checks\)$/);
    const manifest = lines.find((l) => l.startsWith("  manifest: "))?.slice("  manifest: ".length) ?? "";
    expect(manifest).to.equal(`s3://${VAULT_BUCKET}/runs/restore/2026/11/21/${restoreId}.json`);
    expect(fake.region(DR).buckets.get(VAULT_BUCKET)?.has(`runs/restore/2026/11/21/${restoreId}.json`)).to.equal(true);
  });

  it("restore follows a DR Aurora restore from a point in time through its phases (cluster, then writer) to the endpoint", async () => {
    const restoreId = `0c0ffee0-${fleet.cluster}-20261121T090000Z`;
    const request: RestoreRequest = { source: fleet.cluster, point: "2026-11-20T12:00:00.000Z" };
    const { run } = await runInDr(request, restoreId, { BACKUP_DR_RESTORE_NETWORK: JSON.stringify(fakeNetwork()) });
    expect(run.status, JSON.stringify(run.output)).to.equal("SUCCEEDED");

    const console = recordingConsole();
    const code = await restoreMain(["--stack", "test", "--source", fleet.cluster, "--region", "dr", "--point", "2026-11-20T13:00:00+01:00"], restoreDepsOf(console));
    expect(console.err).to.deep.equal([]);
    expect(code).to.equal(0);
    expect(JSON.parse(fake.sfn.started()[0].input)).to.deep.equal(request);
    const lines = console.out.map((l) => l.replace(/^ {2}\+\d+:\d\d {4}/, ""));
    const phases = lines.filter((l) => l.startsWith("phase "));
    expect(phases[0]).to.equal("phase cluster: pending");
    expect(phases).to.include("phase writer: pending");
    expect(phases.at(-1)).to.match(/^phase writer: available \(.+:\d+\)$/);
    const endpoint = lines.find((l) => l.startsWith("  endpoint: "))?.slice("  endpoint: ".length);
    expect(phases.at(-1)).to.equal(`phase writer: available (${endpoint ?? "?"})`);
    expect(lines.filter((l) => /^ {4}db-/.test(l)).map((l) => l.trim().split(" ").slice(0, 2).join(" ")).sort()).to.deep.equal([
      `db-cluster restored-${fleet.cluster}-0c0ffee0`,
      `db-instance restored-${fleet.cluster}-0c0ffee0-writer`,
    ]);
  });

  it("restore of an instance in a DR region without its restore network: the named error, nothing created, the failed report; exit 1", async () => {
    const restoreId = `0c0ffee0-${fleet.instance}-20261121T090000Z`;
    const request: RestoreRequest = { source: fleet.instance, point: "latest", mode: "instance" };
    const { run, from } = await runInDr(request, restoreId, { BACKUP_DR_RESTORE_NETWORK: "{}" });
    expect(run.status).to.equal("FAILED");
    expect(createCalls(fake, from)).to.deep.equal([]);

    const console = recordingConsole();
    expect(await restoreMain(["--stack", "test", "--source", fleet.instance, "--region", "dr", "--point", "latest", "--mode", "instance"], restoreDepsOf(console))).to.equal(1);
    const lines = console.out.map((l) => l.replace(/^ {2}\+\d+:\d\d {4}/, ""));
    const failure = lines.find((l) => l.startsWith("TaskFailed: "));
    expect(failure).to.match(/^TaskFailed: MissingRestoreNetworkError: This region's restore network is not configured: set `backup-dr:restore` dr\.subnetIds, `backup-dr:restore` dr\.securityGroupIds/);
    expect(lines).to.include.members(["Start", "Report", "report: failed", `Restore ${restoreId} failed in ${DR}`, "  created: nothing"]);
    expect(lines.find((l) => l.startsWith("  failure: "))).to.match(/^ {2}failure: MissingRestoreNetworkError: /);
    expect(lines.at(-2)).to.match(/^Execution FAILED: RestoreFailed: /);
  });
});
