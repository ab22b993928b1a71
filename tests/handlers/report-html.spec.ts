// The compliance report's HTML page as a string: the fixture is a valid report, user data is escaped, nothing points
// outside the page, every section is there, out-of-policy rows say so in words, and an empty report renders.
// (The page in a real browser, numbers read back through its hooks: tests/browser/report-page.spec.ts.)
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderReportHtml } from "../../handlers/report/html";
import { complianceReportSchema, type ComplianceReport } from "../../handlers/report/schema";

const FIXTURE = path.resolve(__dirname, "..", "fixtures", "report", "compliance-report.json");

function fixture(): ComplianceReport {
  return complianceReportSchema.parse(JSON.parse(fs.readFileSync(FIXTURE, "utf8")));
}

function empty(): ComplianceReport {
  const r = fixture();
  return {
    ...r,
    summary: { plans: 0, sources: 0, outOfPolicy: 0, unselected: 0, controlsFailed: 0 },
    plans: [],
    sources: [],
    unselected: [],
    vaults: [],
    replication: [],
    controls: [],
    errors: [],
    cost: { status: "not-yet-available", period: r.cost.period, byPlan: [], note: "Cost allocation tags were activated less than a day ago." },
  };
}

const SECTIONS = ["controls", "plans", "unselected", "vaults", "replication", "cost", "errors"];

describe("report page: the fixture", () => {
  it("is a valid compliance report covering the cases the page must show", () => {
    const r = fixture();
    const statuses = r.sources.flatMap((s) => [s.primary.status, s.dr?.status]);
    expect(statuses).to.include.members(["ok", "late", "never-backed-up", "pending-first-backup", "in-progress", "skipped-by-backup", "unknown"]);
    expect(r.plans).to.have.length(2);
    expect(r.vaults.map((v) => v.locked)).to.have.members([true, false]);
    expect(r.cost.status).to.equal("available");
    expect(r.unselected.length).to.be.greaterThan(0);
    expect(r.summary.outOfPolicy).to.equal(r.sources.filter((s) => s.outOfPolicy).length);
  });

  it("is rejected by the schema when a field is wrong (the parse above is not vacuous)", () => {
    const raw = JSON.parse(fs.readFileSync(FIXTURE, "utf8")) as { sources: Array<{ primary: { status: string } }> };
    raw.sources[0].primary.status = "fine";
    expect(complianceReportSchema.safeParse(raw).success).to.equal(false);
  });
});

