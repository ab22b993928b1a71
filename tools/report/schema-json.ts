// Writes docs/report.schema.json, the compliance report's JSON Schema, from the one zod schema
// (handlers/report/schema.ts). Run after changing that schema: npx ts-node --transpile-only tools/report/schema-json.ts
// (tests/handlers/report-schema.spec.ts fails while the file differs from the schema).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { complianceReportSchema } from "../../handlers/report/schema";

/** Where the schema is published, from the repository root. */
export const REPORT_SCHEMA_FILE = join("docs", "report.schema.json");

/** The file's exact text: the JSON Schema zod derives, two-space indented, with a final newline. */
export function reportSchemaText(): string {
  return `${JSON.stringify(z.toJSONSchema(complianceReportSchema), null, 2)}\n`;
}

if (require.main === module) {
  const file = join(__dirname, "..", "..", REPORT_SCHEMA_FILE);
  writeFileSync(file, reportSchemaText());
  console.log(`wrote ${file}`);
}
