// The restore path under mocks, in both regions: each region's restore function and state machine on that region's
// provider, key, vault and topic only; the function's environment and least-privilege role; the machine's definition,
// role, encrypted logs and alarms; the stack outputs the operator CLI reads. prod has a restore network in both
// regions; dev has none; a variant adds an instance profile.
import { expect } from "chai";
import type { BackupDrConfig } from "../../infra/config";
import type { PolicyDocument, PolicyStatement } from "../../infra/policy-documents";
import { restoreMachineDefinition, restoreMachineTimeoutSeconds } from "../../infra/restore-machine";
import { restoreKinds } from "../../handlers/kinds/registry";
import { deployStack, type Deployed } from "../helpers/deploy";
import { ACCOUNT_ID, promiseOf, type Registered } from "../helpers/program";
import { jsonInput, ofType, one, providerName, TYPE } from "../helpers/resources";
import { stackValues } from "../helpers/stacks";

const T = TYPE;

const SIDES = ["primary", "dr"] as const;
type Side = (typeof SIDES)[number];

function statementsOf(resources: Registered[], name: string): PolicyStatement[] {
  return jsonInput<PolicyDocument>(one(resources, T.policy, name), "policy").Statement;
}

function allowing(statements: PolicyStatement[], action: string): PolicyStatement[] {
  return statements.filter((s) => s.Effect === "Allow" && [s.Action].flat().includes(action));
}

