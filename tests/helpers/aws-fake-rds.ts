// The fake RDS API: DescribeDBInstances/Clusters (no tag filters, as in AWS) and snapshot creation with AWS's errors.
import type { FakeDbCluster, FakeDbInstance, FakeDbSnapshot, RegionState, Tags } from "./aws-fake-state";
import { AwsFault, el, leaf, pageOffset, pageToken, requireParam, tagsParam, type Params } from "./aws-wire";

/** RDS identifier rules: 1-255 letters, digits, hyphens; a letter first; no "--"; no trailing "-". */
export const RDS_IDENTIFIER = /^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,254}$/;

/** Longest snapshot identifiers RDS accepts (API reference): DB snapshots 255, DB cluster snapshots 63. */
export const SNAPSHOT_IDENTIFIER_MAX = { DBSnapshotIdentifier: 255, DBClusterSnapshotIdentifier: 63 } as const;

/** Throws RDS's InvalidParameterValue for an identifier the API would refuse: charset, form or length. */
export function checkSnapshotIdentifier(id: string, parameter: string, max: number): void {
  if (!RDS_IDENTIFIER.test(id) || id.endsWith("-")) throw new AwsFault("InvalidParameterValue", 400, `Invalid ${parameter}: ${id} is not a valid identifier.`);
  if (id.length > max) throw new AwsFault("InvalidParameterValue", 400, `Invalid ${parameter}: ${id} is longer than ${max} characters.`);
}

/** RDS tag values: at most 256 of letters, digits, spaces and `_.:/=+-@` (no JSON); at most 50 tags a resource. */
const RDS_TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/** Throws RDS's errors for tags it would refuse: a value outside RDS's charset or length, or more than 50 tags. */
export function checkRdsTags(tags: Tags): Tags {
  if (Object.keys(tags).length > 50) throw new AwsFault("TagQuotaPerResourceExceeded", 400, "Cannot have more than 50 tags on a resource.");
  for (const [key, value] of Object.entries(tags)) {
    if (!RDS_TAG_VALUE.test(value)) throw new AwsFault("InvalidParameterValue", 400, `Tag value of ${key} is invalid: ${value}`);
  }
  return tags;
}

function page<T>(items: T[], params: Params, cap: number): { items: T[]; marker?: string } {
  const max = params.get("MaxRecords");
  if (max !== undefined && (Number(max) < 20 || Number(max) > 100)) throw new AwsFault("InvalidParameterValue", 400, `Invalid value ${max} for MaxRecords. Must be between 20 and 100`);
  if ([...params.keys()].some((k) => k.startsWith("Filters."))) throw new AwsFault("InvalidParameterValue", 400, "This fake does not implement RDS filters");
  const size = Math.min(max === undefined ? 100 : Number(max), cap);
  const offset = pageOffset(params.get("Marker"));
  return { items: items.slice(offset, offset + size), marker: offset + size < items.length ? pageToken(offset + size) : undefined };
}

const tagList = (tags: Tags) => el("TagList", ...Object.entries(tags).map(([k, v]) => el("Tag", leaf("Key", k), leaf("Value", v))));

function snapshotXml(element: string, s: FakeDbSnapshot, idName: string, sourceName: string): string {
  const encrypted = element === "DBSnapshot" ? "Encrypted" : "StorageEncrypted";
  return el(element, leaf(idName, s.id), leaf(sourceName, s.source), leaf("Status", s.status), leaf("SnapshotType", "manual"), leaf(encrypted, s.encrypted ?? false), leaf("KmsKeyId", s.kmsKeyId), tagList(s.tags));
}

/** A snapshot of the database is encrypted with the database's key (AWS: the snapshot keeps its source's encryption). */
const encryptionOf = (db: FakeDbInstance | FakeDbCluster) => (db.encrypted === true ? { encrypted: true, kmsKeyId: db.kmsKeyId } : {});

/** StorageEncrypted and KmsKeyId of a DB instance or cluster, as its description carries them. */
const storageXml = (db: FakeDbInstance | FakeDbCluster) => [leaf("StorageEncrypted", db.encrypted ?? false), leaf("KmsKeyId", db.encrypted === true ? db.kmsKeyId : undefined)];

const vpcGroups = (ids: string[] | undefined) => (ids === undefined ? undefined : el("VpcSecurityGroups", ...ids.map((g) => el("VpcSecurityGroupMembership", leaf("VpcSecurityGroupId", g), leaf("Status", "active")))));

/** One DBInstance element, as DescribeDBInstances and the create and restore calls return it. */
export function dbInstanceXml(region: RegionState, d: FakeDbInstance): string {
  return el(
    "DBInstance",
    leaf("DBInstanceIdentifier", d.id),
    leaf("DBInstanceStatus", d.status),
    leaf("Engine", d.engine),
    leaf("EngineVersion", d.engineVersion),
    leaf("DBInstanceClass", d.instanceClass),
    el("Endpoint", leaf("Address", `${d.id}.fake.${region.name}.rds.amazonaws.com`), leaf("Port", d.port)),
    leaf("DbInstancePort", 0),
    leaf("MultiAZ", d.multiAz),
    leaf("StorageType", d.storageType),
    leaf("DBClusterIdentifier", d.clusterId),
    d.subnetGroup === undefined ? undefined : el("DBSubnetGroup", leaf("DBSubnetGroupName", d.subnetGroup)),
    vpcGroups(d.securityGroupIds),
    leaf("DBInstanceArn", `arn:aws:rds:${region.name}:${region.accountId}:db:${d.id}`),
    leaf("InstanceCreateTime", d.createdAt?.toISOString()),
    ...storageXml(d),
    leaf("DeletionProtection", d.deletionProtection ?? false),
    tagList(d.tags),
  );
}

