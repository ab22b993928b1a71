// The compliance report's page in a real headless Chromium (puppeteer-core): the fixture report rendered to a file,
// opened, and its numbers read back through the page's data hooks and compared with the JSON; the page fetches nothing
// and logs no error. No Chromium: the suite is SKIPPED, visibly, unless BACKUP_DR_REQUIRE_BROWSER=1 (CI), where it fails.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";
import type { Browser, Page } from "puppeteer-core";
import { duration } from "../../handlers/lib/duration";
import { renderReportHtml } from "../../handlers/report/html";
import { complianceReportSchema, type ComplianceReport } from "../../handlers/report/schema";
import { CHROMIUM_PATHS, findChromium, launchChromium } from "../../tools/report/chromium";

const FIXTURE = path.resolve(__dirname, "..", "fixtures", "report", "compliance-report.json");

/** What the page says at one hook: its attributes and its text, and the data-field hooks inside it by name. */
interface Hook {
  attrs: Record<string, string>;
  text: string;
  fields: Record<string, { attrs: Record<string, string>; text: string }>;
}

/** The little of the DOM the reader uses (the project compiles without the DOM library). */
interface Node {
  attributes: ArrayLike<{ name: string; value: string }>;
  textContent: string | null;
  querySelectorAll(selector: string): ArrayLike<Node>;
}

async function read(page: Page, selector: string): Promise<Hook[]> {
  const found: unknown = await page.$$eval(selector, (elements: unknown[]) => {
    const one = (n: Node) => ({
      attrs: Object.fromEntries(Array.from(n.attributes, (a) => [a.name, a.value])),
      text: (n.textContent ?? "").replace(/\s+/g, " ").trim(),
    });
    return (elements as Node[]).map((n) => ({ ...one(n), fields: Object.fromEntries(Array.from(n.querySelectorAll("[data-field]"), (f) => [one(f).attrs["data-field"], one(f)])) }));
  });
  return found as Hook[];
}

function only(hooks: Hook[], what: string): Hook {
  expect(hooks, what).to.have.length(1);
  return hooks[0];
}

function fixture(): ComplianceReport {
  return complianceReportSchema.parse(JSON.parse(fs.readFileSync(FIXTURE, "utf8")));
}

interface Opened {
  page: Page;
  url: string;
  requests: string[];
  errors: string[];
}

/** The temp folders of the pages written, removed after the suite. */
const written: string[] = [];

/** Writes the report's page to a temp file and opens it, recording every request and every console error. */
async function open(browser: Browser, report: ComplianceReport): Promise<Opened> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "backup-dr-report-page-"));
  written.push(dir);
  const file = path.join(dir, "report.html");
  fs.writeFileSync(file, renderReportHtml(report));
  const url = pathToFileURL(file).href;
  const page = await browser.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    requests.push(request.url());
    void (request.url() === url ? request.continue() : request.abort());
  });
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  await page.goto(url, { waitUntil: "load" });
  return { page, url, requests, errors };
}

