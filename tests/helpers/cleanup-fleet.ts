// Random fleets of snapshots in both regions for the cleanup property tests, what each one is by construction, and
// an oracle that states the deletion rules on its own terms (not by calling the code under test).
import fc from "fast-check";
import type { CleanupPolicy, ImageUse, ListedSnapshot, RegionListing, SnapshotKind } from "../../handlers/cleanup/types";
import type { FakeAws } from "./aws-fake";
import type { Tags } from "./aws-fake-state";
import { addDbSnapshot, regionImages } from "./aws-fake-cleanup";
import { DR, PRIMARY, STACK } from "./cleanup-setup";

const DAY = 86_400_000;
const HOUR = 3_600_000;

export type Owner = "ours" | "other-stack" | "untagged" | "aws-backup" | "rds-automated";

export interface ModelSnapshot {
  region: string;
  kind: SnapshotKind;
  id: string;
  state: string;
  /** Complete by construction: EBS completed, RDS available. */
  complete: boolean;
  created?: Date;
  tags: Tags;
  snapshotType?: string;
  description?: string;
  owner: Owner;
  /** A valid backup-dr:expires strictly before now, by construction. */
  expired: boolean;
  /** When its data was taken, by construction (ms): what the rules call "newest" by; undefined when nothing tells. */
  taken?: number;
  /** backup-dr:set-size as a number, when tagged readably. */
  setSize?: number;
}

export interface ModelImage {
  region: string;
  id: string;
  state: string;
  snapshotIds: string[];
}

export interface ModelFleet {
  now: Date;
  policy: CleanupPolicy;
  snapshots: ModelSnapshot[];
  images: ModelImage[];
  /** Regions whose AMI listing fails (only the pure tests use this). */
  imagesUnknown: string[];
}

const REGIONS = [PRIMARY, DR];
const SOURCES: Record<SnapshotKind, string[]> = { ebs: ["i-0aaaaaaaaaaaaaaa1", "i-0bbbbbbbbbbbbbbb2", "i-0ccccccccccccccc3"], rds: ["db-a", "db-b", "db-c"], aurora: ["cl-a", "cl-b", "cl-c"] };
const MALFORMED_EXPIRIES = ["", "soon", "2026-11-22", "2026-11-22T06:00:00", "2026-02-30T06:00:00Z", "2026-11-22T24:00:00Z", "1763791200", "2026-11-22 06:00:00Z", "2025-01-01T00:00:00+25:00", "never"];
const OTHER_STACKS = ["backup-dr/prod", "Backup-dr/test", "backup-dr/test ", "backup-dr/test/x", "other/test"];

type Expiry = { kind: "past"; hours: number } | { kind: "future"; hours: number } | { kind: "now" } | { kind: "missing" } | { kind: "malformed"; text: string };

const expiryArb: fc.Arbitrary<Expiry> = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 24 * 90 }).map((hours) => ({ kind: "past" as const, hours })) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 24 * 400 }).map((hours) => ({ kind: "future" as const, hours })) },
  { weight: 1, arbitrary: fc.constant({ kind: "now" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "missing" as const }) },
  { weight: 1, arbitrary: fc.constantFrom(...MALFORMED_EXPIRIES).map((text) => ({ kind: "malformed" as const, text })) },
);

const ownerArb: fc.Arbitrary<Owner> = fc.oneof(
  { weight: 12, arbitrary: fc.constant("ours" as const) },
  { weight: 2, arbitrary: fc.constant("other-stack" as const) },
  { weight: 1, arbitrary: fc.constant("untagged" as const) },
  { weight: 2, arbitrary: fc.constant("aws-backup" as const) },
  { weight: 1, arbitrary: fc.constant("rds-automated" as const) },
);

