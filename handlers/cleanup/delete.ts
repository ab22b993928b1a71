// Deletes one snapshot and says what happened; never throws, so one snapshot cannot stop the others.
import { DeleteSnapshotCommand, type EC2Client } from "@aws-sdk/client-ec2";
import { DeleteDBClusterSnapshotCommand, DeleteDBSnapshotCommand, type RDSClient } from "@aws-sdk/client-rds";
import type { SnapshotKind } from "../catalog";
import { describeError, errorName } from "../lib/errors";
import type { Pace } from "../lib/pace";
import type { ErrorInfo } from "./types";

/** Already gone (another run, a person, or our own retried call whose first answer was lost): the goal is met. */
const GONE = ["InvalidSnapshot.NotFound", "DBSnapshotNotFound", "DBSnapshotNotFoundFault", "DBClusterSnapshotNotFound", "DBClusterSnapshotNotFoundFault"];
/** AWS refuses because something uses it now (an AMI registered since the listing, a copy in progress): keep it. */
const IN_USE = ["InvalidSnapshot.InUse", "InvalidDBSnapshotState", "InvalidDBSnapshotStateFault", "InvalidDBClusterSnapshotStateFault", "InvalidDBClusterSnapshotState"];

export type DeleteResult = { status: "deleted"; reason: string } | { status: "kept"; reason: string } | { status: "failed"; reason: string; error: ErrorInfo };

export interface DeleteTarget {
  kind: SnapshotKind;
  id: string;
}

export async function deleteSnapshot(clients: { ec2: EC2Client; rds: RDSClient }, target: DeleteTarget, paceEc2: Pace): Promise<DeleteResult> {
  try {
    switch (target.kind) {
      case "ebs":
        await paceEc2();
        await clients.ec2.send(new DeleteSnapshotCommand({ SnapshotId: target.id }));
        break;
      case "rds":
        await clients.rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: target.id }));
        break;
      case "aurora":
        await clients.rds.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: target.id }));
        break;
    }
    return { status: "deleted", reason: "expired" };
  } catch (error) {
    const { name, message } = describeError(error);
    if (GONE.includes(errorName(error))) return { status: "deleted", reason: `expired; already gone (${name})` };
    if (IN_USE.includes(errorName(error))) return { status: "kept", reason: `AWS refused, in use: ${name}: ${message}` };
    return { status: "failed", reason: "delete failed", error: { name, message } };
  }
}
