// Settings, environment, dependencies, backups and EventBridge events for running the DR copy function against the fake AWS.
import { catalogTags } from "../../handlers/lib/catalog-record";
import { rdsSnapshotIdentifier } from "../../handlers/kinds/rds-identifier";
import { planRun } from "../../handlers/backup/run";
import { TAG_COPY_OF } from "../../handlers/catalog";
import { readPlans } from "../../handlers/plan";
import { readCopySettings } from "../../handlers/copy/settings";
import type { CopySettings } from "../../handlers/copy/types";
import type { CopyDeps } from "../../handlers/copy/work";
import { ACCOUNT_ID, REGION, type FakeAws } from "./aws-fake";
import { fakeClients } from "./aws-clients";
import { dbSnapshotArn, type CopyableDbSnapshot, type CopyableSnapshot } from "./aws-fake-copy";
import type { RegionState, Tags } from "./aws-fake-state";
import { TOPIC_NAME, VAULT_BUCKET } from "./backup-fleet";

export const PRIMARY = REGION;
export const DR = "us-west-2";
export const STACK_TAG = "backup-dr/test";
export const DR_KEY_ARN = `arn:aws:kms:${DR}:${ACCOUNT_ID}:key/0f5e3c1a-7b2d-4e6f-9a8b-1c2d3e4f5a6b`;
export const PRIMARY_KEY_ARN = `arn:aws:kms:${PRIMARY}:${ACCOUNT_ID}:key/9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d`;
export const TOPIC_ARN = `arn:aws:sns:${PRIMARY}:${ACCOUNT_ID}:${TOPIC_NAME}`;

/**
 * gold: daily at 05:00 UTC, copied and kept 30 days (8 weeks for weekly slots) in DR.
 * bronze: every 6 hours, copied, but DR keeps only the day's first (daily) slot.
 * silver: daily, not copied (copyToDr false).
 */
export const COPY_PLANS = [
  { name: "gold", schedule: "cron(0 5 * * ? *)", timezone: "UTC", resources: ["ec2", "rds", "aurora"], keep: { daily: 14, weekly: 8, monthly: 12 }, drKeep: { daily: 30, weekly: 8 }, copyToDr: true },
  { name: "bronze", schedule: "cron(0 0/6 * * ? *)", timezone: "UTC", resources: ["ec2"], keep: { hourly: 8, daily: 7 }, drKeep: { daily: 7 }, copyToDr: true },
  { name: "silver", schedule: "cron(30 1 * * ? *)", timezone: "Europe/Berlin", resources: ["ec2", "rds"], keep: { daily: 7 }, copyToDr: false },
];

/** The function's environment as infra sets it. */
export function copyEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    BACKUP_DR_STACK: STACK_TAG,
    BACKUP_DR_PLANS: JSON.stringify(COPY_PLANS),
    BACKUP_DR_PRIMARY_REGION: PRIMARY,
    BACKUP_DR_DR_REGION: DR,
    BACKUP_DR_DR_KEY_ARN: DR_KEY_ARN,
    BACKUP_DR_VAULT_BUCKET: VAULT_BUCKET,
    BACKUP_DR_TOPIC_ARN: TOPIC_ARN,
    BACKUP_DR_NOTIFY_ON: "failure",
    BACKUP_DR_CONCURRENCY: "4",
    ...overrides,
  };
}

export function copySettings(overrides: Record<string, string | undefined> = {}): CopySettings {
  return readCopySettings(copyEnv(overrides));
}

export interface CopyRecorded {
  logs: { level: string; message: string; attributes: Record<string, unknown> }[];
  metrics: { plan: string; metrics: { name: string; value: number }[] }[];
}

/** The metric values a run published for a plan, by name. */
export function metricValues(recorded: CopyRecorded, plan: string): Record<string, number> {
  return Object.fromEntries(recorded.metrics.filter((m) => m.plan === plan).flatMap((m) => m.metrics.map((x) => [x.name, x.value])));
}

