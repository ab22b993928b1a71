// The DR region's side: which backups already have a copy there, how many copies are in flight, removing failed copies.
import type { SnapshotKind } from "../catalog";
import type { KindClients } from "../kinds/clients";
import { copyKind } from "../kinds/registry";
import { readCatalog } from "../lib/catalog-record";
import { errorName } from "../lib/errors";
import type { Candidate, SnapshotRecord } from "./types";

/** What the DR region holds of one kind. */
export interface DrIndex {
  kind: SnapshotKind;
  /** Copies this stack made (stack tag and copy-of tag). */
  copies: SnapshotRecord[];
  /** The DR snapshots that are (or block) a copy of the backup: same copy-of, or, where a copy keeps it, the same identifier. */
  copiesOf(candidate: Candidate): SnapshotRecord[];
}

export function indexCopies(kind: SnapshotKind, listed: readonly SnapshotRecord[], stackTag: string): DrIndex {
  const unique = [...new Map(listed.map((r) => [r.id, r])).values()];
  const byCopyOf = new Map<string, SnapshotRecord[]>();
  const copies: SnapshotRecord[] = [];
  for (const record of unique) {
    const { stack, copyOf } = readCatalog(record.tags);
    if (stack !== stackTag || copyOf === undefined) continue;
    copies.push(record);
    byCopyOf.set(copyOf, [...(byCopyOf.get(copyOf) ?? []), record]);
  }
  const byId = new Map(unique.map((r) => [r.id, r]));
  const keepsIdentifier = copyKind(kind).copyKeepsIdentifier;
  return {
    kind,
    copies,
    copiesOf(candidate) {
      const found = [...(byCopyOf.get(candidate.copyOf) ?? [])];
      const sameId = keepsIdentifier ? byId.get(candidate.source.id) : undefined;
      if (sameId !== undefined && !found.includes(sameId)) found.push(sameId);
      return found;
    },
  };
}

/**
 * How many of `copies` are in flight, not counting `finished`: copies an event says finished (or failed, or were
 * cancelled), which a listing read seconds later may still show in progress (DescribeSnapshots is eventually consistent).
 */
export function inFlightOf(copies: readonly SnapshotRecord[], finished: readonly string[] = []): number {
  const done = new Set(finished.map((id) => id.toLowerCase()));
  return copies.filter((c) => c.state === "in-progress" && !done.has(c.id.toLowerCase())).length;
}

/**
 * Everything of one kind in the DR region that the index needs (with `copyOf`, at least the copies of those backups,
 * and every copy of ours in flight). Every run counts those (inFlightOf): a refused copy call draws on the copy bucket
 * and would be made by every event that arrives while the places are full (issue 20: at most 1.1 copy calls per copy
 * made), where the extra listing a kind may need draws on its larger describe bucket.
 */
export async function readDr(clients: KindClients, kind: SnapshotKind, stackTag: string, copyOf?: readonly string[]): Promise<DrIndex> {
  return indexCopies(kind, await copyKind(kind).listCopies(clients, stackTag, copyOf), stackTag);
}

/** Deletes a (failed) DR copy; one already gone counts as deleted. */
export async function deleteCopy(clients: KindClients, copy: SnapshotRecord): Promise<void> {
  const kind = copyKind(copy.kind);
  try {
    await kind.deleteSnapshot(clients, copy.id);
  } catch (error) {
    if (!kind.snapshotGone.includes(errorName(error))) throw error;
  }
}
