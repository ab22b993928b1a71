// Fake AWS actions the cleanup function needs: DescribeImages and DeleteSnapshot (EC2); DescribeDBSnapshots,
// DescribeDBClusterSnapshots, DeleteDBSnapshot and DeleteDBClusterSnapshot (RDS), with AWS's limits and errors.
// AMIs live in a table of their own beside the region's state (RegionState has none).
import type { FakeActions } from "./aws-fake-extensions";
import type { FakeDbSnapshot, RegionState, Tags } from "./aws-fake-state";
import { AwsFault, el, leaf, listParam, pageOffset, pageToken, requireParam, type Params } from "./aws-wire";

export interface FakeImage {
  id: string;
  /** available, pending, disabled, ...: DescribeImages leaves disabled AMIs out unless IncludeDisabled is true. */
  state: string;
  snapshotIds: string[];
  tags: Tags;
}

/** A DB or cluster snapshot with what DescribeDBSnapshots also reports: when it was made, and its type. */
export interface TimedDbSnapshot extends FakeDbSnapshot {
  /** SnapshotCreateTime; left out of the answer when undefined. */
  created?: Date;
  /** manual (the default), automated, awsbackup, shared, public. */
  snapshotType?: string;
}

const imageTables = new WeakMap<RegionState, Map<string, FakeImage>>();

/** The region's AMIs (owned by this account), by id. */
export function regionImages(region: RegionState): Map<string, FakeImage> {
  const existing = imageTables.get(region);
  if (existing) return existing;
  const created = new Map<string, FakeImage>();
  imageTables.set(region, created);
  return created;
}

export function addImage(region: RegionState, snapshotIds: string[], state = "available"): FakeImage {
  const image = { id: region.nextId("ami"), state, snapshotIds, tags: {} };
  regionImages(region).set(image.id, image);
  return image;
}

export function addDbSnapshot(region: RegionState, kind: "rds" | "aurora", snapshot: TimedDbSnapshot): TimedDbSnapshot {
  (kind === "rds" ? region.dbSnapshots : region.dbClusterSnapshots).set(snapshot.id, snapshot);
  return snapshot;
}

const tagSet = (tags: Tags) => el("tagSet", ...Object.entries(tags).map(([k, v]) => el("item", leaf("key", k), leaf("value", v))));
const tagList = (tags: Tags) => el("TagList", ...Object.entries(tags).map(([k, v]) => el("Tag", leaf("Key", k), leaf("Value", v))));

