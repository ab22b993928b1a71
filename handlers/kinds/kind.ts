// One resource kind: everything the backup, copy and cleanup flows need to know about it, behind one interface.
// The flows iterate the registry (handlers/kinds/registry.ts) and never name a kind; adding one is a module here.
import type { S3Client } from "@aws-sdk/client-s3";
import type { BackupRun, Selection, Source, SourceOutcome } from "../backup/types";
import type { CopyLimit, ResourceKind, SnapshotKind } from "../catalog";
import type { ImageUse, ListedSnapshot } from "../cleanup/types";
import type { CopyRequest, EventInfo, Fields } from "../copy/event";
import type { Candidate, SnapshotRecord } from "../copy/types";
import type { Created } from "../lib/create-once";
import type { Pace } from "../lib/pace";
import type { LockResult, SnapshotLock, SnapshotLockMode } from "../lib/snapshot-lock";
import type { Tag } from "../lib/tags";
import type { KindClients } from "./clients";
import type { CreatedResource, MachineRestoreMode, RecoveryPoint, RestoreState } from "../restore/contract";
import type { InventoryItem } from "../report/contract";

/** Where and how a backup run claims a source (S3), so overlapping deliveries of one event make one backup. */
export interface ClaimDeps {
  s3: S3Client;
  bucket: string;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
}

/** What selecting a plan's sources is given. */
export interface SelectContext {
  clients: KindClients;
  /** The tag key whose value names a resource's plan, and the plan. */
  tagKey: string;
  plan: string;
  /** Every kind the plan backs up (a kind may advise adding another). */
  resources: readonly ResourceKind[];
  run: BackupRun;
}

/** What backing up one source is given. */
export interface BackupContext {
  clients: KindClients;
  run: BackupRun;
  /** Waits for the account's snapshot-creation budget; the kind calls it before each create when `paced`. */
  pace: Pace;
  claims: ClaimDeps;
}

/** What one source came to, before timing. */
export type BackupFields = Pick<SourceOutcome, "status" | "snapshotIds" | "reason" | "error">;

/** Where copies are made: the DR region's clients, the two regions, and the DR key. */
export interface CopyTarget {
  clients: KindClients;
  primaryRegion: string;
  drRegion: string;
  drKeyArn: string;
}

/** A copy request sent (or found after a lost answer), and whether it had to go unencrypted. */
export interface StartedCopy {
  created: Created<string>;
  /** The source cannot be encrypted by copying it: copied as it is, with this reason. */
  unencrypted?: string;
}

/** Snapshot locks, for a kind whose snapshots can be locked until their expiry. */
export interface KindLocks {
  lock(clients: KindClients, snapshotId: string, mode: Exclude<SnapshotLockMode, "off">, expires: Date, now: Date): Promise<LockResult>;
  /** Active locks by snapshot id: of the given snapshots, or of every snapshot of the region. */
  describe(clients: KindClients, snapshotIds?: readonly string[]): Promise<Map<string, SnapshotLock>>;
}

/** An EventBridge event that says one of the kind's backups is complete: the copy function acts on it. */
export interface CompletionEvent {
  detailType: string;
  /** The event's `source`. */
  source: string;
  /** The copy request the event's detail (and resources) make; throws malformedEventError for a malformed one. */
  parse(info: EventInfo, detail: Fields, resources: unknown): CopyRequest;
}

/**
 * An EventBridge event of the DR region that says a DR copy of the kind finished (or failed, or was cancelled): one of
 * the kind's places in flight is free, so the copy function refills it (a "refill" run). Its detail-type is shared
 * with completion events, so `matches` tells them apart by the detail.
 */
export interface CopyFinishedEvent {
  detailType: string;
  /** The event's `source`. */
  source: string;
  /** The `detail` of the EventBridge pattern that matches exactly these events (the DR rule and the primary rule use it). */
  detailPattern: Record<string, unknown>;
  /** Whether an event of this detail-type and source is this one (and not a completion event). */
  matches(detail: Fields): boolean;
  /** The refill request; throws malformedEventError for a malformed one. */
  parse(info: EventInfo, detail: Fields, resources: unknown): CopyRequest;
}

