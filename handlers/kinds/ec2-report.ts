// The ec2 kind's report facet: every instance of the region that is not terminated (pending, running, stopping,
// stopped: shutting-down and terminated ones are on their way out), with its selection tag, Name tag, creation
// time and why the backup skips it (instanceSkip, the backup's own rule); and this stack's points (the restore facet's listing, with their encryption). Read-only.
import { paginateDescribeInstances, type EC2Client, type Instance } from "@aws-sdk/client-ec2";
import { TAG_RESTORE_ID } from "../catalog";
import type { InventoryItem } from "../report/contract";
import { tagRecord } from "../lib/tags";
import { validDate } from "../lib/values";
import { instanceSkip } from "./ec2-backup";
import { ec2Points } from "./ec2-points";
import type { KindBase, ReportKind } from "./kind";

/** The instance states the inventory lists: every instance that exists and is not being terminated. */
export const INVENTORY_INSTANCE_STATES = ["pending", "running", "stopping", "stopped"] as const;

/**
 * When the instance was first launched: LaunchTime is the last launch (a stop and start moves it), so the earlier of it
 * and the attach time of the primary network interface (device index 0), which stays until the instance is gone.
 */
function firstLaunched(instance: Instance): Date | undefined {
  const primary = (instance.NetworkInterfaces ?? []).find((n) => n.Attachment?.DeviceIndex === 0)?.Attachment?.AttachTime;
  const times = [validDate(instance.LaunchTime), validDate(primary)].filter((d): d is Date => d !== undefined);
  return times.length === 0 ? undefined : new Date(Math.min(...times.map((d) => d.getTime())));
}

function item(instance: Instance, id: string, tagKey: string): InventoryItem {
  const tags = tagRecord(instance.Tags);
  const created = firstLaunched(instance);
  const skip = instanceSkip(instance);
  return {
    kind: "ec2",
    id,
    ...(tags.Name === undefined || tags.Name === "" ? {} : { name: tags.Name }),
    ...(Object.hasOwn(tags, tagKey) ? { selection: tags[tagKey] } : {}),
    ...(created === undefined ? {} : { createdAt: created.toISOString() }),
    ...(tags[TAG_RESTORE_ID] === undefined ? {} : { restoreId: tags[TAG_RESTORE_ID] }),
    ...(skip === undefined ? {} : { skip }),
  };
}

/** Every instance of the region not terminated, every page read (the state filtered by EC2), sorted by id. */
export async function ec2Inventory(ec2: EC2Client, tagKey: string): Promise<InventoryItem[]> {
  const items = new Map<string, InventoryItem>();
  const pages = paginateDescribeInstances({ client: ec2, pageSize: 1000 }, { Filters: [{ Name: "instance-state-name", Values: [...INVENTORY_INSTANCE_STATES] }] });
  for await (const page of pages) {
    for (const instance of (page.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
      if (instance.InstanceId !== undefined) items.set(instance.InstanceId, item(instance, instance.InstanceId, tagKey));
    }
  }
  return [...items.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** The ec2 kind's report half (the facet without its base). */
export const ec2Report: Omit<ReportKind, keyof KindBase> = {
  inventory: (clients, tagKey) => ec2Inventory(clients.ec2, tagKey),
  listPoints: (clients, stackTag) => ec2Points.listPoints(clients, stackTag),
};
