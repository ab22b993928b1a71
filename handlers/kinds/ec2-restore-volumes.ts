// EC2 restore, mode "volumes": one new volume per snapshot of the recovery point, in the chosen availability zone,
// encrypted with the region's key and tagged at creation. CreateVolume's client token is derived from the restore id
// and the snapshot, so a rerun (or the SDK's retry after a lost answer) gets the same volume back, never a second one.
import { CreateVolumeCommand } from "@aws-sdk/client-ec2";
import { restoredResourceFailedError, restoreStateIncompleteError } from "../lib/errors";
import type { CreatedResource, RestoreState } from "../restore/contract";
import type { RestoreContext } from "./kind";
import { restoredVolumes, snapshotSizes, type RestoredVolume } from "./ec2-restored";
import { available, check, clientToken, failed, inProgress, validation, withCreated } from "./restore-steps";

/** Seconds between polls while volumes are created (minutes, for large volumes from snapshots). */
export const VOLUME_POLL_SECONDS = 30;

const asCreated = (v: RestoredVolume) => ({ type: "volume", id: v.id, state: v.state });

/** The volume ids in the order of the point's snapshots, e.g. "vol-0a, vol-0b". */
function endpointOf(state: RestoreState, volumes: readonly RestoredVolume[]): string {
  return state.point.snapshotIds.map((s) => volumes.find((v) => v.snapshotId === s)?.id ?? `(none from ${s})`).join(", ");
}

export async function startVolumes(ctx: RestoreContext, state: RestoreState): Promise<RestoreState> {
  const zone = state.zone;
  if (zone === undefined) throw restoreStateIncompleteError("zone");
  const created: CreatedResource[] = [];
  for (const snapshotId of state.point.snapshotIds) {
    const result = await ctx.clients.ec2.send(
      new CreateVolumeCommand({
        SnapshotId: snapshotId,
        AvailabilityZone: zone,
        Encrypted: true,
        KmsKeyId: ctx.keyArn,
        VolumeType: "gp3",
        ClientToken: clientToken(state.restoreId, snapshotId),
        TagSpecifications: [{ ResourceType: "volume", Tags: ctx.tags }],
      }),
    );
    if (result.VolumeId !== undefined) created.push({ type: "volume", id: result.VolumeId, state: result.State ?? "creating" });
  }
  return inProgress(withCreated(state, created), "volumes", VOLUME_POLL_SECONDS);
}

export async function pollVolumes(ctx: RestoreContext, state: RestoreState): Promise<RestoreState> {
  const volumes = await restoredVolumes(ctx.clients.ec2, state.restoreId);
  const next = withCreated(state, volumes.map(asCreated));
  const broken = volumes.find((v) => v.state === "error");
  if (broken !== undefined) return failed(next, restoredResourceFailedError("volume", broken.id, broken.state, `created from ${broken.snapshotId ?? "a snapshot"}`));
  const ready = state.point.snapshotIds.every((s) => volumes.some((v) => v.snapshotId === s && v.state === "available"));
  return ready ? available(next, endpointOf(state, volumes), ctx.now()) : inProgress(next, "volumes", VOLUME_POLL_SECONDS);
}

/** Each snapshot has its volume: available, the snapshot's size, encrypted with the region's key, in the zone. */
export async function validateVolumes(ctx: RestoreContext, state: RestoreState): Promise<NonNullable<RestoreState["validation"]>> {
  const [volumes, sizes] = await Promise.all([restoredVolumes(ctx.clients.ec2, state.restoreId), snapshotSizes(ctx.clients.ec2, state.point.snapshotIds)]);
  const checks = state.point.snapshotIds.flatMap((snapshotId) => {
    const volume = volumes.find((v) => v.snapshotId === snapshotId);
    if (volume === undefined) return [check(`a volume from ${snapshotId}`, false, "none found with the restore id")];
    const size = sizes[snapshotId];
    return [
      check(`${volume.id} available`, volume.state === "available", volume.state),
      check(`${volume.id} size`, size !== undefined && volume.sizeGiB === size, `${String(volume.sizeGiB)} GiB, snapshot ${snapshotId} ${String(size)} GiB`),
      check(`${volume.id} encrypted with the region's key`, volume.encrypted && volume.kmsKeyId === ctx.keyArn, volume.kmsKeyId ?? "not encrypted"),
      check(`${volume.id} in ${String(state.zone)}`, volume.zone === state.zone, volume.zone),
    ];
  });
  return validation(checks);
}
