// What each benchmark scenario measures, in one shape the table (report.ts) prints side by side.

export interface Check {
  /** The acceptance line or correctness rule, with its threshold. */
  name: string;
  pass: boolean;
  /** What was measured, as printed. */
  measured: string;
  /** A correctness check (lost, duplicated, touched): failing it fails the benchmark; speed checks do not. */
  correctness: boolean;
}

export interface ScenarioResult {
  scenario: string;
  sources: number;
  /** Attempts per source by operation (throttled and refused attempts included). */
  callsPerSource: Record<string, number>;
  /** Virtual seconds from the first invocation's start to the end (backup, cleanup) or the last copy's completion. */
  seconds: number;
  /** The token-bucket (or copy-slot) floor, seconds. */
  floorSeconds: number;
  /** Time-averaged copies in flight / limit until the queue drained (copy only). */
  slotUtilisation?: number;
  /** CopySnapshot attempts per copy made (copy only). */
  copyCallsPerCopy?: number;
  /** Invocations (runs) made, killed ones included; how many were killed, and of those how many at the time limit. */
  invocations: number;
  killed: number;
  timedOut: number;
  /** Sources without their result (no snapshot set, not deleted, no DR copy) and sources with two. */
  lost: number;
  duplicated: number;
  /** Free text: what else the scenario saw (throttled attempts, failed runs, deferred work). */
  notes: string[];
  checks: Check[];
}

export const ratio = (measured: number, floor: number): number => (floor > 0 ? measured / floor : 0);
export const fixed = (n: number, digits = 2): string => n.toFixed(digits);
/** Each count divided by the scenario's sources. */
export const perSource = (counts: Record<string, number>, sources: number): Record<string, number> => Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / sources]));
