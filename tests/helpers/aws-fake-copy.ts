// Fake AWS actions the DR copy function needs: CopySnapshot (EC2), CopyDBSnapshot and CopyDBClusterSnapshot (RDS),
// requested in the destination region and reading the source from its own region, with AWS's limits on copies in
// flight and its encryption rules; and encryption fields added to the DB snapshot listings (aws-fake-cleanup.ts
// answers those; this file only adds Encrypted/StorageEncrypted and KmsKeyId to each item).
import { CLEANUP_ACTIONS } from "./aws-fake-cleanup";
import type { TimedDbSnapshot } from "./aws-fake-cleanup";
import { checkRdsTags, checkSnapshotIdentifier, rdsAction, SNAPSHOT_IDENTIFIER_MAX } from "./aws-fake-rds";
import type { ActionContext, FakeAction, FakeActions } from "./aws-fake-extensions";
import type { FakeSnapshot, RegionState, Tags } from "./aws-fake-state";
import { AwsFault, el, leaf, listParam, requireParam, tagsParam, type Params } from "./aws-wire";

/** A DB or cluster snapshot with encryption, and for a copy the ARN it was copied from. */
export interface CopyableDbSnapshot extends TimedDbSnapshot {
  encrypted?: boolean;
  kmsKeyId?: string;
  copiedFrom?: string;
}

/** An EBS snapshot that may be a copy: `copiedFrom` is `<source region>:<snapshot id>`. */
export interface CopyableSnapshot extends FakeSnapshot {
  copiedFrom?: string;
}

export interface CopyLimits {
  ebs: number;
  rds: number;
  aurora: number;
}

/** AWS's defaults per destination region: 20 EBS snapshot copies, 20 DB snapshot copies; cluster copies treated as 5. */
export const AWS_COPY_LIMITS: CopyLimits = { ebs: 20, rds: 20, aurora: 5 };

const limitTables = new WeakMap<RegionState, CopyLimits>();

/** Changes how many copies in flight the (destination) region accepts before refusing. */
export function setCopyLimits(region: RegionState, limits: Partial<CopyLimits>): void {
  limitTables.set(region, { ...copyLimits(region), ...limits });
}

function copyLimits(region: RegionState): CopyLimits {
  return limitTables.get(region) ?? AWS_COPY_LIMITS;
}

const clocks = new WeakMap<RegionState, () => Date>();

/** The clock a (destination) region stamps the copies made into it with (the real clock unless set). */
export function setCopyClock(region: RegionState, clock: () => Date): void {
  clocks.set(region, clock);
}

/** AWS's creation time of a copy is when the copy was made (RDS: SnapshotCreateTime "changes for the copy"). */
const copyMadeAt = (region: RegionState): Date => new Date((clocks.get(region) ?? (() => new Date()))().getTime());

const DB_IN_FLIGHT = ["pending", "creating", "copying"];

/** Copies into the region still in flight, per kind (every copy, whoever made it). */
export function copiesInFlight(region: RegionState): CopyLimits {
  const db = (table: Map<string, CopyableDbSnapshot>) => [...table.values()].filter((s) => s.copiedFrom !== undefined && DB_IN_FLIGHT.includes(s.status)).length;
  return {
    ebs: [...region.snapshots.values()].filter((s: CopyableSnapshot) => s.copiedFrom !== undefined && s.state === "pending").length,
    rds: db(region.dbSnapshots),
    aurora: db(region.dbClusterSnapshots),
  };
}

/** Finishes the region's copies in flight (at most `count`, oldest first): what AWS does minutes to hours later. */
export function finishCopies(region: RegionState, count = Infinity): number {
  let left = count;
  for (const s of region.snapshots.values() as Iterable<CopyableSnapshot>) {
    if (left > 0 && s.copiedFrom !== undefined && s.state === "pending") {
      s.state = "completed";
      left -= 1;
    }
  }
  for (const table of [region.dbSnapshots, region.dbClusterSnapshots] as Map<string, CopyableDbSnapshot>[]) {
    for (const s of table.values()) {
      if (left > 0 && s.copiedFrom !== undefined && DB_IN_FLIGHT.includes(s.status)) {
        s.status = "available";
        left -= 1;
      }
    }
  }
  return count - left;
}

