// The fake EC2 API: DescribeInstances, DescribeSnapshots, CreateSnapshots and CreateTags, with AWS's filters, limits and errors.
import type { FakeInstance, FakeSnapshot, RegionState, Tags } from "./aws-fake-state";
import { AwsFault, el, leaf, listParam, pageOffset, pageToken, requireParam, tagsParam, type Params } from "./aws-wire";

const STATE_CODES: Record<string, number> = { pending: 0, running: 16, "shutting-down": 32, terminated: 48, stopping: 64, stopped: 80 };

type Filter = { name: string; values: string[] };

function filters(params: Params): Filter[] {
  return listParam(params, "Filter").map((f) => ({
    name: f.get("Name") ?? "",
    values: [...f.entries()].filter(([k]) => k.startsWith("Value.")).map(([, v]) => v),
  }));
}

/** AWS semantics: every filter must match, any of a filter's values may. */
function matches(all: Filter[], field: (name: string) => string[] | undefined): boolean {
  return all.every((f) => {
    const actual = field(f.name);
    if (actual === undefined) throw new AwsFault("InvalidParameterValue", 400, `The filter '${f.name}' is invalid`);
    return f.values.some((v) => actual.includes(v));
  });
}

function tagField(tags: Tags, name: string): string[] | undefined {
  if (name.startsWith("tag:")) {
    const value = tags[name.slice(4)];
    return value === undefined ? [] : [value];
  }
  if (name === "tag-key") return Object.keys(tags);
  return undefined;
}

