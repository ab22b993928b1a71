// EC2 backups: the instances of a plan, the run's existing snapshots (for reruns), and one crash-consistent
// CreateSnapshots per instance, made under the run's claim on the instance.
import { CreateSnapshotsCommand, CreateTagsCommand, paginateDescribeInstances, paginateDescribeSnapshots, type EC2Client, type Instance } from "@aws-sdk/client-ec2";
import type { BackupRun, Selection, Source } from "../backup/types";
import { TAG_RUN, TAG_SET_SIZE, TAG_SOURCE, TAG_STACK } from "../catalog";
import { catalogTags, restoreFactTags, volumeFactTag, type RestoreFacts, type VolumeFacts } from "../lib/catalog-record";
import { createOnce } from "../lib/create-once";
import { describeError, errorName } from "../lib/errors";
import { claimSource, type Claim } from "./ec2-claim";
import type { BackupContext, BackupFields, SelectContext } from "./kind";

/**
 * Running and stopped instances tagged `<tagKey>=<plan>` (filtered server-side, every page read); those without EBS
 * volumes are skipped with the reason. Each carries the snapshots this run already made of it: without them a rerun
 * would duplicate them, so both listings must succeed.
 */
export async function selectInstances(ctx: SelectContext): Promise<Selection> {
  const [selection, existing] = await Promise.all([listInstances(ctx.clients.ec2, ctx.tagKey, ctx.plan), existingRunSnapshots(ctx.clients.ec2, ctx.run)]);
  return { ...selection, sources: selection.sources.map((source) => ({ ...source, ...(existing.has(source.id) ? { existing: existing.get(source.id) } : {}) })) };
}

const ebsVolumes = (instance: Pick<Instance, "BlockDeviceMappings">) => (instance.BlockDeviceMappings ?? []).filter((m) => m.Ebs?.VolumeId !== undefined);

/** Why the backup skips the instance (it has no EBS volume), or undefined: the one definition backup and report share. */
export function instanceSkip(instance: Pick<Instance, "BlockDeviceMappings">): string | undefined {
  return ebsVolumes(instance).length === 0 ? "no EBS volumes attached (instance store only)" : undefined;
}