describe("report page in headless Chromium", function () {
  let browser: Browser | undefined;

  before(async function () {
    const executable = findChromium();
    if (executable === undefined) {
      const why = `no Chromium (BACKUP_DR_CHROMIUM=${process.env.BACKUP_DR_CHROMIUM ?? "unset"}, none of ${CHROMIUM_PATHS.join(", ")})`;
      if (process.env.BACKUP_DR_REQUIRE_BROWSER === "1") throw new Error(`BACKUP_DR_REQUIRE_BROWSER=1 but ${why}: install Debian's chromium package`);
      console.log(`      SKIPPED: ${why}; the report page's browser test did not run (apt-get install chromium)`);
      this.skip();
    }
    browser = await launchChromium(executable);
  });

  after(async () => {
    await browser?.close();
    for (const dir of written.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  function started(): Browser {
    if (browser === undefined) throw new Error("the browser did not start");
    return browser;
  }

  describe("the fixture report", () => {
    const report = fixture();
    let opened: Opened;

    before(async () => {
      opened = await open(started(), report);
    });

    it("shows the header and the summary counts of the JSON", async () => {
      const header = only(await read(opened.page, "header"), "header");
      expect(header.fields.stack.text).to.equal(report.stack);
      expect(header.fields.date.text).to.equal(report.date);
      expect(header.fields.generatedAt.attrs.datetime).to.equal(report.generatedAt);
      expect(header.fields["regions.primary"].text).to.equal(report.regions.primary);
      expect(header.fields["regions.dr"].text).to.equal(report.regions.dr);
      for (const [key, value] of Object.entries(report.summary)) {
        expect(header.fields[`summary.${key}`].text, key).to.equal(String(value));
        expect(header.fields[`summary.${key}`].attrs["data-value"], key).to.equal(String(value));
      }
    });

    it("shows each source's status and age against the RPO, per region, as the JSON has them", async () => {
      const rows = await read(opened.page, "tr[data-source]");
      const expected = report.sources.flatMap((s) => (s.dr === undefined ? [["primary", s.primary] as const] : [["primary", s.primary] as const, ["dr", s.dr] as const]).map(([role, r]) => ({ s, role, r })));
      expect(rows).to.have.length(expected.length);
      for (const { s, role, r } of expected) {
        const row = only(rows.filter((h) => h.attrs["data-source"] === s.source && h.attrs["data-region"] === role), `${s.source} ${role}`);
        const what = `${s.source} ${role}`;
        expect(row.attrs["data-plan"], what).to.equal(s.plan);
        expect(row.attrs["data-region-name"], what).to.equal(r.region);
        expect(row.fields.status.text, what).to.equal(r.status);
        expect(row.fields.status.attrs["data-value"], what).to.equal(r.status);
        expect(row.fields.age.attrs["data-seconds"], what).to.equal(r.ageSeconds === undefined ? undefined : String(r.ageSeconds));
        expect(row.fields.age.text, what).to.equal(r.ageSeconds === undefined ? "none" : duration(r.ageSeconds));
        expect(row.fields.rpo.attrs["data-seconds"], what).to.equal(String(r.rpoSeconds));
        expect(row.fields.rpo.text, what).to.equal(duration(r.rpoSeconds));
        expect(row.fields["lastPoint.id"]?.text, what).to.equal(r.lastPoint?.id);
        for (const [tier, n] of Object.entries(r.pointsByTier)) {
          const cell = row.fields[`points.${tier}`];
          if (n === 0 && r.keep[tier as keyof typeof r.keep] === 0) expect(cell, `${what} ${tier}`).to.equal(undefined);
          else expect([cell.attrs["data-count"], cell.attrs["data-keep"]], `${what} ${tier}`).to.deep.equal([String(n), String(r.keep[tier as keyof typeof r.keep])]);
        }
      }
      // One value written out, so that a wrong duration() cannot agree with itself.
      const late = only(rows.filter((h) => h.attrs["data-source"] === "i-0a1b2c3d4e5f60002" && h.attrs["data-region"] === "primary"), "the late source");
      expect([late.fields.status.text, late.fields.age.text, late.fields.rpo.text]).to.deep.equal(["late", "1d 5h 59m 31s", "7h"]);
    });

    it("shows each plan's RPO and counts", async () => {
      const plans = await read(opened.page, "section[data-plan]");
      expect(plans.map((p) => p.attrs["data-plan"])).to.deep.equal(report.plans.map((p) => p.name));
      report.plans.forEach((p, i) => {
        const f = plans[i].fields;
        expect([f["plan.rpo"].attrs["data-seconds"], f["plan.drRpo"]?.attrs["data-seconds"], f["plan.sources"].text, f["plan.outOfPolicy"].text], p.name).to.deep.equal([
          String(p.rpoSeconds),
          p.drRpoSeconds === undefined ? undefined : String(p.drRpoSeconds),
          String(p.sources),
          String(p.outOfPolicy),
        ]);
        expect(plans[i].text.includes("OUT OF POLICY"), p.name).to.equal(p.outOfPolicy > 0);
      });
    });

    it("says OUT OF POLICY in words on exactly the out-of-policy sources, and sets them apart in colour as well", async () => {
      const groups = await read(opened.page, "tbody.out, tbody.in");
      expect(groups).to.have.length(report.sources.length);
      report.sources.forEach((s, i) => {
        expect(groups[i].text.includes("OUT OF POLICY"), s.source).to.equal(s.outOfPolicy);
        expect(groups[i].fields.outOfPolicy.attrs["data-value"], s.source).to.equal(String(s.outOfPolicy));
        for (const reason of s.reasons) expect(groups[i].text, s.source).to.include(reason);
      });
      const background: unknown = await opened.page.evaluate(`[...document.querySelectorAll("tbody.out td, tbody.in td")].map((td) => td.closest("tbody").className + " " + getComputedStyle(td).backgroundColor)`);
      const colours = (background as string[]).reduce<Record<string, Set<string>>>((acc, line) => {
        const [cls, ...rest] = line.split(" ");
        (acc[cls] ??= new Set()).add(rest.join(" "));
        return acc;
      }, {});
      expect([...colours.out].some((c) => colours.in.has(c)), "an out-of-policy row shares a background with an in-policy one").to.equal(false);
    });

    it("shows each control's verdict and counts", async () => {
      const rows = await read(opened.page, "tr[data-control]");
      expect(rows.map((r) => r.attrs["data-control"])).to.deep.equal(report.controls.map((c) => c.id));
      report.controls.forEach((c, i) => {
        expect([rows[i].fields.passed.attrs["data-value"], rows[i].fields.checked.text, rows[i].fields.failing.text], c.id).to.deep.equal([String(c.passed), String(c.checked), String(c.failing)]);
        expect(rows[i].fields.passed.text, c.id).to.equal(c.passed ? "pass" : "FAIL");
        for (const example of c.examples) expect(rows[i].text, c.id).to.include(example);
      });
    });

    it("shows the cost per plan and region, and their total", async () => {
      const rows = await read(opened.page, "tr[data-cost-plan]");
      expect(report.cost.byPlan.length).to.be.greaterThan(0);
      expect(rows).to.have.length(report.cost.byPlan.length);
      for (const b of report.cost.byPlan) {
        const row = only(rows.filter((r) => r.attrs["data-cost-plan"] === b.plan && r.attrs["data-region"] === b.region), `${b.plan} ${b.region}`);
        expect(Number(row.fields.amount.attrs["data-value"])).to.equal(b.amount);
        expect(row.fields.amount.text).to.equal(`${b.amount.toFixed(2)} ${report.cost.currency ?? ""}`.trim());
      }
      const cost = only(await read(opened.page, "#cost"), "the cost section");
      const total = report.cost.byPlan.reduce((sum, b) => sum + b.amount, report.cost.untagged ?? 0);
      expect(Number(cost.fields["cost.total"].attrs["data-value"])).to.be.closeTo(total, 1e-9);
      expect(cost.fields["cost.status"].attrs["data-value"]).to.equal("available");
    });

    it("shows the vaults' lock, the buckets' replication, the unselected resources and the errors", async () => {
      const vaults = await read(opened.page, "tr[data-vault]");
      expect(vaults.map((v) => [v.attrs["data-vault"], v.fields.locked.attrs["data-value"]])).to.deep.equal(report.vaults.map((v) => [v.bucket, String(v.locked)]));
      expect(vaults.find((v) => v.fields.locked.attrs["data-value"] === "false")?.text).to.include("NOT LOCKED");
      const buckets = await read(opened.page, "tr[data-replication]");
      expect(buckets.map((b) => [b.attrs["data-replication"], b.fields.status.attrs["data-value"]])).to.deep.equal(report.replication.map((b) => [b.bucket, b.status]));
      const unselected = await read(opened.page, "tr[data-unselected]");
      expect(unselected.map((u) => u.attrs["data-unselected"])).to.deep.equal(report.unselected.map((u) => u.id));
      const errors = await read(opened.page, "li[data-error]");
      expect(errors.map((e) => e.text)).to.deep.equal(report.errors.map((e) => `${e.where}: ${e.name}: ${e.message}`));
    });

    it("makes no network request and logs no console error", () => {
      expect(opened.requests).to.deep.equal([opened.url]);
      expect(opened.errors).to.deep.equal([]);
    });
  });

  describe("a report whose user data is markup", () => {
    it("shows it as text: nothing runs, nothing is fetched", async () => {
      const report = fixture();
      const name = `<script>window.pwned = 1</script><img src="https://example.com/x.png" onerror="window.pwned = 2">`;
      report.sources[0] = { ...report.sources[0], name, source: `i-"quoted"` };
      report.errors = [{ where: "<b>where</b>", name: "E", message: name }];
      const opened = await open(started(), report);
      const row = only(await read(opened.page, `tr[data-region="primary"][data-source='i-"quoted"']`), "the source with quotes in its id");
      expect(row.text).to.include(name);
      expect(await opened.page.evaluate("typeof window.pwned")).to.equal("undefined");
      expect(opened.requests).to.deep.equal([opened.url]);
      expect(opened.errors).to.deep.equal([]);
    });
  });
});