/** MaxResults must be 5-1000 (AWS rejects anything else); the server may return fewer (`cap`). */
function page<T>(items: T[], params: Params, cap: number): { items: T[]; next?: string } {
  const max = params.get("MaxResults");
  if (max !== undefined && (Number(max) < 5 || Number(max) > 1000)) throw new AwsFault("InvalidParameterValue", 400, `Value ( ${max} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
  const size = Math.min(max === undefined ? 1000 : Number(max), cap);
  const offset = pageOffset(params.get("NextToken"));
  return { items: items.slice(offset, offset + size), next: offset + size < items.length ? pageToken(offset + size) : undefined };
}

export const tagSet = (tags: Tags) => el("tagSet", ...Object.entries(tags).map(([k, v]) => el("item", leaf("key", k), leaf("value", v))));

/** One instance item, as DescribeInstances and RunInstances return it. */
export function instanceItemXml(i: FakeInstance): string {
  const devices = i.volumes.map((v) => el("item", leaf("deviceName", v.device), el("ebs", leaf("volumeId", v.id), leaf("status", "attached"), leaf("deleteOnTermination", true))));
  const groups = el("groupSet", ...i.securityGroupIds.map((g) => el("item", leaf("groupId", g), leaf("groupName", `group-${g.slice(-2)}`))));
  const machine = [leaf("instanceType", i.instanceType), leaf("architecture", i.architecture), leaf("rootDeviceName", i.volumes[0]?.device), leaf("rootDeviceType", "ebs"), leaf("virtualizationType", i.virtualizationType), leaf("bootMode", i.bootMode), leaf("currentInstanceBootMode", i.bootMode), el("placement", leaf("availabilityZone", i.zone)), leaf("subnetId", i.subnetId), groups];
  // The primary network interface (device index 0) stays attached from the first launch: its attach time is when the
  // instance was first launched (AWS's own advice; LaunchTime moves on every start).
  const firstLaunch = i.firstLaunchTime ?? i.launchTime;
  const primaryInterface = firstLaunch === undefined ? undefined : el("networkInterfaceSet", el("item", leaf("networkInterfaceId", `eni-${i.id.slice(2)}`), leaf("subnetId", i.subnetId), el("attachment", leaf("attachmentId", `eni-attach-${i.id.slice(2)}`), leaf("deviceIndex", 0), leaf("status", "attached"), leaf("attachTime", firstLaunch.toISOString()), leaf("deleteOnTermination", true))));
  return el("item", leaf("instanceId", i.id), leaf("imageId", i.imageId), el("instanceState", leaf("code", STATE_CODES[i.state]), leaf("name", i.state)), leaf("privateIpAddress", i.privateIp), leaf("launchTime", i.launchTime?.toISOString()), ...machine, el("blockDeviceMapping", ...devices), primaryInterface, tagSet(i.tags));
}

function instanceXml(region: RegionState, i: FakeInstance): string {
  return el("item", leaf("reservationId", `r-${i.id.slice(2)}`), leaf("ownerId", region.accountId), el("instancesSet", instanceItemXml(i)));
}

function snapshotXml(region: RegionState, s: FakeSnapshot, stateTag: "status" | "state"): string {
  return el("item", leaf("snapshotId", s.id), leaf("volumeId", s.volumeId), leaf(stateTag, s.state), leaf("startTime", s.startTime.toISOString()), leaf("completionTime", s.completedAt?.toISOString()), leaf("ownerId", region.accountId), leaf("description", s.description), leaf("volumeSize", s.sizeGiB ?? 8), leaf("encrypted", s.encrypted ?? false), leaf("kmsKeyId", s.kmsKeyId), tagSet(s.tags));
}

export function ec2Action(action: string, params: Params, region: RegionState, cap: number): string {
  switch (action) {
    case "DescribeInstances": {
      const all = filters(params);
      const ids = listParam(params, "InstanceId").map((r) => r.get("") ?? "");
      const unknown = ids.find((id) => !region.instances.has(id));
      if (unknown !== undefined) throw new AwsFault("InvalidInstanceID.NotFound", 400, `The instance ID '${unknown}' does not exist`);
      const found = [...region.instances.values()].filter((i) => (ids.length === 0 || ids.includes(i.id)) && matches(all, (n) => (n === "instance-state-name" ? [i.state] : n === "instance-id" ? [i.id] : tagField(i.tags, n))));
      const { items, next } = page(found, params, cap);
      return el("reservationSet", ...items.map((i) => instanceXml(region, i))) + (leaf("nextToken", next) ?? "");
    }
    case "DescribeSnapshots": {
      const all = filters(params);
      const found = [...region.snapshots.values()].filter((s) => matches(all, (n) => (n === "status" ? [s.state] : n === "volume-id" ? [s.volumeId] : n === "snapshot-id" ? [s.id] : tagField(s.tags, n))));
      const { items, next } = page(found, params, cap);
      return el("snapshotSet", ...items.map((s) => snapshotXml(region, s, "status"))) + (leaf("nextToken", next) ?? "");
    }
    case "CreateSnapshots":
      return el("snapshotSet", ...createSnapshots(params, region).map((s) => snapshotXml(region, s, "state")));
    case "CreateTags":
      createTags(params, region);
      return leaf("return", true) ?? "";
    default:
      throw new AwsFault("InvalidAction", 400, `The action ${action} is not valid for this web service.`);
  }
}

/** CreateTags on snapshots (the only resources this fake tags): each must exist and keep to 50 tags, as in EC2. */
function createTags(params: Params, region: RegionState): void {
  const ids = listParam(params, "ResourceId").map((r) => r.get("") ?? "");
  const tags = tagsParam(params, "Tag");
  if (ids.length === 0 || Object.keys(tags).length === 0) throw new AwsFault("MissingParameter", 400, "The request must contain the parameter resourceIdSet and tagSet");
  for (const id of ids) {
    const snapshot = region.snapshots.get(id);
    if (snapshot === undefined) throw new AwsFault("InvalidSnapshot.NotFound", 400, `The snapshot '${id}' does not exist.`);
    if (Object.keys({ ...snapshot.tags, ...tags }).length > 50) throw new AwsFault("TagLimitExceeded", 400, "The maximum number of tags for a snapshot (50) was exceeded.");
  }
  for (const id of ids) {
    const snapshot = region.snapshots.get(id);
    if (snapshot !== undefined) snapshot.tags = { ...snapshot.tags, ...tags };
  }
}

function createSnapshots(params: Params, region: RegionState): FakeSnapshot[] {
  const instanceId = requireParam(params, "InstanceSpecification.InstanceId");
  const instance = region.instances.get(instanceId);
  if (!instance || instance.state === "terminated" || instance.state === "shutting-down") {
    throw new AwsFault("InvalidInstanceID.NotFound", 400, `The instance ID '${instanceId}' does not exist`);
  }
  const copyFromVolume = params.get("CopyTagsFromSource") === "volume";
  const specTags: Tags = {};
  for (const spec of listParam(params, "TagSpecification")) {
    if (spec.get("ResourceType") !== "snapshot") throw new AwsFault("InvalidParameterValue", 400, `'${spec.get("ResourceType") ?? ""}' is not a valid taggable resource type for this operation.`);
    for (const tag of listParam(spec, "Tag")) specTags[tag.get("Key") ?? ""] = tag.get("Value") ?? "";
  }
  const volumes = params.get("InstanceSpecification.ExcludeBootVolume") === "true" ? instance.volumes.slice(1) : instance.volumes;
  const created = volumes.map((v) => {
    const tags = { ...(copyFromVolume ? v.tags : {}), ...specTags };
    if (Object.keys(tags).length > 50) throw new AwsFault("TagLimitExceeded", 400, "The maximum number of tags for a snapshot (50) was exceeded.");
    // A snapshot of an encrypted volume is encrypted with the volume's key.
    return { id: region.nextId("snap"), volumeId: v.id, state: "pending" as const, description: params.get("Description") ?? "", tags, startTime: new Date(), ...(v.encrypted === true ? { encrypted: true, kmsKeyId: v.kmsKeyId } : {}) };
  });
  for (const s of created) region.snapshots.set(s.id, s);
  return created;
}
