// The ec2 kind's drill cleanup: deletes what a drill's restore made in the region. Instances are terminated (their
// volumes with DeleteOnTermination go with them); images are deregistered, never their snapshots (RegisterImage used
// the recovery point's own snapshots: deleting them would delete the backup); volumes are deleted once detached. Each
// resource is found by the restore-id tag, then read again by its id just before its delete call, and deleted only
// when those tags name this restore, this drill and this stack. Never waits; a rerun finds what is left.
import { DeleteVolumeCommand, DeregisterImageCommand, TerminateInstancesCommand, type EC2Client } from "@aws-sdk/client-ec2";
import { errorName } from "../lib/errors";
import type { Tags } from "../lib/tags";
import type { CreatedResource } from "../restore/contract";
import { checkCleanup, deletionLog, eachInTurn, notThisDrills, type DeletionLog } from "./drill-guard";
import { imageNow, instanceNow, restoredImages, restoredInstances, restoredVolumes, volumeNow } from "./ec2-restored";
import { IMAGE_GONE } from "./ec2-restore-image";
import type { DrillCleanupContext, DrillDeletion, DrillKind, KindBase } from "./kind";
import { restoredFrom } from "./restore-steps";

/** Seconds between cleanup calls (an instance shuts down and a volume is deleted within a minute or two). */
export const EC2_DELETE_POLL_SECONDS = 30;
/** Minutes until cleanup reports what remains (termination, then the detached volumes). */
export const EC2_DELETE_TIMEOUT_MINUTES = 15;

const INSTANCE_GONE = ["InvalidInstanceID.NotFound"];
const VOLUME_GONE = ["InvalidVolume.NotFound"];
/** Termination protection (DisableApiTermination) is on: a restore never sets it, and cleanup does not turn it off. */
const TERMINATION_PROTECTED = ["OperationNotPermitted"];
/** AWS will not delete the volume in its state now (attached meanwhile, or still creating): the next call tries again. */
const VOLUME_BUSY = ["VolumeInUse", "IncorrectState"];

const resource = (type: string, id: string, state: string, tags: Readonly<Tags>): CreatedResource => ({ type, id, state, ...restoredFrom(tags) });

/** Terminates the restore's instances; adds to `ours` each one it may terminate (their volumes wait for them). */
async function cleanInstances(ec2: EC2Client, ctx: DrillCleanupContext, restoreId: string, log: DeletionLog, ours: Set<string>): Promise<void> {
  await eachInTurn(await restoredInstances(ec2, restoreId), async (found) => {
    const now = await instanceNow(ec2, found.id);
    if (now === undefined) {
      ours.add(found.id);
      return log.gone(resource("instance", found.id, "terminated", found.tags));
    }
    const item = resource("instance", now.id, now.state, now.tags);
    const why = notThisDrills(now.tags, ctx, restoreId);
    if (why !== undefined) return log.refused(item, why);
    ours.add(now.id);
    if (now.state === "terminated") return log.gone(item);
    if (now.state === "shutting-down") return log.deleting(item);
    try {
      const answer = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [now.id] }));
      const state = answer.TerminatingInstances?.find((i) => i.InstanceId === now.id)?.CurrentState?.Name ?? "shutting-down";
      if (state === "terminated") log.gone({ ...item, state });
      else log.deleting({ ...item, state });
    } catch (error) {
      const name = errorName(error);
      if (INSTANCE_GONE.includes(name)) return log.gone({ ...item, state: "terminated" });
      if (TERMINATION_PROTECTED.includes(name)) {
        // Its volumes stay attached: refused with it, not waited for.
        ours.delete(now.id);
        return log.refused(item, "termination protection is on (DisableApiTermination); a drill's restore never sets it and cleanup does not turn it off");
      }
      throw error;
    }
  });
}

/** Deregisters the restore's images (DeleteAssociatedSnapshots is never sent: the snapshots are the recovery point). */
async function cleanImages(ec2: EC2Client, ctx: DrillCleanupContext, restoreId: string, log: DeletionLog): Promise<void> {
  await eachInTurn(await restoredImages(ec2, restoreId), async (found) => {
    const now = await imageNow(ec2, found.id);
    if (now === undefined || now.state === "deregistered") return log.gone(resource("image", found.id, "deregistered", now?.tags ?? found.tags));
    const item = resource("image", now.id, now.state, now.tags);
    const why = notThisDrills(now.tags, ctx, restoreId);
    if (why !== undefined) return log.refused(item, why);
    try {
      await ec2.send(new DeregisterImageCommand({ ImageId: now.id }));
    } catch (error) {
      if (!IMAGE_GONE.includes(errorName(error))) throw error;
    }
    log.gone({ ...item, state: "deregistered" });
  });
}

/** Deletes the restore's detached volumes; one attached to an instance being terminated waits for it. */
async function cleanVolumes(ec2: EC2Client, ctx: DrillCleanupContext, restoreId: string, instances: ReadonlySet<string>, log: DeletionLog): Promise<void> {
  await eachInTurn(await restoredVolumes(ec2, restoreId), async (found) => {
    const now = await volumeNow(ec2, found.id);
    if (now === undefined || now.state === "deleted") return log.gone(resource("volume", found.id, "deleted", now?.tags ?? found.tags));
    const item = resource("volume", now.id, now.state, now.tags);
    const why = notThisDrills(now.tags, ctx, restoreId);
    if (why !== undefined) return log.refused(item, why);
    if (now.state === "deleting") return log.deleting(item);
    if (now.state === "in-use" || now.instanceId !== undefined) {
      if (now.instanceId !== undefined && instances.has(now.instanceId)) return log.waiting(item);
      return log.refused(item, `attached to ${now.instanceId ?? "an instance"}, which is not this drill's restore's: never detached by cleanup`);
    }
    if (now.state === "creating") return log.waiting(item);
    try {
      await ec2.send(new DeleteVolumeCommand({ VolumeId: now.id }));
      log.deleting({ ...item, state: "deleting" });
    } catch (error) {
      const name = errorName(error);
      if (VOLUME_GONE.includes(name)) return log.gone({ ...item, state: "deleted" });
      if (VOLUME_BUSY.includes(name)) return log.waiting(item);
      throw error;
    }
  });
}

async function deleteRestored(ctx: DrillCleanupContext, restoreId: string): Promise<DrillDeletion> {
  checkCleanup(ctx, restoreId);
  const ec2 = ctx.clients.ec2;
  const log = deletionLog();
  const ours = new Set<string>();
  // Instances first: their volumes are detached (or deleted with them) only once they are terminated.
  const steps = [() => cleanInstances(ec2, ctx, restoreId, log, ours), () => cleanVolumes(ec2, ctx, restoreId, ours, log), () => cleanImages(ec2, ctx, restoreId, log)];
  await eachInTurn(steps, (step) => step());
  return log.result;
}

export const ec2Drill: Omit<DrillKind, keyof KindBase> = {
  deleteRestored,
  deletePollSeconds: EC2_DELETE_POLL_SECONDS,
  deleteTimeoutMinutes: EC2_DELETE_TIMEOUT_MINUTES,
};
