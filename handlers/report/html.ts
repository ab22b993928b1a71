// The compliance report as one self-contained HTML page (issue 19), written beside the JSON in the primary vault: inline
// CSS, no script, no external URL (its Content-Security-Policy forbids any fetch), every text value escaped (source
// names, tag values and error messages are user data). Every number a reader checks carries a stable hook
// (data-field, data-source + data-region, data-plan, data-control, ...), documented in docs/report.md "The page".
// Plain string building: it runs inside the Lambda (closure-serialized), so no library and no module-scope Map/Set.
import { TIERS, type Tier } from "../catalog";
import { duration } from "../lib/duration";
import type { ComplianceReport, Control, CostReport, LastPoint, PlanSummary, RegionCoverage, ReplicationState, SourceCoverage, Unselected, VaultState } from "./schema";

type Tiers = Record<Tier, number>;

/** Text for HTML content and attribute values alike. */
export function escapeHtml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const h = escapeHtml;

/** `data-x="v"` pairs, values escaped. */
function hooks(attrs: Record<string, string | number | boolean | undefined>): string {
  return Object.entries(attrs)
    .filter((e): e is [string, string | number | boolean] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${h(String(v))}"`)
    .join("");
}

/** "2026-12-02T06:00:00Z" -> "2026-12-02 06:00 UTC", in a <time> element carrying the instant. */
function instant(iso: string, field?: string): string {
  const shown = `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  return `<time datetime="${h(iso)}"${hooks({ "data-field": field })}>${h(shown)}</time>`;
}

/** A duration in words, with its seconds as a hook. */
function seconds(value: number | undefined, field: string): string {
  if (value === undefined) return `<span${hooks({ "data-field": field })}>none</span>`;
  return `<span${hooks({ "data-field": field, "data-seconds": value })}>${h(duration(value))}</span>`;
}

function count(value: number, field: string): string {
  return `<span${hooks({ "data-field": field, "data-value": value })}>${value}</span>`;
}

function tierCounts(points: Tiers, keep: Tiers): string {
  const shown = TIERS.filter((t) => points[t] > 0 || keep[t] > 0);
  if (shown.length === 0) return "none kept";
  return shown
    .map((t) => {
      const short = points[t] < keep[t];
      return `<span class="tier${short ? " short" : ""}"${hooks({ "data-field": `points.${t}`, "data-count": points[t], "data-keep": keep[t] })}>${t} ${points[t]}/${keep[t]}</span>`;
    })
    .join(" ");
}

/** How the point is encrypted; a key other than the stack's is bad only in DR (a backup keeps the source's own key). */
function encryption(point: LastPoint | undefined, role: "primary" | "dr"): string {
  if (point === undefined) return `<span data-field="encryption" data-value="none">no point</span>`;
  const keys = point.kmsKeyIds.length === 0 ? "" : ` title="${h(point.kmsKeyIds.join(", "))}"`;
  if (point.encrypted && point.customerKey) return `<span data-field="encryption" data-value="customer-key"${keys}>stack key</span>`;
  if (point.encrypted && role === "primary") return `<span data-field="encryption" data-value="other-key"${keys}>the source's key</span>`;
  if (point.encrypted) return `<span class="bad" data-field="encryption" data-value="other-key"${keys}>NOT the stack key</span>`;
  return `<span class="bad" data-field="encryption" data-value="unencrypted">NOT encrypted</span>`;
}

function regionRow(s: SourceCoverage, role: "primary" | "dr", r: RegionCoverage, head: string): string {
  const point = r.lastPoint === undefined ? "none" : `<span data-field="lastPoint.id">${h(r.lastPoint.id)}</span><br>${instant(r.lastPoint.taken, "lastPoint.taken")}`;
  const status = `<span class="status status-${h(r.status)}" data-field="status" data-value="${h(r.status)}">${h(r.status)}</span>`;
  return [
    `<tr${hooks({ "data-source": s.source, "data-plan": s.plan, "data-region": role, "data-region-name": r.region })}>`,
    head,
    `<td class="nowrap">${role === "primary" ? "primary" : "DR"}<br><span class="muted">${h(r.region)}</span></td>`,
    `<td class="nowrap">${status}</td><td>${point}</td><td class="nowrap">${seconds(r.ageSeconds, "age")}</td><td class="nowrap">${seconds(r.rpoSeconds, "rpo")}</td>`,
    `<td>${encryption(r.lastPoint, role)}</td><td>${tierCounts(r.pointsByTier, r.keep)}</td></tr>`,
  ].join("");
}

function sourceRows(s: SourceCoverage): string {
  const regions: Array<["primary" | "dr", RegionCoverage]> = s.dr === undefined ? [["primary", s.primary]] : [["primary", s.primary], ["dr", s.dr]];
  const span = regions.length;
  const label = s.name === undefined || s.name === s.source ? h(s.source) : `${h(s.name)}<br><span class="muted">${h(s.source)}</span>`;
  const verdict = s.outOfPolicy
    ? `<strong data-field="outOfPolicy" data-value="true">OUT OF POLICY</strong><ul>${s.reasons.map((r) => `<li>${h(r)}</li>`).join("")}</ul>`
    : `<span data-field="outOfPolicy" data-value="false">in policy</span>${s.skip === undefined ? "" : `<br><span class="muted" data-field="skip">skipped by the backup: ${h(s.skip)}</span>`}`;
  const head = `<th scope="rowgroup" rowspan="${span}">${label}<br><span class="muted">${h(s.kind)}</span></th><td rowspan="${span}">${verdict}</td>`;
  const rows = regions.map(([role, r], i) => regionRow(s, role, r, i === 0 ? head : ""));
  return `<tbody class="${s.outOfPolicy ? "out" : "in"}">${rows.join("")}</tbody>`;
}

function sourcesTable(sources: readonly SourceCoverage[]): string {
  if (sources.length === 0) return `<p class="muted">No source is opted into this plan.</p>`;
  const head = "<tr><th>Source</th><th>Policy</th><th>Region</th><th>Status</th><th>Last point</th><th>Age</th><th>RPO</th><th>Encryption</th><th>Points / keep</th></tr>";
  return `<table class="sources"><thead>${head}</thead>${sources.map(sourceRows).join("")}</table>`;
}

function keepList(keep: Tiers): string {
  const kept = TIERS.filter((t) => keep[t] > 0).map((t) => `${t} ${keep[t]}`);
  return kept.length === 0 ? "nothing" : kept.join(", ");
}

function planSection(p: PlanSummary, sources: readonly SourceCoverage[]): string {
  const facts = [
    ["Schedule", `<code>${h(p.schedule)}</code> (${h(p.timezone)})`],
    ["Backs up", h(p.resources.join(", "))],
    ["RPO", seconds(p.rpoSeconds, "plan.rpo")],
    ["Copies to DR", p.copyToDr ? `yes, DR RPO ${seconds(p.drRpoSeconds, "plan.drRpo")}` : "no"],
    ["Keeps", `${h(keepList(p.keep))}${p.copyToDr ? `; in DR ${h(keepList(p.drKeep))}` : ""}`],
    ["Sources", count(p.sources, "plan.sources")],
    ["Out of policy", `${count(p.outOfPolicy, "plan.outOfPolicy")}${p.outOfPolicy > 0 ? ' <strong class="bad">OUT OF POLICY</strong>' : ""}`],
  ];
  const dl = facts.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("");
  return `<section class="plan${p.outOfPolicy > 0 ? " out" : ""}"${hooks({ "data-plan": p.name })}><h3>Plan ${h(p.name)}</h3><dl>${dl}</dl>${sourcesTable(sources)}</section>`;
}

function plansSection(r: ComplianceReport): string {
  const named = r.plans.map((p) => planSection(p, r.sources.filter((s) => s.plan === p.name)));
  const orphans = r.sources.filter((s) => !r.plans.some((p) => p.name === s.plan));
  const rest = orphans.length === 0 ? "" : `<section class="plan"><h3>Sources of plans not in this report</h3>${sourcesTable(orphans)}</section>`;
  const body = r.plans.length === 0 && orphans.length === 0 ? `<p class="muted">This stack has no plan.</p>` : named.join("") + rest;
  return `<section id="plans"><h2>Plans and their sources</h2>${body}</section>`;
}

function controlsSection(controls: readonly Control[]): string {
  const rows = controls.map((c) => {
    const verdict = c.passed ? `<span data-field="passed" data-value="true">pass</span>` : `<strong data-field="passed" data-value="false">FAIL</strong>`;
    const examples = c.examples.length === 0 ? "" : `<ul>${c.examples.map((e) => `<li>${h(e)}</li>`).join("")}</ul>`;
    return `<tr class="${c.passed ? "in" : "out"}"${hooks({ "data-control": c.id })}><td><code>${h(c.id)}</code><br>${h(c.description)}</td><td>${verdict}</td><td>${count(c.checked, "checked")}</td><td>${count(c.failing, "failing")}</td><td>${examples}</td></tr>`;
  });
  const table = rows.length === 0 ? `<p class="muted">No control was checked.</p>` : `<table><thead><tr><th>Control</th><th>Result</th><th>Checked</th><th>Failing</th><th>Examples</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
  return `<section id="controls"><h2>Controls</h2>${table}</section>`;
}

function unselectedSection(items: readonly Unselected[]): string {
  const rows = items.map((u) => `<tr class="out"${hooks({ "data-unselected": u.id, "data-kind": u.kind })}><td>${h(u.name ?? u.id)}${u.name === undefined || u.name === u.id ? "" : `<br><span class="muted">${h(u.id)}</span>`}</td><td>${h(u.kind)}</td><td>${u.selection === undefined ? "none" : `<code>${h(u.selection)}</code>`}</td><td><strong>NOT BACKED UP</strong>: ${h(u.reason)}</td></tr>`);
  const body = rows.length === 0 ? `<p>Every resource of the primary region is selected by a plan.</p>` : `<table><thead><tr><th>Resource</th><th>Kind</th><th>Selection tag</th><th>Why</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
  return `<section id="unselected"><h2>Resources no plan backs up</h2>${body}</section>`;
}

function vaultsSection(vaults: readonly VaultState[]): string {
  const rows = vaults.map((v) => {
    const lock = v.error !== undefined ? `<strong data-field="locked" data-value="unknown">UNKNOWN</strong>: ${h(`${v.error.name}: ${v.error.message}`)}` : v.locked ? `<span data-field="locked" data-value="true">locked</span>` : `<strong data-field="locked" data-value="false">NOT LOCKED</strong>`;
    const retention = v.retentionDays === undefined ? "none" : `<span data-field="retentionDays" data-value="${v.retentionDays}">${v.retentionDays} days</span>`;
    return `<tr class="${v.locked && v.error === undefined ? "in" : "out"}"${hooks({ "data-vault": v.bucket, "data-role": v.role })}><td>${h(v.bucket)}</td><td>${v.role === "primary" ? "primary" : "DR"} <span class="muted">${h(v.region)}</span></td><td>${lock}</td><td>${h(v.mode ?? "none")}</td><td>${retention}</td></tr>`;
  });
  const body = rows.length === 0 ? `<p class="muted">No vault was read.</p>` : `<table><thead><tr><th>Bucket</th><th>Region</th><th>Object Lock</th><th>Mode</th><th>Default retention</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
  return `<section id="vaults"><h2>Vaults</h2>${body}</section>`;
}

function replicationSection(items: readonly ReplicationState[]): string {
  const rows = items.map((b) => {
    const ok = b.status === "enabled";
    const status = `<${ok ? "span" : "strong"} data-field="status" data-value="${h(b.status)}">${ok ? "enabled" : h(b.status.toUpperCase())}</${ok ? "span" : "strong"}>`;
    const error = b.error === undefined ? "" : `: ${h(`${b.error.name}: ${b.error.message}`)}`;
    return `<tr class="${ok ? "in" : "out"}"${hooks({ "data-replication": b.bucket })}><td>${h(b.bucket)}</td><td>${h(b.replica)}</td><td>${status}${error}</td><td data-field="timeControl" data-value="${b.timeControl}">${b.timeControl ? "on" : "off"}</td></tr>`;
  });
  const body = rows.length === 0 ? `<p class="muted">This stack protects no bucket.</p>` : `<table><thead><tr><th>Bucket</th><th>Replica vault</th><th>Replication</th><th>Time Control</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
  return `<section id="replication"><h2>Replication of protected buckets</h2>${body}</section>`;
}

function money(amount: number, currency: string | undefined): string {
  return `${amount.toFixed(2)}${currency === undefined ? "" : ` ${h(currency)}`}`;
}

function costSection(c: CostReport): string {
  const period = `<p>Snapshot storage, <span data-field="cost.period.start">${h(c.period.start)}</span> to <span data-field="cost.period.end">${h(c.period.end)}</span> (end excluded).</p>`;
  const note = c.note === undefined ? "" : `<p class="note" data-field="cost.note">${h(c.note)}</p>`;
  const state = `<p data-field="cost.status" data-value="${h(c.status)}">${
    c.status === "available" ? "Cost by plan and region:" : c.status === "not-yet-available" ? "Cost: <strong>not yet available</strong>." : c.status === "disabled" ? "Cost: <strong>disabled</strong> (the stack does not activate the cost allocation tags)." : `Cost: <strong>ERROR</strong>${c.error === undefined ? "" : ` ${h(`${c.error.name}: ${c.error.message}`)}`}`
  }</p>`;
  if (c.status !== "available") return `<section id="cost"><h2>Cost</h2>${state}${period}${note}</section>`;
  const rows = c.byPlan.map((b) => `<tr${hooks({ "data-cost-plan": b.plan, "data-region": b.region })}><td>${h(b.plan)}</td><td>${h(b.region)}</td><td class="num"><span data-field="amount" data-value="${b.amount}">${money(b.amount, c.currency)}</span></td></tr>`);
  const untagged = c.untagged === undefined ? "" : `<tr><td colspan="2">Without a plan tag</td><td class="num"><span data-field="cost.untagged" data-value="${c.untagged}">${money(c.untagged, c.currency)}</span></td></tr>`;
  const total = c.byPlan.reduce((sum, b) => sum + b.amount, c.untagged ?? 0);
  const foot = `<tfoot><tr><th colspan="2">Total</th><td class="num"><span data-field="cost.total" data-value="${total}">${money(total, c.currency)}</span></td></tr></tfoot>`;
  return `<section id="cost"><h2>Cost</h2>${state}${period}<table><thead><tr><th>Plan</th><th>Region</th><th>Amount</th></tr></thead><tbody>${rows.join("")}${untagged}</tbody>${foot}</table>${note}</section>`;
}

function errorsSection(errors: ComplianceReport["errors"]): string {
  const body = errors.length === 0 ? `<p data-field="errors" data-value="0">Everything could be read.</p>` : `<p class="bad" data-field="errors" data-value="${errors.length}"><strong>${errors.length} part(s) could not be read</strong>; what they cover shows as unknown.</p><ul>${errors.map((e, i) => `<li${hooks({ "data-error": i })}><code>${h(e.where)}</code>: ${h(e.name)}: ${h(e.message)}</li>`).join("")}</ul>`;
  return `<section id="errors"><h2>Errors</h2>${body}</section>`;
}

function header(r: ComplianceReport): string {
  const s = r.summary;
  const bad = (n: number) => (n > 0 ? " bad" : "");
  const tiles = [
    ["Plans", s.plans, "summary.plans", ""],
    ["Sources", s.sources, "summary.sources", ""],
    ["Out of policy", s.outOfPolicy, "summary.outOfPolicy", bad(s.outOfPolicy)],
    ["Not backed up by any plan", s.unselected, "summary.unselected", bad(s.unselected)],
    ["Controls failed", s.controlsFailed, "summary.controlsFailed", bad(s.controlsFailed)],
  ] as const;
  const verdict = s.outOfPolicy + s.unselected + s.controlsFailed + r.errors.length === 0 ? `<p class="verdict ok">All in policy.</p>` : `<p class="verdict bad"><strong>ATTENTION:</strong> something is out of policy, unprotected, failing or unreadable; see below.</p>`;
  return [
    `<header><h1>Compliance report: stack <span data-field="stack">${h(r.stack)}</span></h1>`,
    `<p>Day <span data-field="date">${h(r.date)}</span>, generated ${instant(r.generatedAt, "generatedAt")}. Primary region <span data-field="regions.primary">${h(r.regions.primary)}</span>, DR region <span data-field="regions.dr">${h(r.regions.dr)}</span>.</p>`,
    `<ul class="tiles">${tiles.map(([label, n, field, cls]) => `<li class="tile${cls}"><span class="n"${hooks({ "data-field": field, "data-value": n })}>${n}</span> ${label}</li>`).join("")}</ul>`,
    verdict,
    `<nav><a href="#controls">Controls</a> <a href="#plans">Plans</a> <a href="#unselected">Unselected</a> <a href="#vaults">Vaults</a> <a href="#replication">Replication</a> <a href="#cost">Cost</a> <a href="#errors">Errors</a></nav></header>`,
  ].join("\n");
}

const CSS = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1a1a1a;margin:0 auto;padding:16px 24px;max-width:1400px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;border-bottom:2px solid #ccc;padding-bottom:2px;margin-top:28px}h3{font-size:16px;margin:18px 0 6px}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border:1px solid #d0d0d0;padding:4px 6px;text-align:left;vertical-align:top}
thead th{background:#f0f0f0}td.num{text-align:right}ul{margin:2px 0;padding-left:18px}
.muted{color:#666;font-size:12px}.bad,.out strong{color:#a40000}
tbody.out td,tbody.out th,tr.out td{background:#fdecea}tbody.out>tr:first-child>th{border-left:5px solid #a40000}
.tiles{list-style:none;padding:0;display:flex;gap:10px;flex-wrap:wrap}.tile{border:1px solid #ccc;border-radius:6px;padding:6px 12px;min-width:120px}
.tile .n{display:block;font-size:24px;font-weight:600}.tile.bad{border:2px solid #a40000;background:#fdecea}
.verdict{padding:6px 10px;border-radius:4px}.verdict.ok{background:#e8f5e9}.verdict.bad{background:#fdecea}
.status-late,.status-never-backed-up,.status-unknown{font-weight:700;color:#a40000}.status-in-progress,.status-pending-first-backup,.status-skipped-by-backup{color:#7a5a00}.tier{white-space:nowrap}.tier.short{text-decoration:underline dotted}
dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px;margin:4px 0}dt{font-weight:600}dd{margin:0}
nav a{margin-right:10px}.note{font-style:italic}.nowrap,time{white-space:nowrap}th[scope=rowgroup]{min-width:10em}
`;

/** The report as one HTML page (UTF-8, no script, nothing fetched). */
export function renderReportHtml(report: ComplianceReport): string {
  const title = `Compliance report ${report.stack} ${report.date}`;
  return [
    "<!DOCTYPE html>",
    `<html lang="en"><head><meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${h(title)}</title><style>${CSS}</style></head><body>`,
    header(report),
    controlsSection(report.controls),
    plansSection(report),
    unselectedSection(report.unselected),
    vaultsSection(report.vaults),
    replicationSection(report.replication),
    costSection(report.cost),
    errorsSection(report.errors),
    `<footer class="muted">Report schema version ${report.schemaVersion}. The JSON beside this page has every field.</footer>`,
    "</body></html>",
  ].join("\n");
}
