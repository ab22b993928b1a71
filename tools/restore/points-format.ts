// How `npm run recovery-points` prints a listing: a table for a person, or JSON for a script.
import type { PointListing } from "./points-list";

const COLUMNS = ["TAKEN", "KIND", "REGION", "ORIGIN", "DR COPY", "TIER", "PLAN", "EXPIRES", "COMPLETED", "POINT", "RESTORABLE"] as const;

/** The table, newest first; a region that failed is named in `failureLines`, not here. */
export function formatPoints(listing: PointListing, heading: string): string {
  if (listing.points.length === 0) return `${heading}\n(no recovery points${listing.failures.length > 0 ? " in the regions that answered" : ""})`;
  const rows = listing.points.map((p) => [
    p.taken ?? "(unknown)",
    p.kind,
    `${p.regionRole} ${p.region}`,
    p.origin,
    p.drCopy,
    p.tier ?? "-",
    p.plan ?? "-",
    p.expires ?? "-",
    p.completed ? "yes" : "no",
    p.snapshotIds.length > 1 ? `${p.id} (+${p.snapshotIds.length - 1} more)` : p.id,
    p.whyNot === undefined ? "yes" : `no: ${p.whyNot}`,
  ]);
  const widths = COLUMNS.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ");
  return [heading, line(COLUMNS), ...rows.map(line)].join("\n");
}

export function failureLines(listing: PointListing): string[] {
  return listing.failures.map((f) => `region ${f.regionRole} (${f.region}) could not be read: ${f.error.name}: ${f.error.message}`);
}

export function pointsJson(listing: PointListing, stackTag: string, source: string): string {
  return JSON.stringify({ stack: stackTag, source, points: listing.points, failures: listing.failures }, null, 2);
}
