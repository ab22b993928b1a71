// Deletes one snapshot and says what happened; never throws, so one snapshot cannot stop the others.
import type { SnapshotKind } from "../catalog";
import type { KindClients } from "../kinds/clients";
import { cleanupKind } from "../kinds/registry";
import { describeError, errorName } from "../lib/errors";
import type { Pace } from "../lib/pace";
import type { ErrorInfo } from "./types";

export type DeleteResult = { status: "deleted"; reason: string } | { status: "kept"; reason: string } | { status: "failed"; reason: string; error: ErrorInfo };

export interface DeleteTarget {
  kind: SnapshotKind;
  id: string;
}

/**
 * Already gone (another run, a person, or our own retried call whose first answer was lost): the goal is met.
 * AWS refuses because something uses it now (an image registered since the listing, a copy in progress): keep it.
 * Deletes of a paced kind wait for `pace` first.
 */
export async function deleteSnapshot(clients: KindClients, target: DeleteTarget, pace: Pace): Promise<DeleteResult> {
  const kind = cleanupKind(target.kind);
  try {
    if (kind.paced) await pace();
    await kind.deleteSnapshot(clients, target.id);
    return { status: "deleted", reason: "expired" };
  } catch (error) {
    const { name, message } = describeError(error);
    if (kind.snapshotGone.includes(errorName(error))) return { status: "deleted", reason: `expired; already gone (${name})` };
    if (kind.snapshotInUse.includes(errorName(error))) return { status: "kept", reason: `AWS refused, in use: ${name}: ${message}` };
    return { status: "failed", reason: "delete failed", error: { name, message } };
  }
}