/** The key id an ARN names, or the text itself; and the region of an ARN (undefined for a bare id or alias). */
function keyRegion(key: string): string | undefined {
  return /^arn:aws[a-z-]*:kms:([a-z0-9-]+):/.exec(key)?.[1];
}

function checkKey(key: string, region: RegionState, fault: (message: string) => AwsFault): void {
  const where = keyRegion(key);
  if (where !== undefined && where !== region.name) throw fault(`The KMS key ${key} is in ${where}; a copy into ${region.name} needs a key of ${region.name}.`);
}

/** The SigV4 query-string signature of a presigned URL must be scoped to the region named. */
function checkPresigned(url: string | undefined, regionName: string, service: string, parameter: string): void {
  if (url === undefined) throw new AwsFault("MissingParameter", 400, `The request must contain the parameter ${parameter} (the SDK makes it from SourceRegion)`);
  const credential = new URL(url).searchParams.get("X-Amz-Credential") ?? "";
  if (!credential.includes(`/${regionName}/${service}/aws4_request`)) throw new AwsFault("InvalidParameterValue", 400, `${parameter} is not signed for ${regionName}: ${credential}`);
}

function specTags(params: Params): Tags {
  const tags: Tags = {};
  for (const spec of listParam(params, "TagSpecification")) {
    if (spec.get("ResourceType") !== "snapshot") throw new AwsFault("InvalidParameterValue", 400, `'${spec.get("ResourceType") ?? ""}' is not a valid taggable resource type for this operation.`);
    for (const tag of listParam(spec, "Tag")) tags[tag.get("Key") ?? ""] = tag.get("Value") ?? "";
  }
  if (Object.keys(tags).length > 50) throw new AwsFault("TagLimitExceeded", 400, "The maximum number of tags for a snapshot (50) was exceeded.");
  return tags;
}

function copySnapshot(ctx: ActionContext): string {
  const { params, region } = ctx;
  const sourceRegion = requireParam(params, "SourceRegion");
  const sourceId = requireParam(params, "SourceSnapshotId");
  checkPresigned(params.get("PresignedUrl"), sourceRegion, "ec2", "PresignedUrl");
  const destination = params.get("DestinationRegion");
  if (destination !== undefined && destination !== region.name) throw new AwsFault("InvalidParameterValue", 400, `DestinationRegion ${destination} is not the region of the request, ${region.name}`);
  const source = ctx.regionNamed(sourceRegion).snapshots.get(sourceId);
  if (!source) throw new AwsFault("InvalidSnapshot.NotFound", 400, `The snapshot '${sourceId}' does not exist.`);
  if (source.state !== "completed") throw new AwsFault("IncorrectState", 400, `Snapshot ${sourceId} is in state ${source.state}; only completed snapshots can be copied.`);
  const encrypted = params.get("Encrypted") === "true";
  const key = params.get("KmsKeyId");
  if (key !== undefined && !encrypted) throw new AwsFault("InvalidParameterDependency", 400, "The parameter KmsKeyId requires the parameter Encrypted to be set.");
  if (source.encrypted === true && params.get("Encrypted") === "false") throw new AwsFault("InvalidParameterCombination", 400, "An encrypted snapshot cannot be copied unencrypted.");
  if (key !== undefined) checkKey(key, region, (m) => new AwsFault("InvalidParameterValue", 400, m));
  const tags = specTags(params);
  if (copiesInFlight(region).ebs >= copyLimits(region).ebs) {
    throw new AwsFault("ResourceLimitExceeded", 400, `You have reached the limit of ${copyLimits(region).ebs} concurrent snapshot copies into ${region.name}.`);
  }
  const copyEncrypted = encrypted || source.encrypted === true;
  const copy: CopyableSnapshot = {
    id: region.nextId("snap"),
    volumeId: "vol-ffffffff",
    state: "pending",
    description: params.get("Description") ?? "",
    tags,
    startTime: copyMadeAt(region),
    encrypted: copyEncrypted,
    kmsKeyId: copyEncrypted ? (key ?? "alias/aws/ebs") : undefined,
    copiedFrom: `${sourceRegion}:${sourceId}`,
  };
  region.snapshots.set(copy.id, copy);
  return (leaf("snapshotId", copy.id) ?? "") + el("tagSet", ...Object.entries(tags).map(([k, v]) => el("item", leaf("key", k), leaf("value", v))));
}

