// Restore actions of a kind against the fake AWS, without the restore flow: real backups made by the backup function,
// a recovery point read from the fake's snapshots and their catalog tags, a hand-built RestoreState, and a driver
// that polls as the state machine would (never waiting: the fake moves a resource on per describe).
import { runBackup } from "../../handlers/backup/run";
import { TAG_RESTORE_ID, TAG_RESTORE_OF, TAG_RESTORED_FROM, TAG_SOURCE, TAG_STACK } from "../../handlers/catalog";
import type { RestoreActions, RestoreContext } from "../../handlers/kinds/kind";
import { readCatalog } from "../../handlers/lib/catalog-record";
import type { Tag } from "../../handlers/lib/tags";
import type { RecoveryPoint, RestoreState } from "../../handlers/restore/contract";
import { fakeClients } from "./aws-clients";
import { ACCOUNT_ID, type FakeAws, type FakeCall } from "./aws-fake";
import { dbSnapshotArn, type CopyableDbSnapshot } from "./aws-fake-copy";
import type { RegionState } from "./aws-fake-state";
import { listParam, tagsParam } from "./aws-wire";
import { backupDeps, backupSettings } from "./backup-setup";
import { COPY_PLANS, PRIMARY, STACK_TAG } from "./copy-setup";

export const RESTORE_ID = "restore-2026-11-20-0001";
export const KEY_ARN = `arn:aws:kms:${PRIMARY}:${ACCOUNT_ID}:key/1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e`;
export const STARTED_AT = "2026-11-20T06:00:00.000Z";
const NOW = new Date("2026-11-20T06:10:00.000Z");

/** Runs the backup function for plan gold and completes every snapshot (DB snapshots encrypted, as AWS would). */
export async function backedUp(fake: FakeAws, region: RegionState): Promise<void> {
  await runBackup(backupDeps(fakeClients(fake)), backupSettings({ BACKUP_DR_PLANS: JSON.stringify(COPY_PLANS) }), { plan: "gold", scheduledTime: "2026-11-20T05:00:00Z" });
  for (const s of region.snapshots.values()) Object.assign(s, { state: "completed", completedAt: new Date("2026-11-20T05:09:00Z") });
  for (const table of [region.dbSnapshots, region.dbClusterSnapshots]) {
    for (const s of table.values()) Object.assign(s, { status: "available", created: new Date("2026-11-20T05:02:00Z"), snapshotType: "manual", encrypted: true } satisfies Partial<CopyableDbSnapshot>);
  }
}

/** The restore tags the flow puts on every create call. */
export function restoreTags(restoreId: string, source: string, pointId: string, name: string): Tag[] {
  return [
    { Key: TAG_RESTORE_ID, Value: restoreId },
    { Key: TAG_RESTORE_OF, Value: source },
    { Key: TAG_RESTORED_FROM, Value: pointId },
    { Key: TAG_STACK, Value: STACK_TAG },
    { Key: "Name", Value: name },
  ];
}

export function restoreContext(fake: FakeAws, state: RestoreState): RestoreContext {
  return { clients: fakeClients(fake, { region: state.region }), region: state.region, keyArn: KEY_ARN, tags: restoreTags(state.restoreId, state.source, state.point.id, state.name), now: () => NOW };
}

/** The EC2 recovery point of an instance's backup set, as the kind's listing would read it. */
export function ec2Point(region: RegionState, instanceId: string): RecoveryPoint {
  const set = [...region.snapshots.values()].filter((s) => s.tags[TAG_SOURCE] === instanceId).sort((a, b) => a.id.localeCompare(b.id));
  const catalog = readCatalog(set[0]?.tags ?? {});
  return {
    kind: "ec2",
    region: region.name,
    source: instanceId,
    id: set[0]?.id ?? "",
    snapshotIds: set.map((s) => s.id),
    origin: "backup",
    completed: set.every((s) => s.state === "completed"),
    stack: catalog.stack,
    ...(catalog.machine === undefined ? {} : { machine: catalog.machine }),
    volumes: set.map((s) => ({ snapshotId: s.id, device: readCatalog(s.tags).volume?.device, root: readCatalog(s.tags).volume?.root, sizeGiB: s.sizeGiB ?? 8 })),
  };
}

/** The DB recovery point of a DB instance (rds) or cluster (aurora). */
export function dbPoint(region: RegionState, kind: "rds" | "aurora", source: string): RecoveryPoint {
  const table = kind === "rds" ? region.dbSnapshots : region.dbClusterSnapshots;
  const snapshot = [...table.values()].find((s) => s.source === source);
  const catalog = readCatalog(snapshot?.tags ?? {});
  const id = snapshot?.id ?? "";
  return { kind, region: region.name, source, id, arn: dbSnapshotArn(kind, region, id), snapshotIds: [id], origin: "backup", completed: snapshot?.status === "available", stack: catalog.stack, ...(catalog.database === undefined ? {} : { database: catalog.database }) };
}

/** A resolved state as the flow's start step hands it to the kind. */
export function stateFor(point: RecoveryPoint, fields: Partial<RestoreState> = {}): RestoreState {
  return {
    restoreId: RESTORE_ID,
    startedAt: STARTED_AT,
    region: point.region,
    kind: point.kind,
    source: point.source,
    point,
    name: `restored-${point.source}-restore2`,
    phase: "start",
    status: "pending",
    waitSeconds: 0,
    deadline: "2026-11-20T09:00:00.000Z",
    created: [],
    ...(point.machine === undefined ? {} : { machine: point.machine }),
    ...(point.database === undefined ? {} : { database: point.database }),
    ...fields,
  };
}

/** Polls until the state is no longer pending (at most `limit` polls), as the state machine would. */
export async function pollUntilDone(kind: RestoreActions, ctx: RestoreContext, state: RestoreState, limit = 20): Promise<{ state: RestoreState; polls: number; phases: string[] }> {
  let current = state;
  const phases: string[] = [];
  for (let polls = 1; polls <= limit; polls += 1) {
    current = await kind.poll(ctx, current);
    phases.push(current.phase);
    if (current.status !== "pending") return { state: current, polls, phases };
  }
  throw new Error(`still pending after ${limit} polls: ${JSON.stringify(current.created)}`);
}

/** Actions that create or change something (anything but Describe/List): the calls the restore tags matter for. */
export function mutatingCalls(fake: FakeAws): FakeCall[] {
  return fake.handled().filter((c) => !/^(Describe|List|Get)/.test(c.action));
}

/** The tags a create call carried, per resource type (EC2 TagSpecifications) or "*" (RDS Tags). */
export function createTags(call: FakeCall): Record<string, Record<string, string>> {
  if (call.service === "rds") return { "*": tagsParam(call.params, "Tags") };
  return Object.fromEntries(listParam(call.params, "TagSpecification").map((spec) => [spec.get("ResourceType") ?? "", Object.fromEntries(listParam(spec, "Tag").map((t) => [t.get("Key") ?? "", t.get("Value") ?? ""]))]));
}

