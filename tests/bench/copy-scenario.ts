// Benchmark scenario: the DR copy function's runs (handlers/copy/run.ts, the real code) copying N completed EBS
// backups (two volumes an instance) into the DR region, whose in-flight limit (20) the fake enforces; each copy takes
// 600 virtual seconds. Runs are serialized as the copy FIFO queue serializes them, fed by:
//   - the backups' completion events (EBS Multi-Volume Snapshots Completion Status), one an instance, a second apart;
//   - the sweep every 30 minutes ({"sweep": true});
//   - a DR completion event (EBS Snapshot Notification, copySnapshot, in the DR region) 10-30 s after each copy
//     completes: the refill trigger of issue 20 (a copy function without it ignores events from the DR region).
import { readCopySettings } from "../../handlers/copy/settings";
import { runCopy } from "../../handlers/copy/run";
import type { CopyDeps } from "../../handlers/copy/work";
import { ACCOUNT_ID } from "../helpers/aws-fake";
import { setCopyClock, type CopyableSnapshot } from "../helpers/aws-fake-copy";
import { seededRandom } from "../helpers/aws-faults";
import { DR, PRIMARY, addEbsBackup, copyEnv, multiVolumeEvent } from "../helpers/copy-setup";
import { VAULT_BUCKET } from "../helpers/backup-fleet";
import { BenchAws } from "./bench-aws";
import { invoke, quietLog, type Container } from "../../tools/bench/invocation";
import { fixed, perSource, type Check, type ScenarioResult } from "../../tools/bench/result";
import { VirtualClock } from "../../tools/bench/virtual-clock";

/** AWS's EBS copies in flight per destination region, and how long the benchmark's copies take. */
export const COPY_LIMIT = 20;
export const COPY_MS = 600_000;
const SWEEP_MS = 30 * 60_000;
/** The benchmark gives up (copies left count as lost) after this much virtual time. */
const CAP_MS = 24 * 3_600_000;

/** EventBridge's event for a completed (or failed) EBS snapshot copy, in the destination (DR) region. */
export function copyCompletedEvent(copyId: string, sourceId: string, at: Date, n: number) {
  const arn = `arn:aws:ec2:${DR}::snapshot/${copyId}`;
  const time = at.toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    version: "0",
    id: `7c0f6e0a-2d3b-4c5d-8e9f-${n.toString(16).padStart(12, "0")}`,
    "detail-type": "EBS Snapshot Notification",
    source: "aws.ec2",
    account: ACCOUNT_ID,
    time,
    region: DR,
    resources: [arn],
    detail: { event: "copySnapshot", result: "succeeded", cause: "", "request-id": "", snapshot_id: arn, source: `arn:aws:ec2:${PRIMARY}::snapshot/${sourceId}`, startTime: time, endTime: time },
  };
}

interface CopyTrack {
  started: number;
  completed?: number;
}

