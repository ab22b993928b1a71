// An IAM gate for the fake AWS: the delete calls a role's statements govern are authorized as IAM would, from the
// target resource's own tags in the fake (aws:ResourceTag/<key>, rds:db-tag/<key>, rds:cluster-tag/<key>) against
// each Allow statement's Action, Resource and Condition (StringEquals, StringLike, Null); anything no statement
// allows is refused with the service's access-denied error, before the fake handles it. Only the gated actions are
// checked (reads have no resource-level permissions).
import type { PolicyStatement } from "../../infra/policy-documents";
import type { FakeAws, FakeCall } from "./aws-fake";
import { restoreTables } from "./aws-fake-restore";
import { regionImages } from "./aws-fake-cleanup";
import type { RegionState, Tags } from "./aws-fake-state";
import { AwsFault, listParam, tagsParam } from "./aws-wire";

/** A call's targets: each resource's ARN and its tags as the fake holds them (none when it does not exist). */
interface Target {
  arn: string;
  tags: Tags;
  /** A tagging call's tags (aws:RequestTag/<key>); a standalone tagging call has no ec2:CreateAction. */
  requestTags?: Tags;
}

function targetsOf(call: FakeCall, region: RegionState): Target[] {
  const ec2 = (type: string, id: string, account = region.accountId) => `arn:aws:ec2:${region.name}:${account}:${type}/${id}`;
  const rds = (type: string, id: string) => `arn:aws:rds:${region.name}:${region.accountId}:${type}:${id}`;
  switch (call.action) {
    case "TerminateInstances":
      return listParam(call.params, "InstanceId").map((r) => r.get("") ?? "").map((id) => ({ arn: ec2("instance", id), tags: region.instances.get(id)?.tags ?? {} }));
    case "DeleteVolume": {
      const id = call.params.get("VolumeId") ?? "";
      return [{ arn: ec2("volume", id), tags: restoreTables(region).volumes.get(id)?.tags ?? {} }];
    }
    case "DeregisterImage": {
      const id = call.params.get("ImageId") ?? "";
      return [{ arn: ec2("image", id, ""), tags: regionImages(region).get(id)?.tags ?? {} }];
    }
    case "DeleteDBInstance": {
      const id = (call.params.get("DBInstanceIdentifier") ?? "").toLowerCase();
      return [{ arn: rds("db", id), tags: region.dbInstances.get(id)?.tags ?? {} }];
    }
    case "DeleteDBCluster": {
      const id = (call.params.get("DBClusterIdentifier") ?? "").toLowerCase();
      return [{ arn: rds("cluster", id), tags: region.dbClusters.get(id)?.tags ?? {} }];
    }
    default:
      throw new Error(`the IAM gate does not know ${call.action}`);
  }
}