/** EC2 lists: MaxResults 5-1000 (AWS rejects anything else); the server may return fewer (`cap`). */
function ec2Page<T>(items: T[], params: Params, cap: number): { items: T[]; next?: string } {
  const max = params.get("MaxResults");
  if (max !== undefined && (Number(max) < 5 || Number(max) > 1000)) throw new AwsFault("InvalidParameterValue", 400, `Value ( ${max} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
  const size = Math.min(max === undefined ? 1000 : Number(max), cap);
  const offset = pageOffset(params.get("NextToken"));
  return { items: items.slice(offset, offset + size), next: offset + size < items.length ? pageToken(offset + size) : undefined };
}

/** RDS lists: MaxRecords 20-100; the server may return fewer (`cap`). */
function rdsPage<T>(items: T[], params: Params, cap: number): { items: T[]; marker?: string } {
  const max = params.get("MaxRecords");
  if (max !== undefined && (Number(max) < 20 || Number(max) > 100)) throw new AwsFault("InvalidParameterValue", 400, `Invalid value ${max} for MaxRecords. Must be between 20 and 100`);
  if ([...params.keys()].some((k) => k.startsWith("Filters."))) throw new AwsFault("InvalidParameterValue", 400, "This fake does not implement RDS filters");
  const size = Math.min(max === undefined ? 100 : Number(max), cap);
  const offset = pageOffset(params.get("Marker"));
  return { items: items.slice(offset, offset + size), marker: offset + size < items.length ? pageToken(offset + size) : undefined };
}

function describeImages(params: Params, region: RegionState, cap: number): string {
  const owners = listParam(params, "Owner").map((o) => o.get("") ?? "");
  if (owners.some((o) => o !== "self" && o !== region.accountId)) throw new AwsFault("InvalidParameterValue", 400, "This fake knows only this account's AMIs");
  if (listParam(params, "Filter").length > 0) throw new AwsFault("InvalidParameterValue", 400, "This fake does not implement DescribeImages filters");
  const includeDisabled = params.get("IncludeDisabled") === "true";
  const found = [...regionImages(region).values()].filter((i) => includeDisabled || i.state !== "disabled");
  const { items, next } = ec2Page(found, params, cap);
  const xml = items.map((i) =>
    el(
      "item",
      leaf("imageId", i.id),
      leaf("imageState", i.state),
      leaf("imageOwnerId", region.accountId),
      el("blockDeviceMapping", ...i.snapshotIds.map((s, n) => el("item", leaf("deviceName", n === 0 ? "/dev/xvda" : `/dev/sd${String.fromCharCode(102 + n)}`), el("ebs", leaf("snapshotId", s))))),
      tagSet(i.tags),
    ),
  );
  return el("imagesSet", ...xml) + (leaf("nextToken", next) ?? "");
}

function deleteSnapshot(params: Params, region: RegionState): string {
  const id = requireParam(params, "SnapshotId");
  if (!region.snapshots.has(id)) throw new AwsFault("InvalidSnapshot.NotFound", 400, `The snapshot '${id}' does not exist.`);
  const image = [...regionImages(region).values()].find((i) => i.snapshotIds.includes(id));
  if (image) throw new AwsFault("InvalidSnapshot.InUse", 400, `The snapshot ${id} is currently in use by ${image.id}`);
  region.snapshots.delete(id);
  return leaf("return", true) ?? "";
}

type DbKind = "rds" | "aurora";
const NAMES = {
  rds: { list: "DBSnapshots", item: "DBSnapshot", id: "DBSnapshotIdentifier", source: "DBInstanceIdentifier", arn: "DBSnapshotArn", arnType: "snapshot" },
  aurora: { list: "DBClusterSnapshots", item: "DBClusterSnapshot", id: "DBClusterSnapshotIdentifier", source: "DBClusterIdentifier", arn: "DBClusterSnapshotArn", arnType: "cluster-snapshot" },
};

function dbSnapshotXml(kind: DbKind, region: RegionState, s: TimedDbSnapshot): string {
  const n = NAMES[kind];
  return el(
    n.item,
    leaf(n.id, s.id),
    leaf(n.source, s.source),
    leaf("SnapshotCreateTime", s.created?.toISOString()),
    leaf("Status", s.status),
    leaf("SnapshotType", s.snapshotType ?? "manual"),
    leaf(n.arn, `arn:aws:rds:${region.name}:${region.accountId}:${n.arnType}:${s.id}`),
    tagList(s.tags),
  );
}

const table = (kind: DbKind, region: RegionState): Map<string, TimedDbSnapshot> => (kind === "rds" ? region.dbSnapshots : region.dbClusterSnapshots);

function describeDbSnapshots(kind: DbKind, params: Params, region: RegionState, cap: number): string {
  const n = NAMES[kind];
  const type = params.get("SnapshotType");
  const id = params.get(n.id);
  const source = params.get(n.source);
  const found = [...table(kind, region).values()].filter(
    (s) => (type === undefined || (s.snapshotType ?? "manual") === type) && (id === undefined || s.id === id.toLowerCase()) && (source === undefined || s.source === source),
  );
  if (id !== undefined && found.length === 0) {
    throw kind === "rds" ? new AwsFault("DBSnapshotNotFound", 404, `DBSnapshot ${id} not found.`) : new AwsFault("DBClusterSnapshotNotFoundFault", 404, `DBClusterSnapshot ${id} not found.`);
  }
  const { items, marker } = rdsPage(found, params, cap);
  return el(n.list, ...items.map((s) => dbSnapshotXml(kind, region, s))) + (leaf("Marker", marker) ?? "");
}

function deleteDbSnapshot(kind: DbKind, params: Params, region: RegionState): string {
  const n = NAMES[kind];
  const id = requireParam(params, n.id).toLowerCase();
  const snapshot = table(kind, region).get(id);
  if (!snapshot) throw kind === "rds" ? new AwsFault("DBSnapshotNotFound", 404, `DBSnapshot ${id} not found.`) : new AwsFault("DBClusterSnapshotNotFoundFault", 404, `DBClusterSnapshot ${id} not found.`);
  // AWS deletes available and failed snapshots, and a copy target while it copies (that cancels the copy); not one
  // being created or deleted, nor an automated or AWS Backup one.
  if (["creating", "deleting"].includes(snapshot.status) || (snapshot.snapshotType ?? "manual") !== "manual") {
    throw kind === "rds"
      ? new AwsFault("InvalidDBSnapshotState", 400, `Cannot delete the snapshot ${id} in state ${snapshot.status}.`)
      : new AwsFault("InvalidDBClusterSnapshotStateFault", 400, `Cannot delete the cluster snapshot ${id} in state ${snapshot.status}.`);
  }
  table(kind, region).delete(id);
  return dbSnapshotXml(kind, region, { ...snapshot, status: "deleted" });
}

export const CLEANUP_ACTIONS: FakeActions = {
  ec2: {
    DescribeImages: ({ params, region, cap }) => describeImages(params, region, cap),
    DeleteSnapshot: ({ params, region }) => deleteSnapshot(params, region),
  },
  rds: {
    DescribeDBSnapshots: ({ params, region, cap }) => describeDbSnapshots("rds", params, region, cap),
    DescribeDBClusterSnapshots: ({ params, region, cap }) => describeDbSnapshots("aurora", params, region, cap),
    DeleteDBSnapshot: ({ params, region }) => deleteDbSnapshot("rds", params, region),
    DeleteDBClusterSnapshot: ({ params, region }) => deleteDbSnapshot("aurora", params, region),
  },
};
