// The drill function's environment and settings in the DR region, hand-built recovery points and stub kinds (a points
// listing the test writes, drill facets whose deletions the test scripts), samples and states as the steps make them.
import { S3Client, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import type { ResourceKind } from "../../handlers/catalog";
import type { DrillCleanup, DrillOptions, DrillResult, DrillSample, DrillState } from "../../handlers/drill/contract";
import { measureRestore } from "../../handlers/drill/measure";
import type { DrillKinds } from "../../handlers/drill/kinds";
import type { DrillDeps } from "../../handlers/drill/run";
import { readDrillSettings, type DrillSettings } from "../../handlers/drill/settings";
import type { DrillDeletion, DrillKind, DrillCleanupContext, RestoreActions, RestoreKind } from "../../handlers/kinds/kind";
import type { RestoreKinds } from "../../handlers/restore/steps";
import { KIND_MODULES } from "../../handlers/kinds/registry";
import type { MetricSet } from "../../handlers/lib/metrics";
import type { RecoveryPoint, RestoreState } from "../../handlers/restore/contract";
import { fakeClients } from "./aws-clients";
import { ACCOUNT_ID, type FakeAws } from "./aws-fake";
import { VAULT_BUCKET } from "./backup-fleet";
import { DR, kindsWith, restoreEnv, STACK_TAG } from "./restore-setup";

export { DR, STACK_TAG, VAULT_BUCKET };
export const DRILL_TOPIC = "backup-dr-test-dr";
export const DRILL_TOPIC_ARN = `arn:aws:sns:${DR}:${ACCOUNT_ID}:${DRILL_TOPIC}`;
export const DRILL_ID = "drill-2026-12-01";
export const DRILL_START = "2026-12-01T03:00:00.000Z";

export const DRILL_OPTIONS: DrillOptions = {
  samplePerPlan: 1,
  keepSeconds: 0,
  machineMode: "volumes",
  targets: { gold: { rtoSeconds: 3600, rpoSeconds: 90_000 }, silver: { rtoSeconds: 7200, rpoSeconds: 180_000 } },
  schedule: "cron(0 3 1 * ? *)",
  timezone: "UTC",
  machineTimeoutSeconds: 6 * 3600,
};

/** The drill function's environment in the DR region, as infra sets it. */
export function drillEnv(options: Partial<DrillOptions> = {}, overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { ...restoreEnv("dr"), BACKUP_DR_TOPIC_ARN: DRILL_TOPIC_ARN, BACKUP_DR_DRILL: JSON.stringify({ ...DRILL_OPTIONS, ...options }), ...overrides };
}

export function drillSettings(options: Partial<DrillOptions> = {}): DrillSettings {
  return readDrillSettings(drillEnv(options));
}

/** A recovery point as a kind's listing returns it (completed, this stack's, a DR copy), changed by `fields`. */
export function point(kind: ResourceKind, source: string, plan: string, taken: string, fields: Partial<RecoveryPoint> = {}): RecoveryPoint {
  return {
    kind,
    region: DR,
    source,
    id: `${kind}-${source}-${taken.replace(/[^0-9]/g, "").slice(0, 12)}`,
    snapshotIds: [`snap-${source}`],
    plan,
    taken,
    origin: "copy",
    completed: true,
    stack: STACK_TAG,
    ...(kind === "ec2" ? { volumes: [{ snapshotId: `snap-${source}`, device: "/dev/xvda", root: true, sizeGiB: 8 }] } : {}),
    ...fields,
  };
}

/** Stub pick kinds: the registry's restore facets, each listing the test's points of its kind (recording each call's arguments). */
export function listingKinds(points: readonly RecoveryPoint[], calls: Array<{ kind: string; args: unknown[] }> = []): RestoreKinds {
  return kindsWith((name) => {
    const listing: Pick<RestoreKind, "listPoints"> = {
      listPoints: (...args) => {
        calls.push({ kind: name, args: args.slice(1) });
        return Promise.resolve(points.filter((p) => p.kind === name));
      },
    };
    // The actions are spread over the points half: this listing replaces the kind's own.
    const actions: RestoreActions = { ...KIND_MODULES[name].restore, ...listing };
    return actions;
  });
}

/** What a scripted drill facet was asked. */
export interface DeleteCall {
  kind: ResourceKind;
  restoreId: string;
  ctx: Omit<DrillCleanupContext, "clients" | "now">;
}

/** Stub drill facets: `script(kind, restoreId, call n)` answers each deleteRestored (throw to fail). */
export function scriptedDrillKinds(script: (kind: ResourceKind, restoreId: string, n: number) => DrillDeletion, calls: DeleteCall[] = [], timing: Partial<Record<ResourceKind, { pollSeconds: number; timeoutMinutes: number }>> = {}): DrillKinds {
  const made = (name: ResourceKind): DrillKind => {
    const { snapshotKind, paced } = KIND_MODULES[name].copy;
    return {
      name,
      snapshotKind,
      paced,
      deletePollSeconds: timing[name]?.pollSeconds ?? 20,
      deleteTimeoutMinutes: timing[name]?.timeoutMinutes ?? 30,
      deleteRestored: (ctx, restoreId) => {
        const n = calls.filter((c) => c.kind === name && c.restoreId === restoreId).length + 1;
        calls.push({ kind: name, restoreId, ctx: { drillId: ctx.drillId, stackTag: ctx.stackTag } });
        try {
          return Promise.resolve(script(name, restoreId, n));
        } catch (error) {
          return Promise.reject(error instanceof Error ? error : new Error(String(error)));
        }
      },
    };
  };
  return { named: made };
}

export interface Recorded {
  metrics: MetricSet[];
}

/** Step dependencies in the DR region of the fake, with stub kinds where given. */
export function drillDeps(fake: FakeAws, now: () => Date, stubs: { drillKinds?: DrillKinds; kinds?: RestoreKinds } = {}): DrillDeps & { recorded: Recorded } {
  const clients = fakeClients(fake, { region: DR });
  const recorded: Recorded = { metrics: [] };
  return { clients, s3: clients.s3, sns: clients.sns, now, publishMetrics: (m) => recorded.metrics.push(m), recorded, ...stubs };
}

/** A sample as pick makes it. */
export function sample(n: number, fields: Partial<DrillSample> = {}): DrillSample {
  const restoreId = `${DRILL_ID}-r${n}`;
  const source = fields.source ?? `i-0${n}abcdef0123456789`;
  const pointId = fields.pointId ?? `snap-0${n}aaaabbbbccccdddd`;
  const kind = fields.kind ?? "ec2";
  const taken = fields.taken ?? "2026-11-30T05:02:00.000Z";
  const drillStartedAt = fields.drillStartedAt ?? DRILL_START;
  return {
    drillId: DRILL_ID,
    restoreId,
    plan: "gold",
    kind,
    source,
    pointId,
    taken,
    drillStartedAt,
    rpoSeconds: (Date.parse(drillStartedAt) - Date.parse(taken)) / 1000,
    request: { source, kind, point: pointId, name: `drill-${source}-0000000${n}` },
    targets: DRILL_OPTIONS.targets.gold,
    ...fields,
  };
}

/** The state after pick. */
export function pickedState(samples: DrillSample[], fields: Partial<DrillState["drill"]> = {}): DrillState {
  return { drill: { drillId: DRILL_ID, startedAt: DRILL_START, region: DR, request: {}, seed: DRILL_ID, samples, unsampled: [], keepSeconds: 0, ...fields } };
}

/** An S3 client over an in-memory bucket that answers ListObjectsV2 (paged by `pageSize`) and PutObject, and counts calls. */
export function listingS3(objects: Map<string, Date>, pageSize = 2): { s3: S3Client; lists: Array<{ StartAfter?: string; ContinuationToken?: string }> } {
  const s3 = new S3Client({ region: DR });
  const lists: Array<{ StartAfter?: string; ContinuationToken?: string }> = [];
  const send = (command: unknown): Promise<unknown> => {
    if (command instanceof ListObjectsV2Command) {
      const { Prefix = "", StartAfter = "", ContinuationToken } = command.input;
      lists.push({ StartAfter, ContinuationToken });
      const after = ContinuationToken ?? StartAfter;
      const keys = [...objects.keys()].filter((k) => k.startsWith(Prefix) && k > after).sort();
      const page = keys.slice(0, pageSize);
      const more = keys.length > pageSize;
      return Promise.resolve({ Contents: page.map((Key) => ({ Key, LastModified: objects.get(Key) })), IsTruncated: more, ...(more ? { NextContinuationToken: page[page.length - 1] } : {}) });
    }
    if (command instanceof PutObjectCommand) {
      objects.set(command.input.Key ?? "", new Date());
      return Promise.resolve({});
    }
    return Promise.reject(new Error("this stub S3 answers ListObjectsV2 and PutObject only"));
  };
  Object.assign(s3, { send });
  return { s3, lists };
}

/** Prepares the DR region of the fake: the vault and the drill's topic. */
export function drRegion(fake: FakeAws): void {
  const region = fake.region(DR);
  if (!region.buckets.has(VAULT_BUCKET)) region.addBucket(VAULT_BUCKET);
  if (!region.topics.has(DRILL_TOPIC_ARN)) region.addTopic(DRILL_TOPIC);
}

/** The restore's state after validate: started at 03:01 and validated `rto` seconds later. */
export function validatedState(s: DrillSample, rto: number, created = [{ type: "volume", id: `made-${s.restoreId}` }]): RestoreState {
  const startedAt = "2026-12-01T03:01:00.000Z";
  return {
    restoreId: s.restoreId,
    drillId: s.drillId,
    startedAt,
    region: DR,
    kind: s.kind,
    source: s.source,
    point: { kind: s.kind, region: DR, source: s.source, id: s.pointId, snapshotIds: [s.pointId], origin: "copy", completed: true },
    name: s.request.name ?? "",
    phase: "done",
    status: "available",
    waitSeconds: 30,
    deadline: "2026-12-01T05:00:00.000Z",
    created,
    validation: { ok: true, checks: [] },
    validatedAt: new Date(Date.parse(startedAt) + rto * 1000).toISOString(),
  };
}

/** The result measure returns for the sample's restore, started at 03:01 and validated `rto` seconds later. */
export function validatedResult(s: DrillSample, rto: number, created = [{ type: "volume", id: `made-${s.restoreId}` }]): DrillResult {
  return measureRestore(s, validatedState(s, rto, created));
}

/** A cleanup that deleted what each result lists. */
export function doneCleanup(results: readonly DrillResult[]): DrillCleanup {
  return { status: "done", waitSeconds: 0, deadline: "2026-12-01T04:30:00.000Z", deleted: results.flatMap((r) => r.created.map((c) => ({ ...c, restoreId: r.restoreId }))), remaining: [], refused: [], failures: [] };
}

/** The report event of a drill of plan gold whose one restore passed and was cleaned up. */
export function passedReportEvent(): { step: "report"; drillId: string; startedAt: string; state: DrillState } {
  const results = [validatedResult(sample(1), 600)];
  return { step: "report", drillId: DRILL_ID, startedAt: DRILL_START, state: { ...pickedState([sample(1)], { request: { plan: "gold" } }), results, cleanup: doneCleanup(results) } };
}
