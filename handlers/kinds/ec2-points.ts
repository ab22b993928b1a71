// Recovery points of the ec2 kind: one per EBS snapshot set (one run of one instance), read from the region's own
// snapshots and their catalog tags, backups and DR copies alike; and the region's default zone for volumes.
// Read-only: the restore function's points half.
import type { EC2Client } from "@aws-sdk/client-ec2";
import { TAG_RUN, TAG_SOURCE, TAG_STACK } from "../catalog";
import type { SnapshotRecord } from "../copy/types";
import { readCatalog, recordedSetSize } from "../lib/catalog-record";
import { REGION } from "../lib/region";
import type { RecoveryPoint } from "../restore/contract";
import { takenTime } from "../taken";
import { describeEbsSnapshots } from "./ec2-snapshots";
import { volumesZoneDefault } from "./ec2-zone";
import type { RestorePoints } from "./kind";
import { pointEncryption } from "./point-encryption";

const INSTANCE_ID = /^i-[0-9a-f]+$/;
const SNAPSHOT_ID = /^snap-[0-9a-f]+$/;
/** arn:aws:ec2:<region>::snapshot/snap-... (EventBridge's multi-volume events put the region after the colon pair). */
const SNAPSHOT_ARN = /^arn:aws[a-z-]*:ec2:([a-z0-9-]*):([a-z0-9-]*):snapshot\/(snap-[0-9a-f]+)$/;

/** The snapshot id an explicit point names, or undefined when it names none of this kind's. */
function snapshotIdOf(idOrArn: string): { id: string; region?: string } | undefined {
  if (SNAPSHOT_ID.test(idOrArn)) return { id: idOrArn };
  const arn = SNAPSHOT_ARN.exec(idOrArn);
  if (!arn) return undefined;
  // The region field is the first one, or (in the EBS multi-volume events' form) the second.
  const region = [arn[1], arn[2]].find((part) => REGION.test(part));
  return { id: arn[3], ...(region === undefined ? {} : { region }) };
}

const takenOf = (s: SnapshotRecord) => takenTime({ created: s.created, tags: s.tags })?.at;
const isCompleted = (s: SnapshotRecord) => s.status === "completed";

/**
 * One snapshot per volume: in the DR region a failed copy and its retry are two copies of one volume snapshot; the
 * completed one (then the newest) stands for the volume.
 */
