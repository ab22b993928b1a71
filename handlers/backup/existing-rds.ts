// When RDS says a backup's identifier is taken: done only if the snapshot there is this very backup, by its catalog tags.
import { DescribeDBClusterSnapshotsCommand, DescribeDBSnapshotsCommand, type RDSClient } from "@aws-sdk/client-rds";
import { TAG_PLAN, TAG_RUN, TAG_SOURCE, TAG_STACK } from "../catalog";
import { snapshotIdentifierTakenError } from "../lib/errors";
import type { BackupRun } from "./types";

type TagList = { Key?: string; Value?: string }[] | undefined;

/**
 * Returns the identifier when the snapshot under it carries this run's stack, plan, source and run tags (a rerun
 * or a concurrent delivery made it); throws snapshotIdentifierTakenError otherwise, so the source fails visibly
 * instead of being reported as backed up by someone else's snapshot.
 */
export async function confirmOwnRdsSnapshot(rds: RDSClient, run: BackupRun, kind: "rds" | "aurora", source: string, identifier: string): Promise<string> {
  const tags = await tagsOf(rds, kind, identifier);
  const expected: Record<string, string> = { [TAG_STACK]: run.stackTag, [TAG_PLAN]: run.plan, [TAG_SOURCE]: source, [TAG_RUN]: run.runId };
  const found = Object.fromEntries((tags ?? []).flatMap((t) => (t.Key === undefined ? [] : [[t.Key, t.Value ?? ""]])));
  const differing = Object.keys(expected).filter((key) => found[key] !== expected[key]);
  if (tags !== undefined && differing.length === 0) return identifier;
  const seen = tags === undefined ? "it could not be read back" : differing.map((key) => `${key}=${JSON.stringify(found[key] ?? null)}`).join(", ");
  throw snapshotIdentifierTakenError(identifier, `expected ${run.runId} of ${run.stackTag} for ${source}; ${seen}`);
}

/** The snapshot's tags (one identifier: a single page), or undefined when it is not found. */
async function tagsOf(rds: RDSClient, kind: "rds" | "aurora", identifier: string): Promise<TagList | undefined> {
  if (kind === "rds") {
    const result = await rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: identifier }));
    const found = result.DBSnapshots?.find((s) => s.DBSnapshotIdentifier === identifier);
    return found && (found.TagList ?? []);
  }
  const result = await rds.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: identifier }));
  const found = result.DBClusterSnapshots?.find((s) => s.DBClusterSnapshotIdentifier === identifier);
  return found && (found.TagList ?? []);
}
