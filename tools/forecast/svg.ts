// A chart of the recovery points of one source over the horizon: one row per plan and region, each point a mark
// spanning its life (made to deleted), coloured by tier, on a shared time axis with a tick per year.
import type { Tier } from "../../handlers/catalog";
import type { Forecast } from "./forecast";

const COLOURS: Record<Tier, string> = { hourly: "#9ecae1", daily: "#4292c6", weekly: "#41ab5d", monthly: "#fd8d3c", yearly: "#d62728" };
const LEFT = 220;
const WIDTH = 1000;
const ROW = 60;

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function toSvg(f: Forecast): string {
  const start = Date.parse(f.start);
  const end = Date.parse(f.end);
  const x = (t: number) => LEFT + ((Math.min(t, end) - start) / (end - start)) * (WIDTH - LEFT - 20);
  const height = 60 + f.regions.length * ROW + 40;
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="sans-serif" font-size="12">`];
  parts.push(`<text x="10" y="20" font-size="14">Recovery points of one source, stack ${escape(f.stack)} (bars: made to deleted; colour: tier)</text>`);
  f.regions.forEach((r, i) => {
    const top = 50 + i * ROW;
    parts.push(`<text x="10" y="${top + ROW / 2}">${escape(`${r.plan} ${r.region} (${r.role})`)}</text>`);
    // Longer-lived points drawn last, so a yearly point is not hidden under hourly ones.
    const sorted = [...r.points].sort((a, b) => a.deletedAt - a.slot - (b.deletedAt - b.slot));
    sorted.forEach((p, k) => {
      const y = top + 4 + (k % 10) * 5;
      parts.push(`<line x1="${x(p.slot).toFixed(1)}" x2="${Math.max(x(p.deletedAt), x(p.slot) + 1).toFixed(1)}" y1="${y}" y2="${y}" stroke="${COLOURS[p.tier]}" stroke-width="3"/>`);
    });
  });
  const axis = 50 + f.regions.length * ROW + 10;
  parts.push(`<line x1="${LEFT}" x2="${WIDTH - 20}" y1="${axis}" y2="${axis}" stroke="#333"/>`);
  for (let year = new Date(start).getUTCFullYear() + 1; Date.UTC(year, 0, 1) < end; year++) {
    const t = x(Date.UTC(year, 0, 1));
    parts.push(`<line x1="${t.toFixed(1)}" x2="${t.toFixed(1)}" y1="${axis}" y2="${axis + 5}" stroke="#333"/><text x="${(t - 14).toFixed(1)}" y="${axis + 18}">${year}</text>`);
  }
  Object.entries(COLOURS).forEach(([tier, colour], i) => parts.push(`<rect x="${LEFT + i * 90}" y="28" width="10" height="10" fill="${colour}"/><text x="${LEFT + i * 90 + 14}" y="37">${tier}</text>`));
  parts.push("</svg>");
  return parts.join("\n");
}