/** What every facet of a kind says of it. */
export interface KindBase {
  /** The name a plan's `resources` uses. */
  readonly name: ResourceKind;
  /** What its snapshots are called in the copy and cleanup manifests, logs and metrics. */
  readonly snapshotKind: SnapshotKind;
  /** Its creates and deletes share the account's snapshot token bucket: the flows pace them. */
  readonly paced: boolean;
  /** Snapshot locks, when its snapshots can be locked. */
  readonly locks?: KindLocks;
}

/** What the backup function needs of a kind. */
export interface BackupKind extends KindBase {
  /** The plan's sources of this kind, and those found but not backed up (with the reason). */
  select(ctx: SelectContext): Promise<Selection>;
  /** Backs up one source; throws what AWS threw (the flow reports it). */
  backup(ctx: BackupContext, source: Source): Promise<BackupFields>;
  /** Error names that mean the source was deleted after it was listed. */
  readonly sourceGone: readonly string[];
}

/** Deleting a snapshot (copy: a failed DR copy; cleanup: an expired backup). */
export interface KindDeletes {
  /** Deletes one snapshot; throws what AWS threw. */
  deleteSnapshot(clients: KindClients, id: string): Promise<void>;
  /** Error names that mean a snapshot to delete is already gone. */
  readonly snapshotGone: readonly string[];
}

/** What the copy function needs of a kind. */
export interface CopyKind extends KindBase, KindDeletes {
  /** The events that say a backup of the kind completed. */
  readonly events: readonly CompletionEvent[];
  /** The DR region's events that say a copy of the kind finished or failed (none when AWS documents none). */
  readonly copyFinishedEvents: readonly CopyFinishedEvent[];
  /** The in-flight copy limit: config key, setting, default and range (COPY_LIMITS in the catalog). */
  readonly copyLimit: CopyLimit;
  /** This stack's completed backups of the named plans in the primary region. */
  listBackups(clients: KindClients, stackTag: string, plans: readonly string[]): Promise<SnapshotRecord[]>;
  /** The snapshots a completion event names, as read in the primary region; missing ones are left out. */
  readBackups(clients: KindClients, ids: readonly string[], arn?: string): Promise<SnapshotRecord[]>;
  /** Why an event's snapshot cannot be one of this stack's backups, judged by its id alone; undefined when it may be. */
  notOursById(id: string): string | undefined;
  /**
   * The DR region's snapshots the copy index needs: this stack's copies (all; or of the given backups, plus every one
   * in flight, which the run counts against the limit).
   */
  listCopies(clients: KindClients, stackTag: string, copyOf?: readonly string[]): Promise<SnapshotRecord[]>;
  /** Error names of a copy refused because the DR identifier is taken: a copy of the backup exists (or is being deleted). */
  readonly copyExists: readonly string[];
  /** Error names of a copy refused because the backup is not in a state AWS copies from: the sweep retries. */
  readonly copySourceBusy: readonly string[];
  /** A DR snapshot with the backup's own identifier blocks its copy (identifiers are unique per region). */
  readonly copyKeepsIdentifier: boolean;
  /** The value a DR copy of the backup carries in `backup-dr:copy-of`. */
  copyOf(snapshot: SnapshotRecord): string;
  /** Starts the DR copy of the candidate, tagged with `tags`; throws what AWS threw. */
  startCopy(target: CopyTarget, candidate: Candidate, tags: Tag[], isCopyOf: (record: SnapshotRecord | undefined) => record is SnapshotRecord): Promise<StartedCopy>;
}