function onePerVolume(members: readonly SnapshotRecord[]): SnapshotRecord[] {
  const byVolume = new Map<string, SnapshotRecord>();
  const better = (a: SnapshotRecord, b: SnapshotRecord) => (isCompleted(a) !== isCompleted(b) ? isCompleted(a) : (a.created?.getTime() ?? 0) > (b.created?.getTime() ?? 0));
  for (const s of members) {
    const key = readCatalog(s.tags).copyOf ?? s.id;
    const held = byVolume.get(key);
    if (held === undefined || better(s, held)) byVolume.set(key, s);
  }
  return [...byVolume.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** Why the set cannot be restored, or undefined when it can. */
function whyNot(members: readonly SnapshotRecord[], size: number | undefined): string | undefined {
  const failed = members.filter((s) => s.state === "failed");
  if (failed.length > 0) return `snapshot ${failed.map((s) => `${s.id} is ${s.status}`).join(", ")}`;
  const pending = members.filter((s) => !isCompleted(s));
  if (pending.length > 0) return `not completed: ${pending.map((s) => `${s.id} is ${s.status}`).join(", ")}`;
  if (size !== undefined && members.length !== size) {
    return `the set is short: ${members.length} of its ${size} volume snapshots are in this region (one deleted, or its DR copy not made yet)`;
  }
  return undefined;
}

/** The recovery point one set's snapshots make (all of one run of one instance, of one stack). */
export function ec2Point(region: string, snapshots: readonly SnapshotRecord[]): RecoveryPoint {
  const members = onePerVolume(snapshots);
  const entries = members.map((s) => ({ snapshot: s, entry: readCatalog(s.tags) }));
  const root = entries.find((m) => m.entry.volume?.root === true) ?? entries[0];
  const entry = root.entry;
  const sizes = entries.map((m) => recordedSetSize(m.entry)).filter((n): n is number => n !== undefined);
  const size = sizes.length === 0 ? undefined : Math.max(...sizes);
  const notRestorable = whyNot(members, size);
  const taken = members.map(takenOf).filter((d): d is Date => d !== undefined).sort((a, b) => a.getTime() - b.getTime())[0];
  return {
    kind: "ec2",
    region,
    source: entry.source ?? "",
    id: root.snapshot.id,
    snapshotIds: members.map((s) => s.id),
    ...(entry.plan === undefined ? {} : { plan: entry.plan }),
    ...(entry.tier === undefined ? {} : { tier: entry.tier }),
    ...(taken === undefined ? {} : { taken: taken.toISOString() }),
    ...(entry.expires === undefined ? {} : { expires: entry.expires }),
    origin: entry.copyOf === undefined ? "backup" : "copy",
    ...copiesOf(entries.map((m) => m.entry.copyOf)),
    completed: notRestorable === undefined,
    ...(members.some((s) => s.state === "failed") ? { failed: true } : {}),
    encryption: pointEncryption(members),
    ...(notRestorable === undefined ? {} : { notRestorable }),
    ...(entry.stack === undefined ? {} : { stack: entry.stack }),
    ...(entry.machine === undefined ? {} : { machine: entry.machine }),
    ...(entry.network === undefined ? {} : { network: entry.network }),
    volumes: entries.map(({ snapshot, entry: e }) => ({
      snapshotId: snapshot.id,
      ...(e.volume?.device === undefined ? {} : { device: e.volume.device }),
      ...(e.volume?.root === undefined ? {} : { root: e.volume.root }),
      ...(snapshot.sizeGiB === undefined ? {} : { sizeGiB: snapshot.sizeGiB }),
    })),
  };
}

/** A copy's `copyOf`: what its snapshots are copies of (nothing on a backup). */
function copiesOf(values: ReadonlyArray<string | undefined>): { copyOf?: string[] } {
  const copyOf = values.filter((v): v is string => v !== undefined);
  return copyOf.length === 0 ? {} : { copyOf };
}

/** The snapshots grouped by source and backup run (one run backs up every source of its plan; a snapshot without a run tag stands alone). */
function sets(snapshots: readonly SnapshotRecord[]): SnapshotRecord[][] {
  const byRun = new Map<string, SnapshotRecord[]>();
  for (const s of snapshots) {
    const { run, source } = readCatalog(s.tags);
    const key = run === undefined ? `id\u0000${s.id}` : `run\u0000${source ?? ""}\u0000${run}`;
    byRun.set(key, [...(byRun.get(key) ?? []), s]);
  }
  return [...byRun.values()];
}

const newestFirst = (a: RecoveryPoint, b: RecoveryPoint) => (b.taken ?? "").localeCompare(a.taken ?? "") || a.id.localeCompare(b.id);

async function regionOf(ec2: EC2Client): Promise<string> {
  return ec2.config.region();
}

/** This stack's sets of the instance (or of every instance) in the region, newest first. */
async function listPoints(ec2: EC2Client, stackTag: string, source?: string): Promise<RecoveryPoint[]> {
  const [region, snapshots] = await Promise.all([
    regionOf(ec2),
    describeEbsSnapshots(ec2, [{ Name: `tag:${TAG_STACK}`, Values: [stackTag] }, ...(source === undefined ? [] : [{ Name: `tag:${TAG_SOURCE}`, Values: [source] }])]),
  ]);
  return sets(snapshots)
    .map((members) => ec2Point(region, members))
    .sort(newestFirst);
}

/** The set the snapshot belongs to (same source, run and stack tags, whatever the stack), or undefined when the region has no such snapshot. */
async function readPoint(ec2: EC2Client, idOrArn: string): Promise<RecoveryPoint | undefined> {
  const named = snapshotIdOf(idOrArn);
  const region = await regionOf(ec2);
  if (named === undefined || (named.region !== undefined && named.region !== region)) return undefined;
  const [snapshot] = await describeEbsSnapshots(ec2, [], { Name: "snapshot-id", Values: [named.id] });
  if (snapshot === undefined) return undefined;
  const { source, run, stack } = readCatalog(snapshot.tags);
  if (source === undefined || run === undefined) return ec2Point(region, [snapshot]);
  const siblings = await describeEbsSnapshots(ec2, [
    { Name: `tag:${TAG_SOURCE}`, Values: [source] },
    { Name: `tag:${TAG_RUN}`, Values: [run] },
    ...(stack === undefined ? [] : [{ Name: `tag:${TAG_STACK}`, Values: [stack] }]),
  ]);
  const set = siblings.filter((s) => readCatalog(s.tags).stack === stack);
  return ec2Point(region, set.some((s) => s.id === snapshot.id) ? set : [...set, snapshot]);
}

export const ec2Points: RestorePoints = {
  mayBeSource: (source) => INSTANCE_ID.test(source),
  mayBePoint: (idOrArn) => snapshotIdOf(idOrArn) !== undefined,
  listPoints: (clients, stackTag, source) => listPoints(clients.ec2, stackTag, source),
  readPoint: (clients, idOrArn) => readPoint(clients.ec2, idOrArn),
  regionDefaults: (clients, state) => volumesZoneDefault(clients.ec2, state),
};
