// Lists what the rules read in one region: this stack's EBS snapshots (tag-filtered by EC2), the snapshots behind
// this account's AMIs, the EBS snapshot locks, and every manual DB and cluster snapshot (RDS cannot filter them by tag; also the quota count).
// Every listing reads every page; one that fails is recorded and its kind is left out, so nothing of it is deleted.
import { paginateDescribeImages, paginateDescribeSnapshots, type EC2Client } from "@aws-sdk/client-ec2";
import { paginateDescribeDBClusterSnapshots, paginateDescribeDBSnapshots, type RDSClient } from "@aws-sdk/client-rds";
import { TAG_STACK, type QuotaKind } from "../catalog";
import { describeError } from "../lib/errors";
import { describeLocks } from "../lib/snapshot-lock";
import { tagRecord } from "../lib/tags";
import type { ImageUse, ListedSnapshot, ListingFailure, RegionListing } from "./types";

const dateOrUndefined = (d: Date | undefined) => (d instanceof Date && !Number.isNaN(d.getTime()) ? d : undefined);

/** This stack's EBS snapshots, owned by this account, filtered by EC2 on the stack tag. */
export async function listEbsSnapshots(ec2: EC2Client, stackTag: string): Promise<ListedSnapshot[]> {
  const found: ListedSnapshot[] = [];
  const pages = paginateDescribeSnapshots({ client: ec2, pageSize: 1000 }, { OwnerIds: ["self"], Filters: [{ Name: `tag:${TAG_STACK}`, Values: [stackTag] }] });
  for await (const page of pages) {
    for (const s of page.Snapshots ?? []) {
      if (s.SnapshotId === undefined) continue;
      found.push({ kind: "ebs", id: s.SnapshotId, state: s.State ?? "", created: dateOrUndefined(s.StartTime), tags: tagRecord(s.Tags), description: s.Description });
    }
  }
  return found;
}

/** Every EBS snapshot behind an AMI this account owns, disabled and deprecated AMIs included (they still hold them). */
export async function listImageSnapshots(ec2: EC2Client): Promise<ImageUse[]> {
  const uses: ImageUse[] = [];
  const pages = paginateDescribeImages({ client: ec2, pageSize: 1000 }, { Owners: ["self"], IncludeDisabled: true, IncludeDeprecated: true });
  for await (const page of pages) {
    for (const image of page.Images ?? []) {
      for (const mapping of image.BlockDeviceMappings ?? []) {
        const snapshotId = mapping.Ebs?.SnapshotId;
        if (snapshotId !== undefined && image.ImageId !== undefined) uses.push({ snapshotId, imageId: image.ImageId });
      }
    }
  }
  return uses;
}

/** Every manual DB (rds) or cluster (aurora) snapshot of the region: all of them count against the quota. */
export async function listManualDbSnapshots(rds: RDSClient, kind: QuotaKind): Promise<ListedSnapshot[]> {
  const found: ListedSnapshot[] = [];
  if (kind === "rds") {
    for await (const page of paginateDescribeDBSnapshots({ client: rds, pageSize: 100 }, { SnapshotType: "manual" })) {
      for (const s of page.DBSnapshots ?? []) {
        if (s.DBSnapshotIdentifier === undefined) continue;
        found.push({ kind, id: s.DBSnapshotIdentifier, state: s.Status ?? "", created: dateOrUndefined(s.SnapshotCreateTime), tags: tagRecord(s.TagList), snapshotType: s.SnapshotType });
      }
    }
  } else {
    for await (const page of paginateDescribeDBClusterSnapshots({ client: rds, pageSize: 100 }, { SnapshotType: "manual" })) {
      for (const s of page.DBClusterSnapshots ?? []) {
        if (s.DBClusterSnapshotIdentifier === undefined) continue;
        found.push({ kind, id: s.DBClusterSnapshotIdentifier, state: s.Status ?? "", created: dateOrUndefined(s.SnapshotCreateTime), tags: tagRecord(s.TagList), snapshotType: s.SnapshotType });
      }
    }
  }
  return found;
}

export interface RegionListResult {
  listing: RegionListing;
  failures: ListingFailure[];
  /** Manual snapshots of every owner in the region, per RDS kind; absent when that listing failed. */
  manualSnapshots: Partial<Record<QuotaKind, number>>;
}

/** All listings of one region, at once; only this stack's snapshots go on to the rules. */
export async function listRegion(region: string, clients: { ec2: EC2Client; rds: RDSClient }, stackTag: string): Promise<RegionListResult> {
  const failures: ListingFailure[] = [];
  const attempt = async <T>(listing: ListingFailure["listing"], list: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await list();
    } catch (error) {
      failures.push({ region, listing, error: describeError(error) });
      return undefined;
    }
  };
  const [ebs, images, locks, rds, aurora] = await Promise.all([
    attempt("ebs", () => listEbsSnapshots(clients.ec2, stackTag)),
    attempt("images", () => listImageSnapshots(clients.ec2)),
    attempt("locks", () => describeLocks(clients.ec2)),
    attempt("rds", () => listManualDbSnapshots(clients.rds, "rds")),
    attempt("aurora", () => listManualDbSnapshots(clients.rds, "aurora")),
  ]);
  const manualSnapshots: Partial<Record<QuotaKind, number>> = {};
  if (rds) manualSnapshots.rds = rds.length;
  if (aurora) manualSnapshots.aurora = aurora.length;
  const ours = [...(ebs ?? []), ...(rds ?? []), ...(aurora ?? [])].filter((s) => s.tags[TAG_STACK] === stackTag);
  const lockFields = locks ? { locks: [...locks.values()] } : { locksUnknown: true as const };
  return { listing: { region, snapshots: ours, ...(images ? { images } : {}), ...lockFields }, failures, manualSnapshots };
}
