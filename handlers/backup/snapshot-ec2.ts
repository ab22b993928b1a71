// EC2 backups: the run's existing snapshots (for reruns), and one crash-consistent CreateSnapshots per instance.
import { CreateSnapshotsCommand, paginateDescribeSnapshots, type EC2Client } from "@aws-sdk/client-ec2";
import { TAG_RUN, TAG_SET_SIZE, TAG_SOURCE, TAG_STACK } from "../catalog";
import { createOnce } from "../lib/create-once";
import { catalogTags } from "./catalog-tags";
import type { BackupRun } from "./types";

/**
 * Snapshot ids this stack already made for the run, by source instance. One tag-filtered listing for the whole
 * run (not one per instance) keeps within EC2's describe budget of 10 calls a second at thousands of instances.
 * Snapshots in state "error" do not count: the rerun makes them again. With `instanceId`, only that instance's.
 */
export async function existingRunSnapshots(ec2: EC2Client, run: BackupRun, instanceId?: string): Promise<Map<string, string[]>> {
  const bySource = new Map<string, string[]>();
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
      bySource.set(source, [...(bySource.get(source) ?? []), snapshot.SnapshotId]);
    }
  }
  return bySource;
}

/**
 * Snapshots every EBS volume attached to the instance in one set; volume tags are copied, catalog tags added, and
 * the set's size (volumes attached when listed) so cleanup can tell a set with members missing from a whole one.
 * CreateSnapshots takes no idempotency token: after a lost answer the run's set of this instance is looked up first.
 */
export async function snapshotInstance(ec2: EC2Client, run: BackupRun, instanceId: string, setSize?: number): Promise<string[]> {
  const size = setSize === undefined ? [] : [{ Key: TAG_SET_SIZE, Value: String(setSize) }];
  const command = new CreateSnapshotsCommand({
    InstanceSpecification: { InstanceId: instanceId, ExcludeBootVolume: false },
    CopyTagsFromSource: "volume",
    Description: `backup-dr ${run.runId} ${instanceId}`,
    TagSpecifications: [{ ResourceType: "snapshot", Tags: [...catalogTags(run, instanceId), ...size] }],
  });
  const { value } = await createOnce({
    action: "CreateSnapshots",
    what: `the snapshot set of ${instanceId} for ${run.runId}`,
    command,
    send: async () => ((await ec2.send(command)).Snapshots ?? []).flatMap((s) => (s.SnapshotId === undefined ? [] : [s.SnapshotId])),
    lookUp: async () => (await existingRunSnapshots(ec2, run, instanceId)).get(instanceId),
    retryStrategy: ec2.config.retryStrategy,
  });
  return value;
}
