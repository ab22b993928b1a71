// Benchmark scenario: the backup function's run (stepBackup of handlers/backup/run.ts, the real code, one call an
// invocation) of N instances with one EBS volume each, invocation after invocation under the continuation contract
// (handlers/lib/cursor.ts), on the virtual clock.
import { stepBackup, type BackupDeps } from "../../handlers/backup/run";
import { readBackupSettings } from "../../handlers/backup/settings";
import { TAG_SOURCE } from "../../handlers/catalog";
import { ACCOUNT_ID, REGION } from "../helpers/aws-fake";
import { BenchAws } from "./bench-aws";
import { driveRun, failureNotes, quietLog, type Container } from "../../tools/bench/invocation";
import { fixed, perSource, ratio, type Check, type ScenarioResult } from "../../tools/bench/result";
import { VirtualClock } from "../../tools/bench/virtual-clock";

const SLOT = "2026-11-22T06:00:00Z";
const VAULT = "backup-dr-bench-vault";
const TOPIC = "backup-dr-bench-notifications";
/** The run's deadline when BACKUP_DR_RUN_DEADLINE_MINUTES is not set (handlers/lib/cursor.ts: 120 minutes). */
export const DEFAULT_DEADLINE_MINUTES = 120;

const PLAN = { name: "gold", schedule: "cron(0 6 * * ? *)", timezone: "UTC", resources: ["ec2"], keep: { daily: 7 } };

export interface BackupOptions {
  /** Kill this invocation (1-based) after this many virtual ms: an invocation killed mid-way. */
  killAt?: { invocation: number; afterMs: number };
  /** Which acceptance lines to judge: the 1,000-instance ones or the 10,000-instance ones. */
  acceptance: "speed" | "scale";
}

export async function backupScenario(sources: number, options: BackupOptions): Promise<ScenarioResult> {
  const clock = new VirtualClock(new Date(Date.parse(SLOT) + 5_000));
  const restore = clock.install();
  try {
    const bench = new BenchAws(clock);
    const region = bench.fake.region(REGION);
    region.addBucket(VAULT);
    region.addTopic(TOPIC);
    const instances = Array.from({ length: sources }, (_, n) => region.addInstance("running", { "backup-plan": "gold", Name: `bench-${n}` }, [{ Name: `root-${n}` }]).id);
    const settings = readBackupSettings({
      BACKUP_DR_STACK: "backup-dr/bench",
      BACKUP_DR_PLANS: JSON.stringify([PLAN]),
      BACKUP_DR_VAULT_BUCKET: VAULT,
      BACKUP_DR_TOPIC_ARN: `arn:aws:sns:${REGION}:${ACCOUNT_ID}:${TOPIC}`,
    });

    const paced = bench.pacedClients(settings.snapshotRate);
    const ofContainer = (container: Container) => paced(container, REGION);
    const started = clock.now();
    const report = await clock.drive(
      driveRun(
        clock,
        { plan: PLAN.name, scheduledTime: SLOT },
        (container, event, remainingMs) => {
          const { clients, pace } = ofContainer(container);
          const deps: BackupDeps = { clients, now: () => clock.date(), log: quietLog, publishMetrics: () => undefined, paceCreates: pace, sleep: (ms) => clock.sleep(ms), remainingMs };
          return stepBackup(deps, settings, event);
        },
        options.killAt === undefined ? {} : { killAt: options.killAt },
      ),
    );
    const seconds = (clock.now() - started) / 1000;

    const sets = new Map<string, number>();
    for (const snapshot of region.snapshots.values()) {
      const source = snapshot.tags[TAG_SOURCE];
      if (source !== undefined) sets.set(source, (sets.get(source) ?? 0) + 1);
    }
    const lost = instances.filter((id) => (sets.get(id) ?? 0) === 0).length;
    const duplicated = instances.filter((id) => (sets.get(id) ?? 0) > 1).length;
    const counts = bench.countBy();
    const creates = counts.CreateSnapshots ?? 0;
    // Every EC2 attempt (creates, tags, listings, throttled retries): the API the "calls per instance" meters.
    const ec2Calls = Object.values(bench.countBy((c) => c.service === "ec2")).reduce((sum, n) => sum + n, 0);
    const throttled = bench.calls.filter((c) => c.code === "RequestLimitExceeded").length;
    const floorSeconds = Math.max(0, sources - 100) / 5;
    const notes = [`${throttled} attempts throttled`, ...failureNotes(report)];

    const correctness: Check[] = [
      { name: "0 lost (an instance without its snapshot set)", pass: lost === 0, measured: String(lost), correctness: true },
      { name: "0 duplicated (exactly one snapshot set per instance)", pass: duplicated === 0, measured: String(duplicated), correctness: true },
    ];
    const speed: Check[] =
      options.acceptance === "speed"
        ? [
            { name: "time <= 1.15x the floor (N-100)/5 s", pass: ratio(seconds, floorSeconds) <= 1.15, measured: `${fixed(ratio(seconds, floorSeconds))}x`, correctness: false },
            { name: "<= 1.05 EC2 calls per instance (every EC2 action, throttled attempts included)", pass: ec2Calls / sources <= 1.05, measured: `${fixed(ec2Calls / sources, 3)} (CreateSnapshots ${fixed(creates / sources, 3)})`, correctness: false },
          ]
        : [
            {
              name: `completes within its deadline (${DEFAULT_DEADLINE_MINUTES} min) across invocations, none running into Lambda's time limit`,
              pass: report.error === undefined && seconds <= DEFAULT_DEADLINE_MINUTES * 60 && lost === 0 && report.timedOut === 0,
              measured: `${fixed(seconds / 60, 1)} min, ${report.invocations} invocations, ${report.timedOut} timed out`,
              correctness: false,
            },
            ...(options.killAt === undefined ? [] : [killCheck(options.killAt, report.invocations, report.killed, lost, duplicated)]),
          ];
    return {
      scenario: "backup",
      sources,
      callsPerSource: perSource(counts, sources),
      seconds,
      floorSeconds,
      invocations: report.invocations,
      killed: report.killed,
      timedOut: report.timedOut,
      lost,
      duplicated,
      notes,
      checks: [...speed, ...correctness],
    };
  } finally {
    restore();
  }
}

/** An invocation killed mid-way loses nothing and makes nothing twice; not exercised when the run ended before it. */
function killCheck(killAt: { invocation: number; afterMs: number }, invocations: number, killed: number, lost: number, duplicated: number): Check {
  const name = `an invocation killed mid-way (#${killAt.invocation} at ${killAt.afterMs / 1000} s) loses nothing`;
  if (invocations < killAt.invocation) return { name, pass: false, measured: `not exercised: the run ended in ${invocations} invocation(s)`, correctness: false };
  return { name, pass: lost === 0 && duplicated === 0, measured: `${killed} killed in all, ${lost} lost, ${duplicated} duplicated`, correctness: true };
}
