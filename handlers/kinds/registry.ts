// The registry: every resource kind's module, by the names of the one list (handlers/catalog.ts RESOURCE_KINDS).
// The flows iterate KINDS or look a kind up here; nothing outside handlers/kinds/ names a kind.
import { RESOURCE_KINDS, type ResourceKind, type SnapshotKind } from "../catalog";
import { auroraKind } from "./aurora";
import { ec2Kind } from "./ec2";
import type { Kind } from "./kind";
import { rdsKind } from "./rds";

const MODULES: Record<ResourceKind, Kind> = { ec2: ec2Kind, rds: rdsKind, aurora: auroraKind };

/** Every kind, in the order of RESOURCE_KINDS. */
export const KINDS: readonly Kind[] = RESOURCE_KINDS.map((name) => MODULES[name]);

/** The kind a plan's `resources` entry names. */
export function kindNamed(name: ResourceKind): Kind {
  return MODULES[name];
}

/** The kind whose snapshots a manifest entry calls `snapshotKind`. */
export function kindOfSnapshot(snapshotKind: SnapshotKind): Kind {
  const kind = KINDS.find((k) => k.snapshotKind === snapshotKind);
  if (kind === undefined) throw new Error(`no resource kind has snapshots called ${snapshotKind}`);
  return kind;
}
