// The package.json script runs the command as a person would: `npm run drill`, in a process of its own with the SDK's
// default credential chain (here: the fake AWS served over HTTP through AWS_ENDPOINT_URL); bad usage exits 2 before
// any call.
import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FakeAws } from "../helpers/aws-fake";
import { fakeEndpointEnv, startFakeServer, type FakeServer } from "../helpers/aws-transport";
import { DRILL_MACHINE } from "../helpers/drill-tools";
import { DR, PRIMARY } from "../helpers/restore-tools";

const ROOT = path.resolve(__dirname, "..", "..");

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run -s drill -- args` without blocking this process (it may be serving the fake AWS). */
function npmRunDrill(args: readonly string[], env: Record<string, string>): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "-s", "drill", "--", ...args], { cwd: ROOT, env: { ...process.env, AWS_PROFILE: "", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** No credentials and nothing listening: any AWS call would fail, so exit 2 with the usage proves none was made. */
const NO_AWS = { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: "http://127.0.0.1:9" };

describe("npm run drill (the script)", () => {
  it("with bad flags exits 2 listing every problem and the usage", async () => {
    const run = await npmRunDrill(["--plan", "GOLD", "--detach", "--follow"], NO_AWS);
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
      const run = await npmRunDrill(["--stack", "test", "--plan", "gold", "--detach", "--outputs", outputs], fakeEndpointEnv(server, PRIMARY));
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
