// Starts one DR copy in the DR region, encrypted with the DR key, tagged as part of the copy; never throws.
//
// EBS: CopySnapshot with SourceRegion (the SDK presigns the source-region request), Encrypted, KmsKeyId.
// RDS: CopyDBSnapshot from the source ARN, KmsKeyId (SDK v3 presigns for the region the ARN names; its input has no
// SourceRegion); the copy keeps the source's identifier (bdr-...).
// Aurora: CopyDBClusterSnapshot likewise; an unencrypted cluster snapshot cannot be encrypted by a copy, so it is
// copied as it is and flagged.
// Every copy goes through createOnce: after a lost answer the DR region is searched for the copy before any re-send
// (CopySnapshot takes no idempotency token; for RDS the look-up keeps the copy counted as started, not "already copied").
import { CopySnapshotCommand, type EC2Client } from "@aws-sdk/client-ec2";
import { CopyDBClusterSnapshotCommand, CopyDBSnapshotCommand, type RDSClient } from "@aws-sdk/client-rds";
import { TAG_COPY_OF, TAG_STACK } from "../catalog";
import { createOnce, type Created } from "../lib/create-once";
import { describeError, errorName } from "../lib/errors";
import { isoSeconds } from "../lib/run-id";
import { copyTags } from "./classify";
import { describeEbsSnapshots, describeRdsSnapshot } from "./snapshots";
import type { Candidate, CopyOutcome, SnapshotRecord } from "./types";

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
  /** A copy of it may now be in flight in the DR region: started, found after a lost answer, or unknown (look-up failed). */
  inFlight: boolean;
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
    const { value: copyId, foundAfterLostAnswer } = await send(target, candidate, unencrypted);
    return {
      outcome: {
        ...base,
        copyId,
        ...(unencrypted ? { unencrypted: true, reason: "the Aurora cluster snapshot is not encrypted; AWS cannot encrypt a cluster snapshot by copying it" } : { kmsKeyId: target.drKeyArn }),
        ...(foundAfterLostAnswer && !unencrypted ? { reason: "AWS's answer was lost; the copy was found in the DR region" } : {}),
      },
      limitReached: false,
      inFlight: true,
    };
  } catch (error) {
    const name = errorName(error);
    const { message } = describeError(error);
    const settled = (outcome: CopyOutcome, limitReached = false): Attempt => ({ outcome, limitReached, inFlight: false });
    // Whether AWS made the copy is unknown: its place stays taken, and the sweep's look-up of the DR region decides.
    if (name === "LookUpFailedError") return { outcome: { ...base, status: "deferred", reason: message }, limitReached: false, inFlight: true };
    if (LIMIT_ERRORS.includes(name)) return settled({ ...base, status: "deferred", reason: `${target.drRegion} is at its limit (${name}: ${message}); the sweep starts it` }, true);
    if (ALREADY_EXISTS.includes(name)) {
      if (candidate.replaces) return settled({ ...base, status: "deferred", reason: `the failed copy ${candidate.replaces} is still being deleted; the sweep starts it` });
      return settled({ ...base, status: "skipped", copyId: source.id, reason: "already copied" });
    }
    if (SOURCE_GONE.includes(name)) return settled({ ...base, status: "skipped", reason: `the backup no longer exists (${name})` });
    if (SOURCE_BUSY.includes(name)) return settled({ ...base, status: "deferred", reason: `AWS cannot copy the backup now (${name}: ${message}); the sweep retries` });
    return settled({ ...base, status: "failed", error: describeError(error) });
  }
}

/** A live (in flight or ready) DR copy of this backup made by this stack: what a lost copy call would have made. */
function isCopyOf(candidate: Candidate, record: SnapshotRecord | undefined): record is SnapshotRecord {
  return record !== undefined && (record.state === "in-progress" || record.state === "ready") && record.tags[TAG_COPY_OF] === candidate.copyOf && record.tags[TAG_STACK] === candidate.source.tags[TAG_STACK];
}

async function send(target: CopyTarget, candidate: Candidate, unencrypted: boolean): Promise<Created<string>> {
  const { source } = candidate;
  const tags = copyTags(candidate);
  const what = `the DR copy of ${source.id} in ${target.drRegion}`;
  switch (source.kind) {
    case "ebs": {
      const command = new CopySnapshotCommand({
        SourceRegion: target.primaryRegion,
        SourceSnapshotId: source.id,
        Encrypted: true,
        KmsKeyId: target.drKeyArn,
        Description: `backup-dr copy of ${source.id} from ${target.primaryRegion}`,
        TagSpecifications: [{ ResourceType: "snapshot", Tags: tags }],
      });
      return createOnce({
        action: "CopySnapshot",
        what,
        command,
        send: async () => {
          const result = await target.ec2.send(command);
          if (result.SnapshotId === undefined) throw Object.assign(new Error("CopySnapshot returned no snapshot id"), { name: "MissingSnapshotId" });
          return result.SnapshotId;
        },
        lookUp: async () => {
          const found = await describeEbsSnapshots(target.ec2, [
            { Name: `tag:${TAG_STACK}`, Values: [candidate.source.tags[TAG_STACK] ?? ""] },
            { Name: `tag:${TAG_COPY_OF}`, Values: [candidate.copyOf] },
          ]);
          return found.find((record) => isCopyOf(candidate, record))?.id;
        },
        retryStrategy: target.ec2.config.retryStrategy,
      });
    }
    case "rds": {
      const command = new CopyDBSnapshotCommand({
        SourceDBSnapshotIdentifier: sourceArn(candidate),
        TargetDBSnapshotIdentifier: source.id,
        KmsKeyId: target.drKeyArn,
        CopyTags: false,
        Tags: tags,
      });
      return createOnce({
        action: "CopyDBSnapshot",
        what,
        command,
        send: async () => (await target.rds.send(command)).DBSnapshot?.DBSnapshotIdentifier ?? source.id,
        lookUp: async () => {
          const found = await describeRdsSnapshot(target.rds, "rds", source.id);
          return isCopyOf(candidate, found) ? found.id : undefined;
        },
        retryStrategy: target.rds.config.retryStrategy,
      });
    }
    case "aurora": {
      const command = new CopyDBClusterSnapshotCommand({
        SourceDBClusterSnapshotIdentifier: sourceArn(candidate),
        TargetDBClusterSnapshotIdentifier: source.id,
        ...(unencrypted ? {} : { KmsKeyId: target.drKeyArn }),
        CopyTags: false,
        Tags: tags,
      });
      return createOnce({
        action: "CopyDBClusterSnapshot",
        what,
        command,
        send: async () => (await target.rds.send(command)).DBClusterSnapshot?.DBClusterSnapshotIdentifier ?? source.id,
        lookUp: async () => {
          const found = await describeRdsSnapshot(target.rds, "aurora", source.id);
          return isCopyOf(candidate, found) ? found.id : undefined;
        },
        retryStrategy: target.rds.config.retryStrategy,
      });
    }
  }
}

function sourceArn(candidate: Candidate): string {
  if (candidate.source.arn === undefined) throw Object.assign(new Error(`AWS returned no ARN for ${candidate.source.id}`), { name: "MissingSnapshotArn" });
  return candidate.source.arn;
}
