// EC2 restore, mode "instance": the image (ec2-restore-image.ts), then one instance launched from it into the
// region's restore subnet and security groups, its volumes encrypted with the region's key, instance and volumes
// tagged at launch. RunInstances' client token is derived from the restore id: a rerun gets the same instance.
// Available = running with both status checks ok; then the image is deregistered unless asked to keep it.
import { RunInstancesCommand, type _InstanceType } from "@aws-sdk/client-ec2";
import { restoredResourceFailedError, restoreStateIncompleteError } from "../lib/errors";
import type { CreatedResource, RestoreState } from "../restore/contract";
import type { RestoreContext } from "./kind";
import { instanceChecks, restoredImages, restoredInstances, restoredVolumes } from "./ec2-restored";
import { deregisterImages, IMAGE_FAILED, pointDevices, registerImage } from "./ec2-restore-image";
import { available, check, clientToken, createdOf, failed, inProgress, validation, withCreated } from "./restore-steps";

/** Seconds between polls while the image registers and the instance boots. */
export const INSTANCE_POLL_SECONDS = 30;
/** Instance states from which it never becomes running. */
const INSTANCE_GONE = ["shutting-down", "terminated", "stopping", "stopped"];

export async function startInstance(ctx: RestoreContext, state: RestoreState): Promise<RestoreState> {
  const image = await registerImage(ctx, state);
  return inProgress(withCreated(state, [{ type: "image", id: image.id, state: image.state }]), "image", INSTANCE_POLL_SECONDS);
}

async function launch(ctx: RestoreContext, state: RestoreState, imageId: string): Promise<CreatedResource> {
  const { instanceType, subnetId, securityGroupIds } = state;
  if (instanceType === undefined) throw restoreStateIncompleteError("instanceType");
  if (subnetId === undefined) throw restoreStateIncompleteError("subnetId");
  if (securityGroupIds === undefined || securityGroupIds.length === 0) throw restoreStateIncompleteError("securityGroupIds");
  const result = await ctx.clients.ec2.send(
    new RunInstancesCommand({
      ImageId: imageId,
      // EC2 validates the type itself (it adds types faster than the SDK's list).
      InstanceType: instanceType as _InstanceType,
      SubnetId: subnetId,
      SecurityGroupIds: securityGroupIds,
      MinCount: 1,
      MaxCount: 1,
      ClientToken: clientToken(state.restoreId, "instance"),
      BlockDeviceMappings: pointDevices(state).map(({ device }) => ({ DeviceName: device, Ebs: { Encrypted: true, KmsKeyId: ctx.keyArn, DeleteOnTermination: true } })),
      MetadataOptions: { HttpTokens: "required" },
      ...(state.instanceProfileArn === undefined ? {} : { IamInstanceProfile: { Arn: state.instanceProfileArn } }),
      TagSpecifications: [
        { ResourceType: "instance", Tags: ctx.tags },
        { ResourceType: "volume", Tags: ctx.tags },
      ],
    }),
  );
  const instance = result.Instances?.[0];
  if (instance?.InstanceId === undefined) throw restoredResourceFailedError("instance", state.name, "not launched", "RunInstances answered without an instance");
  return { type: "instance", id: instance.InstanceId, state: instance.State?.Name ?? "pending" };
}

/** Image phase: launch once the image is available. */
async function pollImage(ctx: RestoreContext, state: RestoreState): Promise<RestoreState> {
  const imageId = createdOf(state, "image")?.id;
  if (imageId === undefined) throw restoreStateIncompleteError("created image");
  const image = (await restoredImages(ctx.clients.ec2, state.restoreId)).find((i) => i.id === imageId);
  // Not visible yet (EC2's describe calls are eventually consistent): poll again.
  if (image === undefined) return inProgress(state, "image", INSTANCE_POLL_SECONDS);
  const next = withCreated(state, [{ type: "image", id: image.id, state: image.state }]);
  if (IMAGE_FAILED.includes(image.state)) return failed(next, restoredResourceFailedError("image", image.id, image.state, image.reason));
  if (image.state !== "available") return inProgress(next, "image", INSTANCE_POLL_SECONDS);
  return inProgress(withCreated(next, [await launch(ctx, next, image.id)]), "instance", INSTANCE_POLL_SECONDS);
}

