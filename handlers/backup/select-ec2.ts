// Finds the EC2 instances of a plan: selection tag and state filtered server-side, every page read.
import { paginateDescribeInstances, type EC2Client } from "@aws-sdk/client-ec2";
import type { Selection } from "./types";

/** Running and stopped instances tagged `<tagKey>=<plan>`; those without EBS volumes are skipped with the reason. */
export async function selectInstances(ec2: EC2Client, tagKey: string, plan: string): Promise<Selection> {
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
      const volumes = (instance.BlockDeviceMappings ?? []).filter((m) => m.Ebs?.VolumeId !== undefined);
      if (volumes.length === 0) {
        selection.skipped.push({ kind: "ec2", source: id, status: "skipped", snapshotIds: [], reason: "no EBS volumes attached (instance store only)", durationMs: 0 });
      } else {
        selection.sources.push({ kind: "ec2", id, volumes: volumes.length });
      }
    }
  }
  return selection;
}
