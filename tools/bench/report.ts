// Prints the benchmark's scenarios side by side: one column a scenario, one row a measure; then each acceptance
// line with PASS or FAIL, and what else each scenario saw.
import { fixed, ratio, type ScenarioResult } from "./result";

const label = (r: ScenarioResult) => `${r.scenario} ${r.sources.toLocaleString("en-US")}`;

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ").trimEnd());
}

/** The table of measures, scenarios side by side. */
export function measuresTable(results: readonly ScenarioResult[]): string[] {
  const operations = [...new Set(results.flatMap((r) => Object.keys(r.callsPerSource)))].sort();
  const row = (name: string, cell: (r: ScenarioResult) => string) => [name, ...results.map(cell)];
  const dash = "-";
  return table([
    row("scenario", label),
    ...operations.map((op) => row(`  ${op} / source`, (r) => (r.callsPerSource[op] === undefined ? dash : fixed(r.callsPerSource[op], 3)))),
    row("time (virtual s)", (r) => fixed(r.seconds, 0)),
    row("token-bucket / slot floor (s)", (r) => fixed(r.floorSeconds, 0)),
    row("time / floor", (r) => (r.floorSeconds > 0 ? `${fixed(ratio(r.seconds, r.floorSeconds))}x` : dash)),
    row("copy-slot utilisation", (r) => (r.slotUtilisation === undefined ? dash : `${fixed(r.slotUtilisation * 100, 1)}%`)),
    row("CopySnapshot calls / copy made", (r) => (r.copyCallsPerCopy === undefined ? dash : fixed(r.copyCallsPerCopy))),
    row("invocations (runs)", (r) => String(r.invocations)),
    row("  killed (no answer)", (r) => String(r.killed)),
    row("  of those, at the 900 s limit", (r) => String(r.timedOut)),
    row("lost / left undone", (r) => String(r.lost)),
    row("duplicated", (r) => String(r.duplicated)),
  ]);
}

/** Each scenario's checks: PASS or FAIL, the line with its threshold, what was measured. */
export function checkLines(results: readonly ScenarioResult[]): string[] {
  return results.flatMap((r) => [`${label(r)}:`, ...r.checks.map((c) => `  ${c.pass ? "PASS" : "FAIL"}  ${c.name}: ${c.measured}${c.correctness ? " [correctness]" : ""}`), ...r.notes.map((n) => `        ${n}`)]);
}

/** True when every correctness check passed (speed checks do not count). */
export function correct(results: readonly ScenarioResult[]): boolean {
  return results.every((r) => r.checks.every((c) => !c.correctness || c.pass));
}