async function listInstances(ec2: EC2Client, tagKey: string, plan: string): Promise<Selection> {
  const selection: Selection = { sources: [], skipped: [] };
  const pages = paginateDescribeInstances(
    { client: ec2, pageSize: 1000 },
    {
      Filters: [
        { Name: `tag:${tagKey}`, Values: [plan] },
        { Name: "instance-state-name", Values: ["running", "stopped"] },
      ],
    },
  );
  for await (const page of pages) {
    for (const instance of (page.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
      const id = instance.InstanceId;
      if (id === undefined) continue;
      const reason = instanceSkip(instance);
      if (reason !== undefined) {
        selection.skipped.push({ kind: "ec2", source: id, status: "skipped", snapshotIds: [], reason, durationMs: 0 });
      } else {
        selection.sources.push({ kind: "ec2", id, setSize: ebsVolumes(instance).length, ...instanceFacts(instance) });
      }
    }
  }
  return selection;
}

/**
 * What a restore needs of the instance and each volume, from the listing's own answer (no call per instance): the
 * machine, where it ran (a hint), and each EBS volume's device and whether it is the root device.
 */
function instanceFacts(instance: Instance): { facts: RestoreFacts; volumes: Record<string, VolumeFacts> } {
  const root = instance.RootDeviceName;
  const volumes: Record<string, VolumeFacts> = {};
  for (const mapping of instance.BlockDeviceMappings ?? []) {
    const volumeId = mapping.Ebs?.VolumeId;
    if (volumeId !== undefined) volumes[volumeId] = { device: mapping.DeviceName, root: mapping.DeviceName !== undefined && mapping.DeviceName === root };
  }
  const groups = (instance.SecurityGroups ?? []).flatMap((g) => (g.GroupId === undefined ? [] : [g.GroupId]));
  return {
    facts: {
      machine: {
        instanceType: instance.InstanceType,
        architecture: instance.Architecture,
        rootDevice: root,
        bootMode: instance.CurrentInstanceBootMode ?? instance.BootMode,
        virtualization: instance.VirtualizationType,
        zone: instance.Placement?.AvailabilityZone,
      },
      network: { subnet: instance.SubnetId, securityGroups: groups },
    },
    volumes,
  };
}

/**
 * One set per run and instance: the set is made only under the run's claim on the instance; a set another
 * delivery made is "already exists". When the claim itself cannot be read or written (S3 failing), the backup is
 * made anyway and says so: a possible second set is better than a missed backup.
 */
export async function backupInstance(ctx: BackupContext, source: Source): Promise<BackupFields> {
  const instanceId = source.id;
  let claim: Claim | undefined;
  let unclaimed: string | undefined;
  try {
    claim = await claimSource({ ...ctx.claims, ec2: ctx.clients.ec2 }, ctx.run, instanceId);
  } catch (error) {
    if (errorName(error) === "SourceClaimTimeoutError") throw error;
    const { name, message } = describeError(error);
    unclaimed = `made without the run's claim on the instance (${name}: ${message})`;
  }
  if (claim?.status === "done") return { status: "skipped", snapshotIds: claim.snapshotIds, reason: "already exists" };
  let set: RunSnapshot[];
  try {
    await ctx.pace();
    set = await snapshotInstance(ctx.clients.ec2, ctx.run, instanceId, source.setSize, source.facts, onlyVolume(source.volumes));
  } catch (error) {
    // Others may take the instance at once instead of waiting out the lease; the failure itself is reported.
    await claim?.release().catch(() => undefined);
    throw error;
  }
  // Unrecorded, the claim lapses after its lease and a later taker finds this set in EC2.
  const snapshotIds = set.map((s) => s.id);
  await claim?.record(snapshotIds).catch(() => undefined);
  // With one volume listed, its facts came with the create; a volume attached since the listing got them too, so its
  // snapshot's tag is overwritten with no facts (the restore then knows nothing of its device, as for any unknown one).
  const only = onlyVolume(source.volumes);
  const volumes = only === undefined ? source.volumes : { ...Object.fromEntries(set.map((snapshot) => [snapshot.volumeId ?? "", {}])), [only.volumeId]: only.facts };
  const untagged = await tagVolumeFacts(ctx.clients.ec2, set.filter((snapshot) => only === undefined || snapshot.volumeId !== only.volumeId), volumes);
  const reason = [unclaimed, untagged].filter((r) => r !== undefined).join("; ");
  return { status: "created", snapshotIds, ...(reason === "" ? {} : { reason }) };
}

/**
 * Snapshot ids this stack already made for the run, by source instance. One tag-filtered listing for the whole
 * run (not one per instance) keeps within EC2's describe budget of 10 calls a second at thousands of instances.
 * Snapshots in state "error" do not count: the rerun makes them again. With `instanceId`, only that instance's.
 */
export async function existingRunSnapshots(ec2: EC2Client, run: BackupRun, instanceId?: string): Promise<Map<string, string[]>> {
  const bySource = new Map<string, string[]>();
  for (const snapshot of await runSnapshots(ec2, run, instanceId)) bySource.set(snapshot.source, [...(bySource.get(snapshot.source) ?? []), snapshot.id]);
  return bySource;
}

/** One snapshot of a run's set: its id, the instance and the volume it was made of. */
interface RunSnapshot {
  id: string;
  source: string;
  volumeId?: string;
}

/** This stack's snapshots of the run (with `instanceId`, of that instance), except those in state "error". */
async function runSnapshots(ec2: EC2Client, run: BackupRun, instanceId?: string): Promise<RunSnapshot[]> {
  const found: RunSnapshot[] = [];
  const pages = paginateDescribeSnapshots(
    { client: ec2, pageSize: 1000 },
    {
      OwnerIds: ["self"],
      Filters: [
        { Name: `tag:${TAG_RUN}`, Values: [run.runId] },
        { Name: `tag:${TAG_STACK}`, Values: [run.stackTag] },
        ...(instanceId === undefined ? [] : [{ Name: `tag:${TAG_SOURCE}`, Values: [instanceId] }]),
      ],
    },
  );
  for await (const page of pages) {
    for (const snapshot of page.Snapshots ?? []) {
      const source = snapshot.Tags?.find((t) => t.Key === TAG_SOURCE)?.Value;
      if (source === undefined || snapshot.SnapshotId === undefined || snapshot.State === "error") continue;
      found.push({ id: snapshot.SnapshotId, source, ...(snapshot.VolumeId === undefined ? {} : { volumeId: snapshot.VolumeId }) });
    }
  }
  return found;
}

/**
 * The one volume of an instance that has one: its facts can go with the create (a set of one snapshot), saving the
 * CreateTags call (issue 20: at most 1.05 EC2 calls per instance). With more volumes, each needs its own tag.
 */
function onlyVolume(volumes: Record<string, VolumeFacts> | undefined): { volumeId: string; facts: VolumeFacts } | undefined {
  const entries = Object.entries(volumes ?? {});
  return entries.length === 1 ? { volumeId: entries[0][0], facts: entries[0][1] } : undefined;
}

/**
 * Tags each snapshot of the set with its volume's device facts (CreateSnapshots' answer names each snapshot's
 * volume). CreateSnapshots tags every snapshot of a set alike, so this per-snapshot tag follows it (IAM allows only
 * this key, only on this stack's snapshots). Made before the set completes, so the DR copy (started on completion)
 * carries it. A failure leaves the backup made: the reason says the device facts are missing.
 */
async function tagVolumeFacts(ec2: EC2Client, set: readonly RunSnapshot[], volumes: Record<string, VolumeFacts> | undefined): Promise<string | undefined> {
  if (volumes === undefined) return undefined;
  try {
    for (const snapshot of set) {
      const facts = snapshot.volumeId === undefined ? undefined : volumes[snapshot.volumeId];
      if (facts !== undefined) await ec2.send(new CreateTagsCommand({ Resources: [snapshot.id], Tags: [volumeFactTag(facts)] }));
    }
    return undefined;
  } catch (error) {
    const { name, message } = describeError(error);
    return `device facts not recorded on the snapshots (${name}: ${message})`;
  }
}

/**
 * Snapshots every EBS volume attached to the instance in one set; volume tags are copied, catalog tags added, and
 * the set's size (volumes attached when listed) so cleanup can tell a set with members missing from a whole one.
 * CreateSnapshots takes no idempotency token: after a lost answer the run's set of this instance is looked up first.
 */
export async function snapshotInstance(ec2: EC2Client, run: BackupRun, instanceId: string, setSize?: number, facts?: RestoreFacts, only?: { facts: VolumeFacts }): Promise<RunSnapshot[]> {
  const size = setSize === undefined ? [] : [{ Key: TAG_SET_SIZE, Value: String(setSize) }];
  // An instance with one volume: its device facts tag every snapshot of the set, which is that volume's (backupInstance
  // overwrites them on the snapshot of a volume attached since the listing).
  const volume = only === undefined ? [] : [volumeFactTag(only.facts)];
  const command = new CreateSnapshotsCommand({
    InstanceSpecification: { InstanceId: instanceId, ExcludeBootVolume: false },
    CopyTagsFromSource: "volume",
    Description: `backup-dr ${run.runId} ${instanceId}`,
    TagSpecifications: [{ ResourceType: "snapshot", Tags: [...catalogTags(run, instanceId), ...size, ...restoreFactTags(facts), ...volume] }],
  });
  const { value } = await createOnce({
    action: "CreateSnapshots",
    what: `the snapshot set of ${instanceId} for ${run.runId}`,
    command,
    send: async () => ((await ec2.send(command)).Snapshots ?? []).flatMap((s) => (s.SnapshotId === undefined ? [] : [{ id: s.SnapshotId, source: instanceId, ...(s.VolumeId === undefined ? {} : { volumeId: s.VolumeId }) }])),
    lookUp: async () => {
      const found = await runSnapshots(ec2, run, instanceId);
      return found.length === 0 ? undefined : found;
    },
    retryStrategy: ec2.config.retryStrategy,
  });
  return value;
}
