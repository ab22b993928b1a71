// Settings, environment, dependencies and genuine recovery points for running the restore function against the fake
// AWS: backups made by the real backup handler, DR copies by the real copy handler, then "completed" at chosen times
// (what AWS does minutes later), so the points the restore reads are what the stack really leaves.
import { runBackup } from "../../handlers/backup/run";
import { runCopy } from "../../handlers/copy/run";
import type { ResourceKind } from "../../handlers/catalog";
import { ec2Points } from "../../handlers/kinds/ec2-points";
import type { RestoreActions, RestoreKind, RestorePoints } from "../../handlers/kinds/kind";
import { dbPoints } from "../../handlers/kinds/rds-points";
import { KIND_MODULES } from "../../handlers/kinds/registry";
import type { RestoreState } from "../../handlers/restore/contract";
import type { RestoreStepDeps } from "../../handlers/restore/run";
import { readRestoreSettings, type RestoreSettings } from "../../handlers/restore/settings";
import type { RestoreKinds } from "../../handlers/restore/steps";
import { fakeClients } from "./aws-clients";
import { ACCOUNT_ID, type FakeAws, type FakeCall } from "./aws-fake";
import { finishCopies, type CopyableDbSnapshot, type CopyableSnapshot } from "./aws-fake-copy";
import type { RegionState, Tags } from "./aws-fake-state";
import { backupDeps, backupSettings } from "./backup-setup";
import { SELECTION_KEY, VAULT_BUCKET } from "./backup-fleet";
import { clusterSnapshotEvent, copyDeps, copySettings, COPY_PLANS, DR, dbSnapshotEvent, multiVolumeEvent, PRIMARY, PRIMARY_KEY_ARN, primaryRegion, STACK_TAG } from "./copy-setup";

export { DR, PRIMARY, STACK_TAG };
export const DR_KEY = `arn:aws:kms:${DR}:${ACCOUNT_ID}:key/0f5e3c1a-7b2d-4e6f-9a8b-1c2d3e4f5a6b`;
export const PRIMARY_KEY = PRIMARY_KEY_ARN;
export const GOLD: Tags = { [SELECTION_KEY]: "gold" };
export const NETWORK = { subnetIds: ["subnet-0a1b2c3d4e5f60711"], securityGroupIds: ["sg-0a1b2c3d4e5f60721"], dbSubnetGroup: "restore-db" };

/** The restore function's environment in one region, as infra sets it. */
export function restoreEnv(role: "primary" | "dr", overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    BACKUP_DR_STACK: STACK_TAG,
    BACKUP_DR_REGION: role === "primary" ? PRIMARY : DR,
    BACKUP_DR_REGION_ROLE: role,
    BACKUP_DR_KEY_ARN: role === "primary" ? PRIMARY_KEY : DR_KEY,
    BACKUP_DR_VAULT_BUCKET: VAULT_BUCKET,
    BACKUP_DR_RESTORE_NETWORK: JSON.stringify(NETWORK),
    ...overrides,
  };
}

export function restoreSettings(role: "primary" | "dr", overrides: Record<string, string | undefined> = {}): RestoreSettings {
  return readRestoreSettings(restoreEnv(role, overrides));
}

/** The points half each kind has (the real modules' own). */
export const POINTS: Record<ResourceKind, RestorePoints> = { ec2: ec2Points, rds: dbPoints("rds"), aurora: dbPoints("aurora") };

/** What a stub kind's actions were asked to do. */
export interface StubRecord {
  started: Array<{ state: RestoreState; tags: Array<{ Key: string; Value: string }> }>;
  polled: RestoreState[];
}

/** Actions that create nothing and record what they were given; `missing` as the test says. */
export function stubActions(record: StubRecord, missing: (state: RestoreState) => string[] = () => []): RestoreActions {
  return {
    pollSeconds: 30,
    timeoutMinutes: 60,
    missing,
    start: (ctx, state) => {
      record.started.push({ state, tags: ctx.tags });
      return Promise.resolve({ ...state, phase: "stub", created: [{ type: "stub", id: `stub-${state.restoreId}`, state: "creating" }] });
    },
    poll: (ctx, state) => {
      record.polled.push(state);
      return Promise.resolve({ ...state, status: "available", availableAt: ctx.now().toISOString(), endpoint: "stub-endpoint" });
    },
    validate: () => Promise.resolve({ ok: true, checks: [{ check: "stub", ok: true }] }),
    findCreated: () => Promise.resolve([]),
  };
}

/** Every kind with its real points half and the given actions (the registry's facets until the kinds carry theirs). */
export function kindsWith(actions: (name: ResourceKind) => RestoreActions): RestoreKinds {
  const all: RestoreKind[] = (["ec2", "rds", "aurora"] as const).map((name) => {
    const { snapshotKind, paced } = KIND_MODULES[name].copy;
    return { name, snapshotKind, paced, ...POINTS[name], ...actions(name) };
  });
  return {
    all: () => all,
    named: (name) => {
      const found = all.find((k) => k.name === name);
      if (found === undefined) throw new Error(`no kind ${name}`);
      return found;
    },
  };
}

