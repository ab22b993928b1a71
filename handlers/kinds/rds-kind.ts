// The kinds on the RDS API (rds, aurora) differ only in the snapshot calls (rds-api.ts, rds-backup.ts); this makes
// either one's Kind from its name, selection and copy limit.
import { RDS_SNAPSHOT_PREFIX } from "../catalog";
import { isOurs } from "../lib/catalog-record";
import type { BackupKind, CopyKind, Kind, KindBase, KindDeletes } from "./kind";
import { copyDbSnapshot, DB_SNAPSHOT_EXISTS_ERRORS, DB_SNAPSHOT_GONE_ERRORS, DB_SNAPSHOT_IN_USE_ERRORS, deleteDbSnapshot, listDbSnapshots, listManualDbSnapshots, readDbSnapshots, type DbKind } from "./rds-api";
import { backupDb, DB_SOURCE_GONE } from "./rds-backup";
import { dbDrill } from "./rds-drill";
import { dbCopyFinishedEvents } from "./rds-copy-events";
import { dbEvents } from "./rds-events";
import { dbPoints } from "./rds-points";
import { dbReport } from "./rds-report";
import { dbRestore } from "./rds-restore";

export function dbKind(name: DbKind, select: BackupKind["select"], copyLimit: CopyKind["copyLimit"]): Kind {
  const base: KindBase = { name, snapshotKind: name, paced: false };
  const deletes: KindDeletes = { deleteSnapshot: (clients, id) => deleteDbSnapshot(clients.rds, name, id), snapshotGone: DB_SNAPSHOT_GONE_ERRORS };
  return {
    backup: { ...base, select, backup: (ctx, source) => backupDb(name, ctx, source), sourceGone: DB_SOURCE_GONE },
    copy: {
      ...base,
      ...deletes,
      events: dbEvents(name),
      copyFinishedEvents: dbCopyFinishedEvents(name),
      copyLimit,
      listBackups: async (clients, stackTag, plans) => (await listDbSnapshots(clients.rds, name)).filter((s) => isOurs(s.tags, stackTag, plans)),
      readBackups: (clients, ids, arn) => readDbSnapshots(clients.rds, name, ids, arn),
      notOursById: (id) => (id.startsWith(RDS_SNAPSHOT_PREFIX) ? undefined : `not a backup of this stack (its identifier does not start with ${RDS_SNAPSHOT_PREFIX})`),
      listCopies: (clients) => listDbSnapshots(clients.rds, name),
      copyExists: DB_SNAPSHOT_EXISTS_ERRORS,
      // The states that refuse a delete refuse a copy too (e.g. the backup is being deleted).
      copySourceBusy: DB_SNAPSHOT_IN_USE_ERRORS,
      // A DR copy keeps the backup's identifier.
      copyKeepsIdentifier: true,
      copyOf: (snapshot) => snapshot.arn ?? snapshot.id,
      startCopy: (target, candidate, tags, isCopyOf) => copyDbSnapshot(name, target, candidate, tags, isCopyOf),
    },
    cleanup: {
      ...base,
      ...deletes,
      snapshotInUse: DB_SNAPSHOT_IN_USE_ERRORS,
      // Every manual snapshot of the region: all of them count against the quota of 100.
      listForCleanup: (clients) => listManualDbSnapshots(clients.rds, name),
      manualOnly: true,
      isComplete: (state) => state === "available",
    },
    restore: { ...base, ...dbPoints(name), ...dbRestore(name) },
    drill: { ...base, ...dbDrill(name) },
    report: { ...base, ...dbReport(name) },
  };
}
