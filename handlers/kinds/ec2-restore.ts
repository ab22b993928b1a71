// The ec2 kind's restore actions: what a restore still lacks, and start, poll and validate per mode ("volumes":
// ec2-restore-volumes.ts; "instance": an image, then an instance, ec2-restore-image.ts and ec2-restore-instance.ts).
import type { RestoreState } from "../restore/contract";
import type { RestoreActions } from "./kind";
import { findEc2Created } from "./ec2-restored";
import { INSTANCE_POLL_SECONDS, pollInstance, startInstance, validateInstance } from "./ec2-restore-instance";
import { pollVolumes, startVolumes, validateVolumes, VOLUME_POLL_SECONDS } from "./ec2-restore-volumes";

/** Minutes from start until the restore is reported RestoreTimedOut, per mode (an image registers and an instance boots). */
export const EC2_RESTORE_TIMEOUT_MINUTES = { volumes: 60, instance: 90 } as const;

const isInstance = (state: RestoreState) => state.mode === "instance";

/** The mode's own deadline (the kind's timeoutMinutes is the longer one): from the restore's start. */
function withModeDeadline(state: RestoreState): RestoreState {
  const minutes = EC2_RESTORE_TIMEOUT_MINUTES[isInstance(state) ? "instance" : "volumes"];
  return { ...state, deadline: new Date(Date.parse(state.startedAt) + minutes * 60_000).toISOString() };
}

/** What the state lacks for its mode (the flow has resolved request > recorded facts > region network first). */
function missing(state: RestoreState): string[] {
  if (!isInstance(state)) return state.zone === undefined ? ["option:zone"] : [];
  const machine = state.machine ?? {};
  return [
    ...(state.instanceType === undefined ? ["option:instanceType"] : []),
    ...(machine.architecture === undefined ? ["option:machine.architecture"] : []),
    ...(machine.rootDevice === undefined ? ["option:machine.rootDevice"] : []),
    ...(machine.virtualization === undefined ? ["option:machine.virtualization"] : []),
    // A set made before devices were recorded: only a one-volume set can be mapped (to the root device).
    ...(state.point.snapshotIds.length > 1 && state.point.snapshotIds.some((s) => state.point.volumes?.find((v) => v.snapshotId === s)?.device === undefined) ? ["point:volumes.device"] : []),
    ...(state.subnetId === undefined ? ["network:subnetIds"] : []),
    ...((state.securityGroupIds ?? []).length === 0 ? ["network:securityGroupIds"] : []),
  ];
}

export const ec2Restore: RestoreActions = {
  // Volumes and instances both report progress within minutes; the longer of the two modes' timeouts bounds the kind.
  pollSeconds: Math.min(VOLUME_POLL_SECONDS, INSTANCE_POLL_SECONDS),
  timeoutMinutes: Math.max(EC2_RESTORE_TIMEOUT_MINUTES.volumes, EC2_RESTORE_TIMEOUT_MINUTES.instance),
  modeTimeoutMinutes: EC2_RESTORE_TIMEOUT_MINUTES,
  missing,
  start: (ctx, state) => (isInstance(state) ? startInstance(ctx, withModeDeadline(state)) : startVolumes(ctx, withModeDeadline(state))),
  poll: (ctx, state) => (isInstance(state) ? pollInstance(ctx, state) : pollVolumes(ctx, state)),
  validate: (ctx, state) => (isInstance(state) ? validateInstance(ctx, state) : validateVolumes(ctx, state)),
  findCreated: (clients, restoreId) => findEc2Created(clients.ec2, restoreId),
};