/** Dependencies of runCopy with clients in both regions (one fake behind both) and a recording log and metrics sink. */
export function copyDeps(fake: FakeAws, now: () => Date = () => new Date(), options: { maxAttempts?: number } = {}): CopyDeps & { recorded: CopyRecorded } {
  const recorded: CopyRecorded = { logs: [], metrics: [] };
  const at = (level: string) => (message: string, attributes: Record<string, unknown>) => void recorded.logs.push({ level, message, attributes });
  return {
    primary: fakeClients(fake, { region: PRIMARY, ...options }),
    dr: fakeClients(fake, { region: DR, ...options }),
    now,
    log: { info: at("info"), warn: at("warn"), error: at("error") },
    publishMetrics: ({ dimensions, values }) =>
      void recorded.metrics.push({ plan: dimensions.Plan ?? "", metrics: Object.entries(values).flatMap(([name, value]) => (value === undefined ? [] : [{ name, value }])) }),
    recorded,
  };
}

/** The primary region with the vault and topic the function reports to. */
export function primaryRegion(fake: FakeAws): RegionState {
  const region = fake.region(PRIMARY);
  if (!region.buckets.has(VAULT_BUCKET)) region.addBucket(VAULT_BUCKET);
  if (!region.topics.has(TOPIC_ARN)) region.addTopic(TOPIC_NAME);
  return region;
}

const PLANS = readPlans(COPY_PLANS);

function runOf(plan: string, slot: Date, stackTag: string) {
  const found = PLANS.find((p) => p.name === plan);
  if (!found) throw new Error(`no test plan ${plan}`);
  return planRun(stackTag, found, slot);
}

export interface BackupOptions {
  plan?: string;
  /** The backup's slot (default 2026-11-20T05:00:00Z). */
  slot?: Date;
  /** Source instance, DB instance or cluster id. */
  source?: string;
  /** The backup-dr:stack tag; null for none. */
  stack?: string | null;
  encrypted?: boolean;
  /** EBS: pending, completed, error; RDS: creating, available, failed. */
  state?: string;
  /** When the snapshot was taken (default: the slot plus 2 minutes). */
  created?: Date;
  extraTags?: Tags;
}

export const SLOT = new Date("2026-11-20T05:00:00Z");

function backupTags(o: BackupOptions, source: string): Tags {
  const run = runOf(o.plan ?? "gold", o.slot ?? SLOT, o.stack ?? STACK_TAG);
  const tags = Object.fromEntries(catalogTags(run, source).map((t) => [t.Key, t.Value]));
  if (o.stack === null) delete tags["backup-dr:stack"];
  return { ...tags, ...o.extraTags };
}

/** A completed EBS backup (one volume of an instance backup) in the primary region, tagged as the backup function does. */
export function addEbsBackup(fake: FakeAws, o: BackupOptions = {}): CopyableSnapshot {
  const region = primaryRegion(fake);
  const source = o.source ?? region.nextId("i");
  const encrypted = o.encrypted ?? true;
  const snapshot: CopyableSnapshot = {
    id: region.nextId("snap"),
    volumeId: region.nextId("vol"),
    state: (o.state ?? "completed") as CopyableSnapshot["state"],
    description: `backup-dr test ${source}`,
    tags: backupTags(o, source),
    startTime: o.created ?? new Date((o.slot ?? SLOT).getTime() + 120_000),
    encrypted,
    kmsKeyId: encrypted ? PRIMARY_KEY_ARN : undefined,
  };
  region.snapshots.set(snapshot.id, snapshot);
  return snapshot;
}

/** A completed DB (rds) or DB cluster (aurora) backup with the identifier the backup function derives. */
export function addDbBackup(fake: FakeAws, kind: "rds" | "aurora", o: BackupOptions = {}): CopyableDbSnapshot & { arn: string } {
  const region = primaryRegion(fake);
  const source = o.source ?? `${kind === "rds" ? "db" : "cluster"}-${region.nextId("x").slice(-4)}`;
  const id = rdsSnapshotIdentifier(runOf(o.plan ?? "gold", o.slot ?? SLOT, o.stack ?? STACK_TAG), kind, source);
  const encrypted = o.encrypted ?? true;
  const snapshot: CopyableDbSnapshot = {
    id,
    source,
    status: o.state ?? "available",
    tags: backupTags(o, source),
    created: o.created ?? new Date((o.slot ?? SLOT).getTime() + 120_000),
    snapshotType: "manual",
    encrypted,
    kmsKeyId: encrypted ? PRIMARY_KEY_ARN : undefined,
  };
  (kind === "rds" ? region.dbSnapshots : region.dbClusterSnapshots).set(id, snapshot);
  return { ...snapshot, arn: dbSnapshotArn(kind, region, id) };
}

