// The registry: every resource kind's module, by the names of the one list (handlers/catalog.ts RESOURCE_KINDS).
// The flows look a kind up here and never name one. Each flow reads only its own facet table, so the closure
// serializer puts only that flow's AWS calls into its function's archive.
import { RESOURCE_KINDS, type ResourceKind, type SnapshotKind } from "../catalog";
import { auroraKind } from "./aurora";
import { ec2Kind } from "./ec2";
import type { BackupKind, CleanupKind, CopyKind, DrillKind, Kind, ReportKind, RestoreKind } from "./kind";
import { rdsKind } from "./rds";

/** Every kind's module by name (for tests and tools; the flows use the facet tables below). */
export const KIND_MODULES: Readonly<Record<ResourceKind, Kind>> = { ec2: ec2Kind, rds: rdsKind, aurora: auroraKind };

const BACKUP: Readonly<Record<ResourceKind, BackupKind>> = { ec2: ec2Kind.backup, rds: rdsKind.backup, aurora: auroraKind.backup };
/** The copy and cleanup facets in the order of RESOURCE_KINDS. */
const COPY: readonly CopyKind[] = RESOURCE_KINDS.map((name) => KIND_MODULES[name].copy);
const CLEANUP: readonly CleanupKind[] = RESOURCE_KINDS.map((name) => KIND_MODULES[name].cleanup);

/** The backup facet of the kind a plan's `resources` entry names. */
export function backupKind(name: ResourceKind): BackupKind {
  return BACKUP[name];
}

/** Every kind's copy facet, in the order of RESOURCE_KINDS. */
export function copyKinds(): readonly CopyKind[] {
  return COPY;
}

/** The copy facet of the kind a plan's `resources` entry names, or whose snapshots are called `snapshotKind`. */
export function copyKind(kind: ResourceKind | SnapshotKind): CopyKind {
  const found = COPY.find((k) => k.name === kind || k.snapshotKind === kind);
  if (found === undefined) throw new Error(`no resource kind is called ${kind}`);
  return found;
}

/** Every kind's cleanup facet, in the order of RESOURCE_KINDS. */
export function cleanupKinds(): readonly CleanupKind[] {
  return CLEANUP;
}

/** The cleanup facet of the kind whose snapshots are called `snapshotKind`. */
export function cleanupKind(snapshotKind: SnapshotKind): CleanupKind {
  const found = CLEANUP.find((k) => k.snapshotKind === snapshotKind);
  if (found === undefined) throw new Error(`no resource kind has snapshots called ${snapshotKind}`);
  return found;
}

/** The restore facets in the order of RESOURCE_KINDS. */
const RESTORE: readonly RestoreKind[] = RESOURCE_KINDS.map((name) => KIND_MODULES[name].restore);

/** Every kind's restore facet, in the order of RESOURCE_KINDS. */
export function restoreKinds(): readonly RestoreKind[] {
  return RESTORE;
}

/** The restore facet of the kind a plan's `resources` entry names. */
export function restoreKind(name: ResourceKind): RestoreKind {
  const found = restoreKinds().find((k) => k.name === name);
  if (found === undefined) throw new Error(`no resource kind called ${name} can be restored`);
  return found;
}

/** The drill facets in the order of RESOURCE_KINDS: only the drill function's archive carries their delete calls. */
const DRILL: readonly DrillKind[] = RESOURCE_KINDS.map((name) => KIND_MODULES[name].drill);

/** Every kind's drill facet, in the order of RESOURCE_KINDS. */
export function drillKinds(): readonly DrillKind[] {
  return DRILL;
}

/** The drill facet of the kind a drill's sample names. */
export function drillKind(name: ResourceKind): DrillKind {
  const found = DRILL.find((k) => k.name === name);
  if (found === undefined) throw new Error(`no resource kind called ${name} can be drilled`);
  return found;
}

/** The report facets in the order of RESOURCE_KINDS: read-only listings (inventory and points) for the report function. */
const REPORT: readonly ReportKind[] = RESOURCE_KINDS.map((name) => KIND_MODULES[name].report);

/** Every kind's report facet, in the order of RESOURCE_KINDS. */
export function reportKinds(): readonly ReportKind[] {
  return REPORT;
}

/** The report facet of the kind a plan's `resources` entry names (every kind has one). */
export function reportKind(name: ResourceKind): ReportKind {
  return KIND_MODULES[name].report;
}
