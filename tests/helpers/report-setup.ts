// The report function's environment, settings and dependencies over the fake AWS (primary and DR region), and a fleet
// with recovery points made the way the backup and copy functions tag them: sources with their selection tag and
// creation time, backups in the primary region, DR copies (copy-of and taken tags) in the DR region.
import { planRun } from "../../handlers/backup/run";
import { TAG_COPY_OF, TAG_TAKEN, type ResourceKind } from "../../handlers/catalog";
import { rdsSnapshotIdentifier } from "../../handlers/kinds/rds-identifier";
import { catalogTags } from "../../handlers/lib/catalog-record";
import type { MetricSet } from "../../handlers/lib/metrics";
import { readPlans } from "../../handlers/plan";
import { createReportClients } from "../../handlers/report/clients";
import type { ReportDeps, ReportOptions } from "../../handlers/report/contract";
import { readReportSettings, type ReportSettings } from "../../handlers/report/settings";
import { fastRetryStrategy, TEST_CREDENTIALS } from "./aws-clients";
import type { FakeAws } from "./aws-fake";
import { dbSnapshotArn, type CopyableDbSnapshot, type CopyableSnapshot } from "./aws-fake-copy";
import type { Tags } from "./aws-fake-state";
import { fakeRequestHandler } from "./aws-transport";
import { SELECTION_KEY, VAULT_BUCKET } from "./backup-fleet";
import { DR, DR_KEY_ARN, PRIMARY, PRIMARY_KEY_ARN, STACK_TAG, TOPIC_ARN } from "./copy-setup";

export { DR, DR_KEY_ARN, PRIMARY, PRIMARY_KEY_ARN, SELECTION_KEY, STACK_TAG };
export const DR_VAULT_BUCKET = "backup-dr-test-vault-dr";

/**
 * gold: every 6 hours (UTC), every kind, copied (RPO 6 h + 15 min; DR 7 h 15 min).
 * silver: daily 02:30 in Berlin, instances only, not copied: 02:30 does not exist on the spring change day, so its
 * longest gap is 47 h, Saturday 02:30 CET to Monday 02:30 CEST (RPO 47 h 15 min).
 */
export const REPORT_PLANS = [
  { name: "gold", schedule: "cron(0 0/6 * * ? *)", timezone: "UTC", resources: ["ec2", "rds", "aurora"], keep: { hourly: 8, daily: 7 }, drKeep: { daily: 7 }, copyToDr: true },
  { name: "silver", schedule: "cron(30 2 * * ? *)", timezone: "Europe/Berlin", resources: ["ec2"], keep: { daily: 7 }, copyToDr: false },
];

export const REPORT_OPTIONS: ReportOptions = {
  graceSeconds: 900,
  drLagSeconds: 3600,
  notifyOn: "outOfPolicy",
  costTags: true,
  requiredFrequencySeconds: 86_400,
  requiredRetentionDays: 7,
  protectedBuckets: [],
};

/** The function's environment as infra sets it. */
export function reportEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    BACKUP_DR_STACK: STACK_TAG,
    BACKUP_DR_PLANS: JSON.stringify(REPORT_PLANS),
    BACKUP_DR_SELECTION_TAG_KEY: SELECTION_KEY,
    BACKUP_DR_PRIMARY_REGION: PRIMARY,
    BACKUP_DR_DR_REGION: DR,
    BACKUP_DR_KEY_ARN: PRIMARY_KEY_ARN,
    BACKUP_DR_DR_KEY_ARN: DR_KEY_ARN,
    BACKUP_DR_VAULT_BUCKET: VAULT_BUCKET,
    BACKUP_DR_DR_VAULT_BUCKET: DR_VAULT_BUCKET,
    BACKUP_DR_TOPIC_ARN: TOPIC_ARN,
    BACKUP_DR_REPORT: JSON.stringify(REPORT_OPTIONS),
    BACKUP_DR_CONCURRENCY: "4",
    ...overrides,
  };
}

export function reportSettings(overrides: Record<string, string | undefined> = {}): ReportSettings {
  return readReportSettings(reportEnv(overrides));
}

/** The step dependencies over the fake (both regions, Cost Explorer) with a fixed clock, recording the metric sets. */
export function reportDeps(fake: FakeAws, now: () => Date): ReportDeps & { metrics: MetricSet[] } {
  const metrics: MetricSet[] = [];
  const clients = createReportClients(PRIMARY, DR, { requestHandler: fakeRequestHandler(fake), retryStrategy: () => fastRetryStrategy(), credentials: TEST_CREDENTIALS });
  return { clients, now, publishMetrics: (set) => void metrics.push(set), metrics };
}

