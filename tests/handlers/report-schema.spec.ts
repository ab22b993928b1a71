// The compliance report's published JSON Schema (docs/report.schema.json) is exactly what zod derives from the one
// schema (handlers/report/schema.ts): regenerate it with tools/report/schema-json.ts after changing the schema.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CONTROL_IDS, REGION_STATUS } from "../../handlers/report/contract";
import { complianceReportSchema } from "../../handlers/report/schema";
import { REPORT_SCHEMA_FILE, reportSchemaText } from "../../tools/report/schema-json";

const ROOT = join(__dirname, "..", "..");
const FIXTURE = join(ROOT, "tests", "fixtures", "report", "compliance-report.json");

describe("compliance report schema: docs/report.schema.json", () => {
  const published = readFileSync(join(ROOT, REPORT_SCHEMA_FILE), "utf8");

  it("equals z.toJSONSchema(complianceReportSchema) (regenerate: npx ts-node --transpile-only tools/report/schema-json.ts)", () => {
    expect(published).to.equal(reportSchemaText());
  });

  it("names every control and every region status the functions use", () => {
    const text = JSON.stringify(JSON.parse(published));
    for (const id of CONTROL_IDS) expect(text).to.include(`"${id}"`);
    for (const status of REGION_STATUS) expect(text).to.include(`"${status}"`);
  });

  it("the zod schema refuses what a reader would misread: another version, an unknown control, a status not in the list", () => {
    const report = JSON.parse(readFileSync(FIXTURE, "utf8")) as Record<string, unknown> & { controls: Array<Record<string, unknown>>; cost: Record<string, unknown> };
    expect(complianceReportSchema.safeParse(report).success).to.equal(true);
    expect(complianceReportSchema.safeParse({ ...report, schemaVersion: 2 }).success).to.equal(false);
    expect(complianceReportSchema.safeParse({ ...report, controls: [{ ...report.controls[0], id: "BACKUP_SOMETHING_ELSE" }] }).success).to.equal(false);
    expect(complianceReportSchema.safeParse({ ...report, cost: { ...report.cost, status: "maybe" } }).success).to.equal(false);
    expect(complianceReportSchema.safeParse({ ...report, generatedAt: "2026-12-02 09:00" }).success).to.equal(false);
  });
});
