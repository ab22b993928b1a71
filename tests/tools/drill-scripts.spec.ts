// The package.json script runs the command as a person would: `npm run drill`, in a process of its own with the SDK's
// default credential chain (here: the fake AWS served over HTTP through AWS_ENDPOINT_URL); bad usage exits 2 before
// any call.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FakeAws } from "../helpers/aws-fake";
import { fakeEndpointEnv, startFakeServer, type FakeServer } from "../helpers/aws-transport";
import { DRILL_MACHINE } from "../helpers/drill-tools";
import { DR, NO_AWS, npmRun, PRIMARY } from "../helpers/restore-tools";

describe("npm run drill (the script)", () => {
  it("with bad flags exits 2 listing every problem and the usage", async () => {
    const run = await npmRun("drill", ["--plan", "GOLD", "--detach", "--follow"], NO_AWS);
    expect(run.status).to.equal(2);
    expect(run.stdout).to.equal("");
    expect(run.stderr).to.include("--stack: required (the Pulumi stack, e.g. prod)\n");
    expect(run.stderr).to.include('--plan: "GOLD" is not a plan name');
    expect(run.stderr).to.include("--follow and --detach: give one");
    expect(run.stderr).to.include("usage: npm run drill -- --stack <stack>");
  });

  describe("against the fake AWS over HTTP", () => {
    let fake: FakeAws;
    let server: FakeServer;
    let outputs: string;

    beforeEach(async () => {
      fake = new FakeAws();
      fake.sfn.addMachine(DRILL_MACHINE);
      server = await startFakeServer(fake);
      outputs = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "backup-dr-drill-")), "test.json");
      fs.writeFileSync(outputs, JSON.stringify({ primaryRegion: PRIMARY, drRegion: DR, drillStateMachineArn: DRILL_MACHINE, drillRegion: DR, topicArn: "ignored" }));
    });

    afterEach(() => server.close());

    it("--detach starts the drill machine in the drill region (not the shell's region) and prints how to follow it", async () => {
      const run = await npmRun("drill", ["--stack", "test", "--plan", "gold", "--detach", "--outputs", outputs], fakeEndpointEnv(server, PRIMARY));
      expect(run.stderr).to.not.include("could not");
      expect(run.status).to.equal(0);
      const [started] = fake.sfn.started();
      expect(started.machineArn).to.equal(DRILL_MACHINE);
      expect(started.name).to.match(/^drill-\d{8}T\d{6}Z-[0-9a-f]{4}$/);
      expect(JSON.parse(started.input)).to.deep.equal({ plan: "gold" });
      expect(fake.calls.map((c) => `${c.region} ${c.action}`)).to.deep.equal([`${DR} StartExecution`]);
      expect(run.stdout).to.include(`Follow it: npm run drill -- --follow ${started.arn}\n`);
    });
  });
});