/** Instance phase: running with both status checks ok is available; the image goes unless kept. */
async function pollLaunched(ctx: RestoreContext, state: RestoreState): Promise<RestoreState> {
  const instanceId = createdOf(state, "instance")?.id;
  const instance = (await restoredInstances(ctx.clients.ec2, state.restoreId)).find((i) => instanceId === undefined || i.id === instanceId);
  if (instance === undefined) return inProgress(state, "instance", INSTANCE_POLL_SECONDS);
  let next = withCreated(state, [{ type: "instance", id: instance.id, state: instance.state }]);
  if (INSTANCE_GONE.includes(instance.state)) return failed(next, restoredResourceFailedError("instance", instance.id, instance.state, instance.reason));
  if (instance.state !== "running") return inProgress(next, "instance", INSTANCE_POLL_SECONDS);
  if (state.keepImage !== true) {
    const deregistered = await deregisterImages(ctx, state.restoreId);
    next = withCreated(next, deregistered.map((id) => ({ type: "image", id, state: "deregistered" })));
  }
  const checks = await instanceChecks(ctx.clients.ec2, instance.id);
  if (checks?.instance === "impaired" || checks?.system === "impaired") return failed(next, restoredResourceFailedError("instance", instance.id, "impaired", `status checks: instance ${String(checks.instance)}, system ${String(checks.system)}`));
  if (checks?.instance !== "ok" || checks.system !== "ok") return inProgress(next, "instance", INSTANCE_POLL_SECONDS);
  return available(next, instance.privateIp ?? "", ctx.now());
}

export function pollInstance(ctx: RestoreContext, state: RestoreState): Promise<RestoreState> {
  return state.phase === "image" ? pollImage(ctx, state) : pollLaunched(ctx, state);
}

/** Running, both status checks ok, a private IP, the type asked for, every volume encrypted with the region's key, the image gone unless kept. */
export async function validateInstance(ctx: RestoreContext, state: RestoreState): Promise<NonNullable<RestoreState["validation"]>> {
  const ec2 = ctx.clients.ec2;
  const instanceId = createdOf(state, "instance")?.id;
  const instance = (await restoredInstances(ec2, state.restoreId)).find((i) => instanceId === undefined || i.id === instanceId);
  if (instance === undefined) return validation([check("the restored instance", false, "none found with the restore id")]);
  const [checks, volumes, images] = await Promise.all([instanceChecks(ec2, instance.id), restoredVolumes(ec2, state.restoreId), restoredImages(ec2, state.restoreId)]);
  const attached = volumes.filter((v) => v.instanceId === instance.id);
  const registered = images.filter((i) => i.state !== "deregistered");
  return validation([
    check(`${instance.id} running`, instance.state === "running", instance.state),
    check(`${instance.id} status checks ok`, checks?.instance === "ok" && checks.system === "ok", `instance ${String(checks?.instance)}, system ${String(checks?.system)}`),
    check(`${instance.id} has a private IP`, (instance.privateIp ?? "") !== "", instance.privateIp),
    check(`${instance.id} is ${String(state.instanceType)}`, instance.instanceType === state.instanceType, instance.instanceType),
    check(`${instance.id} in ${String(state.subnetId)}`, instance.subnetId === state.subnetId, instance.subnetId),
    check(`${instance.id} has a volume per snapshot`, attached.length === state.point.snapshotIds.length, `${attached.length} of ${state.point.snapshotIds.length}`),
    ...attached.map((v) => check(`${v.id} encrypted with the region's key`, v.encrypted && v.kmsKeyId === ctx.keyArn, v.kmsKeyId ?? "not encrypted")),
    state.keepImage === true ? check("the image is kept", registered.length > 0, registered.map((i) => i.id).join(", ")) : check("the image is deregistered", registered.length === 0, registered.map((i) => i.id).join(", ")),
  ]);
}