const stateArb = (kind: SnapshotKind) =>
  kind === "ebs"
    ? fc.oneof({ weight: 8, arbitrary: fc.constant("completed") }, { weight: 1, arbitrary: fc.constant("pending") }, { weight: 1, arbitrary: fc.constant("error") })
    : fc.oneof({ weight: 8, arbitrary: fc.constant("available") }, { weight: 1, arbitrary: fc.constantFrom("creating", "copying", "failed", "deleting") });

interface BackupDraft {
  kind: SnapshotKind;
  region: number;
  source: number;
  owner: Owner;
  otherStack: string;
  expiry: Expiry;
  /** Minutes before now, or near the floor: minAgeDays +- a few minutes. */
  age: { floor: boolean; minutes: number };
  createdKnown: boolean;
  runTag: boolean;
  sourceTag: boolean;
  states: string[];
  /** EBS: members behind an AMI, and that AMI's state. */
  ami: { member: number; state: string } | null;
  /** A DR copy (copy-of tag), made after its data was taken: its taken tag and how it reads. */
  copy: { tag: "before" | "after-copy" | "garbage" | "none"; minutes: number } | null;
  /** EBS: backup-dr:set-size, the members plus extra (1: a short set), or unreadable; null: no tag. */
  setSize: { extra: 0 | 1 } | "garbage" | null;
}

const draftArb = (kind: SnapshotKind): fc.Arbitrary<BackupDraft> =>
  fc.record({
    kind: fc.constant(kind),
    region: fc.integer({ min: 0, max: 1 }),
    source: fc.integer({ min: 0, max: 1 }),
    owner: ownerArb,
    otherStack: fc.constantFrom(...OTHER_STACKS),
    expiry: expiryArb,
    age: fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 0, max: 60 * 24 * 60 }).map((minutes) => ({ floor: false, minutes })) },
      { weight: 1, arbitrary: fc.integer({ min: -3, max: 3 }).map((minutes) => ({ floor: true, minutes })) },
    ),
    createdKnown: kind === "ebs" ? fc.constant(true) : fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    runTag: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    sourceTag: fc.oneof({ weight: 19, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    states: fc.array(stateArb(kind), { minLength: 1, maxLength: kind === "ebs" ? 3 : 1 }),
    ami: kind === "ebs" ? fc.option(fc.record({ member: fc.integer({ min: 0, max: 2 }), state: fc.constantFrom("available", "disabled", "pending") }), { freq: 6 }) : fc.constant(null),
    // Copies made out of order: the data's time is up to 3 days before the copy was made, independent of other copies.
    copy: fc.option(fc.record({ tag: fc.constantFrom("before" as const, "before" as const, "after-copy" as const, "garbage" as const, "none" as const), minutes: fc.integer({ min: 0, max: 3 * 1440 }) }), { freq: 2 }),
    setSize: kind === "ebs" ? fc.option(fc.oneof({ weight: 4, arbitrary: fc.record({ extra: fc.constantFrom(0 as const, 1 as const) }) }, { weight: 1, arbitrary: fc.constant("garbage" as const) }), { freq: 2 }) : fc.constant(null),
  });

const policyArb: fc.Arbitrary<CleanupPolicy> = fc.record({
  stackTag: fc.constant(STACK),
  minAgeDays: fc.integer({ min: 0, max: 3 }),
  maxDeleteFraction: fc.constantFrom(0.25, 0.5, 0.75, 1),
  maxDeletions: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constant(10_000)),
});

export interface FleetOptions {
  /** Backups per kind (both regions together). */
  maxBackups?: number;
  /** Let a region's AMI listing fail (pure tests only). */
  imagesMayBeUnknown?: boolean;
  /** The rules' clock. */
  now?: Date;
}

