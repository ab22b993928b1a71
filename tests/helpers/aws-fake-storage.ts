// The fake S3 PutObject and SNS Publish: where manifests and notifications land, with AWS's limits on them.
import type { RegionState } from "./aws-fake-state";
import { AwsFault, el, requireParam, type Params } from "./aws-wire";

/** Bucket and key of a request, virtual-hosted (`bucket.s3.region.amazonaws.com/key`) or path-style (`/bucket/key`). */
function bucketAndKey(host: string, path: string): { bucket: string; key: string } {
  const virtual = /^(.+)\.s3[.-]/.exec(host);
  const parts = path.replace(/^\//, "").split("/").map(decodeURIComponent);
  if (virtual) return { bucket: virtual[1], key: parts.join("/") };
  const [bucket, ...key] = parts;
  return { bucket, key: key.join("/") };
}

/** Handles an S3 request; returns the response headers. */
export function s3Request(method: string, host: string, path: string, body: string, region: RegionState): Record<string, string> {
  const { bucket, key } = bucketAndKey(host, path.split("?")[0]);
  const objects = region.buckets.get(bucket);
  if (!objects) throw new AwsFault("NoSuchBucket", 404, "The specified bucket does not exist");
  if (method !== "PUT" || key === "") throw new AwsFault("NotImplemented", 501, `This fake implements only PutObject, got ${method} ${path}`);
  objects.set(key, body);
  return { etag: `"${Buffer.from(key).toString("hex").slice(0, 32)}"` };
}

export function snsAction(action: string, params: Params, region: RegionState, requestId: string): string {
  if (action !== "Publish") throw new AwsFault("InvalidAction", 400, `Could not find operation ${action}`);
  const topicArn = requireParam(params, "TopicArn");
  const message = requireParam(params, "Message");
  const subject = params.get("Subject");
  const inbox = region.topics.get(topicArn);
  if (!inbox) throw new AwsFault("NotFound", 404, "Topic does not exist");
  if (subject !== undefined && (subject.length > 100 || !/^[\x20-\x7e]+$/.test(subject))) throw new AwsFault("InvalidParameter", 400, "Invalid parameter: Subject");
  if (Buffer.byteLength(message) > 262_144) throw new AwsFault("InvalidParameter", 400, "Invalid parameter: Message too long");
  inbox.push({ topicArn, subject, message });
  return el("MessageId", requestId);
}