/** What the cleanup function needs of a kind. */
export interface CleanupKind extends KindBase, KindDeletes {
  /** Error names that mean AWS will not delete it now because something uses it. */
  readonly snapshotInUse: readonly string[];
  /** The snapshots the cleanup rules read in one region (this stack's, or every manual one when the quota counts them). */
  listForCleanup(clients: KindClients, stackTag: string): Promise<ListedSnapshot[]>;
  /** Only its snapshots of type "manual" are the stack's (its listing also returns others, e.g. AWS Backup's). */
  readonly manualOnly: boolean;
  /** Whether a listed snapshot's state is complete (the only state cleanup deletes). */
  isComplete(state: string): boolean;
  /** Its snapshots may back an image of the account: never deleted while one does. */
  readonly imageUses?: (clients: KindClients) => Promise<ImageUse[]>;
}

/** What the restore steps give a kind: its region's clients and what every created resource carries. */
export interface RestoreContext {
  clients: KindClients;
  /** The region restored into (the function's own). */
  region: string;
  /** The region's KMS key: restored volumes are encrypted with it. */
  keyArn: string;
  /** The restore tags (restore-id, restore-of, restored-from, the stack tag and name): on every create call. */
  tags: Tag[];
  now: () => Date;
}

/** What the restore function needs of a kind (handlers/restore/contract.ts has the JSON that travels). */
export interface RestoreKind extends KindBase {
  /** Seconds between polls, and minutes from start until the restore is reported RestoreTimedOut. */
  readonly pollSeconds: number;
  readonly timeoutMinutes: number;
  /**
   * A kind whose restore has machine modes: each mode's own deadline in minutes (at most timeoutMinutes). Absent: the
   * kind has no modes and timeoutMinutes is its deadline in every mode (restoreDeadlineMinutes reads either).
   */
  readonly modeTimeoutMinutes?: Readonly<Record<MachineRestoreMode, number>>;
  /** Whether `source` can name one of this kind's resources (e.g. an instance id starts with i-). */
  mayBeSource(source: string): boolean;
  /** Whether an explicit point (snapshot id or ARN) can be one of this kind's. */
  mayBePoint(idOrArn: string): boolean;
  /**
   * This stack's recovery points in the region, in any state (DR copies and backups alike): of `source`, or without it
   * of every source of the kind (a drill's pick step).
   */
  listPoints(clients: KindClients, stackTag: string, source?: string): Promise<RecoveryPoint[]>;
  /** The recovery point a snapshot id or ARN names, whatever stack it is of; undefined when the region has none. */
  readPoint(clients: KindClients, idOrArn: string): Promise<RecoveryPoint | undefined>;
  /**
   * Optional: fills what neither the request nor the point gave from the region itself, before `missing` is asked
   * (e.g. volumes' zone: the zone of the region's first restore subnet). Read-only.
   */
  regionDefaults?(clients: KindClients, state: RestoreState): Promise<RestoreState>;
  /**
   * What the resolved state still lacks, each as `option:<name>` (the request can give it, e.g. option:instanceType,
   * option:machine.architecture) or `network:<key>` (the region's backup-dr:restore key, e.g. network:subnetIds).
   */
  missing(state: RestoreState): string[];
  /** Sends the first phase's create calls with ctx.tags; a rerun with the same restore id creates nothing more. */
  start(ctx: RestoreContext, state: RestoreState): Promise<RestoreState>;
  /** Reads progress and starts the next phase when one is available; never waits. */
  poll(ctx: RestoreContext, state: RestoreState): Promise<RestoreState>;
  /** Checks the restored resources (state, size, endpoint). */
  validate(ctx: RestoreContext, state: RestoreState): Promise<NonNullable<RestoreState["validation"]>>;
  /** Everything of this kind in the region tagged with the restore id (the report's record after any failure). */
  findCreated(clients: KindClients, restoreId: string): Promise<CreatedResource[]>;
}

/** The read-only half of the restore facet: finding recovery points (kinds/<kind>-points.ts). */
export type RestorePoints = Pick<RestoreKind, "mayBeSource" | "mayBePoint" | "listPoints" | "readPoint" | "regionDefaults">;
/** The creating half of the restore facet: options, create, progress, validation (kinds/<kind>-restore.ts). */
export type RestoreActions = Omit<RestoreKind, keyof RestorePoints | keyof KindBase>;

