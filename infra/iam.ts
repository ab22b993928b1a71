// IAM trust and role policies for the functions and schedules, as pure functions over plain strings.
import type { PolicyDocument, PolicyStatement } from "./policy-documents";

/** Lets one AWS service, acting for this account, assume the role. */
export function trustPolicy(service: string, accountId: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ServiceOfThisAccountAssumes",
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  };
}

export function rolePolicy(statements: PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

export interface FunctionBaseArgs {
  logGroupArn: string;
  deadLetterQueueArn: string;
  /** The key that encrypts the log group, the queue, the vault and the topic. */
  keyArn: string;
  vaultArn: string;
  /** Run manifests go under `runs/<manifestFolder>/`. */
  manifestFolder: string;
  topicArn: string;
}

/** What every function needs: its logs, its on-failure queue, its manifests, the topic, and the key for those. */
export function functionBaseStatements(a: FunctionBaseArgs): PolicyStatement[] {
  return [
    { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${a.logGroupArn}:*` },
    { Sid: "SendToOnFailureQueue", Effect: "Allow", Action: "sqs:SendMessage", Resource: a.deadLetterQueueArn },
    { Sid: "WriteRunManifests", Effect: "Allow", Action: "s3:PutObject", Resource: `${a.vaultArn}/runs/${a.manifestFolder}/*` },
    { Sid: "PublishRunSummaries", Effect: "Allow", Action: "sns:Publish", Resource: a.topicArn },
    { Sid: "UseKeyForQueueVaultAndTopic", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: a.keyArn },
  ];
}

/**
 * A run longer than one invocation reads back the parts its earlier invocations wrote (handlers/lib/cursor.ts partKey:
 * `<manifest>.part-<n>-<stamp>.json` beside the manifest; cleanup also reads its `.intent.json` records there) to merge them into its one manifest: GetObject of those keys only,
 * under the function's own `runs/<manifestFolder>/` (decrypting with the key of the base statements).
 */
export function runPartStatements(vaultArn: string, manifestFolder: string): PolicyStatement[] {
  return [{ Sid: "ReadOwnRunParts", Effect: "Allow", Action: "s3:GetObject", Resource: `${vaultArn}/runs/${manifestFolder}/*.part-*.json` }];
}

/** The scheduler's role: invoke one function, and dead-letter undeliverable events to one queue. */
export function schedulerStatements(functionArn: string, deadLetterQueueArn: string, keyArn: string): PolicyStatement[] {
  return [
    { Sid: "InvokeFunction", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: [functionArn, `${functionArn}:*`] },
    { Sid: "SendToDeadLetterQueue", Effect: "Allow", Action: "sqs:SendMessage", Resource: deadLetterQueueArn },
    { Sid: "UseKeyForQueue", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: keyArn },
  ];
}

/** The scheduler's role when its target is a queue: send to that queue, dead-letter to another, and the key for both. */
export function schedulerToQueueStatements(queueArn: string, deadLetterQueueArn: string, keyArn: string): PolicyStatement[] {
  return [
    { Sid: "SendToTargetQueue", Effect: "Allow", Action: "sqs:SendMessage", Resource: queueArn },
    { Sid: "SendToDeadLetterQueue", Effect: "Allow", Action: "sqs:SendMessage", Resource: deadLetterQueueArn },
    { Sid: "UseKeyForQueues", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: keyArn },
  ];
}

/** The scheduler's role when its target is a state machine: start executions of it, dead-letter to one queue. */
export function schedulerToStateMachineStatements(stateMachineArn: string, deadLetterQueueArn: string, keyArn: string): PolicyStatement[] {
  return [
    { Sid: "StartStateMachine", Effect: "Allow", Action: "states:StartExecution", Resource: stateMachineArn },
    { Sid: "SendToDeadLetterQueue", Effect: "Allow", Action: "sqs:SendMessage", Resource: deadLetterQueueArn },
    { Sid: "UseKeyForQueue", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: keyArn },
  ];
}

/** A function fed by a queue's event source mapping: receive and delete its messages (the key is in the base statements). */
export function queueConsumerStatements(queueArn: string): PolicyStatement[] {
  return [
    {
      Sid: "ConsumeOwnQueue",
      Effect: "Allow",
      Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
      Resource: queueArn,
    },
  ];
}

export interface AccountScope {
  partition: string;
  region: string;
  accountId: string;
}