export interface DrCopy {
  kind: "ebs" | "rds" | "aurora";
  id: string;
  state: string;
  encrypted: boolean;
  kmsKeyId?: string;
  copiedFrom?: string;
  tags: Tags;
}

/** Every snapshot in the DR region that is a copy (it records where it was copied from). */
export function drCopies(fake: FakeAws): DrCopy[] {
  const region = fake.region(DR);
  const db = (kind: "rds" | "aurora", table: Map<string, CopyableDbSnapshot>): DrCopy[] =>
    [...table.values()].map((s) => ({ kind, id: s.id, state: s.status, encrypted: s.encrypted ?? false, kmsKeyId: s.kmsKeyId, copiedFrom: s.copiedFrom, tags: s.tags }));
  return [
    ...[...region.snapshots.values()].map((s: CopyableSnapshot): DrCopy => ({ kind: "ebs", id: s.id, state: s.state, encrypted: s.encrypted ?? false, kmsKeyId: s.kmsKeyId, copiedFrom: s.copiedFrom, tags: s.tags })),
    ...db("rds", region.dbSnapshots),
    ...db("aurora", region.dbClusterSnapshots),
  ];
}

/** DR copies by the value of their copy-of tag. */
export function copiesOf(fake: FakeAws, copyOf: string): DrCopy[] {
  return drCopies(fake).filter((c) => c.tags[TAG_COPY_OF] === copyOf);
}

const EBS_ARN_MULTI = (id: string) => `arn:aws:ec2::${PRIMARY}:snapshot/${id}`;
const EBS_ARN_SINGLE = (id: string) => `arn:aws:ec2:${PRIMARY}::snapshot/${id}`;
let eventCounter = 0;
const eventId = () => `0f0e0d0c-0b0a-4909-8807-${(eventCounter += 1).toString(16).padStart(12, "0")}`;
const envelope = <D extends Record<string, unknown>>(detailType: string, source: string, resources: string[], detail: D, time = "2026-11-20T05:09:41Z") => ({
  version: "0",
  id: eventId(),
  "detail-type": detailType,
  source,
  account: ACCOUNT_ID,
  time,
  region: PRIMARY,
  resources,
  detail,
});

/** EC2's event after a CreateSnapshots set completed (snapshot ARNs as the EBS docs show them). */
export function multiVolumeEvent(snapshotIds: string[], result = "succeeded") {
  return envelope("EBS Multi-Volume Snapshots Completion Status", "aws.ec2", snapshotIds.map(EBS_ARN_MULTI), {
    event: "createSnapshots",
    result,
    cause: "",
    "request-id": "",
    startTime: "2026-11-20T05:00:03Z",
    endTime: "2026-11-20T05:09:40Z",
    snapshots: snapshotIds.map((id, n) => ({ snapshot_id: EBS_ARN_MULTI(id), source: `arn:aws:ec2::${PRIMARY}:volume/vol-0${n}`, status: "completed" })),
  });
}

/** EC2's event after a single CreateSnapshot completed. */
export function snapshotEvent(snapshotId: string, result = "succeeded", name = "createSnapshot") {
  return envelope("EBS Snapshot Notification", "aws.ec2", [EBS_ARN_SINGLE(snapshotId)], {
    event: name,
    result,
    cause: "",
    "request-id": "",
    snapshot_id: EBS_ARN_SINGLE(snapshotId),
    source: `arn:aws:ec2:${PRIMARY}::volume/vol-01234567`,
    startTime: "2026-11-20T05:00:03Z",
    endTime: "2026-11-20T05:09:40Z",
  });
}

