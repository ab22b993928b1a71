// Resource policy documents (KMS keys, buckets, the topic) as pure functions over plain strings.
// Used inside `apply`; unit-tested directly.

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow" | "Deny";
  /** Resource and trust policies only. */
  Principal?: "*" | { AWS: string | string[] } | { Service: string | string[] };
  Action: string | string[];
  /** Absent in trust policies. */
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

export interface Account {
  accountId: string;
  partition: string;
  /** DNS suffix of the partition's service endpoints, e.g. amazonaws.com. */
  dnsSuffix: string;
}

const rootOf = (a: Account) => `arn:${a.partition}:iam::${a.accountId}:root`;
const document = (...statements: PolicyStatement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });

/** Key administration actions: everything but using the key for data. Not `kms:Create*`: that includes CreateGrant. */
export const KEY_ADMIN_ACTIONS = [
  "kms:CreateAlias", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*",
  "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
  "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand",
];

/** Data actions the AWS services need to encrypt snapshots, objects, messages and logs. */
export const KEY_USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

/** Services whose callers in this account may use the key, checked with kms:ViaService. */
export const KEY_VIA_SERVICES = ["ec2", "rds", "s3", "sns", "sqs"];

export interface KeyPolicyArgs extends Account {
  region: string;
  /** Service principals that publish to a topic encrypted with this key (e.g. cloudwatch.amazonaws.com). */
  topicPublishers: string[];
}

/**
 * The key policy: the account administers the key; its principals may use it only through EBS/EC2,
 * RDS, S3, SNS and SQS in this region; CloudWatch Logs may use it for this account's log groups;
 * named services may publish to topics encrypted with it. No statement names a `*` principal.
 */
export function keyPolicy(a: KeyPolicyArgs): PolicyDocument {
  const statements: PolicyStatement[] = [
    { Sid: "AccountAdministersKey", Effect: "Allow", Principal: { AWS: rootOf(a) }, Action: KEY_ADMIN_ACTIONS, Resource: "*" },
    {
      Sid: "AccountUsesKeyThroughBackupServices",
      Effect: "Allow",
      Principal: { AWS: rootOf(a) },
      Action: KEY_USE_ACTIONS,
      Resource: "*",
      Condition: {
        StringEquals: {
          "kms:ViaService": KEY_VIA_SERVICES.map((s) => `${s}.${a.region}.${a.dnsSuffix}`),
          "kms:CallerAccount": a.accountId,
        },
      },
    },
    {
      // EBS and RDS hold a grant while they use the key for a volume, snapshot or copy; nobody else gets one.
      Sid: "AccountGrantsKeyOnlyToBackupServices",
      Effect: "Allow",
      Principal: { AWS: rootOf(a) },
      Action: "kms:CreateGrant",
      Resource: "*",
      Condition: {
        StringEquals: { "kms:ViaService": KEY_VIA_SERVICES.map((s) => `${s}.${a.region}.${a.dnsSuffix}`), "kms:CallerAccount": a.accountId },
        Bool: { "kms:GrantIsForAWSResource": "true" },
      },
    },
    {
      Sid: "CloudWatchLogsEncryptsThisAccountsLogs",
      Effect: "Allow",
      Principal: { Service: `logs.${a.region}.${a.dnsSuffix}` },
      Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      Resource: "*",
      Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${a.partition}:logs:${a.region}:${a.accountId}:*` } },
    },
  ];
  if (a.topicPublishers.length > 0) {
    statements.push({
      Sid: "ServicesPublishToEncryptedTopics",
      Effect: "Allow",
      Principal: { Service: a.topicPublishers },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: "*",
      // No aws:SourceAccount here: SNS calls KMS for the publishing service, and the S3 and SNS guides' key policies for
      // encrypted topics name the service principal alone. Who may publish is the topic policy's job (which checks it).
    });
  }
  return document(...statements);
}

function denyInsecureTransport(bucketArn: string): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** A vault bucket's policy: TLS only. */
export function vaultBucketPolicy(bucketArn: string): PolicyDocument {
  return document(denyInsecureTransport(bucketArn));
}

/** The access-log bucket's policy: TLS only, and S3 log delivery from the named buckets of this account. */
export function accessLogBucketPolicy(logBucketArn: string, sourceBucketArns: string[], account: Account): PolicyDocument {
  return document(denyInsecureTransport(logBucketArn), {
    Sid: "S3ServerAccessLogDelivery",
    Effect: "Allow",
    Principal: { Service: "logging.s3.amazonaws.com" },
    Action: "s3:PutObject",
    Resource: `${logBucketArn}/*`,
    Condition: {
      ArnLike: { "aws:SourceArn": sourceBucketArns },
      StringEquals: { "aws:SourceAccount": account.accountId },
    },
  });
}

/** The topic's policy: the account manages and publishes; named services of this account publish; TLS only. */
export function topicPolicy(topicArn: string, publishers: string[], account: Account): PolicyDocument {
  return document(
    {
      Sid: "AccountManagesTopic",
      Effect: "Allow",
      Principal: { AWS: rootOf(account) },
      Action: [
        "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:AddPermission", "sns:RemovePermission",
        "sns:DeleteTopic", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish",
      ],
      Resource: topicArn,
    },
    {
      Sid: "AwsServicesOfThisAccountPublish",
      Effect: "Allow",
      Principal: { Service: publishers },
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: { StringEquals: { "aws:SourceAccount": account.accountId } },
    },
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  );
}

/** A queue fed by EventBridge rules: only those rules (of this account) send to it; TLS only. */
export function ruleQueuePolicy(queueArn: string, ruleArns: string[], account: Account): PolicyDocument {
  return document(
    {
      Sid: "RulesOfThisAccountSend",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: "sqs:SendMessage",
      Resource: queueArn,
      Condition: { ArnEquals: { "aws:SourceArn": ruleArns }, StringEquals: { "aws:SourceAccount": account.accountId } },
    },
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "sqs:*",
      Resource: queueArn,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  );
}
