// Backs up one source and says what happened; never throws, so one source cannot stop the others.
import type { EC2Client } from "@aws-sdk/client-ec2";
import type { RDSClient } from "@aws-sdk/client-rds";
import { describeError, errorName } from "../lib/errors";
import type { Pace } from "../lib/pace";
import { rdsSnapshotIdentifier } from "./catalog-tags";
import { confirmOwnRdsSnapshot } from "./existing-rds";
import { claimSource, type Claim, type ClaimDeps } from "./source-claim";
import { snapshotInstance } from "./snapshot-ec2";
import { snapshotDbCluster, snapshotDbInstance } from "./snapshot-rds";
import type { BackupRun, Source, SourceOutcome } from "./types";

/** The source was deleted after it was listed (SDK class names and RDS wire codes both). */
const SOURCE_GONE = ["InvalidInstanceID.NotFound", "DBInstanceNotFoundFault", "DBInstanceNotFound", "DBClusterNotFoundFault"];
/** The identifier derived from stack, plan, source and run is taken: done if its tags say it is this backup. */
const ALREADY_EXISTS = ["DBSnapshotAlreadyExistsFault", "DBSnapshotAlreadyExists", "DBClusterSnapshotAlreadyExistsFault"];

export interface SourceContext {
  ec2: EC2Client;
  rds: RDSClient;
  run: BackupRun;
  /** EC2 snapshots of this run that already exist, by instance id. */
  existing: ReadonlyMap<string, string[]>;
  now: () => Date;
  /** Waits for EC2's snapshot-creation budget before each CreateSnapshots. */
  paceEc2: Pace;
  /** Where and how an instance is claimed, so overlapping deliveries of one event make one set. */
  claims: ClaimDeps;
}

type OutcomeFields = Pick<SourceOutcome, "status" | "snapshotIds" | "reason" | "error">;

export async function backupSource(ctx: SourceContext, source: Source): Promise<SourceOutcome> {
  const started = ctx.now().getTime();
  const outcome = (fields: OutcomeFields): SourceOutcome => ({
    kind: source.kind,
    source: source.id,
    ...fields,
    durationMs: ctx.now().getTime() - started,
  });
  const found = source.kind === "ec2" ? ctx.existing.get(source.id) : undefined;
  if (found !== undefined) return outcome({ status: "skipped", snapshotIds: found, reason: "already exists" });
  try {
    if (source.kind === "ec2") return outcome(await backupInstance(ctx, source.id, source.volumes));
    return outcome({ status: "created", snapshotIds: await create(ctx, source.kind, source.id) });
  } catch (error) {
    const name = errorName(error);
    if (SOURCE_GONE.includes(name)) return outcome({ status: "skipped", snapshotIds: [], reason: `source no longer exists (${name})` });
    if (ALREADY_EXISTS.includes(name) && source.kind !== "ec2") return alreadyExists(ctx, source.kind, source.id, outcome);
    return outcome({ status: "failed", snapshotIds: [], error: describeError(error) });
  }
}

/**
 * One set per run and instance: the set is made only under the run's claim on the instance; a set another
 * delivery made is "already exists". When the claim itself cannot be read or written (S3 failing), the backup is
 * made anyway and says so: a possible second set is better than a missed backup.
 */
async function backupInstance(ctx: SourceContext, instanceId: string, volumes: number | undefined): Promise<OutcomeFields> {
  let claim: Claim | undefined;
  let unclaimed: string | undefined;
  try {
    claim = await claimSource(ctx.claims, ctx.run, instanceId);
  } catch (error) {
    if (errorName(error) === "SourceClaimTimeoutError") throw error;
    const { name, message } = describeError(error);
    unclaimed = `made without the run's claim on the instance (${name}: ${message})`;
  }
  if (claim?.status === "done") return { status: "skipped", snapshotIds: claim.snapshotIds, reason: "already exists" };
  let snapshotIds: string[];
  try {
    await ctx.paceEc2();
    snapshotIds = await snapshotInstance(ctx.ec2, ctx.run, instanceId, volumes);
  } catch (error) {
    // Others may take the instance at once instead of waiting out the lease; the failure itself is reported.
    await claim?.release().catch(() => undefined);
    throw error;
  }
  // Unrecorded, the claim lapses after its lease and a later taker finds this set in EC2.
  await claim?.record(snapshotIds).catch(() => undefined);
  return { status: "created", snapshotIds, ...(unclaimed === undefined ? {} : { reason: unclaimed }) };
}

async function alreadyExists(ctx: SourceContext, kind: "rds" | "aurora", source: string, outcome: (fields: OutcomeFields) => SourceOutcome): Promise<SourceOutcome> {
  try {
    const identifier = await confirmOwnRdsSnapshot(ctx.rds, ctx.run, kind, source, rdsSnapshotIdentifier(ctx.run, kind, source));
    return outcome({ status: "skipped", snapshotIds: [identifier], reason: "already exists" });
  } catch (error) {
    return outcome({ status: "failed", snapshotIds: [], error: describeError(error) });
  }
}

async function create(ctx: SourceContext, kind: "rds" | "aurora", id: string): Promise<string[]> {
  switch (kind) {
    case "rds":
      return [await snapshotDbInstance(ctx.rds, ctx.run, id)];
    case "aurora":
      return [await snapshotDbCluster(ctx.rds, ctx.run, id)];
  }
}