/** A random fleet: every kind in both regions, ours and not, with random expiries, states, ages, tags and AMIs. */
export function fleetArb(options: FleetOptions = {}): fc.Arbitrary<ModelFleet> {
  const max = options.maxBackups ?? 14;
  const now = options.now ?? new Date("2026-11-22T03:30:00.000Z");
  return fc
    .record({
      policy: policyArb,
      ebs: fc.array(draftArb("ebs"), { maxLength: max }),
      rds: fc.array(draftArb("rds"), { maxLength: max }),
      aurora: fc.array(draftArb("aurora"), { maxLength: max }),
      imagesUnknown: options.imagesMayBeUnknown ? fc.subarray(REGIONS, { maxLength: 1 }) : fc.constant([] as string[]),
    })
    .map(({ policy, ebs, rds, aurora, imagesUnknown }) => build(now, policy, [...ebs, ...rds, ...aurora], imagesUnknown));
}

function build(now: Date, policy: CleanupPolicy, drafts: BackupDraft[], imagesUnknown: string[]): ModelFleet {
  const snapshots: ModelSnapshot[] = [];
  const images: ModelImage[] = [];
  let counter = 0;
  drafts.forEach((d, n) => {
    const region = REGIONS[d.region];
    const source = SOURCES[d.kind][d.source];
    const minutes = d.age.floor ? policy.minAgeDays * 1440 + d.age.minutes : d.age.minutes;
    const created = d.createdKnown ? new Date(now.getTime() - Math.max(0, minutes) * 60_000) : undefined;
    const expires =
      d.expiry.kind === "past" ? iso(now.getTime() - d.expiry.hours * HOUR) : d.expiry.kind === "future" ? iso(now.getTime() + d.expiry.hours * HOUR) : d.expiry.kind === "now" ? iso(now.getTime()) : d.expiry.kind === "malformed" ? d.expiry.text : undefined;
    // A copy's slot and data are older than the copy; a backup's slot is its creation time (to the second).
    const dataAt = (created ?? now).getTime() - (created ? 0 : n * HOUR) - (d.copy ? d.copy.minutes * 60_000 : 0);
    const slot = Math.floor(dataAt / 1000) * 1000;
    const tagAt = d.copy === null ? undefined : d.copy.tag === "before" ? dataAt : d.copy.tag === "after-copy" ? (created ?? now).getTime() + HOUR : undefined;
    const takenTag = tagAt !== undefined ? new Date(tagAt).toISOString() : d.copy?.tag === "garbage" ? "last tuesday" : undefined;
    const catalog: Tags = {
      "backup-dr:stack": STACK,
      "backup-dr:plan": "gold",
      ...(d.sourceTag ? { "backup-dr:source": source } : {}),
      ...(d.runTag ? { "backup-dr:run": `gold@${iso(slot)}` } : {}),
      "backup-dr:tier": "daily",
      ...(expires === undefined ? {} : { "backup-dr:expires": expires }),
      ...(takenTag === undefined ? {} : { "backup-dr:taken": takenTag }),
      ...(d.setSize === null ? {} : { "backup-dr:set-size": d.setSize === "garbage" ? "three" : String(d.states.length + d.setSize.extra) }),
    };
    // The oracle's taken time, by construction: a backup's creation time (else its slot); a copy's valid tag not
    // after the copy was made, else its slot, else its own creation time.
    const taken =
      d.copy === null
        ? (created?.getTime() ?? (d.runTag ? slot : undefined))
        : tagAt !== undefined && (created === undefined || tagAt <= created.getTime())
          ? tagAt
          : d.runTag
            ? slot
            : created?.getTime();
    const setSize = d.setSize === null || d.setSize === "garbage" ? undefined : d.states.length + d.setSize.extra;
    const awsBackupStyle = n % 3; // which of AWS Backup's marks this one carries
    const owner: Owner = d.kind === "ebs" && d.owner === "rds-automated" ? "ours" : d.owner;
    const members = d.states.map((state) => {
      counter += 1;
      const id = d.kind === "ebs" ? `snap-${counter.toString(16).padStart(17, "0")}` : owner === "aws-backup" && awsBackupStyle === 0 ? `awsbackup:job-${counter}` : `bdr-gold-${source}-${counter}`;
      const tags: Tags =
        owner === "ours" || owner === "rds-automated"
          ? catalog
          : owner === "other-stack"
            ? { ...catalog, "backup-dr:stack": d.otherStack }
            : owner === "untagged"
              ? {}
              : awsBackupStyle === 1
                ? { ...catalog, "aws:backup:source-resource": source }
                : catalog;
      const snapshot: ModelSnapshot = {
        region,
        kind: d.kind,
        id,
        state,
        complete: d.kind === "ebs" ? state === "completed" : state === "available",
        ...(created ? { created } : {}),
        tags: { ...tags, ...(d.copy && Object.keys(tags).length > 0 ? { "backup-dr:copy-of": `src-${id}` } : {}) },
        owner,
        expired: d.expiry.kind === "past",
        ...(taken === undefined ? {} : { taken }),
        ...(setSize === undefined ? {} : { setSize }),
      };
      if (d.kind !== "ebs") snapshot.snapshotType = owner === "rds-automated" ? "automated" : owner === "aws-backup" && awsBackupStyle !== 1 ? "awsbackup" : "manual";
      if (d.kind === "ebs") snapshot.description = owner === "aws-backup" && awsBackupStyle !== 1 ? `This snapshot is created by the AWS Backup service for ${source}` : `backup-dr gold ${source}`;
      if (d.kind === "ebs" && owner === "aws-backup" && awsBackupStyle === 0) snapshot.tags["aws:backup:source-resource"] = source; // EBS ids carry no mark
      return snapshot;
    });
    snapshots.push(...members);
    if (d.ami && d.ami.member < members.length) images.push({ region, id: `ami-${(n + 1).toString(16).padStart(17, "0")}`, state: d.ami.state, snapshotIds: [members[d.ami.member].id] });
  });
  return { now, policy, snapshots, images, imagesUnknown };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The listings the code under test would get from AWS for this fleet. */
export function listingsOf(fleet: ModelFleet): RegionListing[] {
  return REGIONS.map((region) => {
    const images: ImageUse[] = fleet.images.filter((i) => i.region === region).flatMap((i) => i.snapshotIds.map((snapshotId) => ({ snapshotId, imageId: i.id })));
    const snapshots: ListedSnapshot[] = fleet.snapshots
      .filter((s) => s.region === region)
      .map((s) => ({ kind: s.kind, id: s.id, state: s.state, ...(s.created ? { created: s.created } : {}), tags: s.tags, ...(s.snapshotType ? { snapshotType: s.snapshotType } : {}), ...(s.description ? { description: s.description } : {}) }));
    return { region, snapshots, ...(fleet.imagesUnknown.includes(region) ? {} : { images }) };
  });
}

/** Puts the fleet into the fake AWS, both regions. */
export function loadFleet(fake: FakeAws, fleet: ModelFleet): void {
  for (const s of fleet.snapshots) {
    const region = fake.region(s.region);
    if (s.kind === "ebs") {
      region.snapshots.set(s.id, { id: s.id, volumeId: `vol-${s.id.slice(5)}`, state: s.state as "completed", description: s.description ?? "", tags: { ...s.tags }, startTime: s.created ?? fleet.now });
    } else {
      addDbSnapshot(region, s.kind, { id: s.id, source: s.tags["backup-dr:source"] ?? "db-unknown", status: s.state, tags: { ...s.tags }, ...(s.created ? { created: s.created } : {}), ...(s.snapshotType ? { snapshotType: s.snapshotType } : {}) });
    }
  }
  for (const i of fleet.images) regionImages(fake.region(i.region)).set(i.id, { id: i.id, state: i.state, snapshotIds: [...i.snapshotIds], tags: {} });
}

// ---- The oracle: the rules of issue 5, stated directly over the model. ----

export interface Expectation {
  /** Every rule allows deleting it (before the mass-deletion stop and the per-run budget). */
  eligible: Set<string>;
  /** Members of the newest completed backup of each source, per region: by taken time (whole sets), and by creation time. */
  newest: Set<string>;
  /** Backups (region|kind|source|run) with fewer members than their set size. */
  short: Set<string>;
  /** Regions where the eligible ones exceed maxDeleteFraction of our snapshots there. */
  stopped: Set<string>;
  /** Our snapshots (this stack's tag, made by this stack), per region. */
  ours: Map<string, number>;
}

const place = (s: { region: string; id: string }) => `${s.region} ${s.id}`;

export function expectationOf(fleet: ModelFleet): Expectation {
  const ours = fleet.snapshots.filter((s) => s.owner === "ours");
  // A backup is what one run made of one source in one region (every member complete = completed); without a run
  // tag, a snapshot is a backup of its own. Its time is its earliest member's creation time.
  const backups = new Map<string, ModelSnapshot[]>();
  for (const s of ours) {
    const source = s.tags["backup-dr:source"];
    if (!source) continue;
    const key = [s.region, s.kind, source, s.tags["backup-dr:run"] ?? `#${s.id}`].join("|");
    backups.set(key, [...(backups.get(key) ?? []), s]);
  }
  // Kept: the newest completed backup by creation time (the rule before the taken tag), AND the newest completed
  // whole backup (members at least its set size) by when its data was taken; ties and unknown times kept.
  const short = new Set([...backups].filter(([, members]) => members.some((m) => m.setSize !== undefined && members.length < Math.max(...members.flatMap((x) => (x.setSize === undefined ? [] : [x.setSize]))))).map(([key]) => key));
  const createdOf = (members: ModelSnapshot[]) => (members.some((m) => m.created === undefined) ? undefined : Math.min(...members.map((m) => m.created?.getTime() ?? 0)));
  const takenOf = (members: ModelSnapshot[]) => (members.some((m) => m.taken === undefined) ? undefined : Math.min(...members.map((m) => m.taken ?? 0)));
  const newest = new Set<string>();
  const keepNewest = (timeOf: (members: ModelSnapshot[]) => number | undefined, counts: (key: string) => boolean) => {
    for (const [key, members] of backups) {
      if (!members.every((m) => m.complete) || !counts(key)) continue;
      const sourceKey = key.split("|").slice(0, 3).join("|");
      const time = timeOf(members);
      const newer = [...backups].some(([other, others]) => other.startsWith(`${sourceKey}|`) && counts(other) && others.every((m) => m.complete) && (timeOf(others) ?? -Infinity) > (time ?? Infinity));
      if (!newer) members.forEach((m) => newest.add(place(m)));
    }
  };
  keepNewest(createdOf, () => true);
  keepNewest(takenOf, (key) => !short.has(key));
  const inImage = new Set(fleet.images.flatMap((i) => i.snapshotIds.map((id) => `${i.region} ${id}`)));
  const eligible = new Set(
    ours
      .filter(
        (s) =>
          s.expired &&
          s.created !== undefined &&
          fleet.now.getTime() - s.created.getTime() >= fleet.policy.minAgeDays * DAY &&
          s.complete &&
          Boolean(s.tags["backup-dr:source"]) &&
          !newest.has(place(s)) &&
          (s.kind !== "ebs" || (!fleet.imagesUnknown.includes(s.region) && !inImage.has(place(s)))),
      )
      .map(place),
  );
  const count = new Map<string, number>();
  for (const s of ours) count.set(s.region, (count.get(s.region) ?? 0) + 1);
  const stopped = new Set(REGIONS.filter((r) => (count.get(r) ?? 0) > 0 && [...eligible].filter((p) => p.startsWith(`${r} `)).length / (count.get(r) ?? 1) > fleet.policy.maxDeleteFraction));
  return { eligible, newest, short, stopped, ours: count };
}

export { place };