/** Step dependencies in one region of the fake. */
export function restoreDeps(fake: FakeAws, region: string, now: () => Date, kinds?: RestoreKinds): RestoreStepDeps {
  const clients = fakeClients(fake, { region });
  return { clients, s3: clients.s3, now, ...(kinds === undefined ? {} : { kinds }) };
}

/** Calls that change something (anything but Describe*, List*, Get*), after `from` calls. */
export function changingCalls(fake: FakeAws, from = 0): FakeCall[] {
  return fake.calls.slice(from).filter((c) => !/^(Describe|List|Get|Head)/.test(c.action));
}

/** Calls that create a resource: what no refused restore may send. */
export function createCalls(fake: FakeAws, from = 0): FakeCall[] {
  return fake.calls.slice(from).filter((c) => /^(Create|Run|Register|Restore|Copy)/.test(c.action));
}

/** The day's gold slot (05:00 UTC) of 2026-11-<day>. */
export const slotOf = (day: number) => new Date(`2026-11-${String(day).padStart(2, "0")}T05:00:00Z`);

/** A fleet tagged gold in the primary region, backed up, copied to DR and completed at chosen times. */
export class RestoreFleet {
  readonly primary: RegionState;
  readonly dr: RegionState;
  readonly instance: string;
  readonly db = "orders-db";
  readonly cluster = "ledger";

  constructor(readonly fake: FakeAws) {
    this.primary = primaryRegion(fake);
    this.dr = fake.region(DR);
    if (!this.dr.buckets.has(VAULT_BUCKET)) this.dr.addBucket(VAULT_BUCKET);
    this.instance = this.primary.addInstance("running", { ...GOLD, Name: "web-1" }, [{ Name: "root" }, { Name: "data" }]).id;
    this.primary.addDbInstance(this.db, "available", GOLD);
    this.primary.addDbCluster(this.cluster, "available", GOLD);
    this.primary.addDbInstance("ledger-writer", "available", {}, this.cluster);
  }

  /**
   * Runs the real backup function for the gold slot of the day, then completes what it made as AWS would, taken at
   * `taken` (default: the slot plus 2 minutes). `complete: false` leaves them pending/creating.
   */
  async backup(day: number, options: { taken?: Date; complete?: boolean; stackTag?: string } = {}): Promise<{ ebs: CopyableSnapshot[]; db: CopyableDbSnapshot; cluster: CopyableDbSnapshot }> {
    const before = new Set([...this.primary.snapshots.keys(), ...this.primary.dbSnapshots.keys(), ...this.primary.dbClusterSnapshots.keys()]);
    const slot = slotOf(day);
    const settings = backupSettings({ BACKUP_DR_PLANS: JSON.stringify(COPY_PLANS), ...(options.stackTag === undefined ? {} : { BACKUP_DR_STACK: options.stackTag }) });
    await runBackup(backupDeps(fakeClients(this.fake), () => new Date(slot.getTime() + 60_000)), settings, { plan: "gold", scheduledTime: slot.toISOString() });
    const taken = options.taken ?? new Date(slot.getTime() + 120_000);
    const fresh = <T extends { id: string }>(table: Map<string, T>) => [...table.values()].filter((s) => !before.has(s.id));
    const ebs = fresh(this.primary.snapshots as Map<string, CopyableSnapshot>);
    const db = fresh(this.primary.dbSnapshots as Map<string, CopyableDbSnapshot>);
    const cluster = fresh(this.primary.dbClusterSnapshots as Map<string, CopyableDbSnapshot>);
    if (ebs.length !== 2 || db.length !== 1 || cluster.length !== 1) throw new Error(`the backup of ${slot.toISOString()} made ${ebs.length} EBS, ${db.length} DB, ${cluster.length} cluster snapshots`);
    for (const s of ebs) Object.assign(s, { startTime: taken, ...(options.complete === false ? {} : { state: "completed", completedAt: new Date(taken.getTime() + 300_000) }) });
    for (const s of [...db, ...cluster]) {
      Object.assign(s, { created: taken, snapshotType: "manual", encrypted: true, kmsKeyId: PRIMARY_KEY_ARN, ...(options.complete === false ? {} : { status: "available" }) } satisfies Partial<CopyableDbSnapshot>);
    }
    return { ebs, db: db[0], cluster: cluster[0] };
  }

  /** Copies the backups to DR with the real copy function (from their completion events) and completes the copies. */
  async copy(made: { ebs: CopyableSnapshot[]; db: CopyableDbSnapshot; cluster: CopyableDbSnapshot }, now: Date): Promise<void> {
    const deps = copyDeps(this.fake, () => now);
    await runCopy(deps, copySettings(), multiVolumeEvent(made.ebs.map((s) => s.id)));
    await runCopy(deps, copySettings(), dbSnapshotEvent(made.db.id));
    await runCopy(deps, copySettings(), clusterSnapshotEvent(made.cluster.id));
    finishCopies(this.dr);
  }

  /** The DR copies of a primary snapshot (by the copy's copy-of tag: an EBS id, or a DB snapshot's ARN). */
  copiesOf(primaryIdOrArn: string): string[] {
    const all = [...this.dr.snapshots.values(), ...this.dr.dbSnapshots.values(), ...this.dr.dbClusterSnapshots.values()];
    return all.filter((s) => s.tags["backup-dr:copy-of"] === primaryIdOrArn).map((s) => s.id);
  }
}
