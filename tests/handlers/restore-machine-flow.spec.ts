// The restore function under its own state machine: the real definition (infra/restore-machine.ts) run by the test
// interpreter, every Task invoking the real restore steps over the fake AWS with the registry's kinds, on genuine
// points. Proves the JSON the machine passes between its states is what each step takes (the contract), including
// the report events it builds after a caught failure.
import { expect } from "chai";
import type { RestoreReport } from "../../handlers/restore/contract";
import { runRestoreStep } from "../../handlers/restore/run";
import { restoreKinds } from "../../handlers/kinds/registry";
import { restoreMachineDefinition, restoreMachineTimeoutSeconds } from "../../infra/restore-machine";
import { FakeAws } from "../helpers/aws-fake";
import { fakeRestoreNetwork } from "../helpers/aws-fake-restore-state";
import { AwsFault } from "../helpers/aws-wire";
import { VAULT_BUCKET } from "../helpers/backup-fleet";
import { runStateMachine } from "../helpers/state-machine-run";
import { createCalls, DR, PRIMARY, restoreDeps, RestoreFleet, restoreSettings } from "../helpers/restore-setup";

const START = new Date("2026-11-21T09:00:00.000Z");

describe("restore steps under the restore state machine", () => {
  let fake: FakeAws;
  let fleet: RestoreFleet;
  let made: Awaited<ReturnType<RestoreFleet["backup"]>>;

  beforeEach(async () => {
    fake = new FakeAws();
    fleet = new RestoreFleet(fake);
    made = await fleet.backup(20);
    await fleet.copy(made, new Date("2026-11-20T06:00:00Z"));
  });

  async function execute(role: "primary" | "dr", name: string, input: unknown) {
    const region = role === "primary" ? PRIMARY : DR;
    const { subnetIds, securityGroupIds, dbSubnetGroup } = fakeRestoreNetwork(region);
    const settings = restoreSettings(role, { BACKUP_DR_RESTORE_NETWORK: JSON.stringify({ subnetIds, securityGroupIds, dbSubnetGroup }) });
    const functionArn = `arn:aws:lambda:${region}:123456789012:function:restore-${role}`;
    const definition = restoreMachineDefinition(functionArn, restoreMachineTimeoutSeconds(restoreKinds().map((k) => k.timeoutMinutes)));
    return runStateMachine(definition, input, {
      name,
      startTime: START,
      invoke: (resource, payload, call) => {
        expect(resource).to.equal(functionArn);
        return runRestoreStep(restoreDeps(fake, region, () => call.now), settings, payload);
      },
    });
  }

  const manifest = (region: string, name: string) => JSON.parse(fake.region(region).buckets.get(VAULT_BUCKET)?.get(`runs/restore/2026/11/21/${name}.json`) ?? "{}") as Record<string, unknown>;

  it("a machine restored as an instance in the DR region: start, waits and polls through image and instance, validate, report", async () => {
    fake.permanent = (call) => (call.region === PRIMARY ? new AwsFault("UnauthorizedOperation", 403, "the primary region is down") : undefined);
    const from = fake.calls.length;
    const result = await execute("dr", "web-1-dr-instance", { source: fleet.instance, point: "latest", mode: "instance" });
    expect(result.status, JSON.stringify(result.output)).to.equal("SUCCEEDED");
    const report = result.output as RestoreReport;
    expect(report).to.deep.include({ status: "succeeded", region: DR, kind: "ec2", source: fleet.instance });
    expect(report.secondsToAvailable).to.be.greaterThan(0);
    expect(result.invocations.map((i) => (i.payload as { step: string }).step)).to.include.members(["start", "poll", "validate", "report"]);
    expect(result.invocations.filter((i) => i.error !== undefined)).to.deep.equal([]);
    expect(manifest(DR, "web-1-dr-instance")).to.deep.include({ status: "succeeded", secondsToAvailable: report.secondsToAvailable });
    expect(fake.calls.slice(from).filter((c) => c.region === PRIMARY)).to.deep.equal([]);
  });

  it("a DB instance in the primary region runs to Succeed with the report as the output", async () => {
    const result = await execute("primary", "orders-db-1", { source: fleet.db, point: "2026-11-20T23:00:00Z" });
    expect(result.status).to.equal("SUCCEEDED");
    expect(result.output).to.deep.include({ status: "succeeded", kind: "rds", pointId: made.db.id });
  });

  it("a refused start reaches the report with the request and the named error, and the machine fails; nothing is created", async () => {
    const from = fake.calls.length;
    const result = await execute("primary", "unknown-1", { source: "i-0123456789abcdef0", point: "latest" });
    expect(result).to.deep.include({ status: "FAILED", error: "RestoreFailed" });
    const reportCall = result.invocations.find((i) => (i.payload as { step: string }).step === "report");
    expect(reportCall?.payload).to.deep.include({ step: "report", restoreId: "unknown-1", request: { source: "i-0123456789abcdef0", point: "latest" } });
    const written = manifest(PRIMARY, "unknown-1");
    expect(written).to.deep.include({ status: "failed", created: [] });
    expect((written.failure as { name: string }).name).to.equal("UnknownSourceError");
    expect(createCalls(fake, from)).to.deep.equal([]);
  });

  it("a step that fails part-way reaches the report with the last state: what was made is reported, not deleted", async () => {
    fake.permanent = (call) => (call.action === "RunInstances" ? new AwsFault("InsufficientInstanceCapacity", 400, "no capacity") : undefined);
    const result = await execute("primary", "web-1-partway", { source: fleet.instance, point: "latest", mode: "instance" });
    expect(result).to.deep.include({ status: "FAILED", error: "RestoreFailed" });
    const written = manifest(PRIMARY, "web-1-partway");
    expect(written.failure).to.deep.equal({ name: "InsufficientInstanceCapacity", message: "no capacity" });
    expect((written.created as Array<{ type: string }>).map((r) => r.type)).to.include("image");
    expect(fake.calls.filter((c) => /^(Delete|Deregister|Terminate)/.test(c.action))).to.deep.equal([]);
  });
});
