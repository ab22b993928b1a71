// DR policies on a synthetic prod-like stack: two providers, two keys, the backup function carrying
// BACKUP_DR_PLANS, a schedule per plan, the copy function and two locked vaults; then one change at a time.
import { expect } from "chai";
import { drCopyCoverage, drDistinctRegions, drPlanSchedules } from "../../policies/dr";
import { drEveryPlanCopies, drMinimumRetention, drVaultLockMode } from "../../policies/dr-strict";
import { runMachineDefinition } from "../../infra/run-machine";
import type { StackResource } from "../../tools/policy-check/model";
import { ACCOUNT, check, json, provider, replace, resource, urnOf, withProps } from "./harness";

const T = {
  key: "aws:kms/key:Key",
  fn: "aws:lambda/function:Function",
  schedule: "aws:scheduler/schedule:Schedule",
  bucket: "aws:s3/bucket:Bucket",
  lock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
};
const BACKUP_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:backup`;

interface TestPlan {
  name: string;
  schedule?: string;
  keep: Record<string, number>;
  drKeep?: Record<string, number>;
  copyToDr?: boolean;
}

const PLANS: TestPlan[] = [
  { name: "gold", schedule: "cron(0 0/6 * * ? *)", keep: { hourly: 8, daily: 14, weekly: 8 }, drKeep: { daily: 7, weekly: 4 }, copyToDr: true },
  { name: "silver", schedule: "cron(30 1 * * ? *)", keep: { daily: 7, weekly: 4 } },
];

function stack(environment = "prod", plans: TestPlan[] = PLANS): StackResource[] {
  const tags = { "backup-dr:stack": `backup-dr/${environment}`, environment };
  const primary = provider("primary", "us-east-1", tags);
  const dr = provider("dr", "us-west-2", tags);
  const fn = (name: string, env: Record<string, string>) =>
    resource(T.fn, name, { runtime: "nodejs22.x", environment: { variables: env } }, { provider: primary, computed: { name, arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}` } });
  const vault = (name: string, p: StackResource, days: number) => [
    resource(T.bucket, name, { objectLockEnabled: true }, { provider: p, computed: { bucket: `${name}-1a2b3c4` } }),
    resource(T.lock, `${name}-object-lock`, { bucket: `${name}-1a2b3c4`, objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: "COMPLIANCE", days } } }, { provider: p }),
  ];
  return [
    primary,
    dr,
    resource(T.key, "primary-key", { enableKeyRotation: true }, { provider: primary }),
    resource(T.key, "dr-key", { enableKeyRotation: true }, { provider: dr }),
    fn("backup", { BACKUP_DR_PLANS: json(plans), BACKUP_DR_STACK: tags["backup-dr:stack"] }),
    fn("copy", {}),
    ...plans.map((plan) =>
      resource(
        T.schedule,
        `backup-schedules-${plan.name}`,
        { scheduleExpression: plan.schedule, state: "ENABLED", target: { arn: BACKUP_ARN, input: json({ plan: plan.name, scheduledTime: "<aws.scheduler.scheduled-time>" }) } },
        { provider: primary },
      ),
    ),
    ...vault("backup-dr-primary-vault", primary, 35),
    ...vault("backup-dr-dr-vault", dr, 35),
  ];
}

function changed(resources: StackResource[], type: string, name: string, changes: Record<string, unknown> | "remove"): StackResource[] {
  const urn = urnOf(type, name);
  const target = resources.find((r) => r.urn === urn);
  if (target === undefined) throw new Error(`fixture has no ${urn}`);
  return replace(resources, urn, changes === "remove" ? undefined : withProps(target, changes));
}

const backupLabel = `backup (${T.fn})`;

