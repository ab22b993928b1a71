// The one module that reads the stack configuration: raw values in, a typed, validated config out.
// A bad value fails `pulumi preview` with every problem at once: key path, value given, what is allowed.
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { stackTagValue, type ResourceKind } from "../handlers/catalog";
import type { Sources } from "../tools/forecast/quotas";
import { describeInput } from "../handlers/lib/event-input";
import { KEYS, STRUCTURED_KEYS, configSchema, type ParsedConfig, type REPLICA_STORAGE_CLASSES } from "./config-schema";
import { crossKeyProblems } from "./config-cross-keys";
import { didYouMean } from "../handlers/lib/closest-key";
import { allowedKeysAt } from "./config-unknown-keys";
import { formatPath } from "./config-path";

/** A plan as config yields it: normalised by the plan contract (handlers/plan.ts), every default applied. */
export type { Plan, ResourceKind, TierCounts } from "../handlers/plan";
import type { Plan } from "../handlers/plan";
import type { NotifyOn } from "../handlers/lib/shared-settings";
import type { MachineRestoreMode, RestoreNetwork } from "../handlers/restore/contract";
import type { RegionRole } from "../handlers/restore/settings";
import { drillConfig } from "./config-drill";
import { reportConfig, type ReportConfig } from "./config-report";
export type { ReportConfig } from "./config-report";

export interface VaultLock {
  mode: "GOVERNANCE" | "COMPLIANCE" | "off";
  /** Default retention of every object version in the vault; absent when mode is off. */
  days?: number;
}

/** Days after which noncurrent vault object versions move tier or expire; 0 skips a transition. */
export interface VaultLifecycle {
  glacierIrAfterDays: number;
  glacierAfterDays: number;
  deepArchiveAfterDays: number;
  expireAfterDays: number;
  /** Days after which a run manifest (runs/) expires, current version included (Object Lock still holds it its lock period). */
  runsExpireDays: number;
}

export interface CleanupSettings {
  dryRun: boolean;
  maxDeletionsPerRun: number;
  minAgeDays: number;
  maxDeleteFraction: number;
  schedule: string;
  timezone: string;
}

export interface S3ReplicationSettings {
  storageClass: (typeof REPLICA_STORAGE_CLASSES)[number];
  /** ReplicationLatency above this alarms. */
  latencyAlarmSeconds: number;
  /** Send replication failure and missed-threshold events to the topic (replaces the bucket's notification configuration). */
  eventNotifications: boolean;
}

/** The DR copy function: sweep interval, copies in flight per DR region (AWS's limits are the maximums), DR-lag alarm. */
export interface CopySettings {
  sweepMinutes: number;
  maxEbsCopies: number;
  maxRdsCopies: number;
  maxClusterCopies: number;
  /** OldestUncopiedAgeSeconds above this many minutes alarms. */
  lagAlarmMinutes: number;
}

/**
 * One region's network for restores (backup-dr:restore primary / dr): the restore contract's RestoreNetwork. Empty
 * lists and absent names are "not configured": a restore that needs one is refused at run time, naming the key.
 */
export type RestoreNetworkConfig = RestoreNetwork;

/** The two regions' restore networks. */
export interface RestoreConfig {
  primary: RestoreNetworkConfig;
  dr: RestoreNetworkConfig;
}

/** A plan's drill targets, in minutes (backup-dr:drill `plans.<name>`, defaults applied). */
export interface DrillPlanTargets {
  rtoTargetMinutes: number;
  /** Default: the plan's longest interval, plus backup-dr:copy lagAlarmMinutes when the drill region is dr. */
  rpoTargetMinutes: number;
  /** The kinds the plan backs up (its `resources`): the only kinds the drill samples for it. */
  kinds: ResourceKind[];
}

/**
 * The DR drill (backup-dr:drill). Its state machine is deployed whether or not it is enabled (an on-demand drill,
 * `npm run drill`, needs it); `enabled` adds the schedule that starts it and the daily watch.
 */
export interface DrillConfig {
  enabled: boolean;
  /** EventBridge Scheduler expression and IANA time zone of the drill's schedule. */
  schedule: string;
  timezone: string;
  /** The region restored into (its restore network, key, vault and topic). */
  region: RegionRole;
  samplePerPlan: number;
  /** Restores in flight at once (the machine's Map MaxConcurrency). */
  maxConcurrent: number;
  machineMode: MachineRestoreMode;
  instanceType?: string;
  instanceClass?: string;
  /** Minutes restored resources are kept after validation before cleanup deletes them. */
  keepMinutes: number;
  /** The drilled plans with their targets: every plan of backup-dr:plans, in the DR region only those that copy there. */
  plans: Record<string, DrillPlanTargets>;
  /**
   * The most restores one drill starts (infra/drill-machine.ts drillMaxSamples with the registry's kinds): Step
   * Functions' history limit. An enabled drill that would start more is refused; the pick step caps the rest.
   */
  maxSamples: number;
}

/** Sources the stack is expected to back up (backup-dr:expectedSources): the forecast's quota check's input. */
export type ExpectedSources = Sources;

