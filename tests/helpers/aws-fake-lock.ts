// Fake AWS EBS snapshot lock: LockSnapshot, DescribeLockedSnapshots, and DeleteSnapshot refused on a locked snapshot
// (otherwise answered by aws-fake-cleanup.ts). Rules from the EC2 API reference (LockSnapshot, DescribeLockedSnapshots)
// and the EBS user guide ("Snapshot lock concepts"): pending and completed snapshots can be locked; LockDuration 1-36500
// days or ExpirationDate, not both; CoolOffPeriod 1-72 hours, compliance only; a compliance lock past its cooling-off
// period cannot change mode, be shortened, or take a CoolOffPeriod; MaxResults 5-1000. AWS does not document the
// error codes of these refusals; the handlers do not depend on them (they read the lock after any refusal).
import { CLEANUP_ACTIONS } from "./aws-fake-cleanup";
import type { ActionContext, FakeActions } from "./aws-fake-extensions";
import type { RegionState } from "./aws-fake-state";
import { AwsFault, el, leaf, listParam, pageOffset, pageToken, requireParam } from "./aws-wire";

export interface FakeLock {
  mode: "governance" | "compliance";
  createdOn: Date;
  expiresOn: Date;
  coolOffHours?: number;
  coolOffExpiresOn?: Date;
  lockDurationDays?: number;
}

const DAY_MS = 86_400_000;
const lockTables = new WeakMap<RegionState, Map<string, FakeLock>>();
const clocks = new WeakMap<RegionState, () => Date>();

/** The region's snapshot locks, by snapshot id. */
export function regionLocks(region: RegionState): Map<string, FakeLock> {
  const existing = lockTables.get(region);
  if (existing) return existing;
  const created = new Map<string, FakeLock>();
  lockTables.set(region, created);
  return created;
}

/** The clock the region judges locks by (the real clock unless set). */
export function setLockClock(region: RegionState, clock: () => Date): void {
  clocks.set(region, clock);
}

const nowIn = (region: RegionState): Date => (clocks.get(region) ?? (() => new Date()))();

/** compliance-cooloff, governance, compliance or expired, at the region's clock. */
export function lockState(lock: FakeLock, now: Date): string {
  if (lock.expiresOn.getTime() <= now.getTime()) return "expired";
  if (lock.mode === "compliance" && lock.coolOffExpiresOn !== undefined && now.getTime() < lock.coolOffExpiresOn.getTime()) return "compliance-cooloff";
  return lock.mode;
}

function lockXml(id: string, lock: FakeLock, now: Date, region: RegionState): string {
  return [
    leaf("ownerId", region.accountId),
    leaf("snapshotId", id),
    leaf("lockState", lockState(lock, now)),
    leaf("lockDuration", lock.lockDurationDays),
    leaf("coolOffPeriod", lock.coolOffHours),
    leaf("coolOffPeriodExpiresOn", lock.coolOffExpiresOn?.toISOString()),
    leaf("lockCreatedOn", lock.createdOn.toISOString()),
    leaf("lockDurationStartTime", lock.createdOn.toISOString()),
    leaf("lockExpiresOn", lock.expiresOn.toISOString()),
  ].join("");
}

