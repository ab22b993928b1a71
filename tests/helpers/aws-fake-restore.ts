// Fake AWS actions a restore needs, EC2 half: CreateVolume, DescribeVolumes, RegisterImage, DescribeImages (with
// filters; it also answers the cleanup listing), DeregisterImage, RunInstances, DescribeInstances (the built-in one,
// after progress) and DescribeInstanceStatus; the RDS half is aws-fake-restore-db.ts. A created resource moves
// through the states in its `progress` queue, one per describe that shows it (e.g. "creating", then "available"), so
// a test drives a restore poll by poll; AWS's client-token idempotency (same token, same resource), tags from
// TagSpecifications, and AWS's errors (unknown snapshot, subnet, group, image; a duplicate image name).
import { addImage, regionImages, type FakeImage } from "./aws-fake-cleanup";
import { ec2Action, instanceItemXml, tagSet } from "./aws-fake-ec2";
import type { ActionContext, FakeActions } from "./aws-fake-extensions";
import type { FakeInstance, RegionState, Tags } from "./aws-fake-state";
import { AwsFault, el, leaf, listParam, pageOffset, pageToken, requireParam, type Params } from "./aws-wire";
import { RESTORE_DB_ACTIONS } from "./aws-fake-restore-db";
import { advance, fakeRestoreNetwork, progressTo, setProgress } from "./aws-fake-restore-state";

export interface RestoredFakeVolume {
  id: string;
  state: string;
  snapshotId?: string;
  sizeGiB: number;
  zone: string;
  encrypted: boolean;
  kmsKeyId?: string;
  volumeType: string;
  tags: Tags;
  clientToken?: string;
  /** Attached (state in-use); the volume goes with the instance when deleteOnTermination (AWS's default for a launch). */
  attachedTo?: { instanceId: string; device: string; deleteOnTermination?: boolean };
}

export interface RestoredFakeImage extends FakeImage {
  name: string;
  architecture: string;
  rootDevice: string;
  virtualization: string;
  bootMode?: string;
  enaSupport: boolean;
  devices: Array<{ device: string; snapshotId: string }>;
}

interface Launch {
  token: string;
  params: string;
  instanceId: string;
}

interface RestoreTables {
  volumes: Map<string, RestoredFakeVolume>;
  launches: Launch[];
  /** Status checks per instance: [instance, system]; absent = EC2 reports none yet. */
  checks: Map<string, { instance: string; system: string }>;
  profiles: Map<string, string>;
}

const tables = new WeakMap<RegionState, RestoreTables>();
/** The region's restore-only tables: volumes made by CreateVolume and RunInstances, launches, status checks, instance profiles. */
export function restoreTables(region: RegionState): RestoreTables {
  const existing = tables.get(region);
  if (existing) return existing;
  const created: RestoreTables = { volumes: new Map(), launches: [], checks: new Map(), profiles: new Map() };
  tables.set(region, created);
  return created;
}

