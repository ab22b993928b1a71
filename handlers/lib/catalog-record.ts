// The backup catalog as the flows write it and read it back: the tags every backup and copy carries (names in
// handlers/catalog.ts). One writer (catalogTags) and one reader (readCatalog), shared by backup, copy and cleanup;
// the restore facts' encoding is restore-facts.ts, which readCatalog reads through.
export { restoreFactTags, volumeFactTag, type DatabaseFacts, type MachineFacts, type NetworkHint, type RestoreFacts, type VolumeFacts } from "./restore-facts";
import {
  TAG_COPY_OF,
  TAG_EXPIRES,
  TAG_PLAN,
  TAG_RUN,
  TAG_SET_SIZE,
  TAG_SOURCE,
  TAG_STACK,
  TAG_TAKEN,
  TAG_TIER,
  TIERS,
  type Tier,
} from "../catalog";
import { readRestoreFacts, type DatabaseFacts, type MachineFacts, type NetworkHint, type VolumeFacts } from "./restore-facts";
import { isoSeconds } from "./run-id";
import type { Tag, Tags } from "./tags";

/** What a backup is tagged with at creation: its run, the source, and when it expires. */
export interface CatalogRun {
  stackTag: string;
  plan: string;
  runId: string;
  tier: Tier;
  expires: Date;
}

/** The catalog tags a backup of `source` carries. */
export function catalogTags(run: CatalogRun, source: string): Tag[] {
  return [
    { Key: TAG_STACK, Value: run.stackTag },
    { Key: TAG_PLAN, Value: run.plan },
    { Key: TAG_SOURCE, Value: source },
    { Key: TAG_RUN, Value: run.runId },
    { Key: TAG_TIER, Value: run.tier },
    { Key: TAG_EXPIRES, Value: isoSeconds(run.expires) },
  ];
}

/** A snapshot's catalog entry, as its tags hold it; a field is absent when its tag is. Values are the tags' text. */
export interface CatalogRecord {
  stack?: string;
  plan?: string;
  source?: string;
  run?: string;
  /** The tier, when the tag names one of TIERS (`tierText` holds whatever the tag says). */
  tier?: Tier;
  tierText?: string;
  expires?: string;
  taken?: string;
  /** On a DR copy: what it is a copy of. */
  copyOf?: string;
  setSize?: string;
  /** Restore facts (handlers/catalog.ts): absent on recovery points made before they were recorded. */
  machine?: MachineFacts;
  network?: NetworkHint;
  volume?: VolumeFacts;
  database?: DatabaseFacts;
}

/** The catalog entry the tags hold. */
export function readCatalog(tags: Readonly<Tags>): CatalogRecord {
  const field = <K extends keyof CatalogRecord>(key: K, tag: string) => (Object.hasOwn(tags, tag) ? { [key]: tags[tag] } : {});
  const tier = TIERS.find((t) => t === tags[TAG_TIER]);
  return {
    ...field("stack", TAG_STACK),
    ...field("plan", TAG_PLAN),
    ...field("source", TAG_SOURCE),
    ...field("run", TAG_RUN),
    ...(tier === undefined ? {} : { tier }),
    ...field("tierText", TAG_TIER),
    ...field("expires", TAG_EXPIRES),
    ...field("taken", TAG_TAKEN),
    ...field("copyOf", TAG_COPY_OF),
    ...field("setSize", TAG_SET_SIZE),
    ...readRestoreFacts(tags),
  };
}

/** `backup-dr:set-size` as a positive whole number, or undefined (absent or unreadable: as before the tag). */
export function recordedSetSize(entry: CatalogRecord): number | undefined {
  const text = entry.setSize;
  return text !== undefined && /^[1-9]\d{0,3}$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

/** Whether the snapshot is one of this stack's (its stack tag) and, with `plans`, of one of those plans. */
export function isOurs(tags: Readonly<Tags>, stackTag: string, plans?: readonly string[]): boolean {
  const entry = readCatalog(tags);
  return entry.stack === stackTag && (plans === undefined || plans.includes(entry.plan ?? ""));
}