/** A policy field that is one string or a list of strings. */
const listOf = (value: string | readonly string[] | undefined): string[] => (value === undefined ? [] : typeof value === "string" ? [value] : [...value]);
const glob = (pattern: string, text: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`).test(text);

/** The value of a condition key for the target: its tag for a tag key, undefined otherwise (absent, e.g. ec2:CreateAction). */
function keyValue(key: string, target: Target): string | undefined {
  const requested = /^aws:RequestTag\/(.+)$/.exec(key);
  if (requested !== null) return target.requestTags !== undefined && Object.hasOwn(target.requestTags, requested[1]) ? target.requestTags[requested[1]] : undefined;
  const tag = /^(?:aws:ResourceTag|rds:db-tag|rds:cluster-tag)\/(.+)$/.exec(key);
  if (tag === null || !Object.hasOwn(target.tags, tag[1])) return undefined;
  return target.tags[tag[1]];
}

function conditionHolds(condition: PolicyStatement["Condition"], target: Target): boolean {
  return Object.entries(condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, wanted]) => {
      const actual = keyValue(key, target);
      const values = listOf(wanted);
      if (operator === "Null") return values.every((v) => (v === "true") === (actual === undefined));
      if (operator === "StringEquals") return actual !== undefined && values.includes(actual);
      if (operator === "StringLike") return actual !== undefined && values.some((v) => glob(v, actual));
      throw new Error(`the IAM gate does not know the condition operator ${operator}`);
    }),
  );
}

/** Whether some Allow statement allows `action` on every target (no Deny statement is expected in these roles). */
export function allowed(statements: readonly PolicyStatement[], action: string, targets: readonly Target[]): boolean {
  const allows = statements.filter((s) => s.Effect === "Allow" && listOf(s.Action).some((a) => glob(a.toLowerCase(), action.toLowerCase())));
  return targets.every((t) => allows.some((s) => listOf(s.Resource).some((r) => glob(r, t.arn)) && conditionHolds(s.Condition, t)));
}

/** Gates the named delete actions of the fake by the role's statements; returns the refusals it made. */
export function gateDeletes(fake: FakeAws, statements: readonly PolicyStatement[], actions: readonly string[]): FakeCall[] {
  const denied: FakeCall[] = [];
  const before = fake.beforeHandle;
  fake.beforeHandle = (call, region) => {
    before?.(call, region);
    if (!actions.includes(`${call.service}:${call.action}`)) return;
    if (allowed(statements, `${call.service}:${call.action}`, targetsOf(call, region))) return;
    denied.push(call);
    throw call.service === "ec2"
      ? new AwsFault("UnauthorizedOperation", 403, `You are not authorized to perform this operation (${call.action}).`)
      : new AwsFault("AccessDenied", 403, `User is not authorized to perform: rds:${call.action}`);
  };
  return denied;
}

/** The fake's resource a tagging call names, its ARN, and where its tags are kept. */
interface Tagged {
  arn: string;
  holder: { tags: Tags } | undefined;
}

function taggedOf(call: FakeCall, region: RegionState): Tagged[] {
  if (call.service === "rds") {
    const arn = call.params.get("ResourceName") ?? "";
    const [, type, id] = /:(db|cluster):([^:]+)$/.exec(arn) ?? [];
    const holder = type === "db" ? region.dbInstances.get(id) : type === "cluster" ? region.dbClusters.get(id) : undefined;
    return [{ arn, holder }];
  }
  const ec2 = (type: string, id: string, account = region.accountId) => `arn:aws:ec2:${region.name}:${account}:${type}/${id}`;
  // Snapshots are left to the fake's own CreateTags (not gated: the drill role deletes none).
  const ids = listParam(call.params, "ResourceId").map((r) => r.get("") ?? "").filter((id) => !id.startsWith("snap-"));
  return ids.map((id) => {
    if (id.startsWith("i-")) return { arn: ec2("instance", id), holder: region.instances.get(id) };
    if (id.startsWith("vol-")) return { arn: ec2("volume", id), holder: restoreTables(region).volumes.get(id) };
    return { arn: ec2("image", id, ""), holder: regionImages(region).get(id) };
  });
}

/**
 * Gates the standalone tagging calls on existing resources (ec2:CreateTags on instances, volumes and images;
 * rds:AddTagsToResource on DB instances and clusters) by the role's statements, with the request's tags as
 * aws:RequestTag and no ec2:CreateAction (the call creates nothing). An allowed call is applied here, as AWS would
 * (the fake itself tags only snapshots); a refused one gets the service's access-denied error. Returns the refusals.
 */
export function gateTagging(fake: FakeAws, statements: readonly PolicyStatement[]): FakeCall[] {
  const denied: FakeCall[] = [];
  const before = fake.beforeHandle;
  fake.beforeHandle = (call, region) => {
    before?.(call, region);
    const action = `${call.service}:${call.action}`;
    if (action !== "ec2:CreateTags" && action !== "rds:AddTagsToResource") return;
    const targets = taggedOf(call, region);
    if (targets.length === 0) return;
    const requestTags = tagsParam(call.params, call.service === "ec2" ? "Tag" : "Tags");
    if (allowed(statements, action, targets.map((t) => ({ arn: t.arn, tags: t.holder?.tags ?? {}, requestTags })))) {
      for (const t of targets) if (t.holder !== undefined) t.holder.tags = { ...t.holder.tags, ...requestTags };
      return;
    }
    denied.push(call);
    throw call.service === "ec2"
      ? new AwsFault("UnauthorizedOperation", 403, `You are not authorized to perform this operation (${call.action}).`)
      : new AwsFault("AccessDenied", 403, `User is not authorized to perform: rds:${call.action}`);
  };
  return denied;
}
