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
import { AwsFault, listParam } from "./aws-wire";

/** A delete's targets: each resource's ARN and its tags as the fake holds them (none when it does not exist). */
interface Target {
  arn: string;
  tags: Tags;
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

/** The value of a condition key for the target: its tag for a tag key, undefined otherwise (absent). */
function keyValue(key: string, target: Target): string | undefined {
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
