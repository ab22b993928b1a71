// SNS and SQS encryption policies on synthetic topics and queues.
import { expect } from "chai";
import { snsTopicKmsEncryption, sqsQueueKmsEncryption } from "../../policies/messaging";
import { ACCOUNT, check, provider, resource } from "./harness";

const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/primary-key-key-id`;
const p = provider("primary", "us-east-1");
const topic = (inputs: Record<string, unknown>) => [p, resource("aws:sns/topic:Topic", "notifications", inputs, { provider: p })];
const queue = (inputs: Record<string, unknown>) => [p, resource("aws:sqs/queue:Queue", "backup-failures", inputs, { provider: p })];
const topicLabel = "notifications (aws:sns/topic:Topic)";
const queueLabel = "backup-failures (aws:sqs/queue:Queue)";

describe("policies: messaging", () => {
  describe("sns-topic-kms-encryption", () => {
    it("passes a topic under a customer-managed key (ARN or alias)", async () => {
      expect(await check(snsTopicKmsEncryption, topic({ kmsMasterKeyId: KEY_ARN }))).to.deep.equal([]);
      expect(await check(snsTopicKmsEncryption, topic({ kmsMasterKeyId: "alias/backup-dr/prod" }))).to.deep.equal([]);
    });

    it("reports an unencrypted topic", async () => {
      expect(await check(snsTopicKmsEncryption, topic({}))).to.deep.equal([`${topicLabel}: The topic is not encrypted: set kmsMasterKeyId to its region's customer-managed key.`]);
    });

    it("reports the AWS-managed key", async () => {
      expect(await check(snsTopicKmsEncryption, topic({ kmsMasterKeyId: "alias/aws/sns" }))).to.deep.equal([
        `${topicLabel}: The topic is encrypted with the AWS-managed key alias/aws/sns: set kmsMasterKeyId to its region's customer-managed key.`,
      ]);
    });
  });

  describe("sqs-queue-kms-encryption", () => {
    it("passes a queue under a customer-managed key", async () => {
      expect(await check(sqsQueueKmsEncryption, queue({ kmsMasterKeyId: KEY_ARN, kmsDataKeyReusePeriodSeconds: 300 }))).to.deep.equal([]);
    });

    it("reports an unencrypted queue and one on SSE-SQS", async () => {
      expect(await check(sqsQueueKmsEncryption, queue({}))).to.deep.equal([`${queueLabel}: The queue is not encrypted with a KMS key: set kmsMasterKeyId to its region's customer-managed key.`]);
      expect(await check(sqsQueueKmsEncryption, queue({ sqsManagedSseEnabled: true }))).to.deep.equal([
        `${queueLabel}: The queue uses SSE-SQS (a key owned by AWS): set kmsMasterKeyId to its region's customer-managed key.`,
      ]);
    });

    it("reports the AWS-managed key by alias ARN", async () => {
      const alias = `arn:aws:kms:us-east-1:${ACCOUNT}:alias/aws/sqs`;
      expect(await check(sqsQueueKmsEncryption, queue({ kmsMasterKeyId: alias }))).to.deep.equal([
        `${queueLabel}: The queue is encrypted with the AWS-managed key ${alias}: set kmsMasterKeyId to its region's customer-managed key.`,
      ]);
    });
  });
});