function lockSnapshot({ params, region }: ActionContext): string {
  const id = requireParam(params, "SnapshotId");
  const snapshot = region.snapshots.get(id);
  if (!snapshot) throw new AwsFault("InvalidSnapshot.NotFound", 400, `The snapshot '${id}' does not exist.`);
  if (snapshot.state !== "pending" && snapshot.state !== "completed") throw new AwsFault("IncorrectState", 400, `Snapshot ${id} is in state ${snapshot.state}; only pending and completed snapshots can be locked.`);
  const mode = requireParam(params, "LockMode");
  if (mode !== "governance" && mode !== "compliance") throw new AwsFault("InvalidParameterValue", 400, `Invalid LockMode: ${mode}`);
  const coolOff = params.get("CoolOffPeriod");
  if (coolOff !== undefined && mode !== "compliance") throw new AwsFault("InvalidParameterCombination", 400, "CoolOffPeriod can be specified only in compliance mode.");
  if (coolOff !== undefined && !(/^\d+$/.test(coolOff) && Number(coolOff) >= 1 && Number(coolOff) <= 72)) throw new AwsFault("InvalidParameterValue", 400, `CoolOffPeriod must be 1-72 hours, got ${coolOff}`);
  const duration = params.get("LockDuration");
  const expiration = params.get("ExpirationDate");
  if ((duration === undefined) === (expiration === undefined)) throw new AwsFault("InvalidParameterCombination", 400, "Specify either LockDuration or ExpirationDate, but not both.");
  if (duration !== undefined && !(/^\d+$/.test(duration) && Number(duration) >= 1 && Number(duration) <= 36500)) throw new AwsFault("InvalidParameterValue", 400, `LockDuration must be 1-36500 days, got ${duration}`);
  const now = nowIn(region);
  const expiresOn = duration !== undefined ? new Date(now.getTime() + Number(duration) * DAY_MS) : new Date(expiration ?? "");
  if (Number.isNaN(expiresOn.getTime()) || expiresOn.getTime() <= now.getTime()) throw new AwsFault("InvalidParameterValue", 400, `ExpirationDate must be a future date, got ${expiration ?? ""}`);
  const existing = regionLocks(region).get(id);
  if (existing !== undefined && lockState(existing, now) === "compliance") {
    if (coolOff !== undefined) throw new AwsFault("InvalidParameterCombination", 400, `Snapshot ${id} is locked in compliance mode past its cooling-off period; omit CoolOffPeriod.`);
    if (mode !== "compliance") throw new AwsFault("IncorrectState", 400, `Snapshot ${id} is locked in compliance mode; its lock mode cannot be changed.`);
    if (expiresOn.getTime() < existing.expiresOn.getTime()) throw new AwsFault("IncorrectState", 400, `Snapshot ${id} is locked in compliance mode until ${existing.expiresOn.toISOString()}; the lock cannot be shortened.`);
  }
  const keepCoolOff = existing !== undefined && lockState(existing, now) === "compliance";
  const lock: FakeLock = {
    mode,
    createdOn: existing?.createdOn ?? now,
    expiresOn,
    ...(duration !== undefined ? { lockDurationDays: Number(duration) } : {}),
    ...(keepCoolOff ? { coolOffHours: existing.coolOffHours, coolOffExpiresOn: existing.coolOffExpiresOn } : {}),
    ...(!keepCoolOff && coolOff !== undefined ? { coolOffHours: Number(coolOff), coolOffExpiresOn: new Date(now.getTime() + Number(coolOff) * 3_600_000) } : {}),
  };
  regionLocks(region).set(id, lock);
  return lockXml(id, lock, now, region);
}

function describeLockedSnapshots({ params, region, cap }: ActionContext): string {
  const max = params.get("MaxResults");
  if (max !== undefined && (Number(max) < 5 || Number(max) > 1000)) throw new AwsFault("InvalidParameterValue", 400, `Value ( ${max} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
  const ids = listParam(params, "SnapshotId").map((entry) => entry.get("") ?? "");
  const states = listParam(params, "Filter").flatMap((f) => {
    if (f.get("Name") !== "lock-state") throw new AwsFault("InvalidParameterValue", 400, `The filter '${f.get("Name") ?? ""}' is invalid`);
    return [...f.entries()].filter(([k]) => k.startsWith("Value.")).map(([, v]) => v);
  });
  const now = nowIn(region);
  const found = [...regionLocks(region).entries()].filter(([id, lock]) => (ids.length === 0 || ids.includes(id)) && (states.length === 0 || states.includes(lockState(lock, now))));
  const size = Math.min(max === undefined ? 1000 : Number(max), cap);
  const offset = pageOffset(params.get("NextToken"));
  const items = found.slice(offset, offset + size);
  const next = offset + size < found.length ? pageToken(offset + size) : undefined;
  return el("snapshotSet", ...items.map(([id, lock]) => el("item", lockXml(id, lock, now, region)))) + (leaf("nextToken", next) ?? "");
}

function deleteSnapshot(ctx: ActionContext): string {
  const id = requireParam(ctx.params, "SnapshotId");
  const lock = regionLocks(ctx.region).get(id);
  if (lock !== undefined && lockState(lock, nowIn(ctx.region)) !== "expired") {
    throw new AwsFault("SnapshotLocked", 400, `The snapshot '${id}' is locked (${lockState(lock, nowIn(ctx.region))}) until ${lock.expiresOn.toISOString()} and cannot be deleted.`);
  }
  const answer = CLEANUP_ACTIONS.ec2.DeleteSnapshot(ctx);
  regionLocks(ctx.region).delete(id);
  return answer;
}

export const LOCK_ACTIONS: FakeActions = {
  ec2: {
    LockSnapshot: lockSnapshot,
    DescribeLockedSnapshots: describeLockedSnapshots,
    DeleteSnapshot: deleteSnapshot,
  },
  rds: {},
};