type DbKind = "rds" | "aurora";
const NAMES = {
  rds: { item: "DBSnapshot", id: "DBSnapshotIdentifier", source: "DBInstanceIdentifier", sourceParam: "SourceDBSnapshotIdentifier", target: "TargetDBSnapshotIdentifier", arnType: "snapshot", encrypted: "Encrypted", exists: "DBSnapshotAlreadyExists", notFound: "DBSnapshotNotFound", state: "InvalidDBSnapshotState" },
  aurora: { item: "DBClusterSnapshot", id: "DBClusterSnapshotIdentifier", source: "DBClusterIdentifier", sourceParam: "SourceDBClusterSnapshotIdentifier", target: "TargetDBClusterSnapshotIdentifier", arnType: "cluster-snapshot", encrypted: "StorageEncrypted", exists: "DBClusterSnapshotAlreadyExistsFault", notFound: "DBClusterSnapshotNotFoundFault", state: "InvalidDBClusterSnapshotStateFault" },
};
const RDS_ARN = /^arn:aws[a-z-]*:rds:([a-z0-9-]+):(\d{12}):(snapshot|cluster-snapshot):(.+)$/;

const dbTable = (kind: DbKind, region: RegionState): Map<string, CopyableDbSnapshot> => (kind === "rds" ? region.dbSnapshots : region.dbClusterSnapshots);

export function dbSnapshotArn(kind: DbKind, region: RegionState, id: string): string {
  return `arn:aws:rds:${region.name}:${region.accountId}:${NAMES[kind].arnType}:${id}`;
}

