// Recovery points of the kinds on the RDS API: one per DB snapshot (rds) or DB cluster snapshot (aurora), read
// through the one paginated reader of rds-api.ts, backups and DR copies alike (a DR copy keeps the identifier).
// Read-only: the restore function's points half.
import type { RDSClient } from "@aws-sdk/client-rds";
import { RDS_SNAPSHOT_PREFIX } from "../catalog";
import type { SnapshotRecord } from "../copy/types";
import { isOurs, readCatalog } from "../lib/catalog-record";
import type { RecoveryPoint } from "../restore/contract";
import { takenTime } from "../taken";
import type { RestorePoints } from "./kind";
import { pointEncryption } from "./point-encryption";
import { describeDbSnapshot, listDbSnapshots, type DbKind } from "./rds-api";

/** DB instance and cluster identifiers: 1-63 letters, digits and hyphens, a letter first, no "--", no trailing "-". */
const DB_IDENTIFIER = /^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}$/;
/** The stack's snapshot identifiers (lowercase, as RDS stores them; 255 at most). */
const SNAPSHOT_IDENTIFIER = /^[a-z](?!.*--)[a-z0-9-]{0,254}$/i;
const SNAPSHOT_ARN = /^arn:aws[a-z-]*:rds:([a-z0-9-]+):(\d{12}):(snapshot|cluster-snapshot):([A-Za-z0-9-]+)$/;
/** The ARN resource type of each kind's snapshots. */
const ARN_TYPE: Record<DbKind, string> = { rds: "snapshot", aurora: "cluster-snapshot" };

function validIdentifier(text: string, pattern: RegExp): boolean {
  return pattern.test(text) && !text.endsWith("-");
}

/** The identifier an explicit point names for the kind (and the region its ARN names), or undefined. */
function identifierOf(name: DbKind, idOrArn: string): { id: string; region?: string } | undefined {
  const arn = SNAPSHOT_ARN.exec(idOrArn);
  if (arn) return arn[3] === ARN_TYPE[name] && validIdentifier(arn[4], SNAPSHOT_IDENTIFIER) ? { id: arn[4].toLowerCase(), region: arn[1] } : undefined;
  return idOrArn.toLowerCase().startsWith(RDS_SNAPSHOT_PREFIX) && validIdentifier(idOrArn, SNAPSHOT_IDENTIFIER) ? { id: idOrArn.toLowerCase() } : undefined;
}

/** The recovery point one DB (cluster) snapshot is. */
export function dbPoint(name: DbKind, region: string, snapshot: SnapshotRecord): RecoveryPoint {
  const entry = readCatalog(snapshot.tags);
  const taken = takenTime({ created: snapshot.created, tags: snapshot.tags })?.at;
  const completed = snapshot.status === "available";
  return {
    kind: name,
    region,
    source: entry.source ?? "",
    id: snapshot.id,
    ...(snapshot.arn === undefined ? {} : { arn: snapshot.arn }),
    snapshotIds: [snapshot.id],
    ...(entry.plan === undefined ? {} : { plan: entry.plan }),
    ...(entry.tier === undefined ? {} : { tier: entry.tier }),
    ...(taken === undefined ? {} : { taken: taken.toISOString() }),
    ...(entry.expires === undefined ? {} : { expires: entry.expires }),
    origin: entry.copyOf === undefined ? "backup" : "copy",
    ...(entry.copyOf === undefined ? {} : { copyOf: [entry.copyOf] }),
    completed,
    ...(snapshot.state === "failed" ? { failed: true } : {}),
    encryption: pointEncryption([snapshot]),
    ...(completed ? {} : { notRestorable: `not completed: ${snapshot.id} is ${snapshot.status}` }),
    ...(entry.stack === undefined ? {} : { stack: entry.stack }),
    ...(entry.database === undefined ? {} : { database: entry.database }),
  };
}

const newestFirst = (a: RecoveryPoint, b: RecoveryPoint) => (b.taken ?? "").localeCompare(a.taken ?? "") || a.id.localeCompare(b.id);

/** This stack's snapshots of the source (or of every source) in the region (RDS cannot filter on tags: every manual one is read), newest first. */
async function listPoints(name: DbKind, rds: RDSClient, stackTag: string, source?: string): Promise<RecoveryPoint[]> {
  const [region, snapshots] = await Promise.all([rds.config.region(), listDbSnapshots(rds, name)]);
  return snapshots
    .filter((s) => isOurs(s.tags, stackTag) && (source === undefined || readCatalog(s.tags).source === source))
    .map((s) => dbPoint(name, region, s))
    .sort(newestFirst);
}

/** The snapshot an identifier or ARN names, whatever its stack; undefined when the region has none. */
async function readPoint(name: DbKind, rds: RDSClient, idOrArn: string): Promise<RecoveryPoint | undefined> {
  const named = identifierOf(name, idOrArn);
  const region = await rds.config.region();
  if (named === undefined || (named.region !== undefined && named.region !== region)) return undefined;
  const snapshot = await describeDbSnapshot(rds, name, named.id);
  return snapshot === undefined ? undefined : dbPoint(name, region, snapshot);
}

/** The points half of the restore facet of a kind on the RDS API. */
export function dbPoints(name: DbKind): RestorePoints {
  return {
    mayBeSource: (source) => validIdentifier(source, DB_IDENTIFIER),
    mayBePoint: (idOrArn) => identifierOf(name, idOrArn) !== undefined,
    listPoints: (clients, stackTag, source) => listPoints(name, clients.rds, stackTag, source),
    readPoint: (clients, idOrArn) => readPoint(name, clients.rds, idOrArn),
  };
}