/** What a drill's cleanup gives a kind: the region's clients, and whose resources it may delete. */
export interface DrillCleanupContext {
  clients: KindClients;
  /** Only resources whose backup-dr:drill-id tag has this value are deleted. */
  drillId: string;
  /** Only resources whose backup-dr:stack tag has this value are deleted. */
  stackTag: string;
  now: () => Date;
}

/**
 * What one cleanup call did for one restore of a drill (handlers/drill/contract.ts DrillCleanup gathers them). Every
 * resource found by the restore id is in `refused`, or in `deleted` and/or `remaining`: one whose delete call was sent
 * but that is not gone yet is in both (so `remaining` empty means everything found is gone). A resource stays in
 * `deleted` on every call that still sees it (e.g. a terminated instance stays visible for about an hour): gather by id.
 */
export interface DrillDeletion {
  /** Deletion sent in this call or earlier (being deleted), or already gone, as last read. */
  deleted: CreatedResource[];
  /** Still there: being deleted, or waiting on another (a volume still attached, a cluster's writer). */
  remaining: CreatedResource[];
  /** Found by the restore id but not deleted: its tags do not name this drill and this stack, or AWS protects it. */
  refused: Array<CreatedResource & { reason: string }>;
}

/** What the drill function needs of a kind beyond restore: deleting what a drill restored (kinds/<kind>-drill.ts). */
export interface DrillKind extends KindBase {
  /**
   * Deletes what the drill's restore `restoreId` created in the region: only resources whose own tags (read before
   * each delete call) carry this restore id, ctx.drillId and ctx.stackTag; DB instances and clusters without a final
   * snapshot. Idempotent; never waits: what is still there is returned for the next call.
   */
  deleteRestored(ctx: DrillCleanupContext, restoreId: string): Promise<DrillDeletion>;
  /** Seconds between cleanup calls while something of this kind is being deleted. */
  readonly deletePollSeconds: number;
  /** Minutes a deletion may take before cleanup reports what remains (a cluster's writer, then the cluster). */
  readonly deleteTimeoutMinutes: number;
}

/**
 * What the report function needs of a kind (issue 19; handlers/report/contract.ts): every resource of the kind in a
 * region with its selection tag's value, so coverage finds the opted-in sources and the ones no plan selects; and this
 * stack's recovery points (the restore facet's listPoints, read-only, with each point's encryption).
 */
export interface ReportKind extends KindBase {
  /**
   * Every resource of the kind in the region (paginated; read-only): for a database kind, only what its backup would
   * select (e.g. not a cluster's member instances), each with the value of tag `tagKey`, its name and creation time,
   * and `skip`: why its backup would skip it, from the very predicate the backup's select uses (one definition).
   */
  inventory(clients: KindClients, tagKey: string): Promise<InventoryItem[]>;
  /** This stack's recovery points in the region (as RestoreKind.listPoints without a source), with each point's `encryption`. */
  listPoints(clients: KindClients, stackTag: string): Promise<RecoveryPoint[]>;
}

/**
 * A resource kind: one facet per flow. Each function's archive carries only its own facet (the closure serializer
 * captures what a function reaches), so the backup function never bundles a copy or delete call, and so on.
 */
export interface Kind {
  readonly backup: BackupKind;
  readonly copy: CopyKind;
  readonly cleanup: CleanupKind;
  readonly restore: RestoreKind;
  readonly drill: DrillKind;
  readonly report: ReportKind;
}

/** Minutes from a restore's start until the kind reports it RestoreTimedOut when machines are restored in `mode`. */
export function restoreDeadlineMinutes(kind: Pick<RestoreKind, "timeoutMinutes" | "modeTimeoutMinutes">, mode: MachineRestoreMode): number {
  return kind.modeTimeoutMinutes?.[mode] ?? kind.timeoutMinutes;
}
