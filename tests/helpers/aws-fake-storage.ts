// The fake S3 PutObject/GetObject and SNS Publish: where manifests, claims and notifications land, with AWS's limits.
import { createHash } from "node:crypto";
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

/** The ETag S3 returns for an object written without multipart: quoted hex MD5 of the body. */
export function etagOf(body: string): string {
  return `"${createHash("md5").update(body).digest("hex")}"`;
}

/**
 * Handles an S3 request: PutObject, with the conditional writes S3 supports (`If-None-Match: *` fails with 412
 * when the key exists; `If-Match: <etag>` with 404 when it does not and 412 when the ETag differs), and GetObject.
 * Conditional writes: https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
 */
export function s3Request(method: string, host: string, path: string, body: string, region: RegionState, header: (name: string) => string = () => ""): { headers: Record<string, string>; body: string } {
  const { bucket, key } = bucketAndKey(host, path.split("?")[0]);
  const objects = region.buckets.get(bucket);
  if (!objects) throw new AwsFault("NoSuchBucket", 404, "The specified bucket does not exist");
  const existing = objects.get(key);
  if (method === "GET" && key !== "") {
    if (existing === undefined) throw new AwsFault("NoSuchKey", 404, "The specified key does not exist.");
    return { headers: { etag: etagOf(existing), "content-type": "application/octet-stream" }, body: existing };
  }
  if (method !== "PUT" || key === "") throw new AwsFault("NotImplemented", 501, `This fake implements only PutObject and GetObject, got ${method} ${path}`);
  const ifNoneMatch = header("if-none-match");
  const ifMatch = header("if-match");
  if (ifNoneMatch !== "" && ifNoneMatch !== "*") throw new AwsFault("NotImplemented", 501, "If-None-Match accepts only *");
  if (ifNoneMatch === "*" && existing !== undefined) throw new AwsFault("PreconditionFailed", 412, "At least one of the pre-conditions you specified did not hold");
  if (ifMatch !== "" && existing === undefined) throw new AwsFault("NoSuchKey", 404, "The specified key does not exist.");
  if (ifMatch !== "" && existing !== undefined && etagOf(existing) !== ifMatch) throw new AwsFault("PreconditionFailed", 412, "At least one of the pre-conditions you specified did not hold");
  objects.set(key, body);
  return { headers: { etag: etagOf(body) }, body: "" };
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
