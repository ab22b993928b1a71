// Starts one DR copy in the DR region, encrypted with the DR key, tagged as part of the copy; never throws.
//
// EBS: CopySnapshot with SourceRegion (the SDK presigns the source-region request), Encrypted, KmsKeyId.
// RDS: CopyDBSnapshot from the source ARN, KmsKeyId (SDK v3 presigns for the region the ARN names; its input has no
// SourceRegion); the copy keeps the source's identifier (bdr-...).
// Aurora: CopyDBClusterSnapshot likewise; an unencrypted cluster snapshot cannot be encrypted by a copy, so it is
// copied as it is and flagged.
import { CopySnapshotCommand, type EC2Client } from "@aws-sdk/client-ec2";
import { CopyDBClusterSnapshotCommand, CopyDBSnapshotCommand, type RDSClient } from "@aws-sdk/client-rds";
import { describeError, errorName } from "../lib/errors";
import { isoSeconds } from "../lib/run-id";
import { copyTags } from "./classify";
import type { Candidate, CopyOutcome } from "./types";

/** AWS's refusals for copies in flight or snapshots per region (SDK class names and wire codes): defer, not fail. */
export const LIMIT_ERRORS = ["ResourceLimitExceeded", "SnapshotQuotaExceeded", "SnapshotQuotaExceededFault"];
/** The DR identifier is taken: a copy of this backup exists (or a deleted failed copy is still going away). */
const ALREADY_EXISTS = ["DBSnapshotAlreadyExists", "DBSnapshotAlreadyExistsFault", "DBClusterSnapshotAlreadyExists", "DBClusterSnapshotAlreadyExistsFault"];
/** The backup was deleted after it was read. */
const SOURCE_GONE = ["InvalidSnapshot.NotFound", "DBSnapshotNotFound", "DBSnapshotNotFoundFault", "DBClusterSnapshotNotFound", "DBClusterSnapshotNotFoundFault"];
/** The backup is not in a state AWS copies from (e.g. being deleted): try again at the next sweep. */
const SOURCE_BUSY = ["IncorrectState", "InvalidDBSnapshotState", "InvalidDBSnapshotStateFault", "InvalidDBClusterSnapshotState", "InvalidDBClusterSnapshotStateFault"];

export interface CopyTarget {
  ec2: EC2Client;
  rds: RDSClient;
  primaryRegion: string;
  drRegion: string;
  drKeyArn: string;
}

export interface Attempt {
  outcome: CopyOutcome;
  /** AWS said the DR region is full: stop starting copies of this kind. */
  limitReached: boolean;
}

/** Starts the copy; resolves with what happened, including AWS's refusals. */
export async function startCopy(target: CopyTarget, candidate: Candidate): Promise<Attempt> {
  const { source } = candidate;
  const unencrypted = source.kind === "aurora" && !source.encrypted;
  const base: CopyOutcome = {
    kind: source.kind,
    source: source.id,
    ...(source.arn ? { sourceArn: source.arn } : {}),
    plan: candidate.plan.name,
    status: "started",
    expires: isoSeconds(candidate.expires),
    ...(candidate.replaces ? { replaced: candidate.replaces } : {}),
  };
  try {
    const copyId = await send(target, candidate, unencrypted);
    return {
      outcome: { ...base, copyId, ...(unencrypted ? { unencrypted: true, reason: "the Aurora cluster snapshot is not encrypted; AWS cannot encrypt a cluster snapshot by copying it" } : { kmsKeyId: target.drKeyArn }) },
      limitReached: false,
    };
  } catch (error) {
    const name = errorName(error);
    const { message } = describeError(error);
    if (LIMIT_ERRORS.includes(name)) return { outcome: { ...base, status: "deferred", reason: `${target.drRegion} is at its limit (${name}: ${message}); the sweep starts it` }, limitReached: true };
    if (ALREADY_EXISTS.includes(name)) {
      if (candidate.replaces) return { outcome: { ...base, status: "deferred", reason: `the failed copy ${candidate.replaces} is still being deleted; the sweep starts it` }, limitReached: false };
      return { outcome: { ...base, status: "skipped", copyId: source.id, reason: "already copied" }, limitReached: false };
    }
    if (SOURCE_GONE.includes(name)) return { outcome: { ...base, status: "skipped", reason: `the backup no longer exists (${name})` }, limitReached: false };
    if (SOURCE_BUSY.includes(name)) return { outcome: { ...base, status: "deferred", reason: `AWS cannot copy the backup now (${name}: ${message}); the sweep retries` }, limitReached: false };
    return { outcome: { ...base, status: "failed", error: describeError(error) }, limitReached: false };
  }
}

async function send(target: CopyTarget, candidate: Candidate, unencrypted: boolean): Promise<string> {
  const { source } = candidate;
  const tags = copyTags(candidate);
  switch (source.kind) {
    case "ebs": {
      const result = await target.ec2.send(
        new CopySnapshotCommand({
          SourceRegion: target.primaryRegion,
          SourceSnapshotId: source.id,
          Encrypted: true,
          KmsKeyId: target.drKeyArn,
          Description: `backup-dr copy of ${source.id} from ${target.primaryRegion}`,
          TagSpecifications: [{ ResourceType: "snapshot", Tags: tags }],
        }),
      );
      if (result.SnapshotId === undefined) throw Object.assign(new Error("CopySnapshot returned no snapshot id"), { name: "MissingSnapshotId" });
      return result.SnapshotId;
    }
    case "rds": {
      const result = await target.rds.send(
        new CopyDBSnapshotCommand({
          SourceDBSnapshotIdentifier: sourceArn(candidate),
          TargetDBSnapshotIdentifier: source.id,
          KmsKeyId: target.drKeyArn,
          CopyTags: false,
          Tags: tags,
        }),
      );
      return result.DBSnapshot?.DBSnapshotIdentifier ?? source.id;
    }
    case "aurora": {
      const result = await target.rds.send(
        new CopyDBClusterSnapshotCommand({
          SourceDBClusterSnapshotIdentifier: sourceArn(candidate),
          TargetDBClusterSnapshotIdentifier: source.id,
          ...(unencrypted ? {} : { KmsKeyId: target.drKeyArn }),
          CopyTags: false,
          Tags: tags,
        }),
      );
      return result.DBClusterSnapshot?.DBClusterSnapshotIdentifier ?? source.id;
    }
  }
}

function sourceArn(candidate: Candidate): string {
  if (candidate.source.arn === undefined) throw Object.assign(new Error(`AWS returned no ARN for ${candidate.source.id}`), { name: "MissingSnapshotArn" });
  return candidate.source.arn;
}
