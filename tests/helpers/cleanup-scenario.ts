// A fixed fleet in both regions for the cleanup tests, with what a run must delete and what it must leave alone.
//
// In each region, per kind, one source of ours with a daily backup aged 1..10 days that expires 7 days after it was
// made: ages 8, 9, 10 are expired (age 7 expires exactly now: not yet). EBS backups are two volumes each, and an AMI
// uses one volume snapshot of the oldest (kept, reported). Around them: another stack's expired backups, untagged
// and AWS Backup-made snapshots, a backup with a malformed expiry, and a pending expired one.
import type { FakeAws } from "./aws-fake";
import type { RegionState, Tags } from "./aws-fake-state";
import { addDbSnapshot, addImage } from "./aws-fake-cleanup";
import { DR, NOW, PRIMARY, STACK, prepareVault } from "./cleanup-setup";

const DAY = 86_400_000;

export interface Scenario {
  /** `<region> <id>` of every snapshot a run with default settings deletes. */
  deletable: string[];
  /** `<region> <id>` of snapshots no run may delete. */
  untouchable: string[];
  /** EBS snapshots behind an AMI: kept and reported. */
  amiBacked: string[];
  /** Ours with a malformed or missing expiry: kept and reported. */
  badExpiry: string[];
  /** Every `<region> <id>`, kind by kind. */
  all: { region: string; kind: "ebs" | "rds" | "aurora"; id: string }[];
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export function catalogTags(source: string, created: Date, expires: string | undefined, stack = STACK): Tags {
  return {
    "backup-dr:stack": stack,
    "backup-dr:plan": "gold",
    "backup-dr:source": source,
    "backup-dr:run": `gold@${iso(created.getTime())}`,
    "backup-dr:tier": "daily",
    ...(expires === undefined ? {} : { "backup-dr:expires": expires }),
  };
}

export function buildScenario(fake: FakeAws): Scenario {
  prepareVault(fake);
  const scenario: Scenario = { deletable: [], untouchable: [], amiBacked: [], badExpiry: [], all: [] };
  for (const name of [PRIMARY, DR]) seedRegion(fake.region(name), scenario);
  return scenario;
}

function seedRegion(region: RegionState, scenario: Scenario): void {
  const at = (kind: "ebs" | "rds" | "aurora", id: string, list?: string[]) => {
    scenario.all.push({ region: region.name, kind, id });
    list?.push(`${region.name} ${id}`);
  };
  const ebs = (tags: Tags, created: Date, state: "completed" | "pending" = "completed", description = "backup-dr") => {
    const id = region.nextId("snap");
    region.snapshots.set(id, { id, volumeId: region.nextId("vol"), state, description, tags, startTime: created });
    return id;
  };
  const db = (kind: "rds" | "aurora", id: string, tags: Tags, created: Date, extra: { status?: string; snapshotType?: string } = {}) => {
    addDbSnapshot(region, kind, { id, source: tags["backup-dr:source"] ?? "db-x", status: extra.status ?? "available", tags, created, snapshotType: extra.snapshotType });
    return id;
  };

  // AMIs of other snapshots first, so the one that matters is on a later page; in the DR region it is disabled
  // (a disabled AMI still holds its snapshots, and DescribeImages lists it only when asked to).
  for (let n = 0; n < 8; n += 1) addImage(region, [`snap-elsewhere-${n}`]);
  for (let age = 1; age <= 10; age += 1) {
    const created = new Date(NOW.getTime() - age * DAY);
    const expires = iso(created.getTime() + 7 * DAY);
    const list = age >= 8 ? scenario.deletable : scenario.untouchable;
    const volumes = [ebs(catalogTags("i-0aaaaaaaaaaaaaaa1", created, expires), created), ebs(catalogTags("i-0aaaaaaaaaaaaaaa1", created, expires), created)];
    if (age === 10) {
      addImage(region, [volumes[0]], region.name === DR ? "disabled" : "available");
      at("ebs", volumes[0], scenario.amiBacked);
      scenario.untouchable.push(`${region.name} ${volumes[0]}`);
      at("ebs", volumes[1], list);
    } else {
      for (const v of volumes) at("ebs", v, list);
    }
    at("rds", db("rds", `bdr-gold-db-a-${age}`, catalogTags("db-a", created, expires), created), list);
    at("aurora", db("aurora", `bdr-gold-cl-a-${age}`, catalogTags("cl-a", created, expires), created), list);
  }

  const old = new Date(NOW.getTime() - 30 * DAY);
  const expired = iso(NOW.getTime() - 20 * DAY);
  const keep = scenario.untouchable;
  // Another stack's expired backups, and one whose stack tag differs only in case.
  at("ebs", ebs(catalogTags("i-0aaaaaaaaaaaaaaa1", old, expired, "backup-dr/prod"), old), keep);
  at("rds", db("rds", "bdr-gold-db-a-prod", catalogTags("db-a", old, expired, "backup-dr/prod"), old), keep);
  at("aurora", db("aurora", "bdr-gold-cl-a-prod", catalogTags("cl-a", old, expired, "Backup-dr/test"), old), keep);
  // Hand-made and untagged.
  at("ebs", ebs({}, old), keep);
  at("rds", db("rds", "hand-made", { Name: "before the upgrade" }, old), keep);
  // AWS Backup-made, carrying our tags copied from a volume restored from one of our backups.
  at("ebs", ebs({ ...catalogTags("i-0aaaaaaaaaaaaaaa1", old, expired), "aws:backup:source-resource": "vol-1" }, old, "completed", "This snapshot is created by the AWS Backup service"), keep);
  at("rds", db("rds", "awsbackup:job-1234", catalogTags("db-a", old, expired), old, { snapshotType: "awsbackup" }), keep);
  // Ours, but a malformed or missing expiry; ours, expired but still pending.
  at("ebs", ebs(catalogTags("i-0bbbbbbbbbbbbbbb2", old, "next tuesday"), old), scenario.badExpiry);
  at("rds", db("rds", "bdr-gold-db-b-1", catalogTags("db-b", old, undefined), old), scenario.badExpiry);
  at("ebs", ebs(catalogTags("i-0bbbbbbbbbbbbbbb2", old, expired), old, "pending"), keep);
  at("aurora", db("aurora", "bdr-gold-cl-b-1", catalogTags("cl-b", old, expired), old, { status: "creating" }), keep);
  scenario.untouchable.push(...scenario.badExpiry.filter((p) => p.startsWith(`${region.name} `)));
}

/** `<region> <id>` of every snapshot still in the fake. */
export function remaining(fake: FakeAws, scenario: Scenario): string[] {
  return scenario.all
    .filter((s) => {
      const region = fake.region(s.region);
      return s.kind === "ebs" ? region.snapshots.has(s.id) : s.kind === "rds" ? region.dbSnapshots.has(s.id) : region.dbClusterSnapshots.has(s.id);
    })
    .map((s) => `${s.region} ${s.id}`)
    .sort();
}

/** What must remain after the deletable ones are gone. */
export function survivors(scenario: Scenario): string[] {
  return scenario.all.map((s) => `${s.region} ${s.id}`).filter((p) => !scenario.deletable.includes(p)).sort();
}

/**
 * Moves the scenario (dated around `dated`) so that `dated` falls an hour from now: the handler runs on the
 * real clock, and the backups that expire "now" in the scenario then expire just after the test.
 */
export function shiftScenarioToNow(fake: FakeAws, dated: string, regions: readonly string[]): void {
  const shift = Date.now() + 3_600_000 - Date.parse(dated);
  const move = (text: string) => new Date(Date.parse(text) + shift).toISOString().replace(/\.\d{3}Z$/, "Z");
  for (const name of regions) {
    const region = fake.region(name);
    for (const s of region.snapshots.values()) {
      s.startTime = new Date(s.startTime.getTime() + shift);
      if (s.tags["backup-dr:expires"]?.endsWith("Z")) s.tags["backup-dr:expires"] = move(s.tags["backup-dr:expires"]);
    }
    for (const s of [...region.dbSnapshots.values(), ...region.dbClusterSnapshots.values()] as { created?: Date; tags: Record<string, string> }[]) {
      if (s.created) s.created = new Date(s.created.getTime() + shift);
      if (s.tags["backup-dr:expires"]?.endsWith("Z")) s.tags["backup-dr:expires"] = move(s.tags["backup-dr:expires"]);
    }
  }
}
