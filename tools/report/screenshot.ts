// `npm run report:screenshot [report.json] [out.png]`: the README's picture of the compliance report page. Renders a
// report (default: the test fixture, tests/fixtures/report/compliance-report.json, checked against the schema) with
// the Lambda's own renderReportHtml, opens it in headless Chromium and writes a PNG (default docs/img/compliance-report.png).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";
import { renderReportHtml } from "../../handlers/report/html";
import { complianceReportSchema } from "../../handlers/report/schema";
import { CHROMIUM_PATHS, findChromium, launchChromium } from "./chromium";

const ROOT = path.resolve(__dirname, "..", "..");
const DEFAULT_REPORT = path.join(ROOT, "tests", "fixtures", "report", "compliance-report.json");
const DEFAULT_OUT = path.join(ROOT, "docs", "img", "compliance-report.png");
/** The README shows the top of the page: the summary, the controls and the first plan. */
const VIEWPORT = { width: 1280, height: 1400 };

async function main(argv: readonly string[]): Promise<void> {
  const [reportFile = DEFAULT_REPORT, out = DEFAULT_OUT] = argv;
  const report = complianceReportSchema.parse(JSON.parse(fs.readFileSync(reportFile, "utf8")));
  const executable = findChromium();
  if (executable === undefined) throw new Error(`no Chromium: set BACKUP_DR_CHROMIUM or install one of ${CHROMIUM_PATHS.join(", ")}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "backup-dr-report-shot-"));
  const page = path.join(dir, "report.html");
  fs.writeFileSync(page, renderReportHtml(report));
  const browser = await launchChromium(executable);
  try {
    const tab = await browser.newPage();
    await tab.setViewport(VIEWPORT);
    await tab.goto(pathToFileURL(page).href, { waitUntil: "load" });
    fs.mkdirSync(path.dirname(out), { recursive: true });
    await tab.screenshot({ path: out, type: "png" });
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`${path.relative(process.cwd(), out)}: ${Math.round(fs.statSync(out).size / 1024)} KB`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
