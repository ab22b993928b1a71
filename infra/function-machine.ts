// A STANDARD state machine that drives one function (the restore's, the drill's, and the run machines of the backup and
// the cleanup): its encrypted log group, its role (invoke that function only, deliver logs), the machine, and the
// execution alarms to the region's topic. A function, not a component: the resources stay children of the caller, so
// the restore machine's resources keep their URNs.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BackupDrConfig } from "./config";
import { rolePolicy, trustPolicy } from "./iam";
import { restoreMachineStatements } from "./iam-restore";
import type { Account } from "./policy-documents";
import type { AslDefinition } from "./restore-machine";
import type { BackupDrFunction, FunctionContext } from "./functions";
import { runMachineDefinition, runMachineTimeoutSeconds, type RunPurpose } from "./run-machine";

/** The state machine's execution metrics that alarm (AWS/States, per state machine). */
export const EXECUTION_ALARMS = ["ExecutionsFailed", "ExecutionsTimedOut", "ExecutionsAborted"] as const;

export interface FunctionMachineArgs {
  config: BackupDrConfig;
  account: pulumi.Input<Account>;
  region: string;
  keyArn: pulumi.Input<string>;
  topicArn: pulumi.Input<string>;
  functionArn: pulumi.Output<string>;
  /** The definition, from the function's ARN. */
  definition: (functionArn: string) => AslDefinition;
  /** What the machine does, for descriptions: "restore", "drill", "backup" or "cleanup". */
  purpose: string;
  /** Where an execution's manifest is, for the alarm descriptions (runs/<folder>/ of the region's vault). */
  manifestFolder: string;
  /** The Sid of the role's invoke statement (the policy pack reads it in reports). */
  invokeSid: string;
}

/** `ExecutionsFailed` -> `executions-failed`: the alarm's resource name suffix. */
export function executionAlarmSuffix(metric: (typeof EXECUTION_ALARMS)[number]): string {
  return metric.replace(/[A-Z]/g, (c, i: number) => `${i === 0 ? "" : "-"}${c.toLowerCase()}`);
}

/** Creates the machine named `${name}-machine` and its pieces as children of `parent`; returns the machine. */
export function functionMachine(name: string, args: FunctionMachineArgs, parent: pulumi.Resource): aws.sfn.StateMachine {
  const opts = { parent };
  const { config, region, purpose } = args;
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-machine-logs`,
    // The /aws/vendedlogs/ prefix keeps CloudWatch Logs' resource policy for log delivery small (Step Functions guide).
    { name: `/aws/vendedlogs/states/backup-dr/${config.stack}/${name}`, retentionInDays: config.logRetentionDays, kmsKeyId: args.keyArn },
    opts,
  );
  const machineRole = new aws.iam.Role(
    `${name}-machine-role`,
    {
      description: `backup-dr ${name}: runs the ${purpose} state machine in ${region}`,
      assumeRolePolicy: pulumi.output(args.account).apply((a) => JSON.stringify(trustPolicy("states.amazonaws.com", a.accountId))),
    },
    opts,
  );
  const machinePolicy = new aws.iam.RolePolicy(
    `${name}-machine-policy`,
    {
      role: machineRole.id,
      policy: args.functionArn.apply((arn) =>
        JSON.stringify(rolePolicy(restoreMachineStatements(arn).map((s, i) => (i === 0 ? { ...s, Sid: args.invokeSid } : s)))),
      ),
    },
    opts,
  );
  const machine = new aws.sfn.StateMachine(
    `${name}-machine`,
    {
      type: "STANDARD",
      roleArn: machineRole.arn,
      definition: args.functionArn.apply((arn) => JSON.stringify(args.definition(arn))),
      // Errors only, without the execution's data: the execution history keeps the steps' input and output.
      loggingConfiguration: { logDestination: pulumi.interpolate`${logGroup.arn}:*`, level: "ERROR", includeExecutionData: false },
    },
    { parent, dependsOn: [machinePolicy] },
  );
  for (const metric of EXECUTION_ALARMS) {
    new aws.cloudwatch.MetricAlarm(
      `${name}-${executionAlarmSuffix(metric)}`,
      {
        alarmDescription: `backup-dr ${name}: a ${purpose} execution in ${region} ended ${metric.replace("Executions", "").toLowerCase()}; see the execution and its manifest under runs/${args.manifestFolder}/ of the region's vault.`,
        namespace: "AWS/States",
        metricName: metric,
        dimensions: { StateMachineArn: machine.arn },
        statistic: "Sum",
        period: 300,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        alarmActions: [args.topicArn],
      },
      opts,
    );
  }
  return machine;
}

/**
 * The run machine of the backup or the cleanup function (infra/run-machine.ts), named `${purpose}-machine`, in the
 * primary region: its TimeoutSeconds from the run's deadline (backup-dr:pacing.runDeadlineMinutes) and the function's timeout.
 */
export function runMachine(purpose: RunPurpose, fn: BackupDrFunction, functionTimeoutSeconds: number, args: FunctionContext, parent: pulumi.Resource): aws.sfn.StateMachine {
  const timeoutSeconds = runMachineTimeoutSeconds(args.config.pacing.runDeadlineMinutes, functionTimeoutSeconds);
  return functionMachine(
    purpose,
    {
      ...args,
      region: args.config.region,
      functionArn: fn.functionArn,
      definition: (arn) => runMachineDefinition(arn, { purpose, timeoutSeconds, functionTimeoutSeconds }),
      purpose,
      manifestFolder: purpose,
      invokeSid: `Invoke${purpose === "backup" ? "Backup" : "Cleanup"}FunctionOnly`,
    },
    parent,
  );
}
