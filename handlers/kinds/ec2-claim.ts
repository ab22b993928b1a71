// One EBS snapshot set per (run, instance) when deliveries of one event overlap: a claim object per run and source
// in the vault bucket, taken with S3's conditional writes (strongly consistent), held for a lease, never deleted.
//
// Key `locks/backup/<run id, key-safe>/<instance id>.json`, body `{ holder, at, snapshotIds?, released? }`.
//  - No object: `PutObject If-None-Match: *` takes it; only one writer wins, the others get 412.
//  - `snapshotIds`: the set is made; done, unless EC2 shows a member in state error, or the record is past
//    its lease and EC2 does not list the set (deleted): then it is taken over and made again.
//  - No `snapshotIds`: a holder is at work. Wait while its lease runs (it records the set within seconds);
//    once the lease has passed (the holder crashed, e.g. a timeout; Lambda's retry of the event lands here) or
//    the holder released it (its create failed), take it over with `PutObject If-Match: <etag>` (one winner),
//    and look in EC2 first: a holder that crashed after creating leaves a set that only needs recording.
// Overwrites are new versions of a tiny object (the vault is versioned, maybe Object-Locked); nothing is deleted.
import { randomUUID } from "node:crypto";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { paginateDescribeSnapshots, type EC2Client } from "@aws-sdk/client-ec2";
import { TAG_RUN, TAG_SOURCE, TAG_STACK } from "../catalog";
import { errorName, sourceClaimTimeoutError } from "../lib/errors";
import { keySafe } from "../lib/run-id";
import type { BackupRun } from "../backup/types";
import type { ClaimDeps as RunClaims } from "./kind";

/** How long a claim is held before others may take it over: beyond one CreateSnapshots with the SDK's retries (3 x 30 s). */
export const CLAIM_LEASE_MS = 180_000;
/** How often a waiting delivery looks at a claim another holds. */
export const CLAIM_POLL_MS = 2_000;

export interface ClaimDeps extends RunClaims {
  ec2: EC2Client;
}

interface ClaimRecord {
  holder: string;
  /** When the record was written (ISO); the lease runs from here. */
  at: string;
  snapshotIds?: string[];
  released?: boolean;
}

/** What claiming a source gives: the right to make its set (then record or release it), or the set another made. */
export type Claim = { status: "claimed"; record(snapshotIds: string[]): Promise<void>; release(): Promise<void> } | { status: "done"; snapshotIds: string[] };

export function claimKey(run: BackupRun, source: string): string {
  return `locks/backup/${keySafe(run.runId)}/${source}.json`;
}

/** Rounds of the claim loop: waiting out a whole lease, plus a few lost races. */
const MAX_ROUNDS = Math.ceil(CLAIM_LEASE_MS / CLAIM_POLL_MS) + 5;

/** Claims the source for this run, waiting at most about a lease for another live holder to finish. */
export async function claimSource(deps: ClaimDeps, run: BackupRun, source: string): Promise<Claim> {
  const key = claimKey(run, source);
  const holder = randomUUID();
  const write = (fields: Omit<ClaimRecord, "holder" | "at">, condition: { IfNoneMatch: "*" } | { IfMatch: string }) => putRecord(deps, key, { holder, at: deps.now().toISOString(), ...fields }, condition);
  const claimed = (etag: string): Claim => {
    let current = etag;
    return {
      status: "claimed",
      record: async (snapshotIds) => {
        current = await write({ snapshotIds }, { IfMatch: current });
      },
      release: async () => {
        current = await write({ released: true }, { IfMatch: current });
      },
    };
  };

  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const taken = await attempt(() => write({}, { IfNoneMatch: "*" }));
    if (taken !== undefined) return claimed(taken);
    const found = await readRecord(deps, key);
    if (found === undefined) continue;
    const { record, etag } = found;
    // Our own write landed but its answer was lost (the SDK's retry then met our own claim): it is ours.
    if (record.holder === holder && record.snapshotIds === undefined && !record.released) return claimed(etag);
    const expired = deps.now().getTime() - Date.parse(record.at) > CLAIM_LEASE_MS;
    if (record.snapshotIds !== undefined) {
      const set = await setState(deps.ec2, record.snapshotIds);
      if (set === "intact" || (set === "unlisted" && !expired)) return { status: "done", snapshotIds: record.snapshotIds };
    } else if (!record.released && !expired) {
      await deps.sleep(CLAIM_POLL_MS);
      continue;
    }
    const takenOver = await attempt(() => write({}, { IfMatch: etag }));
    if (takenOver === undefined) continue;
    const made = await existingSet(deps.ec2, run, source);
    if (made.length === 0) return claimed(takenOver);
    await write({ snapshotIds: made }, { IfMatch: takenOver });
    return { status: "done", snapshotIds: made };
  }
  throw sourceClaimTimeoutError(key, CLAIM_LEASE_MS);
}