type Filter = { name: string; values: string[] };
function filters(params: Params): Filter[] {
  return listParam(params, "Filter").map((f) => ({ name: f.get("Name") ?? "", values: [...f.entries()].filter(([k]) => k.startsWith("Value.")).map(([, v]) => v) }));
}
function matches(all: Filter[], field: (name: string) => string[] | undefined, tags: Tags): boolean {
  return all.every((f) => {
    const actual = f.name.startsWith("tag:") ? (tags[f.name.slice(4)] === undefined ? [] : [tags[f.name.slice(4)]]) : f.name === "tag-key" ? Object.keys(tags) : field(f.name);
    if (actual === undefined) throw new AwsFault("InvalidParameterValue", 400, `The filter '${f.name}' is invalid`);
    return f.values.some((v) => actual.includes(v));
  });
}
function page<T>(items: T[], params: Params, cap: number, max = 1000): { items: T[]; next?: string } {
  const asked = params.get("MaxResults");
  if (asked !== undefined && (Number(asked) < 5 || Number(asked) > max)) throw new AwsFault("InvalidParameterValue", 400, `Value ( ${asked} ) for parameter maxResults is invalid. Expecting a value between 5 and ${max}.`);
  const size = Math.min(asked === undefined ? max : Number(asked), cap);
  const offset = pageOffset(params.get("NextToken"));
  return { items: items.slice(offset, offset + size), next: offset + size < items.length ? pageToken(offset + size) : undefined };
}
/** Tags of the TagSpecifications for `type`; any other resource type is refused, as the action does. */
function specTags(params: Params, allowed: readonly string[], type: string): Tags {
  const tags: Tags = {};
  for (const spec of listParam(params, "TagSpecification")) {
    const resourceType = spec.get("ResourceType") ?? "";
    if (!allowed.includes(resourceType)) throw new AwsFault("InvalidParameterValue", 400, `'${resourceType}' is not a valid taggable resource type for this operation.`);
    if (resourceType !== type) continue;
    for (const tag of listParam(spec, "Tag")) tags[tag.get("Key") ?? ""] = tag.get("Value") ?? "";
  }
  if (Object.keys(tags).length > 50) throw new AwsFault("TagLimitExceeded", 400, "The maximum number of tags for a resource (50) was exceeded.");
  return tags;
}
function checkKey(key: string | undefined, region: RegionState, encrypted: boolean): void {
  if (key === undefined) return;
  if (!encrypted) throw new AwsFault("InvalidParameterDependency", 400, "The parameter KmsKeyId requires the parameter Encrypted to be set.");
  const where = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):/.exec(key)?.[1];
  if (where !== undefined && where !== region.name) throw new AwsFault("InvalidParameterValue", 400, `The KMS key ${key} is not in ${region.name}.`);
}
function completedSnapshot(region: RegionState, id: string) {
  const snapshot = region.snapshots.get(id);
  if (snapshot === undefined) throw new AwsFault("InvalidSnapshot.NotFound", 400, `The snapshot '${id}' does not exist.`);
  if (snapshot.state !== "completed") throw new AwsFault("IncorrectState", 400, `Snapshot '${id}' is in invalid state - ${snapshot.state}`);
  return snapshot;
}

function volumeXml(v: RestoredFakeVolume): string {
  const attachment = v.attachedTo === undefined ? el("attachmentSet") : el("attachmentSet", el("item", leaf("volumeId", v.id), leaf("instanceId", v.attachedTo.instanceId), leaf("device", v.attachedTo.device), leaf("status", "attached"), leaf("deleteOnTermination", v.attachedTo.deleteOnTermination ?? true)));
  return [leaf("volumeId", v.id), leaf("size", v.sizeGiB), leaf("snapshotId", v.snapshotId), leaf("availabilityZone", v.zone), leaf("status", v.state), leaf("createTime", new Date(0).toISOString()), attachment, leaf("volumeType", v.volumeType), leaf("encrypted", v.encrypted), leaf("kmsKeyId", v.kmsKeyId), tagSet(v.tags)].join("");
}

