// Backs up one source and says what happened; never throws, so one source cannot stop the others.
import type { EC2Client } from "@aws-sdk/client-ec2";
import type { RDSClient } from "@aws-sdk/client-rds";
import { describeError, errorName } from "../lib/errors";
import type { Pace } from "../lib/pace";
import { rdsSnapshotIdentifier } from "./catalog-tags";
import { confirmOwnRdsSnapshot } from "./existing-rds";
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
}

export async function backupSource(ctx: SourceContext, source: Source): Promise<SourceOutcome> {
  const started = ctx.now().getTime();
  const outcome = (fields: Pick<SourceOutcome, "status" | "snapshotIds" | "reason" | "error">): SourceOutcome => ({
    kind: source.kind,
    source: source.id,
    ...fields,
    durationMs: ctx.now().getTime() - started,
  });
  const found = source.kind === "ec2" ? ctx.existing.get(source.id) : undefined;
  if (found !== undefined) return outcome({ status: "skipped", snapshotIds: found, reason: "already exists" });
  try {
    return outcome({ status: "created", snapshotIds: await create(ctx, source) });
  } catch (error) {
    const name = errorName(error);
    if (SOURCE_GONE.includes(name)) return outcome({ status: "skipped", snapshotIds: [], reason: `source no longer exists (${name})` });
    if (ALREADY_EXISTS.includes(name) && source.kind !== "ec2") return alreadyExists(ctx, source.kind, source.id, outcome);
    return outcome({ status: "failed", snapshotIds: [], error: describeError(error) });
  }
}

async function alreadyExists(ctx: SourceContext, kind: "rds" | "aurora", source: string, outcome: (fields: Pick<SourceOutcome, "status" | "snapshotIds" | "reason" | "error">) => SourceOutcome): Promise<SourceOutcome> {
  try {
    const identifier = await confirmOwnRdsSnapshot(ctx.rds, ctx.run, kind, source, rdsSnapshotIdentifier(ctx.run, kind, source));
    return outcome({ status: "skipped", snapshotIds: [identifier], reason: "already exists" });
  } catch (error) {
    return outcome({ status: "failed", snapshotIds: [], error: describeError(error) });
  }
}

async function create(ctx: SourceContext, source: Source): Promise<string[]> {
  switch (source.kind) {
    case "ec2":
      await ctx.paceEc2();
      return snapshotInstance(ctx.ec2, ctx.run, source.id);
    case "rds":
      return [await snapshotDbInstance(ctx.rds, ctx.run, source.id)];
    case "aurora":
      return [await snapshotDbCluster(ctx.rds, ctx.run, source.id)];
  }
}
