// The offline check's output: one table row per violation (policy, level, resource, message) and a
// verdict line per stack.
import { resourceLabel, type Violation } from "./model";
import type { CheckResult } from "./check";
import { PENDING_POLICIES } from "./pending";

const HEADER = ["POLICY", "LEVEL", "RESOURCE", "MESSAGE"];

function rows(result: CheckResult): string[][] {
  const row = (v: Violation, level: string) => [v.policy, level, resourceLabel(v.urn), v.message];
  return [...result.blocking.map((v) => row(v, "mandatory")), ...result.pending.map((v) => row(v, "pending")), ...result.advisory.map((v) => row(v, v.level))];
}

/** Columns padded to their widest cell; the message, last, is never cut. */
function table(cells: string[][]): string[] {
  const widths = HEADER.slice(0, -1).map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => r.map((cell, i) => (i < widths.length ? cell.padEnd(widths[i]) : cell)).join("  ").trimEnd());
}

export function formatReport(result: CheckResult): string {
  const lines = [`Stack ${result.stack}: ${result.resourceCount} resources checked.`];
  const body = rows(result);
  if (body.length > 0) lines.push("", ...table([HEADER, ...body]), "");
  for (const policy of new Set(result.pending.map((v) => v.policy))) {
    lines.push(`pending: ${policy} is not enforced yet (${PENDING_POLICIES.get(policy) ?? "listed in tools/policy-check/pending.ts"}).`);
  }
  const counts = `${result.blocking.length} mandatory, ${result.pending.length} pending, ${result.advisory.length} advisory`;
  lines.push(`${result.blocking.length === 0 ? "PASS" : "FAIL"} ${result.stack}: ${counts}.`);
  return lines.join("\n");
}
