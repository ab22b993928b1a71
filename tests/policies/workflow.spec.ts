// The GitHub Actions workflow: valid YAML, actions pinned to their major versions and given only
// inputs those versions declare, previews of every stack with the policy pack on pull requests, and
// dev then prod (behind the `production` environment) on main.
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { expect } from "chai";
import { ROOT, stackFiles } from "../helpers/stacks";

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  "working-directory"?: string;
}

interface Job {
  needs?: string | string[];
  if?: string;
  environment?: string;
  permissions?: Record<string, string>;
  strategy?: { matrix?: { stack?: string[] } };
  steps: Step[];
}

interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

/** The inputs each action's pinned major version declares (from their action.yml / README). */
const ACTION_INPUTS: Record<string, string[]> = {
  "actions/checkout@v4": ["repository", "ref", "token", "fetch-depth", "path"],
  "actions/setup-node@v4": ["node-version", "node-version-file", "cache", "cache-dependency-path", "registry-url"],
  "aws-actions/configure-aws-credentials@v4": ["role-to-assume", "role-session-name", "aws-region", "audience", "role-duration-seconds", "mask-aws-account-id"],
  "pulumi/actions@v6": [
    "command", "stack-name", "work-dir", "cloud-url", "comment-on-pr", "comment-on-summary", "github-token", "refresh", "secrets-provider",
    "color", "diff", "expect-no-changes", "message", "parallel", "policyPacks", "policyPackConfigs", "pulumi-version", "upsert",
  ],
};

const workflow = yaml.load(fs.readFileSync(path.join(ROOT, ".github", "workflows", "backup-dr.yml"), "utf8")) as Workflow;
const job = (name: string): Job => {
  const found = workflow.jobs[name];
  if (found === undefined) throw new Error(`no job ${name}`);
  return found;
};
const pulumiStep = (j: Job): Step => {
  const step = j.steps.find((s) => s.uses === "pulumi/actions@v6");
  if (step?.with === undefined) throw new Error("no pulumi/actions step");
  return step;
};

describe("GitHub Actions workflow", () => {
  it("runs on pull requests and on pushes to main", () => {
    expect(workflow.on).to.have.all.keys("pull_request", "push");
    expect(workflow.on.push).to.deep.equal({ branches: ["main"] });
  });

  it("uses only known actions, with inputs they declare", () => {
    for (const [name, j] of Object.entries(workflow.jobs)) {
      for (const step of j.steps.filter((s) => s.uses !== undefined)) {
        const known = ACTION_INPUTS[step.uses ?? ""];
        expect(known, `${name}: ${step.uses}`).to.not.equal(undefined);
        expect(Object.keys(step.with ?? {}).filter((k) => !known.includes(k)), `${name}: ${step.uses}`).to.deep.equal([]);
      }
    }
  });

  it("tests with npm ci && npm test on Node 20", () => {
    expect(job("test").steps.map((s) => s.run).filter(Boolean)).to.deep.equal(["npm ci && npm test"]);
    expect(job("test").steps.find((s) => s.uses === "actions/setup-node@v4")?.with?.["node-version"]).to.equal(20);
  });

  it("previews every stack with the policy pack on pull requests, after the tests", () => {
    const preview = job("preview");
    expect(preview.needs).to.equal("test");
    expect(preview.if).to.include("pull_request");
    expect(preview.strategy?.matrix?.stack).to.have.members(stackFiles());
    expect(pulumiStep(preview).with).to.include({ command: "preview", policyPacks: "policies" });
    expect(preview.steps.some((s) => s.run === "npm ci" && s["working-directory"] === "policies")).to.equal(true);
    expect(preview.permissions).to.include({ "id-token": "write" });
  });

  it("deploys dev, then prod behind the production environment, on main only", () => {
    const dev = job("deploy-dev");
    const prod = job("deploy-prod");
    expect(dev.if).to.equal("github.event_name == 'push' && github.ref == 'refs/heads/main'");
    expect(pulumiStep(dev).with).to.include({ command: "up", policyPacks: "policies", "stack-name": "${{ vars.PULUMI_STACK_PREFIX }}dev" });
    expect(prod.needs).to.equal("deploy-dev");
    expect(prod.environment).to.equal("production");
    expect(pulumiStep(prod).with).to.include({ command: "up", policyPacks: "policies", "stack-name": "${{ vars.PULUMI_STACK_PREFIX }}prod" });
  });

  it("takes credentials from repository secrets only", () => {
    for (const j of Object.values(workflow.jobs)) {
      for (const step of j.steps) {
        for (const value of [...Object.values(step.with ?? {}), ...Object.values(step.env ?? {})]) {
          if (typeof value === "string" && /(TOKEN|PASSPHRASE|ROLE|BACKEND)/.test(value)) expect(value).to.match(/^\$\{\{ secrets\.[A-Z_]+ \}\}$/);
        }
      }
    }
  });
});