function createVolume({ params, region }: ActionContext): string {
  const snapshotId = params.get("SnapshotId");
  const zone = requireParam(params, "AvailabilityZone");
  if (!new RegExp(`^${region.name}[a-f]$`).test(zone)) throw new AwsFault("InvalidZone.NotFound", 400, `The zone '${zone}' does not exist.`);
  const snapshot = snapshotId === undefined ? undefined : completedSnapshot(region, snapshotId);
  const askedEncrypted = params.get("Encrypted") === "true";
  const key = params.get("KmsKeyId");
  checkKey(key, region, askedEncrypted);
  const tags = specTags(params, ["volume"], "volume");
  const token = params.get("ClientToken");
  const { volumes } = restoreTables(region);
  const encrypted = askedEncrypted || snapshot?.encrypted === true;
  const wanted = { snapshotId, sizeGiB: Number(params.get("Size") ?? snapshot?.sizeGiB ?? 8), zone, encrypted, kmsKeyId: encrypted ? (key ?? snapshot?.kmsKeyId ?? "alias/aws/ebs") : undefined, volumeType: params.get("VolumeType") ?? "gp2" };
  const same = token === undefined ? undefined : [...volumes.values()].find((v) => v.clientToken === token);
  if (same !== undefined) {
    const { snapshotId: s, sizeGiB, zone: z, kmsKeyId } = same;
    if (JSON.stringify({ s, sizeGiB, z, kmsKeyId }) !== JSON.stringify({ s: wanted.snapshotId, sizeGiB: wanted.sizeGiB, z: wanted.zone, kmsKeyId: wanted.kmsKeyId })) throw new AwsFault("IdempotentParameterMismatch", 400, "The client token was used with different parameters.");
    return volumeXml(same);
  }
  if (snapshot !== undefined && wanted.sizeGiB < (snapshot.sizeGiB ?? 8)) throw new AwsFault("InvalidParameterValue", 400, `Volume of ${wanted.sizeGiB} GiB is smaller than snapshot ${snapshot.id}.`);
  const volume: RestoredFakeVolume = { id: region.nextId("vol"), state: "creating", ...wanted, tags, clientToken: token };
  setProgress(volume, progressTo(region, "creating", "available"));
  volumes.set(volume.id, volume);
  return volumeXml(volume);
}

function describeVolumes({ params, region, cap }: ActionContext): string {
  const ids = listParam(params, "VolumeId").map((r) => r.get("") ?? "");
  const all = filters(params);
  const { volumes } = restoreTables(region);
  const unknown = ids.find((id) => !volumes.has(id));
  if (unknown !== undefined) throw new AwsFault("InvalidVolume.NotFound", 400, `The volume '${unknown}' does not exist.`);
  const found = [...volumes.values()].filter(
    (v) => (ids.length === 0 || ids.includes(v.id)) && matches(all, (n) => ({ "volume-id": [v.id], status: [v.state], "snapshot-id": v.snapshotId === undefined ? [] : [v.snapshotId], "attachment.instance-id": v.attachedTo === undefined ? [] : [v.attachedTo.instanceId], "availability-zone": [v.zone] })[n], v.tags),
  );
  const { items, next } = page(found, params, cap, 500);
  const xml = el("volumeSet", ...items.map((v) => el("item", volumeXml(v)))) + (leaf("nextToken", next) ?? "");
  // "deleted": EC2 no longer lists it.
  for (const v of items) advance(v, (s) => (s === "deleted" ? volumes.delete(v.id) : (v.state = s)));
  return xml;
}

