// Lists what the rules read in one region: each kind's snapshots (this stack's, or every manual one where a quota
// counts them), and for kinds that have them the snapshots behind this account's images and the snapshot locks.
// Every listing reads every page; one that fails is recorded and its kind is left out, so nothing of it is deleted.
import { QUOTA_KINDS, type QuotaKind } from "../catalog";
import type { KindClients } from "../kinds/clients";
import { cleanupKinds } from "../kinds/registry";
import { isOurs } from "../lib/catalog-record";
import { describeError } from "../lib/errors";
import type { SnapshotLock } from "../lib/snapshot-lock";
import type { ImageUse, ListingFailure, RegionListing } from "./types";

export interface RegionListResult {
  listing: RegionListing;
  failures: ListingFailure[];
  /** Manual snapshots of every owner in the region, per quota kind; absent when that listing failed. */
  manualSnapshots: Partial<Record<QuotaKind, number>>;
}

/** All listings of one region, at once; only this stack's snapshots go on to the rules. */
export async function listRegion(region: string, clients: KindClients, stackTag: string): Promise<RegionListResult> {
  const failures: ListingFailure[] = [];
  const attempt = async <T>(listing: ListingFailure["listing"], list: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await list();
    } catch (error) {
      failures.push({ region, listing, error: describeError(error) });
      return undefined;
    }
  };
  const perKind = await Promise.all(
    cleanupKinds().map(async (kind) => {
      const { imageUses, locks } = kind;
      const [snapshots, images, locked] = await Promise.all([
        attempt(kind.snapshotKind, () => kind.listForCleanup(clients, stackTag)),
        imageUses === undefined ? ("none" as const) : attempt("images", () => imageUses(clients)),
        locks === undefined ? ("none" as const) : attempt("locks", () => locks.describe(clients)),
      ]);
      return { kind: kind.snapshotKind, snapshots, images, locked };
    }),
  );
  const manualSnapshots: Partial<Record<QuotaKind, number>> = {};
  for (const { kind, snapshots } of perKind) {
    const quotaKind = QUOTA_KINDS.find((k) => k === kind);
    if (quotaKind !== undefined && snapshots !== undefined) manualSnapshots[quotaKind] = snapshots.length;
  }
  const ours = perKind.flatMap((k) => k.snapshots ?? []).filter((s) => isOurs(s.tags, stackTag));
  const images: ImageUse[] = [];
  let imagesUnknown = false;
  const locks: SnapshotLock[] = [];
  let locksUnknown = false;
  for (const k of perKind) {
    if (k.images === undefined) imagesUnknown = true;
    else if (k.images !== "none") images.push(...k.images);
    if (k.locked === undefined) locksUnknown = true;
    else if (k.locked !== "none") locks.push(...k.locked.values());
  }
  const lockFields = locksUnknown ? { locksUnknown: true as const } : { locks };
  return { listing: { region, snapshots: ours, ...(imagesUnknown ? {} : { images }), ...lockFields }, failures, manualSnapshots };
}
