// The backup's and the cleanup's run machines under mocks (prod, and a variant deadline): the STANDARD machine running
// infra/run-machine.ts's definition with the deadline's timeout, its role (invoke only its function, deliver logs), its
// log group, its execution alarms to the topic, the schedules starting it (retried: runs are idempotent per slot)
// through a role that may start only it, and the stack outputs.
import { expect } from "chai";
import type { BackupDrConfig } from "../../infra/config";
import type { PolicyDocument, PolicyStatement } from "../../infra/policy-documents";
import { RUN_FUNCTION_TIMEOUT_SECONDS, runMachineDefinition, runMachineTimeoutSeconds, type RunPurpose } from "../../infra/run-machine";
import { deployStack, type Deployed } from "../helpers/deploy";
import { ACCOUNT_ID, promiseOf, type Registered } from "../helpers/program";
import { jsonInput, ofType, one, providerName, TYPE } from "../helpers/resources";
import { stackValues } from "../helpers/stacks";

const T = TYPE;
const PURPOSES: readonly RunPurpose[] = ["backup", "cleanup"];
const statementsOf = (resources: Registered[], name: string): PolicyStatement[] => jsonInput<PolicyDocument>(one(resources, T.policy, name), "policy").Statement;

describe("run machines of the backup and the cleanup (prod)", function () {
  this.timeout(300_000);
  let run: Deployed;
  let resources: Registered[];
  let config: BackupDrConfig;
  const arn = (service: string, resource: string) => `arn:aws:${service}:${config.region}:${ACCOUNT_ID}:${resource}`;
  const topicArn = () => arn("sns", "notifications");

  before(async () => {
    run = await deployStack("prod");
    resources = run.resources;
    config = run.result.config;
  });

  for (const purpose of PURPOSES) {
    describe(purpose, () => {
      const functionArn = () => arn("lambda", `function:${purpose}`);
      const machineArn = () => arn("states", `stateMachine:${purpose}-machine`);

      it("is a STANDARD machine on the primary provider running the run definition, timed out after the 120-minute deadline", () => {
        const machine = one(resources, T.machine, `${purpose}-machine`);
        expect(providerName(machine)).to.equal("primary");
        const timeoutSeconds = runMachineTimeoutSeconds(120, RUN_FUNCTION_TIMEOUT_SECONDS);
        expect(JSON.parse(String(machine.inputs.definition))).to.deep.equal(runMachineDefinition(functionArn(), { purpose, timeoutSeconds, functionTimeoutSeconds: RUN_FUNCTION_TIMEOUT_SECONDS }));
        const logGroupName = `/aws/vendedlogs/states/backup-dr/prod/${purpose}`;
        expect(machine.inputs).to.deep.include({
          type: "STANDARD",
          roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/${purpose}-machine-role`,
          loggingConfiguration: { logDestination: `${arn("logs", `log-group:${logGroupName}`)}:*`, level: "ERROR", includeExecutionData: false },
        });
        expect(one(resources, T.logGroup, `${purpose}-machine-logs`).inputs).to.deep.include({ name: logGroupName, kmsKeyId: arn("kms", "key/primary-key-key-id"), retentionInDays: 365 });
        expect(one(resources, T.fn, purpose).inputs.timeout).to.equal(RUN_FUNCTION_TIMEOUT_SECONDS);
      });

      it("runs as a role Step Functions assumes for this account, invoking only its function", () => {
        const trust = jsonInput<PolicyDocument>(one(resources, T.role, `${purpose}-machine-role`), "assumeRolePolicy");
        expect(trust.Statement[0]).to.deep.include({ Principal: { Service: "states.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } } });
        const statements = statementsOf(resources, `${purpose}-machine-policy`);
        const sid = purpose === "backup" ? "InvokeBackupFunctionOnly" : "InvokeCleanupFunctionOnly";
        expect(statements.filter((x) => [x.Action].flat().some((a) => a.startsWith("lambda:")))).to.deep.equal([
          { Sid: sid, Effect: "Allow", Action: "lambda:InvokeFunction", Resource: [functionArn(), `${functionArn()}:*`] },
        ]);
        expect(statements.map((x) => x.Sid)).to.deep.equal([sid, "DeliverExecutionLogs"]);
      });

      it("alarms to the topic when an execution fails, times out or is aborted", () => {
        const alarms = ofType(resources, T.alarm).filter((a) => a.name.startsWith(`${purpose}-executions-`));
        expect(alarms.map((a) => a.name).sort()).to.deep.equal([`${purpose}-executions-aborted`, `${purpose}-executions-failed`, `${purpose}-executions-timed-out`]);
        for (const a of alarms) {
          expect(a.inputs, a.name).to.deep.include({ namespace: "AWS/States", dimensions: { StateMachineArn: machineArn() }, threshold: 0, alarmActions: [topicArn()] });
          expect(String(a.inputs.alarmDescription), a.name).to.include(`runs/${purpose}/`);
        }
      });

      it("is started by its schedules, retried like a function (its runs are idempotent per slot), through a role that may start only it", () => {
        const prefix = purpose === "backup" ? "backup-schedules" : "cleanup-schedule";
        const schedules = ofType(resources, T.schedule).filter((x) => x.name.startsWith(`${prefix}-`));
        expect(schedules).to.have.length(purpose === "backup" ? config.plans.length : 1);
        for (const schedule of schedules) {
          const target = schedule.inputs.target as { arn: string; input: string; retryPolicy: unknown; deadLetterConfig: { arn: string } };
          expect(target.arn).to.equal(machineArn());
          expect(target.retryPolicy).to.deep.equal({ maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 5 });
          expect(target.deadLetterConfig.arn).to.equal(arn("sqs", `${purpose}-failures`));
          const input = JSON.parse(target.input) as Record<string, unknown>;
          expect(input).to.deep.equal(purpose === "backup" ? { plan: schedule.name.slice(prefix.length + 1), scheduledTime: "<aws.scheduler.scheduled-time>" } : { scheduledTime: "<aws.scheduler.scheduled-time>" });
        }
        expect(statementsOf(resources, `${prefix}-policy`)).to.deep.equal([
          { Sid: "StartStateMachine", Effect: "Allow", Action: "states:StartExecution", Resource: machineArn() },
          { Sid: "SendToDeadLetterQueue", Effect: "Allow", Action: "sqs:SendMessage", Resource: arn("sqs", `${purpose}-failures`) },
          { Sid: "UseKeyForQueue", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: arn("kms", "key/primary-key-key-id") },
        ]);
      });
    });
  }

  it("exports both machines' ARNs", async () => {
    const o = run.result.outputs;
    expect([await promiseOf(o.backupMachineArn), await promiseOf(o.cleanupMachineArn)]).to.deep.equal([arn("states", "stateMachine:backup-machine"), arn("states", "stateMachine:cleanup-machine")]);
  });

  it("follows backup-dr:pacing.runDeadlineMinutes: the functions' setting and the machines' timeout", async () => {
    const variant = await deployStack("dev", { ...stackValues("dev"), "backup-dr:pacing": { runDeadlineMinutes: 360 } });
    for (const purpose of PURPOSES) {
      const variables = (one(variant.resources, T.fn, purpose).inputs.environment as { variables: Record<string, string> }).variables;
      expect(variables.BACKUP_DR_RUN_DEADLINE_MINUTES, purpose).to.equal("360");
      const definition = JSON.parse(String(one(variant.resources, T.machine, `${purpose}-machine`).inputs.definition)) as { TimeoutSeconds: number };
      expect(definition.TimeoutSeconds, purpose).to.equal(runMachineTimeoutSeconds(360, RUN_FUNCTION_TIMEOUT_SECONDS));
    }
  });
});