describe("policies: DR invariants", () => {
  it("every DR policy passes the prod-like stack, and the strict ones do not apply to dev", async () => {
    for (const policy of [drDistinctRegions, drPlanSchedules, drCopyCoverage, drEveryPlanCopies, drMinimumRetention, drVaultLockMode]) {
      expect(await check(policy, stack()), policy.name).to.deep.equal([]);
    }
    const weakDev = stack("dev", [{ name: "daily", schedule: "rate(1 day)", keep: { daily: 3 }, drKeep: { daily: 2 } }]);
    expect(await check(drMinimumRetention, changed(weakDev, T.lock, "backup-dr-dr-vault-object-lock", "remove"))).to.deep.equal([]);
    expect(await check(drVaultLockMode, changed(weakDev, T.lock, "backup-dr-dr-vault-object-lock", "remove"))).to.deep.equal([]);
    expect(await check(drEveryPlanCopies, stack("dev", [{ name: "daily", schedule: "rate(1 day)", keep: { daily: 3 }, copyToDr: false }]))).to.deep.equal([]);
  });

  describe("dr-distinct-regions", () => {
    it("reports a DR provider in the primary region", async () => {
      expect(await check(drDistinctRegions, changed(stack(), "pulumi:providers:aws", "dr", { region: "us-east-1" }))).to.deep.equal([
        "dr (pulumi:providers:aws): The DR region us-east-1 is the primary region too: set backup-dr:drRegion to another region than aws:region.",
      ]);
    });

    it("reports a missing provider and a provider without a region", async () => {
      const resources = changed(changed(stack(), "pulumi:providers:aws", "dr", "remove"), "pulumi:providers:aws", "primary", { region: undefined });
      expect(await check(drDistinctRegions, resources)).to.deep.equal([
        "primary (pulumi:providers:aws): The AWS provider \"primary\" sets no region: set its region (aws:region).",
        '(stack): The stack has no AWS provider (pulumi:providers:aws) named "dr": create one provider per region, "primary" and "dr".',
      ]);
    });
  });

  describe("dr-plan-schedules", () => {
    it("reports a stack without the backup function, or without readable plans", async () => {
      expect(await check(drPlanSchedules, changed(stack(), T.fn, "backup", "remove"))).to.deep.equal([
        '(stack): The stack has no Lambda function "backup" carrying BACKUP_DR_PLANS, so its plans cannot be checked: add the backup function.',
      ]);
      expect(await check(drPlanSchedules, changed(stack(), T.fn, "backup", { environment: { variables: {} } }))).to.deep.equal([
        `${backupLabel}: The backup function has no BACKUP_DR_PLANS environment variable: set it to the JSON of backup-dr:plans.`,
      ]);
      expect(await check(drPlanSchedules, changed(stack(), T.fn, "backup", { environment: { variables: { BACKUP_DR_PLANS: "[{}]" } } }))).to.deep.equal([
        `${backupLabel}: The backup function's BACKUP_DR_PLANS is not a JSON array of named plans: set it to the JSON of backup-dr:plans.`,
      ]);
    });

    it("reports a plan without a schedule expression", async () => {
      const plans = [PLANS[0], { ...PLANS[1], schedule: undefined }];
      expect(await check(drPlanSchedules, stack("prod", plans))).to.deep.equal([
        `${backupLabel}: Plan "silver" has no schedule: set its schedule (cron(...) or rate(...)) in backup-dr:plans.`,
      ]);
    });

    it("reports a plan no schedule runs, and a disabled schedule", async () => {
      expect(await check(drPlanSchedules, changed(stack(), T.schedule, "backup-schedules-gold", "remove"))).to.deep.equal([
        `${backupLabel}: No EventBridge Scheduler schedule runs the backup function for plan "gold": add an aws.scheduler.Schedule targeting the backup function, or the state machine that runs it (backup-machine), with input {"plan":"gold"}.`,
      ]);
      expect(await check(drPlanSchedules, changed(stack(), T.schedule, "backup-schedules-silver", { state: "DISABLED" }))).to.deep.equal([
        `backup-schedules-silver (${T.schedule}): The schedule of plan "silver" is disabled: set its state to "ENABLED".`,
      ]);
    });

    it("accepts schedules that start the backup's run machine, which invokes the function with the schedule's input", async () => {
      const withMachine = (firstState: Record<string, unknown>) => {
        const machineArn = `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:backup-machine`;
        const definition = json({ StartAt: "Invoke", States: { Invoke: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: BACKUP_ARN, "Payload.$": "$" }, End: true, ...firstState } } });
        const primary = stack().find((r) => r.name === "primary");
        const machine = resource("aws:sfn/stateMachine:StateMachine", "backup-machine", { definition }, { ...(primary === undefined ? {} : { provider: primary }), computed: { arn: machineArn } });
        return [...stack().map((r) => (r.type === T.schedule ? withProps(r, { target: { ...(r.inputs.target as object), arn: machineArn } }) : r)), machine];
      };
      expect(await check(drPlanSchedules, withMachine({}))).to.deep.equal([]);
      // A machine that invokes another function, or sends the function an event of its own, does not run the plan.
      const other = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:copy`;
      for (const firstState of [{ Parameters: { FunctionName: other, "Payload.$": "$" } }, { Parameters: { FunctionName: BACKUP_ARN, Payload: { plan: "gold" } } }, { Type: "Pass" }]) {
        expect(await check(drPlanSchedules, withMachine(firstState)), JSON.stringify(firstState)).to.have.length(PLANS.length);
      }
    });

    it("accepts the run machine's start: a Pin wrapping the input whole with the execution's start, then the invoke (infra/run-machine.ts)", async () => {
      const machineArn = `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:backup-machine`;
      const PIN = { Type: "Pass", Parameters: { "input.$": "$", "executionStartTime.$": "$$.Execution.StartTime" }, Next: "Invoke" };
      const withPin = (pin: Record<string, unknown>, invoke: Record<string, unknown> = {}) => {
        const states = { Pin: pin, Invoke: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: BACKUP_ARN, "Payload.$": "$" }, End: true, ...invoke } };
        const primary = stack().find((r) => r.name === "primary");
        const machine = resource("aws:sfn/stateMachine:StateMachine", "backup-machine", { definition: json({ StartAt: "Pin", States: states }) }, { ...(primary === undefined ? {} : { provider: primary }), computed: { arn: machineArn } });
        return [...stack().map((r) => (r.type === T.schedule ? withProps(r, { target: { ...(r.inputs.target as object), arn: machineArn } }) : r)), machine];
      };
      expect(await check(drPlanSchedules, withPin(PIN))).to.deep.equal([]);
      // The real definition passes too.
      const real = runMachineDefinition(BACKUP_ARN, { purpose: "backup", timeoutSeconds: 9000, functionTimeoutSeconds: 900 });
      expect(real.StartAt).to.equal("Pin");
      expect(real.States.Pin).to.deep.include({ Parameters: PIN.Parameters, Next: "Invoke" });
      // A Pass that drops or replaces the input, or adds to it, or leads to another function's invoke, does not.
      const other = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:copy`;
      const refused: [Record<string, unknown>, Record<string, unknown>?][] = [
        [{ ...PIN, Parameters: { "input.$": "$.plan", "executionStartTime.$": "$$.Execution.StartTime" } }],
        [{ ...PIN, Parameters: { input: { plan: "gold" }, "executionStartTime.$": "$$.Execution.StartTime" } }],
        [{ ...PIN, Parameters: { ...PIN.Parameters, extra: 1 } }],
        [{ ...PIN, OutputPath: "$.executionStartTime" }],
        [{ ...PIN, Next: "Nowhere" }],
        [PIN, { Parameters: { FunctionName: other, "Payload.$": "$" } }],
        [PIN, { Parameters: { FunctionName: BACKUP_ARN, "Payload.$": "$.input" } }],
      ];
      for (const [pin, invoke] of refused) expect(await check(drPlanSchedules, withPin(pin, invoke)), JSON.stringify([pin, invoke])).to.have.length(PLANS.length);
    });

    it("reports plans out of the bounds the config and the functions enforce (#13)", async () => {
      const plans = [{ ...PLANS[0], keep: { daily: 3, yearly: 300000 } }, { ...PLANS[1], drKeep: { hourly: 1e12 } }];
      expect(await check(drPlanSchedules, stack("prod", plans))).to.deep.equal([
        `${backupLabel}: Plan "gold" is out of bounds: keep.yearly: at most 100 yearly backups can be kept (100 years of them), got 300000: change it in backup-dr:plans.`,
        `${backupLabel}: Plan "silver" is out of bounds: drKeep.hourly: at most 100000 hourly backups can be kept (100 years of them), got 1000000000000: change it in backup-dr:plans.`,
      ]);
    });
  });

  describe("dr-copy-coverage", () => {
    it("reports copying plans without the copy function", async () => {
      expect(await check(drCopyCoverage, changed(stack(), T.fn, "copy", "remove"))).to.deep.equal([
        '(stack): Plans "gold", "silver" copy backups to the DR region but the stack has no Lambda function "copy": add the copy function, or set copyToDr: false on those plans.',
      ]);
    });

    it("reports a missing DR key, and one outside the DR region", async () => {
      const onePlan = stack("prod", [PLANS[0], { ...PLANS[1], copyToDr: false }]);
      expect(await check(drCopyCoverage, changed(onePlan, T.key, "dr-key", "remove"))).to.deep.equal([
        '(stack): Plan "gold" copies backups to the DR region but the stack has no KMS key "dr-key": create the DR region\'s customer-managed key with the "dr" provider.',
      ]);
      expect(await check(drCopyCoverage, changed(stack(), T.key, "dr-key", { region: "us-east-1" }))).to.deep.equal([
        `dr-key (${T.key}): The KMS key "dr-key" is in us-east-1, not the DR region us-west-2: create it with the "dr" provider.`,
      ]);
    });

    it("does not apply when no plan copies", async () => {
      const noCopy = PLANS.map((p) => ({ ...p, copyToDr: false }));
      expect(await check(drCopyCoverage, changed(changed(stack("prod", noCopy), T.fn, "copy", "remove"), T.key, "dr-key", "remove"))).to.deep.equal([]);
    });
  });

  describe("dr-every-plan-copies", () => {
    const notCopying = (plan: string) =>
      `${backupLabel}: Plan "${plan}" does not copy to the DR region; environment "prod" requires every plan to: set copyToDr: true on it in backup-dr:plans, or name it in backup-dr:allowNoDrCopy to make the exception explicit.`;
    /** The stack with the backup function's BACKUP_DR_ALLOW_NO_DR_COPY set to `value` (absent when undefined). */
    const withExceptions = (resources: StackResource[], value: string | undefined) => {
      const backup = resources.find((r) => r.urn === urnOf(T.fn, "backup"));
      const variables = (backup?.inputs.environment as { variables?: Record<string, string> } | undefined)?.variables;
      if (variables === undefined) throw new Error("fixture has no backup function variables");
      const next = { ...variables, BACKUP_DR_ALLOW_NO_DR_COPY: value };
      if (value === undefined) delete next.BACKUP_DR_ALLOW_NO_DR_COPY;
      return changed(resources, T.fn, "backup", { environment: { variables: next } });
    };

    it("passes plans that copy, and a plan that does not when allowNoDrCopy names it", async () => {
      expect(await check(drEveryPlanCopies, withExceptions(stack(), "[]"))).to.deep.equal([]);
      const silverStays = stack("prod", [PLANS[0], { ...PLANS[1], copyToDr: false }]);
      expect(await check(drEveryPlanCopies, withExceptions(silverStays, json(["silver"])))).to.deep.equal([]);
    });

    it("reports each plan that does not copy and is not excepted (no exception list counts as none)", async () => {
      const neither = stack("prod", PLANS.map((p) => ({ ...p, copyToDr: false })));
      expect(await check(drEveryPlanCopies, withExceptions(neither, undefined))).to.deep.equal([notCopying("gold"), notCopying("silver")]);
      expect(await check(drEveryPlanCopies, withExceptions(neither, json(["gold"])))).to.deep.equal([notCopying("silver")]);
    });

    it("reports an unreadable exception list, and then excepts nothing", async () => {
      const silverStays = stack("prod", [PLANS[0], { ...PLANS[1], copyToDr: false }]);
      expect(await check(drEveryPlanCopies, withExceptions(silverStays, "silver"))).to.deep.equal([
        `${backupLabel}: The backup function's BACKUP_DR_ALLOW_NO_DR_COPY is not a JSON list of plan names: set backup-dr:allowNoDrCopy to a list of plan names.`,
        notCopying("silver"),
      ]);
    });

    it("takes strict environments from config", async () => {
      const staging = stack("staging", [PLANS[0], { ...PLANS[1], copyToDr: false }]);
      expect(await check(drEveryPlanCopies, staging)).to.deep.equal([]);
      expect(await check(drEveryPlanCopies, staging, { strictEnvironments: ["staging"] })).to.deep.equal([notCopying("silver").replace('"prod"', '"staging"')]);
    });
  });

  describe("dr-minimum-retention", () => {
    it("reports too few daily backups in the primary region", async () => {
      const plans = [PLANS[0], { ...PLANS[1], keep: { daily: 3 }, drKeep: { daily: 7 } }];
      expect(await check(drMinimumRetention, stack("prod", plans))).to.deep.equal([
        `${backupLabel}: Plan "silver" keeps 3 daily backups in the primary region; environment "prod" requires at least 7: raise keep.daily in backup-dr:plans.`,
      ]);
    });

    it("reports too few DR copies (drKeep defaulting to keep), unless the plan does not copy", async () => {
      const plans = [{ ...PLANS[0], drKeep: { weekly: 4 } }, { ...PLANS[1], keep: { daily: 7 }, drKeep: undefined }];
      expect(await check(drMinimumRetention, stack("prod", plans))).to.deep.equal([
        `${backupLabel}: Plan "gold" keeps 0 daily copies in the DR region; environment "prod" requires at least 7: raise drKeep.daily in backup-dr:plans.`,
      ]);
      expect(await check(drMinimumRetention, stack("prod", [{ ...PLANS[0], drKeep: { weekly: 4 }, copyToDr: false }]))).to.deep.equal([]);
    });

    it("takes per-tier minimums and strict environments from config", async () => {
      expect(await check(drMinimumRetention, stack("staging"), { strictEnvironments: ["staging"], minimumKeep: { weekly: 5 }, minimumDrKeep: {} })).to.deep.equal([
        `${backupLabel}: Plan "silver" keeps 4 weekly backups in the primary region; environment "staging" requires at least 5: raise keep.weekly in backup-dr:plans.`,
      ]);
    });
  });

  describe("dr-vault-lock-mode", () => {
    const requires = 'environment "prod" requires COMPLIANCE for at least 30 days';

    it("reports a vault without Object Lock (vault lock off)", async () => {
      expect(await check(drVaultLockMode, changed(stack(), T.lock, "backup-dr-dr-vault-object-lock", "remove"))).to.deep.equal([
        `backup-dr-dr-vault (${T.bucket}): The vault bucket has no Object Lock default retention; ${requires}: set backup-dr:vaultLock to mode COMPLIANCE with days of 30 or more.`,
      ]);
    });

    it("reports GOVERNANCE mode and a short retention", async () => {
      const governance = changed(stack(), T.lock, "backup-dr-primary-vault-object-lock", { rule: { defaultRetention: { mode: "GOVERNANCE", days: 35 } } });
      expect(await check(drVaultLockMode, governance)).to.deep.equal([
        `backup-dr-primary-vault (${T.bucket}): The vault bucket's Object Lock mode is GOVERNANCE; ${requires}: set backup-dr:vaultLock.mode to COMPLIANCE.`,
      ]);
      const short = changed(stack(), T.lock, "backup-dr-primary-vault-object-lock", { rule: { defaultRetention: { mode: "COMPLIANCE", days: 7 } } });
      expect(await check(drVaultLockMode, short)).to.deep.equal([
        `backup-dr-primary-vault (${T.bucket}): The vault bucket's Object Lock retention is 7 days; ${requires}: raise backup-dr:vaultLock.days to 30 or more.`,
      ]);
    });

    it("counts years as 365 days", async () => {
      expect(await check(drVaultLockMode, changed(stack(), T.lock, "backup-dr-primary-vault-object-lock", { rule: { defaultRetention: { mode: "COMPLIANCE", years: 1 } } }), { minimumDays: 365 })).to.deep.equal([
        `backup-dr-dr-vault (${T.bucket}): The vault bucket's Object Lock retention is 35 days; environment "prod" requires COMPLIANCE for at least 365 days: raise backup-dr:vaultLock.days to 365 or more.`,
      ]);
    });
  });
});
