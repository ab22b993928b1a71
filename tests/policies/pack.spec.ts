// The pack as a package: every policy well-formed and tested, the pack self-contained (it is run from
// its own folder by `pulumi preview --policy-pack`), its pins and names in step with the program's.
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { expect } from "chai";
import { TAG_DRILL_ID, TAG_ENVIRONMENT, TAG_REPLICA_OF, TAG_STACK } from "../../handlers/catalog";
import { drillEnvironment, drillName } from "../../infra/drill";
import { PLANS_SETTING } from "../../handlers/plan";
import { RUN_ENVELOPE } from "../../handlers/lib/run-envelope";
import { ALLOW_NO_DR_COPY_SETTING } from "../../infra/backup";
import { cleanupEnvironment } from "../../infra/cleanup";
import { parseConfig } from "../../infra/config";
import { RUNTIME } from "../../infra/functions";
import { restoreName } from "../../infra/restore";
import { ALL_POLICIES } from "../../policies/all";
import * as names from "../../policies/lib/names";
import { ROOT, stackValues } from "../helpers/stacks";

const PACK = path.join(ROOT, "policies");
const read = (file: string) => fs.readFileSync(file, "utf8");
const json = (file: string) => JSON.parse(read(file)) as Record<string, Record<string, string> | string>;

/** The pack's source files: everything under policies/ (the offline check lives in tools/policy-check). */
function packFiles(dir = PACK): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : packFiles(full);
    return e.name.endsWith(".ts") ? [full] : [];
  });
}

const relativeImports = (file: string) => [...read(file).matchAll(/from "(\.[^"]+)"/g)].map((m) => path.resolve(path.dirname(file), m[1]));

describe("policy pack", () => {
  it("has unique kebab-case policy names, one-sentence descriptions and explicit levels", () => {
    const names = ALL_POLICIES.map((p) => p.name);
    expect(new Set(names).size).to.equal(names.length);
    for (const p of ALL_POLICIES) {
      expect(p.name, p.name).to.match(/^[a-z0-9]+(-[a-z0-9]+)+$/);
      expect(p.description, p.name).to.match(/^[A-Z][^]*\.$/).and.not.match(/\. [A-Z]/);
      expect(p.enforcementLevel, p.name).to.be.oneOf(["mandatory", "advisory"]);
    }
  });

  it("gives every configurable setting a default and leaves enforcementLevel to the engine", () => {
    for (const p of ALL_POLICIES) {
      for (const [key, schema] of Object.entries(p.configSchema?.properties ?? {})) {
        expect(schema, `${p.name}.${key}`).to.have.property("default");
        expect(key).to.not.equal("enforcementLevel");
      }
    }
  });

  it("has a spec that names every policy", () => {
    const specs = fs
      .readdirSync(__dirname)
      .filter((f) => f.endsWith(".spec.ts") && f !== path.basename(__filename))
      .map((f) => read(path.join(__dirname, f)))
      .join("\n");
    expect(ALL_POLICIES.map((p) => p.name).filter((name) => !specs.includes(`"${name}`))).to.deep.equal([]);
  });

  it("is self-contained: its modules import nothing outside policies/ and never the offline runner", () => {
    for (const file of packFiles()) {
      for (const target of relativeImports(file)) {
        expect(target.startsWith(PACK + path.sep), `${path.relative(ROOT, file)} imports ${path.relative(ROOT, target)}`).to.equal(true);
        expect(target.includes(`${path.sep}offline${path.sep}`), `${path.relative(ROOT, file)} imports the offline runner`).to.equal(false);
      }
    }
  });

  it("index.ts only builds the PolicyPack from the policy list", () => {
    const index = read(path.join(PACK, "index.ts"));
    expect([...index.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1])).to.deep.equal(["@pulumi/policy", "./all"]);
    expect(index.match(/new PolicyPack\("backup-dr"/g)).to.have.length(1);
  });

  it("is a versioned nodejs package pinned to the program's Pulumi versions", () => {
    const pkg = json(path.join(PACK, "package.json"));
    const root = json(path.join(ROOT, "package.json"));
    const rootVersions = { ...(root.dependencies as Record<string, string>), ...(root.devDependencies as Record<string, string>) };
    expect(pkg.version).to.match(/^\d+\.\d+\.\d+$/);
    const dependencies = pkg.dependencies as Record<string, string>;
    for (const dep of ["@pulumi/aws", "@pulumi/policy", "@pulumi/pulumi"]) expect(dependencies[dep], dep).to.equal(rootVersions[dep]);
    expect((pkg.devDependencies as Record<string, string>).typescript).to.equal(rootVersions.typescript);
    expect(yaml.load(read(path.join(PACK, "PulumiPolicy.yaml")))).to.include({ runtime: "nodejs" });
  });

  it("names what the program names", () => {
    expect([names.TAG_STACK, names.TAG_ENVIRONMENT, names.TAG_REPLICA_OF]).to.deep.equal([TAG_STACK, TAG_ENVIRONMENT, TAG_REPLICA_OF]);
    expect(names.PLANS_VARIABLE).to.equal(PLANS_SETTING);
    expect(names.RUN_ENVELOPE).to.deep.equal(RUN_ENVELOPE);
    expect(names.ALLOW_NO_DR_COPY_VARIABLE).to.equal(ALLOW_NO_DR_COPY_SETTING);
    // Each valve variable carries the backup-dr:cleanup setting of the same name.
    const config = parseConfig(stackValues("prod"), { project: "backup-dr", stack: "prod" });
    const environment = cleanupEnvironment(config, "vault", "topic");
    for (const [valve, variable] of Object.entries(names.CLEANUP_VALVE_VARIABLES)) {
      expect(environment[variable], variable).to.equal(String(config.cleanup[valve as keyof typeof names.CLEANUP_VALVE_VARIABLES]));
    }
    expect(names.RESTORE_FUNCTIONS).to.deep.equal([restoreName("primary"), restoreName("dr")]);
    // The drill: its function and machine by name, the tag its deletes need, the variable holding the stack tag.
    expect(names.DRILL_FUNCTIONS).to.deep.equal([drillName("primary"), drillName("dr")]);
    expect(names.DRILL_MACHINES).to.deep.equal([`${drillName("primary")}-machine`, `${drillName("dr")}-machine`]);
    expect(names.TAG_DRILL_ID).to.equal(TAG_DRILL_ID);
    expect(drillEnvironment({ config, region: config.drRegion, keyArn: "arn:aws:kms:us-west-2:123456789012:key/k", vaultName: "v", topicArn: "t", machineTimeoutSeconds: 60 })).to.have.property(names.STACK_VARIABLE, config.stackTag);
    expect(RUNTIME).to.match(/^nodejs(2[2-9]|[3-9]\d)\.x$/);
  });
});
