// Reads back what the fake AWS holds after a run: backups by run and kind, the manifest, the notifications.
import type { BackupManifest } from "../../handlers/backup/report";
import type { RegionState, Tags } from "./aws-fake-state";
import { VAULT_BUCKET } from "./backup-fleet";

export interface Backup {
  kind: "ec2" | "rds" | "aurora";
  id: string;
  source: string;
  /** EBS volume of an EC2 snapshot. */
  volumeId?: string;
  tags: Tags;
}

/** Every snapshot in the region, EC2, DB and cluster alike, optionally only those of one run. */
export function backups(region: RegionState, runId?: string): Backup[] {
  const all: Backup[] = [
    ...[...region.snapshots.values()].map((s) => ({ kind: "ec2" as const, id: s.id, source: s.tags["backup-dr:source"] ?? "", volumeId: s.volumeId, tags: s.tags })),
    ...[...region.dbSnapshots.values()].map((s) => ({ kind: "rds" as const, id: s.id, source: s.source, tags: s.tags })),
    ...[...region.dbClusterSnapshots.values()].map((s) => ({ kind: "aurora" as const, id: s.id, source: s.source, tags: s.tags })),
  ];
  return runId === undefined ? all : all.filter((b) => b.tags["backup-dr:run"] === runId);
}

/** The manifests written to the vault, by key. */
export function manifests(region: RegionState): Map<string, BackupManifest> {
  const objects = region.buckets.get(VAULT_BUCKET) ?? new Map<string, string>();
  return new Map([...objects].filter(([key]) => key.startsWith("runs/")).map(([key, body]) => [key, JSON.parse(body) as BackupManifest]));
}

/** The messages published to every topic, oldest first. */
export function notifications(region: RegionState): { subject?: string; message: string }[] {
  return [...region.topics.values()].flat();
}

/** Sorted copy, for order-free comparison. */
export const sorted = <T>(items: Iterable<T>): T[] => [...items].sort();