const IMAGE_NAME = /^[A-Za-z0-9()[\] ./\-'@_]{3,128}$/;

function registerImage({ params, region }: ActionContext): string {
  const name = requireParam(params, "Name");
  if (!IMAGE_NAME.test(name)) throw new AwsFault("InvalidAMIName.Malformed", 400, `AMI name ${name} is invalid.`);
  if ([...regionImages(region).values()].some((i) => (i as Partial<RestoredFakeImage>).name === name)) throw new AwsFault("InvalidAMIName.Duplicate", 400, `AMI name ${name} is already in use by another AMI.`);
  const rootDevice = requireParam(params, "RootDeviceName");
  const devices = listParam(params, "BlockDeviceMapping").map((m) => ({ device: m.get("DeviceName") ?? "", snapshotId: m.get("Ebs.SnapshotId") ?? "" }));
  if (devices.some((d) => d.snapshotId === "")) throw new AwsFault("InvalidParameterValue", 400, "Every block device mapping of this fake names a snapshot.");
  if (listParam(params, "BlockDeviceMapping").some((m) => m.has("Ebs.Encrypted") || m.has("Ebs.KmsKeyId"))) throw new AwsFault("InvalidParameterCombination", 400, "Encrypted and KmsKeyId cannot be given for a mapping from a snapshot when registering an image.");
  for (const d of devices) completedSnapshot(region, d.snapshotId);
  if (!devices.some((d) => d.device === rootDevice)) throw new AwsFault("InvalidBlockDeviceMapping", 400, `The root device ${rootDevice} is not among the block device mappings.`);
  const tags = specTags(params, ["image"], "image");
  const base = addImage(region, devices.map((d) => d.snapshotId), "pending");
  const image: RestoredFakeImage = Object.assign(base, {
    tags,
    name,
    architecture: params.get("Architecture") ?? "x86_64",
    rootDevice,
    virtualization: params.get("VirtualizationType") ?? "paravirtual",
    bootMode: params.get("BootMode"),
    enaSupport: params.get("EnaSupport") === "true",
    devices,
  });
  setProgress(image, progressTo(region, "pending", "available"));
  return leaf("imageId", image.id) ?? "";
}

function imageXml(region: RegionState, i: FakeImage & Partial<RestoredFakeImage>): string {
  const devices = i.devices ?? i.snapshotIds.map((s, n) => ({ device: n === 0 ? "/dev/xvda" : `/dev/sd${String.fromCharCode(102 + n)}`, snapshotId: s }));
  return el(
    "item",
    leaf("imageId", i.id),
    leaf("name", i.name),
    leaf("imageState", i.state),
    leaf("imageOwnerId", region.accountId),
    leaf("architecture", i.architecture),
    leaf("rootDeviceName", i.rootDevice),
    leaf("virtualizationType", i.virtualization),
    leaf("bootMode", i.bootMode),
    leaf("enaSupport", i.enaSupport),
    el("blockDeviceMapping", ...devices.map((d) => el("item", leaf("deviceName", d.device), el("ebs", leaf("snapshotId", d.snapshotId))))),
    tagSet(i.tags),
  );
}

function describeImages({ params, region, cap }: ActionContext): string {
  const owners = listParam(params, "Owner").map((o) => o.get("") ?? "");
  if (owners.some((o) => o !== "self" && o !== region.accountId)) throw new AwsFault("InvalidParameterValue", 400, "This fake knows only this account's AMIs");
  const ids = listParam(params, "ImageId").map((r) => r.get("") ?? "");
  const all = filters(params);
  const includeDisabled = params.get("IncludeDisabled") === "true";
  const found = [...regionImages(region).values()].filter(
    (i: FakeImage & Partial<RestoredFakeImage>) => (includeDisabled || i.state !== "disabled") && (ids.length === 0 || ids.includes(i.id)) && matches(all, (n) => ({ name: i.name === undefined ? [] : [i.name], "image-id": [i.id], state: [i.state] })[n], i.tags),
  );
  const { items, next } = page(found, params, cap);
  const xml = el("imagesSet", ...items.map((i) => imageXml(region, i))) + (leaf("nextToken", next) ?? "");
  for (const i of items) advance(i, (s) => (i.state = s));
  return xml;
}

/** Deregisters the image; with DeleteAssociatedSnapshots, as EC2 does, its snapshots go too (unless another image uses one). */
function deregisterImage({ params, region }: ActionContext): string {
  const id = requireParam(params, "ImageId");
  const image = regionImages(region).get(id);
  if (image === undefined || !regionImages(region).delete(id)) throw new AwsFault("InvalidAMIID.NotFound", 400, `The image id '[${id}]' does not exist`);
  if (params.get("DeleteAssociatedSnapshots") === "true") {
    const used = new Set([...regionImages(region).values()].flatMap((i) => i.snapshotIds));
    for (const s of image.snapshotIds) if (!used.has(s)) region.snapshots.delete(s);
  }
  return leaf("return", true) ?? "";
}

function runInstances({ params, region }: ActionContext): string {
  const imageId = requireParam(params, "ImageId");
  if (params.get("MinCount") !== "1" || params.get("MaxCount") !== "1") throw new AwsFault("InvalidParameterValue", 400, "This fake launches exactly one instance (MinCount = MaxCount = 1).");
  const token = params.get("ClientToken");
  const tables = restoreTables(region);
  const signature = JSON.stringify([...params.entries()].filter(([k]) => !["Action", "Version"].includes(k)).sort());
  const earlier = token === undefined ? undefined : tables.launches.find((l) => l.token === token);
  if (earlier !== undefined) {
    if (earlier.params !== signature) throw new AwsFault("IdempotentParameterMismatch", 400, "The client token was used with different parameters.");
    const instance = region.instances.get(earlier.instanceId);
    if (instance !== undefined) return reservationXml(region, instance);
  }
  const image: (FakeImage & Partial<RestoredFakeImage>) | undefined = regionImages(region).get(imageId);
  if (image === undefined) throw new AwsFault("InvalidAMIID.NotFound", 400, `The image id '[${imageId}]' does not exist`);
  if (image.state !== "available") throw new AwsFault("InvalidAMIID.Unavailable", 400, `The image id '[${imageId}]' is not available (${image.state})`);
  const network = fakeRestoreNetwork(region.name);
  const subnetId = requireParam(params, "SubnetId");
  const zone = network.zones[subnetId];
  if (zone === undefined) throw new AwsFault("InvalidSubnetID.NotFound", 400, `The subnet ID '${subnetId}' does not exist`);
  const groups = listParam(params, "SecurityGroupId").map((g) => g.get("") ?? "");
  const unknownGroup = groups.find((g) => !network.securityGroupIds.includes(g));
  if (unknownGroup !== undefined) throw new AwsFault("InvalidGroup.NotFound", 400, `The security group '${unknownGroup}' does not exist`);
  const profile = params.get("IamInstanceProfile.Arn");
  const instanceTags = specTags(params, ["instance", "volume"], "instance");
  const volumeTags = specTags(params, ["instance", "volume"], "volume");
  const overrides = listParam(params, "BlockDeviceMapping");
  const id = region.nextId("i");
  const volumes = (image.devices ?? []).map((d) => {
    const override = overrides.find((m) => m.get("DeviceName") === d.device);
    const snapshot = region.snapshots.get(d.snapshotId);
    const asked = override?.get("Ebs.Encrypted") === "true";
    const key = override?.get("Ebs.KmsKeyId");
    checkKey(key, region, asked);
    const encrypted = asked || snapshot?.encrypted === true;
    const deleteOnTermination = override?.get("Ebs.DeleteOnTermination") !== "false";
    const volume: RestoredFakeVolume = { id: region.nextId("vol"), state: "in-use", snapshotId: d.snapshotId, sizeGiB: snapshot?.sizeGiB ?? 8, zone, encrypted, kmsKeyId: encrypted ? (key ?? snapshot?.kmsKeyId ?? "alias/aws/ebs") : undefined, volumeType: "gp3", tags: { ...volumeTags }, attachedTo: { instanceId: id, device: d.device, deleteOnTermination } };
    tables.volumes.set(volume.id, volume);
    return { id: volume.id, device: d.device, tags: volume.tags };
  });
  // The root device first: the built-in DescribeInstances names the first volume's device as the root.
  volumes.sort((a, b) => Number(b.device === image.rootDevice) - Number(a.device === image.rootDevice));
  const instance: FakeInstance = {
    id,
    state: "pending",
    tags: instanceTags,
    volumes,
    instanceType: requireParam(params, "InstanceType"),
    architecture: image.architecture ?? "x86_64",
    bootMode: image.bootMode ?? "legacy-bios",
    virtualizationType: image.virtualization ?? "hvm",
    zone,
    subnetId,
    securityGroupIds: groups,
    imageId,
    privateIp: `10.0.${(region.instances.size % 250) + 1}.${(Number.parseInt(id.slice(-4), 16) % 250) + 2}`,
    launchTime: new Date(),
  };
  region.instances.set(id, instance);
  if (profile !== undefined) tables.profiles.set(id, profile);
  if (token !== undefined) tables.launches.push({ token, params: signature, instanceId: id });
  setProgress(instance, progressTo(region, "pending", "running"));
  return reservationXml(region, instance);
}

function reservationXml(region: RegionState, i: FakeInstance): string {
  return [leaf("reservationId", `r-${i.id.slice(2)}`), leaf("ownerId", region.accountId), el("groupSet"), el("instancesSet", instanceItemXml(i))].join("");
}

const STATE_CODES: Record<string, number> = { pending: 0, running: 16, "shutting-down": 32, terminated: 48, stopping: 64, stopped: 80 };

/** Status checks start once an instance runs: "initializing" for the region's steps, then "ok" (a test may set others). */
function describeInstanceStatus({ params, region }: ActionContext): string {
  const ids = listParam(params, "InstanceId").map((r) => r.get("") ?? "");
  const all = params.get("IncludeAllInstances") === "true";
  const unknown = ids.find((id) => !region.instances.has(id));
  if (unknown !== undefined) throw new AwsFault("InvalidInstanceID.NotFound", 400, `The instance ID '${unknown}' does not exist`);
  const { checks } = restoreTables(region);
  const items = [...region.instances.values()]
    .filter((i) => (ids.length === 0 || ids.includes(i.id)) && (all || i.state === "running"))
    .map((i) => {
      let status = checks.get(i.id);
      if (status === undefined && i.state === "running") {
        status = { instance: "initializing", system: "initializing" };
        checks.set(i.id, status);
        setProgress(status, progressTo(region, "initializing", "ok"));
      }
      const shown = status ?? { instance: "not-applicable", system: "not-applicable" };
      const xml = el("item", leaf("instanceId", i.id), leaf("availabilityZone", i.zone), el("instanceState", leaf("code", STATE_CODES[i.state]), leaf("name", i.state)), el("systemStatus", leaf("status", shown.system)), el("instanceStatus", leaf("status", shown.instance)));
      if (status !== undefined) {
        const s = status;
        advance(s, (next) => {
          s.instance = next;
          s.system = next;
        });
      }
      return xml;
    });
  return el("instanceStatusSet", ...items);
}

/** A terminated instance's volumes: those with deleteOnTermination are deleted, the others detached (available). */
function releaseVolumes(region: RegionState, instance: FakeInstance): void {
  const { volumes } = restoreTables(region);
  for (const v of [...volumes.values()]) {
    if (v.attachedTo?.instanceId !== instance.id) continue;
    if (v.attachedTo.deleteOnTermination !== false) volumes.delete(v.id);
    else Object.assign(v, { state: "available", attachedTo: undefined });
  }
}

/** The built-in DescribeInstances, then every instance it showed moves on (pending -> running, shutting-down -> terminated). */
function describeInstances(ctx: ActionContext): string {
  const xml = ec2Action("DescribeInstances", ctx.params, ctx.region, ctx.cap);
  // The ids the answer shows, read once (a fleet of thousands would otherwise rescan the answer per instance).
  const shown = new Set(Array.from(xml.matchAll(/<instanceId>([^<]*)<\/instanceId>/g), (m) => m[1]));
  for (const i of ctx.region.instances.values()) {
    if (!shown.has(i.id)) continue;
    advance(i, (s) => {
      i.state = s as FakeInstance["state"];
      if (s === "terminated") releaseVolumes(ctx.region, i);
    });
  }
  return xml;
}

export const RESTORE_ACTIONS: FakeActions = {
  ec2: {
    CreateVolume: createVolume,
    DescribeVolumes: describeVolumes,
    RegisterImage: registerImage,
    DescribeImages: describeImages,
    DeregisterImage: deregisterImage,
    RunInstances: runInstances,
    DescribeInstances: describeInstances,
    DescribeInstanceStatus: describeInstanceStatus,
  },
  rds: RESTORE_DB_ACTIONS,
};