describe("restore infrastructure (prod: a restore network in both regions)", () => {
  let run: Deployed;
  let resources: Registered[];
  let config: BackupDrConfig;
  const region = (side: Side) => (side === "primary" ? config.region : config.drRegion);
  const arn = (side: Side, service: string, resource: string) => `arn:aws:${service}:${region(side)}:${ACCOUNT_ID}:${resource}`;
  const keyArn = (side: Side) => arn(side, "kms", `key/${side}-key-key-id`);
  const topicArn = (side: Side) => arn(side, "sns", side === "primary" ? "notifications" : "dr-notifications");
  const vault = (side: Side) => `backup-dr-${side}-vault-1a2b3c4`;

  before(async () => {
    run = await deployStack("prod");
    resources = run.resources;
    config = run.result.config;
  });

  for (const side of SIDES) {
    describe(`${side} region`, () => {
      const name = `${side}-restore`;

      it("has a restore function on the region's provider, with that region's key, vault and network in its environment", () => {
        const fn = one(resources, T.fn, name);
        expect(providerName(fn)).to.equal(side);
        expect(fn.inputs).to.deep.include({ runtime: "nodejs22.x", timeout: 300, memorySize: 512, role: `arn:aws:iam::${ACCOUNT_ID}:role/${name}-role` });
        expect(fn.inputs.environment).to.deep.equal({
          variables: {
            BACKUP_DR_STACK: "backup-dr/prod",
            BACKUP_DR_REGION: region(side),
            BACKUP_DR_REGION_ROLE: side,
            BACKUP_DR_KEY_ARN: keyArn(side),
            BACKUP_DR_VAULT_BUCKET: vault(side),
            BACKUP_DR_RESTORE_NETWORK: JSON.stringify(config.restore[side]),
          },
        });
        expect(JSON.parse(JSON.stringify(config.restore[side]))).to.have.property("subnetIds").that.is.not.empty;
      });

      it("logs to a log group and fails over to a queue, both encrypted with the region's key; its errors alarm to the region's topic", () => {
        expect(one(resources, T.logGroup, `${name}-logs`).inputs).to.deep.include({ name: `/backup-dr/prod/${name}`, kmsKeyId: keyArn(side), retentionInDays: 365 });
        expect(one(resources, T.queue, `${name}-failures`).inputs).to.deep.include({ kmsMasterKeyId: keyArn(side) });
        for (const alarm of [`${name}-errors`, `${name}-failed-invocations`]) {
          const a = one(resources, T.alarm, alarm);
          expect(a.inputs.alarmActions, alarm).to.deep.equal([topicArn(side)]);
          expect(providerName(a), alarm).to.equal(side);
        }
      });

      it("its role writes manifests only under runs/restore/ of the region's vault and uses only the region's key and topic", () => {
        const s = statementsOf(resources, `${name}-policy`);
        expect(allowing(s, "s3:PutObject").map((x) => x.Resource)).to.deep.equal([`arn:aws:s3:::${vault(side)}/runs/restore/*`]);
        expect(allowing(s, "sns:Publish").map((x) => x.Resource)).to.deep.equal([topicArn(side)]);
        const other: Side = side === "primary" ? "dr" : "primary";
        const text = JSON.stringify(s);
        for (const foreign of [keyArn(other), vault(other), topicArn(other), `:${region(other)}:`]) expect(text, foreign).to.not.include(foreign);
      });

      it("its role launches only into the configured subnets and creates only with the restore tags", () => {
        const s = statementsOf(resources, `${name}-policy`);
        const subnets = config.restore[side].subnetIds.map((id) => arn(side, "ec2", `subnet/${id}`));
        expect(allowing(s, "ec2:RunInstances").flatMap((x) => [x.Resource ?? []].flat()).filter((r) => r.includes(":subnet/"))).to.deep.equal(subnets);
        for (const action of ["ec2:CreateVolume", "ec2:RegisterImage", "rds:RestoreDBInstanceFromDBSnapshot", "rds:RestoreDBClusterFromSnapshot", "rds:CreateDBInstance"]) {
          const creating = allowing(s, action).filter((x) => [x.Resource ?? []].flat().some((r) => /:(volume\/\*|image\/\*|db:\*|cluster:\*)$/.test(r)));
          expect(creating.length, action).to.be.greaterThan(0);
          for (const x of creating) expect(x.Condition?.StringEquals?.["aws:RequestTag/backup-dr:stack"], `${action} ${x.Sid}`).to.equal("backup-dr/prod");
        }
        expect(allowing(s, "iam:PassRole")).to.deep.equal([]);
      });

      it("its role deletes no snapshot and nothing but restored images", () => {
        const s = statementsOf(resources, `${name}-policy`);
        const changes = s.flatMap((x) => [x.Action].flat()).filter((a) => /:(Delete|Deregister|Terminate)/.test(a));
        expect(changes).to.deep.equal(["ec2:DeregisterImage"]);
      });

      it("has a STANDARD state machine invoking the region's function, logging errors to a log group encrypted with the region's key", async () => {
        const machine = one(resources, T.machine, `${name}-machine`);
        expect(providerName(machine)).to.equal(side);
        const functionArn = arn(side, "lambda", `function:${name}`);
        const timeout = restoreMachineTimeoutSeconds(restoreKinds().map((k) => k.timeoutMinutes));
        // The longest kind (databases, 180 min) plus the margin of 30.
        expect(timeout).to.equal(210 * 60);
        expect(JSON.parse(String(machine.inputs.definition))).to.deep.equal(restoreMachineDefinition(functionArn, timeout));
        const logGroupName = `/aws/vendedlogs/states/backup-dr/prod/${name}`;
        expect(machine.inputs).to.deep.include({
          type: "STANDARD",
          roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/${name}-machine-role`,
          loggingConfiguration: { logDestination: `${arn(side, "logs", `log-group:${logGroupName}`)}:*`, level: "ERROR", includeExecutionData: false },
        });
        expect(one(resources, T.logGroup, `${name}-machine-logs`).inputs).to.deep.include({ name: logGroupName, kmsKeyId: keyArn(side), retentionInDays: 365 });
        expect(machine.dependsOn.some((d) => d.endsWith(`::${name}-machine-policy`))).to.equal(true);
        expect(await promiseOf(run.result.outputs.restoreStateMachineArns[side])).to.equal(arn(side, "states", `stateMachine:${name}-machine`));
        expect(await promiseOf(run.result.outputs.restoreFunctionArns[side])).to.equal(functionArn);
      });

      it("the machine's role is assumed by Step Functions of this account and invokes only the region's function", () => {
        const trust = jsonInput<PolicyDocument>(one(resources, T.role, `${name}-machine-role`), "assumeRolePolicy");
        expect(trust.Statement).to.deep.equal([
          { Sid: "ServiceOfThisAccountAssumes", Effect: "Allow", Principal: { Service: "states.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } } },
        ]);
        const functionArn = arn(side, "lambda", `function:${name}`);
        expect(allowing(statementsOf(resources, `${name}-machine-policy`), "lambda:InvokeFunction").map((x) => x.Resource)).to.deep.equal([[functionArn, `${functionArn}:*`]]);
      });

      it("alarms on failed, timed-out and aborted executions, to the region's topic", () => {
        const alarms = ofType(resources, T.alarm).filter((a) => a.name.startsWith(`${name}-executions-`));
        expect(alarms.map((a) => a.inputs.metricName).sort()).to.deep.equal(["ExecutionsAborted", "ExecutionsFailed", "ExecutionsTimedOut"]);
        for (const a of alarms) {
          expect(providerName(a)).to.equal(side);
          expect(a.inputs).to.deep.include({
            namespace: "AWS/States",
            dimensions: { StateMachineArn: arn(side, "states", `stateMachine:${name}-machine`) },
            statistic: "Sum",
            threshold: 0,
            comparisonOperator: "GreaterThanThreshold",
            alarmActions: [topicArn(side)],
          });
        }
      });
    });
  }
});

describe("restore infrastructure (dev: no restore network)", () => {
  let resources: Registered[];

  before(async () => {
    resources = (await deployStack("dev")).resources;
  });

  it("passes an empty network to both functions, whose roles may not launch, restore databases or pass a role", () => {
    for (const side of SIDES) {
      const fn = one(resources, T.fn, `${side}-restore`);
      expect((fn.inputs.environment as { variables: Record<string, string> }).variables.BACKUP_DR_RESTORE_NETWORK, side).to.equal("{}");
      const s = statementsOf(resources, `${side}-restore-policy`);
      const actions = s.flatMap((x) => [x.Action].flat());
      expect(actions.filter((a) => /^(ec2:RunInstances|rds:Restore|rds:CreateDBInstance|iam:PassRole)/.test(a)), side).to.deep.equal([]);
      expect(actions, side).to.include.members(["ec2:CreateVolume", "ec2:RegisterImage"]);
    }
  });
});

describe("restore infrastructure with an instance profile in the DR region", () => {
  it("looks the profile's role up through the DR provider and lets only the DR function pass it, only to EC2", async () => {
    const values = stackValues("dev");
    const run = await deployStack("dev", {
      ...values,
      "backup-dr:restore": { dr: { subnetIds: ["subnet-12345678"], securityGroupIds: ["sg-12345678"], instanceProfileArn: `arn:aws:iam::${ACCOUNT_ID}:instance-profile/ops/restored` } },
    });
    expect(run.calls.filter((c) => c.startsWith("aws:iam/getInstanceProfile")).map((c) => c.replace(/@.*::pulumi:providers:aws::(\w+)::.*$/, "@$1"))).to.deep.equal([
      "aws:iam/getInstanceProfile:getInstanceProfile@dr",
    ]);
    expect(allowing(statementsOf(run.resources, "dr-restore-policy"), "iam:PassRole")).to.deep.equal([
      {
        Sid: "PassOnlyTheRestoreInstanceProfileRole",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: `arn:aws:iam::${ACCOUNT_ID}:role/restored-role`,
        Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
      },
    ]);
    expect(allowing(statementsOf(run.resources, "primary-restore-policy"), "iam:PassRole")).to.deep.equal([]);
    const env = (one(run.resources, T.fn, "dr-restore").inputs.environment as { variables: Record<string, string> }).variables;
    expect(JSON.parse(env.BACKUP_DR_RESTORE_NETWORK)).to.deep.equal({
      subnetIds: ["subnet-12345678"],
      securityGroupIds: ["sg-12345678"],
      instanceProfileArn: `arn:aws:iam::${ACCOUNT_ID}:instance-profile/ops/restored`,
    });
  });
});