/** The value each plan's `coverage` set published, by plan. */
export function coverageMetrics(metrics: readonly MetricSet[]): Record<string, Record<string, number | undefined>> {
  return Object.fromEntries(metrics.filter((m) => m.set === "coverage").map((m) => [m.dimensions.Plan ?? "", { ...m.values }]));
}

/** A source in the primary region: its selection tag (`null`: none) and when it was created. */
export function addSource(fake: FakeAws, kind: ResourceKind, selection: string | null, created: Date, name?: string): string {
  const region = fake.region(PRIMARY);
  const tags: Tags = selection === null ? {} : { [SELECTION_KEY]: selection };
  if (kind === "ec2") {
    const instance = region.addInstance("running", name === undefined ? tags : { ...tags, Name: name });
    instance.launchTime = created;
    return instance.id;
  }
  const id = name ?? `${kind === "rds" ? "db" : "cluster"}-${region.nextId("x").slice(-5)}`;
  if (kind === "rds") region.addDbInstance(id, "available", tags).createdAt = created;
  else region.addDbCluster(id, "available", tags).createdAt = created;
  return id;
}

export interface PointOptions {
  /** Minutes after the slot the data was taken (default 2). */
  afterMinutes?: number;
  /** The key of the backup (default the primary key); null: unencrypted. */
  key?: string | null;
  /** Also a completed DR copy, made this many minutes after the data was taken (default: none). */
  copyAfterMinutes?: number;
  /** Not completed (EBS pending, DB creating). */
  pending?: boolean;
}

const PLANS = readPlans(REPORT_PLANS);

/** A backup of `source` at `slot` of `plan` in the primary region, tagged as the backup function does, and its DR copy. */
export function backUp(fake: FakeAws, kind: ResourceKind, source: string, plan: string, slot: Date, o: PointOptions = {}): void {
  const found = PLANS.find((p) => p.name === plan);
  if (found === undefined) throw new Error(`no report test plan ${plan}`);
  const run = planRun(STACK_TAG, found, slot);
  const tags = Object.fromEntries(catalogTags(run, source).map((t) => [t.Key, t.Value]));
  const taken = new Date(slot.getTime() + (o.afterMinutes ?? 2) * 60_000);
  const key = o.key === undefined ? PRIMARY_KEY_ARN : o.key;
  const primary = fake.region(PRIMARY);
  const dr = fake.region(DR);
  const copyAt = o.copyAfterMinutes === undefined ? undefined : new Date(taken.getTime() + o.copyAfterMinutes * 60_000);
  if (kind === "ec2") {
    const snapshot: CopyableSnapshot = { id: primary.nextId("snap"), volumeId: primary.nextId("vol"), state: o.pending ? "pending" : "completed", description: `backup ${source}`, tags, startTime: taken, encrypted: key !== null, kmsKeyId: key ?? undefined };
    primary.snapshots.set(snapshot.id, snapshot);
    if (copyAt !== undefined) {
      const copy: CopyableSnapshot = { id: dr.nextId("snap"), volumeId: "vol-ffffffff", state: "completed", description: `copy of ${snapshot.id}`, tags: { ...tags, [TAG_COPY_OF]: snapshot.id, [TAG_TAKEN]: taken.toISOString() }, startTime: copyAt, encrypted: true, kmsKeyId: DR_KEY_ARN, copiedFrom: `${PRIMARY}:${snapshot.id}` };
      dr.snapshots.set(copy.id, copy);
    }
    return;
  }
  const id = rdsSnapshotIdentifier(run, kind, source);
  const table = (region: typeof primary): Map<string, CopyableDbSnapshot> => (kind === "rds" ? region.dbSnapshots : region.dbClusterSnapshots);
  const snapshot: CopyableDbSnapshot = { id, source, status: o.pending ? "creating" : "available", tags, created: taken, snapshotType: "manual", encrypted: key !== null, kmsKeyId: key ?? undefined };
  table(primary).set(id, snapshot);
  if (copyAt !== undefined) {
    const arn = dbSnapshotArn(kind, primary, id);
    table(dr).set(id, { id, source, status: "available", tags: { ...tags, [TAG_COPY_OF]: arn, [TAG_TAKEN]: taken.toISOString() }, created: copyAt, snapshotType: "manual", encrypted: true, kmsKeyId: DR_KEY_ARN, copiedFrom: arn });
  }
}

/** Every slot of a schedule of `hours` hours from `from` (inclusive) up to `to` (exclusive). */
export function slotsEvery(hours: number, from: Date, to: Date): Date[] {
  const out: Date[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += hours * 3_600_000) out.push(new Date(t));
  return out;
}
