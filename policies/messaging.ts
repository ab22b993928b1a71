// SNS topics and SQS queues: encrypted at rest with a customer-managed KMS key, so a key policy the
// stack controls decides who reads backup notifications and failed-run events.
import * as aws from "@pulumi/aws";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";
import { isCustomerManagedKey } from "./lib/keys";

export const snsTopicKmsEncryption: ResourceValidationPolicy = {
  name: "sns-topic-kms-encryption",
  description: "Every SNS topic is encrypted with a customer-managed KMS key.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.sns.Topic, (topic, _args, reportViolation) => {
    const key = topic.kmsMasterKeyId;
    if (key === undefined || key === "") {
      reportViolation("The topic is not encrypted: set kmsMasterKeyId to its region's customer-managed key.");
    } else if (!isCustomerManagedKey(key)) {
      reportViolation(`The topic is encrypted with the AWS-managed key ${key}: set kmsMasterKeyId to its region's customer-managed key.`);
    }
  }),
};

export const sqsQueueKmsEncryption: ResourceValidationPolicy = {
  name: "sqs-queue-kms-encryption",
  description: "Every SQS queue is encrypted with a customer-managed KMS key.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.sqs.Queue, (queue, _args, reportViolation) => {
    const key = queue.kmsMasterKeyId;
    if (key === undefined || key === "") {
      // SSE-SQS encrypts with a key AWS owns: no key policy of ours applies to it.
      const how = queue.sqsManagedSseEnabled === true ? "uses SSE-SQS (a key owned by AWS)" : "is not encrypted with a KMS key";
      reportViolation(`The queue ${how}: set kmsMasterKeyId to its region's customer-managed key.`);
    } else if (!isCustomerManagedKey(key)) {
      reportViolation(`The queue is encrypted with the AWS-managed key ${key}: set kmsMasterKeyId to its region's customer-managed key.`);
    }
  }),
};

export const MESSAGING_POLICIES = [snsTopicKmsEncryption, sqsQueueKmsEncryption];
