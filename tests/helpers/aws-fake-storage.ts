// The fake S3 PutObject/GetObject and SNS Publish: where manifests, claims and notifications land, with AWS's limits;
// and a bucket's Object Lock and replication configuration as a test scripts them (GetObjectLockConfiguration,
// GetBucketReplication), for the report.
import { createHash } from "node:crypto";
import type { RegionState } from "./aws-fake-state";
import { AwsFault, el, leaf, requireParam, type Params } from "./aws-wire";

/** A replication rule as a test writes it: where it replicates to, whether it is on, with Replication Time Control. */
export interface ScriptedReplicationRule {
  destinationBucket: string;
  status: "Enabled" | "Disabled";
  timeControl?: boolean;
  /** The rule's Filter: a key prefix and/or a tag (both: an And); none: the whole bucket (an empty Filter). */
  prefix?: string;
  tag?: { key: string; value: string };
}

/** A bucket's configuration as S3 would report it; a part left out is "not found" (as for a bucket never configured). */
export interface ScriptedBucketConfig {
  objectLock?: { enabled: boolean; mode?: "GOVERNANCE" | "COMPLIANCE"; days?: number; years?: number };
  replication?: ScriptedReplicationRule[];
}

// Per region, so a test's regions never share configuration (RegionState is the fake's, this file adds to it).
const CONFIGS = new WeakMap<RegionState, Map<string, ScriptedBucketConfig>>();
const CONTENT_TYPES = new WeakMap<RegionState, Map<string, string>>();

/** Sets (replaces) a bucket's scripted configuration. */
export function setBucketConfig(region: RegionState, bucket: string, config: ScriptedBucketConfig): void {
  const configs = CONFIGS.get(region) ?? new Map<string, ScriptedBucketConfig>();
  configs.set(bucket, config);
  CONFIGS.set(region, configs);
}

/** The Content-Type an object was last written with (undefined: none sent, or no such object). */
export function objectContentType(region: RegionState, bucket: string, key: string): string | undefined {
  return CONTENT_TYPES.get(region)?.get(`${bucket}/${key}`);
}

/** The S3 action a request is: the bucket sub-resources the fake knows by their query, else the method's object action. */
export function s3Action(method: string, path: string): string {
  const query = new URLSearchParams(path.split("?")[1] ?? "");
  if (method === "GET" && query.has("object-lock")) return "GetObjectLockConfiguration";
  if (method === "GET" && query.has("replication")) return "GetBucketReplication";
  return method === "PUT" ? "PutObject" : method === "GET" ? "GetObject" : method;
}

function bucketConfig(region: RegionState, bucket: string, action: string): string {
  const config = CONFIGS.get(region)?.get(bucket) ?? {};
  if (action === "GetObjectLockConfiguration") {
    const lock = config.objectLock;
    if (lock === undefined) throw new AwsFault("ObjectLockConfigurationNotFoundError", 404, "Object Lock configuration does not exist for this bucket");
    const retention = lock.mode === undefined ? undefined : el("Rule", el("DefaultRetention", leaf("Mode", lock.mode), leaf("Days", lock.days), leaf("Years", lock.years)));
    return `<?xml version="1.0" encoding="UTF-8"?><ObjectLockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${leaf("ObjectLockEnabled", lock.enabled ? "Enabled" : undefined) ?? ""}${retention ?? ""}</ObjectLockConfiguration>`;
  }
  const rules = config.replication;
  if (rules === undefined) throw new AwsFault("ReplicationConfigurationNotFoundError", 404, "The replication configuration was not found");
  const ruleXml = rules.map((rule, i) =>
    el(
      "Rule",
      leaf("ID", `rule-${i + 1}`),
      leaf("Priority", i + 1),
      leaf("Status", rule.status),
      ruleFilter(rule),
      el("Destination", leaf("Bucket", rule.destinationBucket), rule.timeControl === undefined ? undefined : el("ReplicationTime", leaf("Status", rule.timeControl ? "Enabled" : "Disabled"), el("Time", leaf("Minutes", 15)))),
      el("DeleteMarkerReplication", leaf("Status", "Disabled")),
    ),
  );
  return `<?xml version="1.0" encoding="UTF-8"?><ReplicationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${leaf("Role", "arn:aws:iam::123456789012:role/replication")}${ruleXml.join("")}</ReplicationConfiguration>`;
}

/** A rule's <Filter> as S3 writes it: empty, <Prefix>, <Tag>, or both inside <And>. */
function ruleFilter(rule: ScriptedReplicationRule): string {
  const tag = rule.tag === undefined ? undefined : el("Tag", leaf("Key", rule.tag.key), leaf("Value", rule.tag.value));
  if (rule.prefix !== undefined && tag !== undefined) return el("Filter", el("And", leaf("Prefix", rule.prefix), tag));
  return el("Filter", leaf("Prefix", rule.prefix), tag);
}

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
  const action = s3Action(method, path);
  if (action === "GetObjectLockConfiguration" || action === "GetBucketReplication") return { headers: { "content-type": "application/xml" }, body: bucketConfig(region, bucket, action) };
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
  const types = CONTENT_TYPES.get(region) ?? new Map<string, string>();
  types.set(`${bucket}/${key}`, header("content-type"));
  CONTENT_TYPES.set(region, types);
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
