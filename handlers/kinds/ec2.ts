// The ec2 kind: an instance, backed up as one crash-consistent set of snapshots of all its EBS volumes; its snapshots
// are called "ebs" in the copy and cleanup manifests. The only kind whose snapshots can be locked and back AMIs.
import { COPY_LIMITS } from "../catalog";
import { backupInstance, selectInstances } from "./ec2-backup";
import { ec2Drill } from "./ec2-drill";
import { EBS_COPY_FINISHED_EVENTS } from "./ec2-copy-events";
import { EBS_EVENTS } from "./ec2-events";
import { describeLocks, lockSnapshot } from "./ec2-lock";
import { ec2Points } from "./ec2-points";
import { ec2Report } from "./ec2-report";
import { ec2Restore } from "./ec2-restore";
import { copyEbsSnapshot, deleteEbsSnapshot, describeEbsSnapshots, ebsCopies, listEbsBackups, listEbsSnapshots, listImageSnapshots } from "./ec2-snapshots";
import type { Kind, KindBase, KindDeletes } from "./kind";

const base: KindBase = {
  name: "ec2",
  snapshotKind: "ebs",
  // CreateSnapshots and DeleteSnapshot share EC2's snapshot token bucket (refill 5 a second, burst 100, per region).
  paced: true,
  locks: {
    lock: (clients, snapshotId, mode, expires, now) => lockSnapshot(clients.ec2, snapshotId, mode, expires, now),
    describe: (clients, snapshotIds) => describeLocks(clients.ec2, snapshotIds),
  },
};

const deletes: KindDeletes = {
  deleteSnapshot: (clients, id) => deleteEbsSnapshot(clients.ec2, id),
  snapshotGone: ["InvalidSnapshot.NotFound"],
};

export const ec2Kind: Kind = {
  backup: { ...base, select: selectInstances, backup: backupInstance, sourceGone: ["InvalidInstanceID.NotFound"] },
  copy: {
    ...base,
    ...deletes,
    events: EBS_EVENTS,
    copyFinishedEvents: EBS_COPY_FINISHED_EVENTS,
    copyLimit: COPY_LIMITS.ebs,
    listBackups: (clients, stackTag, plans) => listEbsBackups(clients.ec2, stackTag, plans),
    readBackups: (clients, ids) => describeEbsSnapshots(clients.ec2, [], { Name: "snapshot-id", Values: [...ids] }),
    notOursById: () => undefined,
    listCopies: (clients, stackTag, copyOf) => ebsCopies(clients.ec2, stackTag, copyOf),
    // A copy gets a new snapshot id, so nothing is ever "already there".
    copyExists: [],
    copySourceBusy: ["IncorrectState"],
    copyKeepsIdentifier: false,
    copyOf: (snapshot) => snapshot.id,
    startCopy: copyEbsSnapshot,
  },
  cleanup: {
    ...base,
    ...deletes,
    // An AMI registered since the listing uses it.
    snapshotInUse: ["InvalidSnapshot.InUse"],
    listForCleanup: (clients, stackTag) => listEbsSnapshots(clients.ec2, stackTag),
    manualOnly: false,
    isComplete: (state) => state === "completed",
    imageUses: (clients) => listImageSnapshots(clients.ec2),
  },
  restore: { ...base, ...ec2Points, ...ec2Restore },
  drill: { ...base, ...ec2Drill },
  report: { ...base, ...ec2Report },
};