/** RDS's event for a manual DB snapshot created (RDS-EVENT-0042). */
export function dbSnapshotEvent(identifier: string, eventId = "RDS-EVENT-0042") {
  const arn = `arn:aws:rds:${PRIMARY}:${ACCOUNT_ID}:snapshot:${identifier}`;
  return envelope("RDS DB Snapshot Event", "aws.rds", [arn], {
    EventCategories: ["creation"],
    SourceType: "SNAPSHOT",
    SourceArn: arn,
    Date: "2026-11-20T05:09:41.882Z",
    Message: "Manual snapshot created",
    SourceIdentifier: identifier,
    EventID: eventId,
  });
}

/** RDS's event for a manual DB cluster snapshot created (RDS-EVENT-0075). */
export function clusterSnapshotEvent(identifier: string) {
  const arn = `arn:aws:rds:${PRIMARY}:${ACCOUNT_ID}:cluster-snapshot:${identifier}`;
  return envelope("RDS DB Cluster Snapshot Event", "aws.rds", [arn], {
    EventCategories: ["backup"],
    SourceType: "CLUSTER_SNAPSHOT",
    SourceArn: arn,
    Date: "2026-11-20T05:09:41.882Z",
    Message: "Manual cluster snapshot created",
    SourceIdentifier: identifier,
    EventID: "RDS-EVENT-0075",
  });
}

/**
 * EC2's event in the region a snapshot was copied into, after the copy finished (detail.event copySnapshot): the
 * snapshot_id is the copy's ARN, source the copied snapshot's (as the EBS docs show them).
 */
export function copyFinishedEvent(copyId: string, result = "succeeded", region = DR) {
  const arn = `arn:aws:ec2::${region}:snapshot/${copyId}`;
  return {
    ...envelope("EBS Snapshot Notification", "aws.ec2", [arn], {
      event: "copySnapshot",
      result,
      cause: "",
      "request-id": "",
      snapshot_id: arn,
      source: `arn:aws:ec2::${PRIMARY}:snapshot/snap-0123456789abcdef0`,
      startTime: "2026-11-20T05:10:03Z",
      endTime: "2026-11-20T05:20:40Z",
      incremental: "true",
      transferType: "standard",
    }, "2026-11-20T05:20:41Z"),
    region,
  };
}

/** RDS's event in the region a DB snapshot was copied into: RDS-EVENT-0060 (finished) or RDS-EVENT-0061 (cancelled). */
export function dbCopyFinishedEvent(identifier: string, eventId = "RDS-EVENT-0060", region = DR) {
  const arn = `arn:aws:rds:${region}:${ACCOUNT_ID}:snapshot:${identifier}`;
  return {
    ...envelope("RDS DB Snapshot Event", "aws.rds", [arn], {
      EventCategories: ["notification"],
      SourceType: "SNAPSHOT",
      SourceArn: arn,
      Date: "2026-11-20T05:30:41.882Z",
      Message: `Finished copy of snapshot ${identifier} from region ${PRIMARY} in 18 minutes.`,
      SourceIdentifier: identifier,
      EventID: eventId,
    }, "2026-11-20T05:30:41Z"),
    region,
  };
}

export const SWEEP = { sweep: true };

/** Rejection of a promise as an Error (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (outcome instanceof Error) return outcome;
  throw new Error("expected a rejection");
}

/** Events as the copy queue's event source mapping delivers them: an SQS event, one record per message, the event as body. */
export function queued(...events: unknown[]) {
  return {
    Records: events.map((event, i) => ({
      messageId: `0f3c5a2e-1b4d-4e6f-8a9b-${String(i).padStart(12, "0")}`,
      receiptHandle: `AQEB${i}`,
      body: typeof event === "string" ? event : JSON.stringify(event),
      attributes: { ApproximateReceiveCount: "1", MessageGroupId: "copy-runs", MessageDeduplicationId: `dedup-${i}` },
      messageAttributes: {},
      md5OfBody: "",
      eventSource: "aws:sqs",
      eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:backup-dr-test-copy-queue.fifo",
      awsRegion: "us-east-1",
    })),
  };
}
