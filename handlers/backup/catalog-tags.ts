// The catalog tags every backup carries, and RDS snapshot identifiers derived from stack, plan, source and slot.
import { createHash } from "node:crypto";
import { RDS_SNAPSHOT_PREFIX, TAG_EXPIRES, TAG_PLAN, TAG_RUN, TAG_SOURCE, TAG_STACK, TAG_TIER } from "../catalog";
import { isoSeconds } from "../lib/run-id";
import type { BackupRun } from "./types";

export interface Tag {
  Key: string;
  Value: string;
}

export function catalogTags(run: BackupRun, source: string): Tag[] {
  return [
    { Key: TAG_STACK, Value: run.stackTag },
    { Key: TAG_PLAN, Value: run.plan },
    { Key: TAG_SOURCE, Value: source },
    { Key: TAG_RUN, Value: run.runId },
    { Key: TAG_TIER, Value: run.tier },
    { Key: TAG_EXPIRES, Value: isoSeconds(run.expires) },
  ];
}

/**
 * `bdr-<plan>-<source>-<yyyymmddthhmm>-<stack hash>`: the same for a rerun of the slot, different for another
 * stack backing up the same database (dev and prod in one account), so "already exists" always means "ours, done".
 */
export function rdsSnapshotIdentifier(run: BackupRun, source: string): string {
  const stamp = isoSeconds(run.slot).slice(0, 16).replace(/[-:]/g, "");
  const stack = createHash("sha256").update(run.stackTag).digest("hex").slice(0, 8);
  return validRdsIdentifier(`${RDS_SNAPSHOT_PREFIX}${run.plan}-${source}-${stamp}-${stack}`);
}

/** Lowercase letters, digits and single hyphens, starting with a letter, not ending with a hyphen, 1-255 long. */
export function validRdsIdentifier(text: string): string {
  let id = text.toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/-{2,}/g, "-");
  if (!/^[a-z]/.test(id)) id = `s-${id}`.replace(/-{2,}/g, "-");
  return id.slice(0, 255).replace(/-+$/, "");
}
