// The package.json scripts run the commands as a person would: `npm run restore` and `npm run recovery-points`, in a
// process of their own with the registry's kinds and the SDK's default credentials; bad usage exits 2 before any call.
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");

function npmRun(script: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  // No credentials and no network: a call to AWS would fail, so exit 2 with the usage proves none was made.
  const env = { ...process.env, AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_PROFILE: "backup-dr-none", AWS_ENDPOINT_URL: "http://127.0.0.1:9" };
  const result = spawnSync("npm", ["run", "-s", script, "--", ...args], { cwd: ROOT, env, encoding: "utf8", timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run restore / recovery-points (the scripts)", () => {
  it("npm run restore with bad flags exits 2 listing every problem and the usage", () => {
    const run = npmRun("restore", ["--stack", "prod", "--mode", "sideways"]);
    expect(run.status).to.equal(2);
    expect(run.stdout).to.equal("");
    expect(run.stderr).to.include("--region: required (primary or dr: the region to restore into)\n");
    expect(run.stderr).to.include('--mode: expected volumes or instance, got "sideways"\n');
    expect(run.stderr).to.include("usage: npm run restore -- --stack <stack>");
  });

  it("npm run recovery-points with bad flags exits 2 listing every problem and the usage", () => {
    const run = npmRun("recovery-points", ["--region", "moon"]);
    expect(run.status).to.equal(2);
    expect(run.stderr).to.include("--stack: required (the Pulumi stack, e.g. prod)\n");
    expect(run.stderr).to.include('--region: expected primary or dr, got "moon"\n');
    expect(run.stderr).to.include("usage: npm run recovery-points -- --stack <stack> --source <id>");
  });
});
