// EC2 restore, mode "instance", the image: an AMI registered from the recovery point's snapshots (each at its recorded
// device, the root device as recorded), named as the restore, tagged at registration. RegisterImage takes no client
// token, so an image of that name carrying this restore's id is reused (a rerun, or the SDK's retry after a lost
// answer, which AWS refuses as a duplicate name); one without it means the name is someone else's. Deregistering
// touches only images carrying this restore's id, and never their snapshots (they are the recovery point).
import { DeregisterImageCommand, RegisterImageCommand, type ArchitectureValues, type BlockDeviceMapping, type BootModeValues } from "@aws-sdk/client-ec2";
import { TAG_RESTORE_ID } from "../catalog";
import { errorName, restoredResourceFailedError, restoreNameTakenError, restoreStateIncompleteError } from "../lib/errors";
import type { RestoreState } from "../restore/contract";
import type { RestoreContext } from "./kind";
import { ownImages, restoredImages, type RestoredImage } from "./ec2-restored";

/** A duplicate name (RegisterImage), and an image already gone (DeregisterImage). */
const NAME_DUPLICATE = ["InvalidAMIName.Duplicate"];
export const IMAGE_GONE = ["InvalidAMIID.NotFound", "InvalidAMIID.Unavailable"];
/** Image states from which it never becomes available. */
export const IMAGE_FAILED = ["failed", "error", "invalid", "deregistered", "disabled"];

/** Each snapshot of the point and the device it was attached as (a one-volume point without the fact: the root device). */
export function pointDevices(state: RestoreState): Array<{ snapshotId: string; device: string }> {
  const rootDevice = state.machine?.rootDevice;
  return state.point.snapshotIds.map((snapshotId) => {
    const device = state.point.volumes?.find((v) => v.snapshotId === snapshotId)?.device ?? (state.point.snapshotIds.length === 1 ? rootDevice : undefined);
    if (device === undefined) throw restoreStateIncompleteError(`device of ${snapshotId} (point.volumes)`);
    return { snapshotId, device };
  });
}

/** The images named `name`; throws restoreNameTakenError when one of them is not this restore's. */
async function imageNamed(ctx: RestoreContext, state: RestoreState): Promise<RestoredImage | undefined> {
  const named = await ownImages(ctx.clients.ec2, [{ Name: "name", Values: [state.name] }]);
  const theirs = named.find((i) => i.tags[TAG_RESTORE_ID] !== state.restoreId);
  if (theirs !== undefined) throw restoreNameTakenError(state.name, "image", `${theirs.id} carries ${TAG_RESTORE_ID}=${theirs.tags[TAG_RESTORE_ID] ?? "(none)"}`);
  return named[0];
}

/** Registers the image (or finds this restore's): its id and state. */
export async function registerImage(ctx: RestoreContext, state: RestoreState): Promise<{ id: string; state: string }> {
  const existing = await imageNamed(ctx, state);
  if (existing !== undefined) return existing;
  const machine = state.machine ?? {};
  const { architecture, rootDevice, virtualization, bootMode } = machine;
  if (architecture === undefined) throw restoreStateIncompleteError("machine.architecture");
  if (rootDevice === undefined) throw restoreStateIncompleteError("machine.rootDevice");
  if (virtualization === undefined) throw restoreStateIncompleteError("machine.virtualization");
  const mappings: BlockDeviceMapping[] = pointDevices(state).map(({ snapshotId, device }) => ({ DeviceName: device, Ebs: { SnapshotId: snapshotId, DeleteOnTermination: true, VolumeType: "gp3" } }));
  // EC2 validates these values itself (and adds instance types and modes faster than the SDK's lists).
  const command = new RegisterImageCommand({
    Name: state.name,
    Description: `backup-dr restore ${state.restoreId} of ${state.source} from ${state.point.id}`,
    Architecture: architecture as ArchitectureValues,
    RootDeviceName: rootDevice,
    VirtualizationType: virtualization,
    ...(bootMode === undefined ? {} : { BootMode: bootMode as BootModeValues }),
    EnaSupport: true,
    BlockDeviceMappings: mappings,
    TagSpecifications: [{ ResourceType: "image", Tags: ctx.tags }],
  });
  try {
    const result = await ctx.clients.ec2.send(command);
    if (result.ImageId !== undefined) return { id: result.ImageId, state: "pending" };
  } catch (error) {
    if (!NAME_DUPLICATE.includes(errorName(error))) throw error;
  }
  // A duplicate name after a lost answer: the image the first attempt registered (or the name is someone else's).
  const found = await imageNamed(ctx, state);
  if (found === undefined) throw restoredResourceFailedError("image", state.name, "not registered", "RegisterImage answered without an image id and no image has the name");
  return found;
}

/** Deregisters this restore's images that are still registered; returns those it deregistered. */
export async function deregisterImages(ctx: RestoreContext, restoreId: string): Promise<string[]> {
  const ours = (await restoredImages(ctx.clients.ec2, restoreId)).filter((i) => i.tags[TAG_RESTORE_ID] === restoreId && i.state !== "deregistered");
  for (const image of ours) {
    try {
      await ctx.clients.ec2.send(new DeregisterImageCommand({ ImageId: image.id }));
    } catch (error) {
      if (!IMAGE_GONE.includes(errorName(error))) throw error;
    }
  }
  return ours.map((i) => i.id);
}