describe("report page: the HTML string", () => {
  it("renders user data as text: a source named <script> and quotes in attributes are escaped", () => {
    const r = fixture();
    const evil = `<script>alert("x")</script>`;
    r.stack = `a"b<c`;
    r.sources[0] = { ...r.sources[0], source: `i-1" onmouseover="alert(1)`, name: evil, reasons: [`<img src=x onerror=alert(1)>`] };
    r.unselected[0] = { ...r.unselected[0], name: evil, selection: `'><b>` };
    r.errors = [{ where: "<where>", name: "E&E", message: evil }];
    const html = renderReportHtml(r);
    expect(html).not.to.include("<script");
    expect(html).not.to.include("<img");
    expect(html).not.to.include(`" onmouseover="`);
    expect(html).not.to.include("'><b>");
    expect(html).to.include("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).to.include(`data-source="i-1&quot; onmouseover=&quot;alert(1)"`);
    expect(html).to.include("a&quot;b&lt;c");
    expect(html).to.include("E&amp;E");
  });

  it("points nowhere outside the page: no http(s) URL in src or href, only #anchors, and a CSP that fetches nothing", () => {
    const html = renderReportHtml(fixture());
    const refs = [...html.matchAll(/\b(?:src|href|action|srcset|poster)\s*=\s*"([^"]*)"/gi)].map((m) => m[1]);
    expect(refs.length).to.be.greaterThan(0);
    expect(refs.filter((ref) => !ref.startsWith("#"))).to.deep.equal([]);
    expect(html).not.to.match(/url\(/i);
    expect(html).not.to.match(/@import/i);
    expect(html).not.to.match(/<script/i);
    expect(html).to.include(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it("has every section, each linked from the header, and one hook per number of the summary", () => {
    const r = fixture();
    const html = renderReportHtml(r);
    for (const id of SECTIONS) {
      expect(html, id).to.include(`<section id="${id}">`);
      expect(html, id).to.include(`href="#${id}"`);
    }
    for (const [key, value] of Object.entries(r.summary)) expect(html).to.include(`data-field="summary.${key}" data-value="${value}"`);
  });

  it("marks out-of-policy sources in words, not by colour alone, and only those", () => {
    const r = fixture();
    const html = renderReportHtml(r);
    const groups = [...html.matchAll(/<tbody class="(in|out)">(.*?)<\/tbody>/gs)];
    expect(groups).to.have.length(r.sources.length);
    groups.forEach((g, i) => {
      const s = r.sources[i];
      expect(g[2], s.source).to.include(`data-source="${s.source}"`);
      expect(g[1], s.source).to.equal(s.outOfPolicy ? "out" : "in");
      expect(g[2].includes("OUT OF POLICY"), s.source).to.equal(s.outOfPolicy);
      for (const reason of s.reasons) expect(g[2]).to.include(reason.replace(/'/g, "&#39;"));
    });
  });

  it("shows in-progress and skipped-by-backup sources in policy, the skip's reason in words; a primary point under the source's own key is not bad, a DR one is", () => {
    const r = fixture();
    const own = "arn:aws:kms:eu-west-1:111122223333:key/aws-ebs";
    const first = r.sources[0];
    const underOwn = { id: "snap-1", taken: "2026-12-02T00:00:35Z", encrypted: true, customerKey: false, kmsKeyIds: [own] };
    const foreign = { ...first, primary: { ...first.primary, lastPoint: underOwn }, ...(first.dr === undefined ? {} : { dr: { ...first.dr, lastPoint: underOwn } }) };
    r.sources[0] = foreign;
    const html = renderReportHtml(r);
    const group = (source: string) => [...html.matchAll(/<tbody class="(in|out)">(.*?)<\/tbody>/gs)].find((g) => g[2].includes(`data-source="${source}"`));
    for (const status of ["in-progress", "skipped-by-backup"]) {
      const s = r.sources.find((x) => x.primary.status === status);
      const g = s === undefined ? undefined : group(s.source);
      expect(g?.[1], status).to.equal("in");
      expect(g?.[2], status).to.include(`data-value="${status}"`).and.not.include("OUT OF POLICY");
      if (s?.skip !== undefined) expect(g?.[2]).to.include(`skipped by the backup: ${s.skip}`);
    }
    const rows = group(foreign.source)?.[2].split("</tr>") ?? [];
    expect(rows[0]).to.include("the source's key").and.not.include("NOT the stack key");
    expect(rows[1]).to.include("NOT the stack key");
  });

  it("shows each region's age and RPO in words, with the seconds as hooks", () => {
    const r = fixture();
    const html = renderReportHtml(r);
    const late = r.sources.find((s) => s.primary.status === "late");
    expect(late?.primary.ageSeconds).to.equal(107_971);
    expect(html).to.include(`<span data-field="age" data-seconds="107971">1d 5h 59m 31s</span>`);
    expect(html).to.include(`<span data-field="rpo" data-seconds="25200">7h</span>`);
  });

  it("says the cost is not yet available, with the note, when Cost Explorer has no data", () => {
    const html = renderReportHtml(empty());
    expect(html).to.match(/data-field="cost.status" data-value="not-yet-available">Cost: <strong>not yet available<\/strong>/);
    expect(html).to.include("Cost allocation tags were activated less than a day ago.");
    expect(html).not.to.include("data-cost-plan");
  });

  it("renders a report with no plan, no source and nothing else, every section still there", () => {
    const html = renderReportHtml(empty());
    for (const id of SECTIONS) expect(html, id).to.include(`<section id="${id}">`);
    expect(html).to.include("This stack has no plan.");
    expect(html).to.include("All in policy.");
    expect(html).not.to.include("<tbody class=");
    expect(html.startsWith("<!DOCTYPE html>")).to.equal(true);
    expect(html.trimEnd().endsWith("</html>")).to.equal(true);
  });

  it("renders the same page from the Lambda's serialized copy (Pulumi's closure serializer breaks nothing)", async () => {
    const report = fixture();
    const serialized = await pulumi.runtime.serializeFunction(() => (r: ComplianceReport) => renderReportHtml(r), { isFactoryFunction: true });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "backup-dr-report-html-"));
    try {
      fs.writeFileSync(path.join(dir, "index.js"), serialized.text);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const archive = require(path.join(dir, "index.js")) as Record<string, (r: ComplianceReport) => string>;
      expect(archive[serialized.exportName](report)).to.equal(renderReportHtml(report));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