function copyDbSnapshot(kind: DbKind, ctx: ActionContext): string {
  const { params, region } = ctx;
  const n = NAMES[kind];
  const sourceText = requireParam(params, n.sourceParam);
  const target = requireParam(params, n.target);
  checkSnapshotIdentifier(target, n.target, kind === "rds" ? SNAPSHOT_IDENTIFIER_MAX.DBSnapshotIdentifier : SNAPSHOT_IDENTIFIER_MAX.DBClusterSnapshotIdentifier);
  const arn = RDS_ARN.exec(sourceText);
  // Within a region the source may be named by identifier; across regions it must be the ARN.
  const sourceRegion = arn ? ctx.regionNamed(arn[1]) : region;
  if (arn && arn[3] !== n.arnType) throw new AwsFault("InvalidParameterValue", 400, `${n.sourceParam} ${sourceText} is not a ${n.arnType} ARN.`);
  const sourceId = (arn ? arn[4] : sourceText).toLowerCase();
  const source = dbTable(kind, sourceRegion).get(sourceId);
  if (!source) throw new AwsFault(n.notFound, 404, `${n.item} ${sourceText} not found.`);
  if (source.status !== "available") throw new AwsFault(n.state, 400, `${n.item} ${sourceText} is in state ${source.status}; only available snapshots can be copied.`);
  if (dbTable(kind, region).has(target.toLowerCase())) throw new AwsFault(n.exists, 400, `Cannot copy: a snapshot with the identifier ${target} already exists in ${region.name}.`);
  const key = params.get("KmsKeyId");
  const crossRegion = sourceRegion !== region;
  if (key !== undefined) checkKey(key, region, (m) => new AwsFault("KMSKeyNotAccessibleFault", 400, m));
  if (kind === "aurora" && source.encrypted !== true && key !== undefined) {
    throw new AwsFault("InvalidParameterCombination", 400, "KmsKeyId cannot be specified when copying an unencrypted DB cluster snapshot.");
  }
  if (crossRegion && source.encrypted === true && key === undefined) {
    throw new AwsFault("InvalidParameterValue", 400, "A KmsKeyId of the destination region is required to copy an encrypted snapshot across regions.");
  }
  if (copiesInFlight(region)[kind] >= copyLimits(region)[kind]) {
    throw new AwsFault("SnapshotQuotaExceeded", 400, `Cannot start more than ${copyLimits(region)[kind]} cross-region copies into ${region.name} at once.`);
  }
  const encrypted = source.encrypted === true || key !== undefined;
  const tags = checkRdsTags(params.get("CopyTags") === "true" ? { ...source.tags, ...tagsParam(params, "Tags") } : tagsParam(params, "Tags"));
  const copy: CopyableDbSnapshot = {
    id: target.toLowerCase(),
    source: source.source,
    status: "pending",
    tags,
    created: copyMadeAt(region),
    snapshotType: "manual",
    encrypted,
    kmsKeyId: encrypted ? (key ?? source.kmsKeyId) : undefined,
    copiedFrom: dbSnapshotArn(kind, sourceRegion, sourceId),
  };
  dbTable(kind, region).set(copy.id, copy);
  return el(n.item, leaf(n.id, copy.id), leaf(n.source, copy.source), leaf("Status", copy.status), leaf(n.encrypted, encrypted), leaf("KmsKeyId", copy.kmsKeyId), leaf("SnapshotType", "manual"));
}

/** Adds Encrypted/StorageEncrypted and KmsKeyId to each item of a DB snapshot listing another file answers. */
function withEncryption(kind: DbKind, answer: FakeAction): FakeAction {
  const n = NAMES[kind];
  const item = new RegExp(`<${n.item}>(?:(?!</${n.item}>)[\\s\\S])*</${n.item}>`, "g");
  const idOf = new RegExp(`<${n.id}>([^<]*)</${n.id}>`);
  return (ctx) =>
    answer(ctx).replace(item, (xml) => {
      if (xml.includes(`<${n.encrypted}>`)) return xml;
      const id = idOf.exec(xml)?.[1];
      const snapshot = id === undefined ? undefined : dbTable(kind, ctx.region).get(id);
      const extra = `${leaf(n.encrypted, snapshot?.encrypted ?? false) ?? ""}${leaf("KmsKeyId", snapshot?.kmsKeyId) ?? ""}`;
      return xml.replace(`</${n.item}>`, `${extra}</${n.item}>`);
    });
}

/** The cleanup fake's answer when it has one (looked up per call, so load order does not matter), else the built-in. */
const listing =
  (action: string): FakeAction =>
  (ctx) =>
    Object.hasOwn(CLEANUP_ACTIONS.rds, action) ? CLEANUP_ACTIONS.rds[action](ctx) : rdsAction(action, ctx.params, ctx.region, ctx.cap);

export const COPY_ACTIONS: FakeActions = {
  ec2: {
    CopySnapshot: copySnapshot,
  },
  rds: {
    CopyDBSnapshot: (ctx) => copyDbSnapshot("rds", ctx),
    CopyDBClusterSnapshot: (ctx) => copyDbSnapshot("aurora", ctx),
    DescribeDBSnapshots: withEncryption("rds", listing("DescribeDBSnapshots")),
    DescribeDBClusterSnapshots: withEncryption("aurora", listing("DescribeDBClusterSnapshots")),
  },
};