export async function copyScenario(backups: number): Promise<ScenarioResult> {
  const start = new Date("2026-11-20T05:10:00Z");
  const clock = new VirtualClock(start);
  const restore = clock.install();
  try {
    const bench = new BenchAws(clock);
    const random = seededRandom(240);
    setCopyClock(bench.fake.region(DR), () => clock.date());
    const instances = Math.ceil(backups / 2);
    const sets: string[][] = [];
    for (let n = 0; n < instances; n += 1) {
      const source = `i-${(n + 1).toString(16).padStart(17, "0")}`;
      const set = Array.from({ length: Math.min(2, backups - 2 * n) }, () => addEbsBackup(bench.fake, { source, created: new Date(start.getTime() - 60_000) }).id);
      sets.push(set);
    }
    const settings = readCopySettings(copyEnv({ BACKUP_DR_CONCURRENCY: undefined }));

    // The queue: one run at a time, in order.
    const queue: { trigger: string; event: unknown }[] = [];
    let wake: (() => void) | undefined;
    const enqueue = (trigger: string, event: unknown) => {
      queue.push({ trigger, event });
      wake?.();
    };
    sets.forEach((set, n) => clock.schedule(n * 1_000, () => enqueue("backup event", multiVolumeEvent(set))));
    const sweep = () => {
      enqueue("sweep", { sweep: true });
      clock.schedule(SWEEP_MS, sweep);
    };
    clock.schedule(SWEEP_MS, sweep);

    // The DR region: a copy AWS accepted completes COPY_MS later; its event reaches the queue 10-30 s after that.
    const copies = new Map<string, CopyTrack>();
    let firstStart: number | undefined;
    let drained: number | undefined;
    let events = 0;
    bench.afterCall = (call) => {
      if (call.action !== "CopySnapshot" || call.status !== 200) return;
      const copyId = /<snapshotId>([^<]+)<\/snapshotId>/.exec(call.body ?? "")?.[1];
      const sourceId = call.params?.get("SourceSnapshotId") ?? "";
      if (copyId === undefined) return;
      firstStart ??= call.at;
      copies.set(copyId, { started: call.at });
      if (copies.size === backups) drained = call.at;
      clock.schedule(COPY_MS, () => {
        const copy = bench.fake.region(DR).snapshots.get(copyId);
        if (copy !== undefined) {
          copy.state = "completed";
          copy.completedAt = clock.date();
        }
        const track = copies.get(copyId);
        if (track) track.completed = clock.now();
        events += 1;
        const n = events;
        clock.schedule(10_000 + random() * 20_000, () => enqueue("DR copy event", copyCompletedEvent(copyId, sourceId, clock.date(), n)));
      });
    };

    const container: Container = { alive: true };
    const deps: CopyDeps = { primary: bench.clients(container, PRIMARY), dr: bench.clients(container, DR), now: () => clock.date(), log: quietLog, publishMetrics: () => undefined };
    const runs: Record<string, number> = {};
    let timedOut = 0;
    const failedRuns: Record<string, number> = {};
    const done = () => copies.size >= backups && [...copies.values()].every((c) => c.completed !== undefined);
    await clock.drive(
      (async () => {
        while (!done() && clock.now() - start.getTime() < CAP_MS) {
          const next = queue.shift();
          if (next === undefined) {
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
            continue;
          }
          runs[next.trigger] = (runs[next.trigger] ?? 0) + 1;
          const outcome = await invoke(clock, container, () => runCopy(deps, settings, next.event));
          if (outcome.status !== "answered") failedRuns[next.trigger] = (failedRuns[next.trigger] ?? 0) + 1;
          if (outcome.status === "killed") timedOut += 1;
        }
      })(),
    );

    const lastCompletion = Math.max(...[...copies.values()].map((c) => c.completed ?? clock.now()));
    const seconds = (lastCompletion - start.getTime()) / 1000;
    const floorSeconds = Math.ceil(backups / COPY_LIMIT) * (COPY_MS / 1000);
    // Time-averaged copies in flight / the limit, from the first copy's start until the last copy started.
    const drainedAt = drained ?? clock.now();
    const from = firstStart ?? start.getTime();
    const utilisation = drainedAt > from ? areaUntil(copies, from, drainedAt) / (COPY_LIMIT * (drainedAt - from)) : 0;

    const bySource = new Map<string, number>();
    for (const s of bench.fake.region(DR).snapshots.values() as Iterable<CopyableSnapshot>) {
      if (s.copiedFrom !== undefined) bySource.set(s.copiedFrom, (bySource.get(s.copiedFrom) ?? 0) + 1);
    }
    const all = sets.flat();
    const lost = all.filter((id) => (bySource.get(`${PRIMARY}:${id}`) ?? 0) === 0).length;
    const duplicated = all.filter((id) => (bySource.get(`${PRIMARY}:${id}`) ?? 0) > 1).length;
    const counts = bench.countBy();
    const copyCalls = counts.CopySnapshot ?? 0;
    const refused = bench.calls.filter((c) => c.action === "CopySnapshot" && c.code === "ResourceLimitExceeded").length;
    const throttled = bench.calls.filter((c) => c.code === "RequestLimitExceeded").length;
    const manifests = [...(bench.fake.region(PRIMARY).buckets.get(VAULT_BUCKET)?.keys() ?? [])].filter((k) => k.startsWith("runs/copy/")).length;
    const callsPerCopy = copies.size > 0 ? copyCalls / copies.size : 0;
    const invocations = Object.values(runs).reduce((a, b) => a + b, 0);
    const notes = [
      `runs: ${Object.entries(runs).map(([k, v]) => `${v} ${k}`).join(", ")}`,
      ...(Object.keys(failedRuns).length === 0 ? [] : [`failed runs: ${Object.entries(failedRuns).map(([k, v]) => `${v} ${k}`).join(", ")}`]),
      `${refused} CopySnapshot refused (ResourceLimitExceeded), ${throttled} attempts throttled, ${manifests} copy manifests written`,
      `queue drained (last copy started) at ${fixed((drainedAt - start.getTime()) / 1000, 0)} s`,
    ];
    const checks: Check[] = [
      { name: "slot utilisation >= 90% until the queue drains", pass: utilisation >= 0.9, measured: `${fixed(utilisation * 100, 1)}%`, correctness: false },
      { name: "<= 1.1 CopySnapshot calls per copy made", pass: callsPerCopy <= 1.1, measured: fixed(callsPerCopy), correctness: false },
      { name: "0 lost (a backup without its DR copy)", pass: lost === 0, measured: String(lost), correctness: true },
      { name: "0 duplicated (two DR copies of a backup)", pass: duplicated === 0, measured: String(duplicated), correctness: true },
    ];
    return {
      scenario: "copy",
      sources: backups,
      callsPerSource: perSource(counts, backups),
      seconds,
      floorSeconds,
      slotUtilisation: utilisation,
      copyCallsPerCopy: callsPerCopy,
      invocations,
      killed: timedOut,
      timedOut,
      lost,
      duplicated,
      notes,
      checks,
    };
  } finally {
    restore();
  }
}

/** Copy-seconds in flight within [from, to] (ms), from each copy's start and completion. */
function areaUntil(copies: Map<string, CopyTrack>, from: number, to: number): number {
  let area = 0;
  for (const c of copies.values()) {
    const begin = Math.max(from, c.started);
    const end = Math.min(to, c.completed ?? to);
    if (end > begin) area += end - begin;
  }
  return area;
}
