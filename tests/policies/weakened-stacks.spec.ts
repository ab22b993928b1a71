// The acceptance of issue 16, end to end through the CLI: each weakened copy of Pulumi.prod.yaml, written
// to its own temp folder, fails `npm run policy -- prod --stack-dir <folder>` (exit 1) naming the policy
// and the config key to change; the unchanged copy, and one whose exception is named in allowNoDrCopy, pass.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { expect } from "chai";
import { main } from "../../tools/policy-check/cli";
import { stackValues } from "../helpers/stacks";

type Values = Record<string, unknown>;

const withPlan = (values: Values, name: string, change: Values): Values => ({
  ...values,
  "backup-dr:plans": (values["backup-dr:plans"] as Values[]).map((p) => (p.name === name ? { ...p, ...change } : p)),
});
const withCleanup = (values: Values, change: Values): Values => ({ ...values, "backup-dr:cleanup": { ...(values["backup-dr:cleanup"] as Values), ...change } });

/** Writes `values` as <temp>/Pulumi.prod.yaml and runs the offline check's CLI on it. */
async function policyCheck(values: Values): Promise<{ code: number; out: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "backup-dr-weakened-"));
  try {
    fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), yaml.dump({ config: values }));
    const out: string[] = [];
    const code = await main(["prod", "--stack-dir", dir], (text) => out.push(text));
    return { code, out: out.join("\n") };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The report's mandatory rows: `policy | message`. */
const mandatoryRows = (out: string) =>
  out
    .split("\n")
    .map((line) => /^(\S+) +mandatory +\S+ \([^)]*\) +(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[1]} | ${m[2]}`);

interface Weakening {
  title: string;
  weaken: (prod: Values) => Values;
  policy: string;
  /** The config key the message tells the reader to change. */
  key: string;
  rows: number;
}

const WEAKENINGS: Weakening[] = [
  { title: "a plan with copyToDr: false", weaken: (v) => withPlan(v, "silver", { copyToDr: false }), policy: "dr-every-plan-copies", key: "backup-dr:allowNoDrCopy", rows: 1 },
  { title: "protectStorage: false", weaken: (v) => ({ ...v, "backup-dr:protectStorage": false }), policy: "dr-storage-protected", key: "backup-dr:protectStorage", rows: 4 },
  { title: "cleanup.maxDeleteFraction: 1", weaken: (v) => withCleanup(v, { maxDeleteFraction: 1 }), policy: "cleanup-safety-valves", key: "backup-dr:cleanup.maxDeleteFraction", rows: 1 },
  { title: "cleanup.minAgeDays: 0", weaken: (v) => withCleanup(v, { minAgeDays: 0 }), policy: "cleanup-safety-valves", key: "backup-dr:cleanup.minAgeDays", rows: 1 },
  { title: "cleanup.maxDeletionsPerRun: 10000", weaken: (v) => withCleanup(v, { maxDeletionsPerRun: 10000 }), policy: "cleanup-safety-valves", key: "backup-dr:cleanup.maxDeletionsPerRun", rows: 1 },
];

describe("weakened copies of prod (npm run policy -- prod --stack-dir)", function () {
  this.timeout(120_000);

  it("passes the unchanged copy of prod", async () => {
    const result = await policyCheck(stackValues("prod"));
    expect(result.code, result.out).to.equal(0);
    expect(result.out).to.match(/^PASS prod: 0 mandatory, 0 pending, 0 advisory\.$/m);
  });

  for (const w of WEAKENINGS) {
    it(`fails prod with ${w.title}, naming ${w.policy} and ${w.key}`, async () => {
      const result = await policyCheck(w.weaken(stackValues("prod")));
      expect(result.code, result.out).to.equal(1);
      const rows = mandatoryRows(result.out);
      expect(rows, result.out).to.have.length(w.rows);
      for (const row of rows) {
        expect(row.startsWith(`${w.policy} | `), row).to.equal(true);
        expect(row).to.include(w.key);
      }
      expect(result.out).to.match(new RegExp(`^FAIL prod: ${w.rows} mandatory, `, "m"));
    });
  }

  it("passes prod whose plan without a DR copy is named in backup-dr:allowNoDrCopy", async () => {
    const excepted = { ...withPlan(stackValues("prod"), "silver", { copyToDr: false }), "backup-dr:allowNoDrCopy": ["silver"] };
    const result = await policyCheck(excepted);
    expect(result.code, result.out).to.equal(0);
  });
});
