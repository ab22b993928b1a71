// Benchmark scenario: the cleanup function's run (stepCleanup of handlers/cleanup/run.ts, the real code, one call an
// invocation) over N expired EBS backups with kept ones mixed in, invocation after invocation under the continuation
// contract (handlers/lib/cursor.ts), on the virtual clock.
//
// Fleet: N/10 instances, each with 12 daily backups (one volume); the 2 newest are not expired (kept), the 10 older
// ones expired. So candidates are 10/12 of the stack's backups: the mass-deletion stop is set to 0.9 for the run.
import { stepCleanup, type CleanupDeps } from "../../handlers/cleanup/run";
import { readCleanupSettings } from "../../handlers/cleanup/settings";
import { ACCOUNT_ID, REGION } from "../helpers/aws-fake";
import { catalogTags } from "../helpers/cleanup-scenario";
import { BenchAws } from "./bench-aws";
import { driveRun, failureNotes, quietLog } from "../../tools/bench/invocation";
import { fixed, perSource, ratio, type Check, type ScenarioResult } from "../../tools/bench/result";
import { VirtualClock } from "../../tools/bench/virtual-clock";

const NOW = "2026-11-22T03:30:00Z";
const DR = "us-west-2";
const STACK = "backup-dr/test";
const VAULT = "backup-dr-bench-vault";
const TOPIC = "backup-dr-bench-notifications";
const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Backups per instance, and how many of the newest are not expired. */
const PER_SOURCE = 12;
const KEPT_PER_SOURCE = 2;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

export async function cleanupScenario(expired: number): Promise<ScenarioResult> {
  const clock = new VirtualClock(new Date(NOW));
  const restore = clock.install();
  try {
    const bench = new BenchAws(clock);
    const primary = bench.fake.region(REGION);
    primary.addBucket(VAULT);
    primary.addTopic(TOPIC);
    bench.fake.region(DR);
    const toDelete = new Set<string>();
    const kept = new Set<string>();
    const sources = Math.ceil(expired / (PER_SOURCE - KEPT_PER_SOURCE));
    let made = 0;
    for (let s = 0; s < sources; s += 1) {
      const instance = `i-${s.toString(16).padStart(17, "0")}`;
      for (let day = 1; day <= PER_SOURCE; day += 1) {
        const old = day > KEPT_PER_SOURCE;
        if (old && made >= expired) continue;
        // Made `day` days (and an hour) ago, expiring 3 days after: the 2 newest are not expired yet.
        const created = new Date(Date.parse(NOW) - day * DAY - HOUR);
        const id = primary.nextId("snap");
        primary.snapshots.set(id, { id, volumeId: `vol-${s}`, state: "completed", description: "backup-dr", tags: catalogTags(instance, created, iso(created.getTime() + 3 * DAY), STACK), startTime: created });
        if (old) {
          toDelete.add(id);
          made += 1;
        } else kept.add(id);
      }
    }
    const settings = readCleanupSettings({
      BACKUP_DR_STACK: STACK,
      BACKUP_DR_PRIMARY_REGION: REGION,
      BACKUP_DR_DR_REGION: DR,
      BACKUP_DR_VAULT_BUCKET: VAULT,
      BACKUP_DR_TOPIC_ARN: `arn:aws:sns:${REGION}:${ACCOUNT_ID}:${TOPIC}`,
      BACKUP_DR_MAX_DELETIONS: "10000",
      BACKUP_DR_MAX_DELETE_FRACTION: "0.9",
    });

    const ofContainer = bench.pacedClients(settings.snapshotRate);
    const started = clock.now();
    const report = await clock.drive(
      driveRun(clock, { scheduledTime: NOW }, (container, event, remainingMs) => {
        const primaryClients = ofContainer(container, settings.primaryRegion).clients;
        const deps: CleanupDeps = {
          regionClients: (region) => ofContainer(container, region).clients,
          s3: primaryClients.s3,
          sns: primaryClients.sns,
          now: () => clock.date(),
          remainingMs,
          log: quietLog,
          publishMetrics: () => undefined,
          paceDeletes: (region) => ofContainer(container, region).pace,
        };
        return stepCleanup(deps, settings, event);
      }),
    );
    const seconds = (clock.now() - started) / 1000;

    const deletes = bench.calls.filter((c) => c.action === "DeleteSnapshot");
    const deletedTimes = new Map<string, number>();
    for (const call of deletes) {
      const id = call.params?.get("SnapshotId") ?? "";
      if (call.status === 200) deletedTimes.set(id, (deletedTimes.get(id) ?? 0) + 1);
    }
    const notDeleted = [...toDelete].filter((id) => primary.snapshots.has(id) || !deletedTimes.has(id)).length;
    const twice = [...deletedTimes.values()].filter((n) => n > 1).length;
    const named = new Set(deletes.map((c) => c.params?.get("SnapshotId")));
    const keptTouched = [...kept].filter((id) => !primary.snapshots.has(id) || named.has(id)).length;
    const counts = bench.countBy();
    const throttled = bench.calls.filter((c) => c.code === "RequestLimitExceeded").length;
    const floorSeconds = Math.max(0, expired - 100) / 5;
    const deadlineStop = report.last?.done === true && report.last.manifest.deadlineStop;
    const notes = [
      `${throttled} attempts throttled`,
      `${toDelete.size - notDeleted} of ${toDelete.size} expired deleted, ${kept.size} kept`,
      ...(deadlineStop ? ["the run stopped at its deadline (rest deferred)"] : []),
      ...failureNotes(report),
    ];
    const checks: Check[] = [
      { name: "time <= 1.15x the DeleteSnapshot floor (N-100)/5 s", pass: notDeleted === 0 && ratio(seconds, floorSeconds) <= 1.15, measured: `${fixed(ratio(seconds, floorSeconds))}x${notDeleted === 0 ? "" : " (not all deleted)"}`, correctness: false },
      { name: "every expired one deleted (across as many invocations as needed)", pass: notDeleted === 0, measured: `${notDeleted} left, ${report.invocations} invocations`, correctness: false },
      { name: "none deleted twice", pass: twice === 0, measured: String(twice), correctness: true },
      { name: "none of the kept ones touched", pass: keptTouched === 0, measured: String(keptTouched), correctness: true },
    ];
    return {
      scenario: "cleanup",
      sources: expired,
      callsPerSource: perSource(counts, expired),
      seconds,
      floorSeconds,
      invocations: report.invocations,
      killed: report.killed,
      timedOut: report.timedOut,
      lost: notDeleted,
      duplicated: twice,
      notes,
      checks,
    };
  } finally {
    restore();
  }
}