/** One DBCluster element, as DescribeDBClusters and RestoreDBClusterFromSnapshot return it. */
export function dbClusterXml(region: RegionState, c: FakeDbCluster): string {
  const members = [...region.dbInstances.values()].filter((d) => d.clusterId === c.id).map((d) => el("DBClusterMember", leaf("DBInstanceIdentifier", d.id), leaf("IsClusterWriter", d.writer === true)));
  return el(
    "DBCluster",
    leaf("DBClusterIdentifier", c.id),
    leaf("Status", c.status),
    leaf("Engine", c.engine),
    leaf("EngineVersion", c.engineVersion),
    leaf("Port", c.port),
    leaf("Endpoint", `${c.id}.cluster-fake.${region.name}.rds.amazonaws.com`),
    leaf("DBSubnetGroup", c.subnetGroup),
    vpcGroups(c.securityGroupIds),
    el("DBClusterMembers", ...members),
    leaf("DBClusterArn", `arn:aws:rds:${region.name}:${region.accountId}:cluster:${c.id}`),
    leaf("ClusterCreateTime", c.createdAt?.toISOString()),
    ...storageXml(c),
    leaf("DeletionProtection", c.deletionProtection ?? false),
    tagList(c.tags),
  );
}

export function rdsAction(action: string, params: Params, region: RegionState, cap: number): string {
  switch (action) {
    case "DescribeDBInstances": {
      const id = params.get("DBInstanceIdentifier");
      const all = [...region.dbInstances.values()].filter((d) => id === undefined || d.id === id.toLowerCase());
      if (id !== undefined && all.length === 0) throw new AwsFault("DBInstanceNotFound", 404, `DBInstance ${id} not found.`);
      const { items, marker } = page(all, params, cap);
      return el("DBInstances", ...items.map((d) => dbInstanceXml(region, d))) + (leaf("Marker", marker) ?? "");
    }
    case "DescribeDBClusters": {
      const id = params.get("DBClusterIdentifier");
      const all = [...region.dbClusters.values()].filter((c) => id === undefined || c.id === id.toLowerCase());
      if (id !== undefined && all.length === 0) throw new AwsFault("DBClusterNotFoundFault", 404, `DBCluster ${id} not found.`);
      const { items, marker } = page(all, params, cap);
      return el("DBClusters", ...items.map((c) => dbClusterXml(region, c))) + (leaf("Marker", marker) ?? "");
    }
    case "CreateDBSnapshot": {
      const id = requireParam(params, "DBSnapshotIdentifier");
      const source = requireParam(params, "DBInstanceIdentifier");
      checkSnapshotIdentifier(id, "DBSnapshotIdentifier", SNAPSHOT_IDENTIFIER_MAX.DBSnapshotIdentifier);
      if (region.dbSnapshots.has(id.toLowerCase())) throw new AwsFault("DBSnapshotAlreadyExists", 400, `Cannot create the snapshot because a snapshot with the identifier ${id} already exists.`);
      const db = region.dbInstances.get(source);
      if (!db) throw new AwsFault("DBInstanceNotFound", 404, `DBInstance ${source} not found.`);
      if (db.clusterId !== undefined || !["available", "storage-optimization"].includes(db.status)) {
        throw new AwsFault("InvalidDBInstanceState", 400, `Cannot create a snapshot of DB instance ${source} in state ${db.status}${db.clusterId ? " (member of a cluster)" : ""}.`);
      }
      const snapshot = { id: id.toLowerCase(), source, status: "creating", tags: checkRdsTags(tagsParam(params, "Tags")), ...encryptionOf(db) };
      region.dbSnapshots.set(snapshot.id, snapshot);
      return snapshotXml("DBSnapshot", snapshot, "DBSnapshotIdentifier", "DBInstanceIdentifier");
    }
    case "CreateDBClusterSnapshot": {
      const id = requireParam(params, "DBClusterSnapshotIdentifier");
      const source = requireParam(params, "DBClusterIdentifier");
      checkSnapshotIdentifier(id, "DBClusterSnapshotIdentifier", SNAPSHOT_IDENTIFIER_MAX.DBClusterSnapshotIdentifier);
      if (region.dbClusterSnapshots.has(id.toLowerCase())) throw new AwsFault("DBClusterSnapshotAlreadyExistsFault", 400, `Cannot create the cluster snapshot because one with the identifier ${id} already exists.`);
      const cluster = region.dbClusters.get(source);
      if (!cluster) throw new AwsFault("DBClusterNotFoundFault", 404, `DBCluster ${source} not found.`);
      if (cluster.status !== "available") throw new AwsFault("InvalidDBClusterStateFault", 400, `DBCluster ${source} is in state ${cluster.status}.`);
      const snapshot = { id: id.toLowerCase(), source, status: "creating", tags: checkRdsTags(tagsParam(params, "Tags")), ...encryptionOf(cluster) };
      region.dbClusterSnapshots.set(snapshot.id, snapshot);
      return snapshotXml("DBClusterSnapshot", snapshot, "DBClusterSnapshotIdentifier", "DBClusterIdentifier");
    }
    default:
      throw new AwsFault("InvalidAction", 400, `Could not find operation ${action} for version 2014-10-31`);
  }
}
