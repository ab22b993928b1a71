// The bench's table, in Markdown so it pastes into the README as printed.
import { requireRatio } from "./budgets";
import type { ArtifactMeasure } from "./measure";

/** An integer with thousands separators: `8,963,211`. */
export function groupDigits(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Milliseconds to the nearest one: `287 ms`. */
export function millis(ms: number): string {
  return `${groupDigits(ms)} ms`;
}

/** One row per function and packaging, the lean row carrying the ratio of its cold require to the default one's. */
export function formatTable(measures: readonly ArtifactMeasure[]): string {
  const runs = measures.length === 0 ? 0 : measures[0].runs;
  const header = ["function", "packaging", "files", "unpacked bytes", "zipped bytes", `cold require, median of ${runs} (CPU)`, "lean / default"];
  const rows = measures.map((m) => [
    m.fn,
    m.packaging,
    groupDigits(m.files),
    groupDigits(m.unpackedBytes),
    groupDigits(m.zippedBytes),
    `${millis(m.requireWallMs)} (${millis(m.requireCpuMs)})`,
    m.packaging === "lean" ? requireRatio(measures, m.fn).toFixed(2) : "",
  ]);
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map((_, i) => (i >= 2 ? "---:" : "---"))), ...rows.map(line)].join("\n");
}
