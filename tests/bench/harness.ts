// The benchmark's scenarios at their sizes, run one after another (each on a virtual clock of its own).
import { backupScenario } from "./backup-scenario";
import { cleanupScenario } from "./cleanup-scenario";
import { copyScenario } from "./copy-scenario";
import type { ScenarioResult } from "../../tools/bench/result";

export interface BenchSizes {
  /** Instances of the backup judged on speed (acceptance: 1,000). */
  backup: number;
  /** Instances of the backup across invocations (acceptance: 10,000). */
  backupScale: number;
  /** Expired snapshots of the cleanup (acceptance: 10,000), and a smaller cleanup beside it. */
  cleanup: number;
  cleanupSmall: number;
  /** EBS backups to copy (acceptance: 240). */
  copy: number;
  /** The invocation of the backup across invocations that is killed, and when (virtual ms into it). */
  kill: { invocation: number; afterMs: number };
}

export const ACCEPTANCE_SIZES: BenchSizes = { backup: 1_000, backupScale: 10_000, cleanup: 10_000, cleanupSmall: 1_000, copy: 240, kill: { invocation: 2, afterMs: 300_000 } };

/** Runs every scenario; `progress` hears each one's name before it starts. */
export async function runBench(sizes: BenchSizes, progress: (what: string) => void = () => undefined): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  progress(`backup of ${sizes.backup} instances`);
  results.push(await backupScenario(sizes.backup, { acceptance: "speed" }));
  // One invocation is killed part-way (no answer, no part written): it must lose nothing and make nothing twice.
  progress(`backup of ${sizes.backupScale} instances across invocations`);
  results.push(await backupScenario(sizes.backupScale, { acceptance: "scale", killAt: sizes.kill }));
  progress(`cleanup of ${sizes.cleanupSmall} expired snapshots`);
  results.push(await cleanupScenario(sizes.cleanupSmall));
  progress(`cleanup of ${sizes.cleanup} expired snapshots`);
  results.push(await cleanupScenario(sizes.cleanup));
  progress(`copy of ${sizes.copy} EBS backups`);
  results.push(await copyScenario(sizes.copy));
  return results;
}
