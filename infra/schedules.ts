// EventBridge Scheduler schedules that invoke one function (or feed its queue, or start its state machine), with a
// role that may do only that.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { rolePolicy, schedulerStatements, schedulerToQueueStatements, schedulerToStateMachineStatements, trustPolicy } from "./iam";
import type { Account } from "./policy-documents";

/** Scheduler fills this in with the slot's time, so a retried invocation lands in the same slot. */
export const SCHEDULED_TIME = "<aws.scheduler.scheduled-time>";

export interface ScheduleSpec {
  /** Suffix of the schedule's resource name. */
  name: string;
  description: string;
  /** `cron(...)` or `rate(...)`. */
  expression: string;
  timezone: string;
  /** The event the function receives; may use Scheduler context attributes such as <aws.scheduler.scheduled-time>. */
  input: Record<string, unknown>;
}

/**
 * The scheduler's retries: none for the drill's state machine (Step Functions names each execution itself, so a retry
 * after a lost StartExecution answer would start a second drill; a missed slot is what the drill watch reports),
 * otherwise 5: a function's handler, a queue's consumer, and a run machine's executions (`runsPerSlot`: the backup's and
 * the cleanup's, infra/run-machine.ts) are idempotent per slot. A second execution of a backup slot finds each source
 * claimed or already backed up under the slot's run id; a second cleanup decides again from what is left. A slot
 * missed for good (no retry) would be a backup not taken, worse than a rare second execution.
 */
export function scheduleRetryPolicy(startsStateMachine: boolean, runsPerSlot = false): { maximumEventAgeInSeconds: number; maximumRetryAttempts: number } {
  return { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: startsStateMachine && !runsPerSlot ? 0 : 5 };
}

export interface FunctionSchedulesArgs {
  functionArn: pulumi.Input<string>;
  /** Events the scheduler cannot deliver after its retries go here. */
  deadLetterQueueArn: pulumi.Input<string>;
  keyArn: pulumi.Input<string>;
  account: pulumi.Input<Account>;
  schedules: ScheduleSpec[];
  /** Send the events to this FIFO queue (in this message group) instead of invoking the function. */
  queue?: { arn: pulumi.Input<string>; messageGroupId: string };
  /** Start executions of this state machine (the function's) instead of invoking the function; not with `queue`. */
  stateMachineArn?: pulumi.Input<string>;
  /** The machine's executions are idempotent per slot (the run machines): retried like a function (scheduleRetryPolicy). */
  runsPerSlot?: boolean;
}

export class FunctionSchedules extends pulumi.ComponentResource {
  readonly scheduleArns: pulumi.Output<string>[];

  constructor(name: string, args: FunctionSchedulesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("backup-dr:schedules:FunctionSchedules", name, {}, opts);
    if (args.queue !== undefined && args.stateMachineArn !== undefined) throw new Error(`${name}: only one of [queue] and [stateMachineArn] can be specified`);
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `backup-dr ${name}: lets EventBridge Scheduler ${args.stateMachineArn === undefined ? "invoke the function" : "start the state machine"}`,
        assumeRolePolicy: pulumi.output(args.account).apply((a) => JSON.stringify(trustPolicy("scheduler.amazonaws.com", a.accountId))),
      },
      { parent: this },
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.id,
        policy: pulumi
          .all([args.functionArn, args.deadLetterQueueArn, args.keyArn, args.queue?.arn, args.stateMachineArn])
          .apply(([fn, deadLetters, key, queue, machine]) =>
            JSON.stringify(
              rolePolicy(
                queue !== undefined
                  ? schedulerToQueueStatements(queue, deadLetters, key)
                  : machine !== undefined
                    ? schedulerToStateMachineStatements(machine, deadLetters, key)
                    : schedulerStatements(fn, deadLetters, key),
              ),
            ),
          ),
      },
      { parent: this },
    );
    this.scheduleArns = args.schedules.map(
      (s) =>
        new aws.scheduler.Schedule(
          `${name}-${s.name}`,
          {
            description: s.description,
            scheduleExpression: s.expression,
            scheduleExpressionTimezone: s.timezone,
            flexibleTimeWindow: { mode: "OFF" },
            state: "ENABLED",
            target: {
              arn: args.queue?.arn ?? args.stateMachineArn ?? args.functionArn,
              roleArn: role.arn,
              ...(args.queue ? { sqsParameters: { messageGroupId: args.queue.messageGroupId } } : {}),
              input: JSON.stringify(s.input),
              retryPolicy: scheduleRetryPolicy(args.stateMachineArn !== undefined, args.runsPerSlot),
              deadLetterConfig: { arn: args.deadLetterQueueArn },
            },
          },
          { parent: this, dependsOn: [policy] },
        ).arn,
    );
    this.registerOutputs({ scheduleArns: this.scheduleArns });
  }
}