/** The new ETag, or undefined when another writer's condition won (412, or 409 for a write racing ours). */
async function attempt(put: () => Promise<string>): Promise<string | undefined> {
  try {
    return await put();
  } catch (error) {
    if (["PreconditionFailed", "ConditionalRequestConflict", "NoSuchKey"].includes(errorName(error))) return undefined;
    throw error;
  }
}

async function putRecord(deps: ClaimDeps, key: string, record: ClaimRecord, condition: { IfNoneMatch: "*" } | { IfMatch: string }): Promise<string> {
  const result = await deps.s3.send(new PutObjectCommand({ Bucket: deps.bucket, Key: key, Body: JSON.stringify(record), ContentType: "application/json", ...condition }));
  return result.ETag ?? "";
}

async function readRecord(deps: ClaimDeps, key: string): Promise<{ record: ClaimRecord; etag: string } | undefined> {
  try {
    const result = await deps.s3.send(new GetObjectCommand({ Bucket: deps.bucket, Key: key }));
    const text = (await result.Body?.transformToString()) ?? "";
    return { record: parseRecord(text), etag: result.ETag ?? "" };
  } catch (error) {
    if (errorName(error) === "NoSuchKey") return undefined;
    throw error;
  }
}

/** A record that is not ours to read (hand-edited, truncated) counts as released: the taker checks EC2 first. */
function parseRecord(text: string): ClaimRecord {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null) {
      const { holder, at, snapshotIds, released } = value as Record<string, unknown>;
      const list: unknown[] | undefined = Array.isArray(snapshotIds) ? (snapshotIds as unknown[]) : undefined;
      const strings = list?.filter((id): id is string => typeof id === "string");
      const ids = strings !== undefined && strings.length === list?.length ? strings : undefined;
      if (typeof holder === "string" && typeof at === "string" && !Number.isNaN(Date.parse(at))) return { holder, at, ...(ids ? { snapshotIds: ids } : {}), released: released === true };
    }
  } catch {
    // falls through
  }
  return { holder: "", at: new Date(0).toISOString(), released: true };
}

/** intact: every member listed, none in error; broken: a member in error; unlisted: members missing (new or deleted). */
async function setState(ec2: EC2Client, snapshotIds: string[]): Promise<"intact" | "broken" | "unlisted"> {
  if (snapshotIds.length === 0) return "unlisted";
  const states = new Map<string, string>();
  for await (const page of paginateDescribeSnapshots({ client: ec2, pageSize: 1000 }, { OwnerIds: ["self"], Filters: [{ Name: "snapshot-id", Values: snapshotIds }] })) {
    for (const s of page.Snapshots ?? []) if (s.SnapshotId !== undefined) states.set(s.SnapshotId, s.State ?? "");
  }
  if ([...states.values()].includes("error")) return "broken";
  return snapshotIds.every((id) => states.has(id)) ? "intact" : "unlisted";
}

/** This run's snapshots of the source not in error (what a crashed holder may have made), read after its lease. */
async function existingSet(ec2: EC2Client, run: BackupRun, source: string): Promise<string[]> {
  const ids: string[] = [];
  const filters = [
    { Name: `tag:${TAG_RUN}`, Values: [run.runId] },
    { Name: `tag:${TAG_STACK}`, Values: [run.stackTag] },
    { Name: `tag:${TAG_SOURCE}`, Values: [source] },
  ];
  for await (const page of paginateDescribeSnapshots({ client: ec2, pageSize: 1000 }, { OwnerIds: ["self"], Filters: filters })) {
    for (const s of page.Snapshots ?? []) if (s.SnapshotId !== undefined && s.State !== "error") ids.push(s.SnapshotId);
  }
  return ids;
}
