// The parts of a run longer than one invocation (handlers/lib/cursor.ts): each unfinished invocation writes what it
// did as a part beside the run's manifest; the finishing invocation reads them back and merges them into the one
// manifest. Parts are JSON in the vault (Object Lock keeps each for the lock period: one a Lambda's 15 minutes).
import type { S3Client } from "@aws-sdk/client-s3";
import type { RunCursorBase } from "./cursor";
import { partKey } from "./cursor";
import { describeError } from "./errors";
import { readJson, writeManifest } from "./manifest";

/** What every part says of itself. */
export interface PartHeader {
  function: "backup" | "cleanup";
  runId: string;
  /** Which invocation of the run wrote it (1 for the first). */
  invocation: number;
  startedAt: string;
  finishedAt: string;
}

/**
 * Writes this invocation's part (the next of the cursor, or the first) at a key named for the execution's start (the
 * cursor's startedAt; the first invocation's own start); resolves with its key.
 */
export async function writePart(s3: S3Client, bucket: string, manifestKey: string, previous: RunCursorBase | undefined, part: PartHeader): Promise<string> {
  const key = partKey(manifestKey, (previous?.invocation ?? 0) + 1, previous?.startedAt ?? part.startedAt);
  await writeManifest(s3, bucket, key, part);
  return key;
}

/** The cursor fields of the next invocation, after this one wrote `key`. */
export function nextBase(previous: RunCursorBase | undefined, first: Omit<RunCursorBase, "invocation" | "parts">, key: string): RunCursorBase {
  const { runId, slot, startedAt, deadline } = previous ?? first;
  return { runId, slot, startedAt, deadline, invocation: (previous?.invocation ?? 0) + 1, parts: [...(previous?.parts ?? []), key] };
}

/** The parts read back, in order, and one line per part that could not be read (its outcomes are missing from the manifest). */
export interface ReadParts<P> {
  parts: P[];
  problems: string[];
}

/**
 * Reads each part (S3 GetObject; the SDK retries transient errors). A part that cannot be read, or is not a part of
 * this run as `accept` judges it, is a problem of the run, never a reason to lose the others.
 */
export async function readParts<P extends PartHeader>(s3: S3Client, bucket: string, keys: readonly string[], accept: (value: Record<string, unknown>) => P | undefined): Promise<ReadParts<P>> {
  const result: ReadParts<P> = { parts: [], problems: [] };
  for (const key of keys) {
    try {
      const value = await readJson(s3, bucket, key);
      const part = typeof value === "object" && value !== null && !Array.isArray(value) ? accept(value as Record<string, unknown>) : undefined;
      if (part === undefined) result.problems.push(`reading the part s3://${bucket}/${key}: not a part of this run; its outcomes are missing from the manifest`);
      else result.parts.push(part);
    } catch (error) {
      const { name, message } = describeError(error);
      result.problems.push(`reading the part s3://${bucket}/${key}: ${name}: ${message}; its outcomes are missing from the manifest`);
    }
  }
  return result;
}

/** The outcomes of every invocation, in order, merged: a later invocation's outcome for the same thing replaces an earlier one's. */
export function mergeOutcomes<T>(invocations: readonly (readonly T[])[], identity: (outcome: T) => string): T[] {
  const merged = new Map<string, T>();
  for (const outcomes of invocations) for (const outcome of outcomes) merged.set(identity(outcome), outcome);
  return [...merged.values()];
}

/** Whether a part read back is this run's: an object naming the function and the run id, with an array at `field`. */
export function isPartOf(value: Record<string, unknown>, fn: PartHeader["function"], runId: string, field: string): boolean {
  return value.function === fn && value.runId === runId && Array.isArray(value[field]);
}
