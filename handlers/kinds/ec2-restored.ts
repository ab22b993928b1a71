// What an EC2 restore created, read back by its restore-id tag (every list paginated): volumes, images and instances,
// with the fields the restore's progress and validation need. Also the recovery point's snapshot sizes.
import { paginateDescribeImages, paginateDescribeInstances, paginateDescribeInstanceStatus, paginateDescribeVolumes, type EC2Client, type Filter } from "@aws-sdk/client-ec2";
import { TAG_RESTORE_ID } from "../catalog";
import { tagRecord, type Tags } from "../lib/tags";
import type { CreatedResource } from "../restore/contract";
import { describeEbsSnapshots } from "./ec2-snapshots";
import { restoredFrom } from "./restore-steps";

export interface RestoredVolume {
  id: string;
  state: string;
  snapshotId?: string;
  sizeGiB?: number;
  encrypted: boolean;
  kmsKeyId?: string;
  zone?: string;
  /** The instance it is attached to (instance mode), and whether it goes with that instance. */
  instanceId?: string;
  deleteOnTermination?: boolean;
  tags: Tags;
}

export interface RestoredImage {
  id: string;
  name?: string;
  state: string;
  tags: Tags;
  reason?: string;
}

export interface RestoredInstance {
  id: string;
  state: string;
  instanceType?: string;
  privateIp?: string;
  subnetId?: string;
  reason?: string;
  tags: Tags;
}

const byRestoreId = (restoreId: string): Filter => ({ Name: `tag:${TAG_RESTORE_ID}`, Values: [restoreId] });

/** Filters on one resource's id (a filter, unlike the ids parameter, answers an empty list for a resource that is gone). */
const byId = (name: "volume-id" | "image-id" | "instance-id", id: string): Filter => ({ Name: name, Values: [id] });

async function describeVolumes(ec2: EC2Client, filters: Filter[]): Promise<RestoredVolume[]> {
  const found: RestoredVolume[] = [];
  for await (const page of paginateDescribeVolumes({ client: ec2, pageSize: 500 }, { Filters: filters })) {
    for (const v of page.Volumes ?? []) {
      if (v.VolumeId === undefined) continue;
      const attachment = v.Attachments?.[0];
      found.push({ id: v.VolumeId, state: v.State ?? "", snapshotId: v.SnapshotId, sizeGiB: v.Size, encrypted: v.Encrypted ?? false, kmsKeyId: v.KmsKeyId, zone: v.AvailabilityZone, instanceId: attachment?.InstanceId, ...(attachment?.DeleteOnTermination === undefined ? {} : { deleteOnTermination: attachment.DeleteOnTermination }), tags: tagRecord(v.Tags) });
    }
  }
  return found;
}

export const restoredVolumes = (ec2: EC2Client, restoreId: string): Promise<RestoredVolume[]> => describeVolumes(ec2, [byRestoreId(restoreId)]);
/** The volume as it is now (its own tags), or undefined when it is gone. */
export const volumeNow = async (ec2: EC2Client, id: string): Promise<RestoredVolume | undefined> => (await describeVolumes(ec2, [byId("volume-id", id)])).find((v) => v.id === id);

/** This account's images matching the filters (disabled ones too: they still carry the name). */
export async function ownImages(ec2: EC2Client, filters: Filter[]): Promise<RestoredImage[]> {
  const found: RestoredImage[] = [];
  for await (const page of paginateDescribeImages({ client: ec2, pageSize: 1000 }, { Owners: ["self"], IncludeDisabled: true, IncludeDeprecated: true, Filters: filters })) {
    for (const i of page.Images ?? []) {
      if (i.ImageId !== undefined) found.push({ id: i.ImageId, name: i.Name, state: i.State ?? "", tags: tagRecord(i.Tags), reason: i.StateReason?.Message });
    }
  }
  return found;
}

export const restoredImages = (ec2: EC2Client, restoreId: string): Promise<RestoredImage[]> => ownImages(ec2, [byRestoreId(restoreId)]);
/** The image as it is now (its own tags), or undefined when it is gone. */
export const imageNow = async (ec2: EC2Client, id: string): Promise<RestoredImage | undefined> => (await ownImages(ec2, [byId("image-id", id)])).find((i) => i.id === id);

async function describeInstances(ec2: EC2Client, filters: Filter[]): Promise<RestoredInstance[]> {
  const found: RestoredInstance[] = [];
  for await (const page of paginateDescribeInstances({ client: ec2, pageSize: 1000 }, { Filters: filters })) {
    for (const r of page.Reservations ?? []) {
      for (const i of r.Instances ?? []) {
        if (i.InstanceId === undefined) continue;
        found.push({ id: i.InstanceId, state: i.State?.Name ?? "", instanceType: i.InstanceType, privateIp: i.PrivateIpAddress, subnetId: i.SubnetId, reason: i.StateReason?.Message, tags: tagRecord(i.Tags) });
      }
    }
  }
  return found;
}

/** The restore's instances, in any state (a terminated one stays visible for about an hour, as AWS shows it). */
export const restoredInstances = (ec2: EC2Client, restoreId: string): Promise<RestoredInstance[]> => describeInstances(ec2, [byRestoreId(restoreId)]);
/** The instance as it is now (its own tags), or undefined when EC2 no longer shows it. */
export const instanceNow = async (ec2: EC2Client, id: string): Promise<RestoredInstance | undefined> => (await describeInstances(ec2, [byId("instance-id", id)])).find((i) => i.id === id);

/** The instance's two status checks (instance and system): "ok", "initializing", "impaired", ...; undefined before EC2 reports any. */
export async function instanceChecks(ec2: EC2Client, instanceId: string): Promise<{ instance?: string; system?: string } | undefined> {
  for await (const page of paginateDescribeInstanceStatus({ client: ec2 }, { InstanceIds: [instanceId], IncludeAllInstances: true })) {
    const status = (page.InstanceStatuses ?? []).find((s) => s.InstanceId === instanceId);
    if (status !== undefined) return { instance: status.InstanceStatus?.Status, system: status.SystemStatus?.Status };
  }
  return undefined;
}

/** The size (GiB) of each of the snapshots, as EC2 reports it (the one EBS snapshot reader, ec2-snapshots.ts). */
export async function snapshotSizes(ec2: EC2Client, snapshotIds: readonly string[]): Promise<Record<string, number | undefined>> {
  const snapshots = await describeEbsSnapshots(ec2, [], { Name: "snapshot-id", Values: [...snapshotIds] });
  return Object.fromEntries(snapshots.map((s) => [s.id, s.sizeGiB]));
}

/** Everything an EC2 restore created, as the report lists it. */
export async function findEc2Created(ec2: EC2Client, restoreId: string): Promise<CreatedResource[]> {
  const [volumes, images, instances] = await Promise.all([restoredVolumes(ec2, restoreId), restoredImages(ec2, restoreId), restoredInstances(ec2, restoreId)]);
  return [
    ...images.map((i) => ({ type: "image", id: i.id, state: i.state, ...restoredFrom(i.tags) })),
    ...instances.map((i) => ({ type: "instance", id: i.id, state: i.state, ...restoredFrom(i.tags) })),
    ...volumes.map((v) => ({ type: "volume", id: v.id, state: v.state, ...restoredFrom(v.tags) })),
  ];
}
