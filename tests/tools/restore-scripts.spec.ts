// The package.json scripts run the commands as a person would: `npm run restore` and `npm run recovery-points`, in a
// process of their own with the registry's kinds and the SDK's default credential chain (here: the fake AWS served over
// HTTP through AWS_ENDPOINT_URL); bad usage exits 2 before any call.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ACCOUNT_ID, FakeAws } from "../helpers/aws-fake";
import { fakeEndpointEnv, startFakeServer, type FakeServer } from "../helpers/aws-transport";
import { DR, PRIMARY, RestoreFleet } from "../helpers/restore-setup";
import { NO_AWS, npmRun } from "../helpers/restore-tools";

const MACHINES = { primary: `arn:aws:states:${PRIMARY}:${ACCOUNT_ID}:stateMachine:restore`, dr: `arn:aws:states:${DR}:${ACCOUNT_ID}:stateMachine:restore-dr` };

describe("npm run restore / recovery-points (the scripts)", () => {
  it("npm run restore with bad flags exits 2 listing every problem and the usage", async () => {
    const run = await npmRun("restore", ["--stack", "prod", "--mode", "sideways"], NO_AWS);
    expect(run.status).to.equal(2);
    expect(run.stdout).to.equal("");
    expect(run.stderr).to.include("--region: required (primary or dr: the region to restore into)\n");
    expect(run.stderr).to.include('--mode: expected volumes or instance, got "sideways"\n');
    expect(run.stderr).to.include("usage: npm run restore -- --stack <stack>");
  });

  describe("against the fake AWS over HTTP", () => {
    let fake: FakeAws;
    let fleet: RestoreFleet;
    let server: FakeServer;
    let outputs: string;

    beforeEach(async () => {
      fake = new FakeAws();
      fleet = new RestoreFleet(fake);
      const made = await fleet.backup(20);
      await fleet.copy(made, new Date("2026-11-20T06:00:00Z"));
      fake.sfn.addMachine(MACHINES.dr);
      server = await startFakeServer(fake);
      outputs = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "backup-dr-restore-")), "test.json");
      fs.writeFileSync(outputs, JSON.stringify({ primaryRegion: PRIMARY, drRegion: DR, restoreStateMachineArns: MACHINES, topicArn: "ignored" }));
    });

    afterEach(() => server.close());

    it("recovery-points reads both regions through the registry's kinds under the stack tag of Pulumi.yaml's project", async () => {
      const run = await npmRun("recovery-points", ["--stack", "test", "--source", fleet.instance, "--outputs", outputs], fakeEndpointEnv(server, PRIMARY));
      expect(run.stderr).to.not.include("could not be read");
      expect(run.status).to.equal(0);
      const rows = run.stdout.trim().split("\n").slice(2).map((r) => r.split(/\s{2,}/));
      // KIND, REGION, ORIGIN, DR COPY (the backup's copy, read from the DR region through its copy-of tags), RESTORABLE.
      expect(rows.map((r) => [r[1], r[2], r[3], r[4], r[10]])).to.deep.equal([
        ["ec2", `dr ${DR}`, "copy", "-", "yes"],
        ["ec2", `primary ${PRIMARY}`, "backup", "copied", "yes"],
      ]);
      expect(new Set(fake.calls.filter((c) => c.action === "DescribeSnapshots").map((c) => c.region))).to.deep.equal(new Set([PRIMARY, DR]));
    });

    it("restore --detach starts the DR state machine with the request and prints how to follow it", async () => {
      const run = await npmRun("restore", ["--stack", "test", "--source", fleet.instance, "--region", "dr", "--point", "latest", "--zone", `${DR}a`, "--detach", "--outputs", outputs], fakeEndpointEnv(server, PRIMARY));
      expect(run.status).to.equal(0);
      const [started] = fake.sfn.started();
      expect(started.machineArn).to.equal(MACHINES.dr);
      expect(JSON.parse(started.input)).to.deep.equal({ source: fleet.instance, point: "latest", zone: `${DR}a` });
      expect(run.stdout).to.include(`Follow it: npm run restore -- --follow ${started.arn}\n`);
    });
  });
});