export interface BackupDrConfig {
  project: string;
  stack: string;
  /** Value of the `backup-dr:stack` tag: `<project>/<stack>`. */
  stackTag: string;
  environment: string;
  region: string;
  drRegion: string;
  selectionTagKey: string;
  plans: Plan[];
  protectedBuckets: string[];
  notifyEmails: string[];
  notifyOn: NotifyOn;
  vaultLock: VaultLock;
  vaultLifecycle: VaultLifecycle;
  cleanup: CleanupSettings;
  s3Replication: S3ReplicationSettings;
  copy: CopySettings;
  tags: Record<string, string>;
  kmsDeletionWindowDays: number;
  logRetentionDays: number;
  /** Protect keys and buckets from `pulumi destroy` and keep them on delete (prod); else destroyable (dev). */
  protectStorage: boolean;
  /** Set only when the stack declares backup-dr:expectedSources. */
  expectedSources?: ExpectedSources;
  /** Plans with copyToDr: false that the policy pack lets through in strict environments: the reviewed exceptions. */
  allowNoDrCopy: string[];
  /** Where each region's restore function places restored instances and databases. */
  restore: RestoreConfig;
  /** The scheduled DR drill. */
  drill: DrillConfig;
  /** The coverage check (missed-backup alarm) and the daily compliance and cost report. */
  report: ReportConfig;
  /**
   * The pace of snapshot creates (backup) and deletes (cleanup): calls per second and burst (AWS's 5 and 100 by default);
   * and the minutes after its slot a backup or cleanup run may go on across invocations (120 by default).
   */
  pacing: { snapshotPerSecond: number; snapshotBurst: number; runDeadlineMinutes: number };
}

/** The stack configuration is invalid; `problems` holds one line per bad value. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid backup-dr stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

/** Validates raw config (full key -> value, structured values already parsed) into the typed config. */
export function parseConfig(raw: Record<string, unknown>, context: { project: string; stack: string }): BackupDrConfig {
  const result = configSchema.safeParse(raw);
  // Cross-key checks run on the keys they read even when other keys are wrong: every problem in one round.
  const problems = [...(result.success ? [] : result.error.issues.flatMap((issue) => describeIssue(issue, raw))), ...crossKeyProblems(raw)];
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return toConfig(result.data, context);
}

/** Reads the stack's config through the Pulumi runtime and validates it. */
export function loadConfig(): BackupDrConfig {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (key === KEYS.region || key.startsWith("backup-dr:")) raw[key] = STRUCTURED_KEYS.has(key) ? parseJson(value) : value;
  }
  return parseConfig(raw, { project: pulumi.getProject(), stack: pulumi.getStack() });
}

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value; // the schema reports it with what was expected
  }
}

function toConfig(c: ParsedConfig, context: { project: string; stack: string }): BackupDrConfig {
  return {
    project: context.project,
    stack: context.stack,
    stackTag: stackTagValue(context.project, context.stack),
    environment: c[KEYS.environment] ?? context.stack,
    region: c[KEYS.region],
    drRegion: c[KEYS.drRegion],
    selectionTagKey: c[KEYS.selectionTagKey],
    plans: c[KEYS.plans],
    protectedBuckets: c[KEYS.protectedBuckets],
    notifyEmails: c[KEYS.notifyEmails],
    notifyOn: c[KEYS.notifyOn],
    vaultLock: c[KEYS.vaultLock],
    vaultLifecycle: c[KEYS.vaultLifecycle],
    cleanup: c[KEYS.cleanup],
    s3Replication: c[KEYS.s3Replication],
    copy: c[KEYS.copy],
    tags: c[KEYS.tags],
    kmsDeletionWindowDays: c[KEYS.kmsDeletionWindowDays],
    logRetentionDays: c[KEYS.logRetentionDays],
    protectStorage: c[KEYS.protectStorage],
    ...(c[KEYS.expectedSources] === undefined ? {} : { expectedSources: c[KEYS.expectedSources] }),
    allowNoDrCopy: c[KEYS.allowNoDrCopy],
    restore: c[KEYS.restore],
    drill: drillConfig(c[KEYS.drill], c[KEYS.plans], c[KEYS.copy]),
    report: reportConfig(c[KEYS.report]),
    pacing: c[KEYS.pacing],
  };
}

function describeIssue(issue: z.core.$ZodIssue, raw: Record<string, unknown>): string[] {
  if (issue.code === "unrecognized_keys") {
    const allowed = allowedKeysAt(configSchema, issue.path);
    return issue.keys.map((key) => `${formatPath([...issue.path, key])}: ${issue.message}${didYouMean(key, allowed)}`);
  }
  // A check may name the offending input itself (a tag key); otherwise it is the value at the path.
  const named: unknown = issue.code === "custom" ? issue.params?.given : undefined;
  const given = named !== undefined ? named : valueAt(raw, issue.path);
  return [`${formatPath(issue.path)}: ${issue.message}, got ${describeValue(given)}`];
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

/** The value as the user wrote it, near enough: JSON, non-finite numbers as YAML spells them (.inf), depth-safe, short. */
function describeValue(value: unknown): string {
  return describeInput(value, 80);
}
