// Settings, environment, dependencies and Lambda context for running the cleanup function against the fake AWS.
import type { CleanupIntent } from "../../handlers/cleanup/intent";
import type { Context } from "aws-lambda";
import type { CleanupDeps } from "../../handlers/cleanup/run";
import type { CleanupManifest } from "../../handlers/cleanup/report";
import { readCleanupSettings } from "../../handlers/cleanup/settings";
import type { CleanupSettings } from "../../handlers/cleanup/types";
import type { AwsClients } from "../../handlers/lib/clients";
import { ACCOUNT_ID, REGION, type FakeAws } from "./aws-fake";
import type { RegionState } from "./aws-fake-state";
import { fakeClients } from "./aws-clients";
import { lambdaContext } from "./lambda-context";

export const STACK = "backup-dr/test";
export const PRIMARY = REGION;
export const DR = "us-west-2";
export const CLEANUP_BUCKET = "backup-dr-test-vault";
export const CLEANUP_TOPIC = "backup-dr-test-notifications";
/** The rules' clock in these tests. */
export const NOW = new Date("2026-11-22T03:30:00.000Z");

export function cleanupEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    BACKUP_DR_STACK: STACK,
    BACKUP_DR_PRIMARY_REGION: PRIMARY,
    BACKUP_DR_DR_REGION: DR,
    BACKUP_DR_VAULT_BUCKET: CLEANUP_BUCKET,
    BACKUP_DR_TOPIC_ARN: `arn:aws:sns:${PRIMARY}:${ACCOUNT_ID}:${CLEANUP_TOPIC}`,
    BACKUP_DR_NOTIFY_ON: "failure",
    BACKUP_DR_DRY_RUN: "false",
    BACKUP_DR_MAX_DELETIONS: "200",
    BACKUP_DR_MIN_AGE_DAYS: "1",
    BACKUP_DR_MAX_DELETE_FRACTION: "0.5",
    BACKUP_DR_CONCURRENCY: "4",
    ...overrides,
  };
}

export function cleanupSettings(overrides: Record<string, string | undefined> = {}): CleanupSettings {
  return readCleanupSettings(cleanupEnv(overrides));
}

/** The vault bucket and the topic, in the fake's primary region. */
export function prepareVault(fake: FakeAws): void {
  const primary = fake.region(PRIMARY);
  if (!primary.buckets.has(CLEANUP_BUCKET)) primary.addBucket(CLEANUP_BUCKET);
  if (!primary.topics.has(`arn:aws:sns:${PRIMARY}:${ACCOUNT_ID}:${CLEANUP_TOPIC}`)) primary.addTopic(CLEANUP_TOPIC);
}

export interface CleanupRecorded {
  logs: { level: string; message: string; attributes: Record<string, unknown> }[];
  metrics: { dimensions: Record<string, string>; values: Record<string, number> }[];
}

/** Dependencies of runCleanup against the fake: clients per region, a fixed clock, time left, recording log and metrics. */
export function cleanupDeps(fake: FakeAws, options: { now?: () => Date; remainingMs?: () => number; maxAttempts?: number } = {}): CleanupDeps & { recorded: CleanupRecorded } {
  const recorded: CleanupRecorded = { logs: [], metrics: [] };
  const clients = new Map<string, AwsClients>();
  const regionClients = (region: string) => {
    const existing = clients.get(region);
    if (existing) return existing;
    const created = fakeClients(fake, { region, maxAttempts: options.maxAttempts });
    clients.set(region, created);
    return created;
  };
  const at = (level: string) => (message: string, attributes: Record<string, unknown>) => void recorded.logs.push({ level, message, attributes });
  const primary = regionClients(PRIMARY);
  return {
    regionClients,
    s3: primary.s3,
    sns: primary.sns,
    now: options.now ?? (() => NOW),
    remainingMs: options.remainingMs ?? (() => 900_000),
    log: { info: at("info"), warn: at("warn"), error: at("error") },
    publishMetrics: ({ dimensions, values }) => void recorded.metrics.push({ dimensions, values }),
    recorded,
  };
}

/** The cleanup function's Lambda context; `remainingMs` stands in for the clock Lambda counts down. */
export function cleanupContext(remainingMs: () => number = () => 900_000): Context {
  return lambdaContext("cleanup", remainingMs);
}

/** The cleanup manifests and parts in the vault, by key (not the intent records). */
export function cleanupManifests(fake: FakeAws): Map<string, CleanupManifest> {
  const objects = fake.region(PRIMARY).buckets.get(CLEANUP_BUCKET) ?? new Map<string, string>();
  return new Map([...objects].filter(([key]) => key.startsWith("runs/cleanup/") && !key.endsWith(".intent.json")).map(([key, body]) => [key, JSON.parse(body) as CleanupManifest]));
}

/** The intent records (handlers/cleanup/intent.ts) the cleanup wrote, by key: what each invocation was about to delete. */
export function cleanupIntents(fake: FakeAws): Map<string, CleanupIntent> {
  const objects = fake.region(PRIMARY).buckets.get(CLEANUP_BUCKET) ?? new Map<string, string>();
  return new Map([...objects].filter(([key]) => key.startsWith("runs/cleanup/") && key.endsWith(".intent.json")).map(([key, body]) => [key, JSON.parse(body) as CleanupIntent]));
}

/** Every snapshot id the region holds, of every kind. */
export function snapshotIds(region: RegionState): string[] {
  return [...region.snapshots.keys(), ...region.dbSnapshots.keys(), ...region.dbClusterSnapshots.keys()].sort();
}

export async function rejection(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(() => undefined, (error: unknown) => error);
  if (outcome instanceof Error) return outcome;
  throw new Error("expected the run to fail");
}
