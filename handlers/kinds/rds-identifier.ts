// RDS and Aurora snapshot identifiers, derived from stack, plan, source and slot (the catalog tags: lib/catalog-record.ts).
import { createHash } from "node:crypto";
import type { BackupRun } from "../backup/types";
import { RDS_SNAPSHOT_PREFIX } from "../catalog";
import { isoSeconds } from "../lib/run-id";

/** The most characters an identifier may have: DB snapshots 255, DB cluster snapshots 63 (RDS API reference). */
export const RDS_IDENTIFIER_MAX = { rds: 255, aurora: 63 } as const;

/** Hex digits of the hash that makes an identifier unique: 48 bits over stack, plan, source and run. */
const HASH_DIGITS = 12;

/**
 * `bdr-<plan>-<source>-<yyyymmddthhmm>-<hash>`, the hash over (stack, plan, source, run id): the same for a rerun
 * of the slot, different for any other stack, plan, source or run, however the names run together (plan `gold` +
 * source `eu-orders` vs plan `gold-eu` + source `orders`). Within the kind's length limit: the readable
 * plan-and-source part is cut short when needed, the stamp and hash always stay whole at the end. The source's
 * identity lives in the catalog tags, not in the identifier.
 */
export function rdsSnapshotIdentifier(run: BackupRun, kind: keyof typeof RDS_IDENTIFIER_MAX, source: string): string {
  const stamp = isoSeconds(run.slot).slice(0, 16).replace(/[-:]/g, "").toLowerCase();
  const hash = createHash("sha256").update(JSON.stringify([run.stackTag, run.plan, source, run.runId])).digest("hex").slice(0, HASH_DIGITS);
  const tail = `-${stamp}-${hash}`;
  const head = validRdsIdentifier(`${RDS_SNAPSHOT_PREFIX}${run.plan}-${source}`);
  return `${head.slice(0, RDS_IDENTIFIER_MAX[kind] - tail.length).replace(/-+$/, "")}${tail}`;
}

/** Lowercase letters, digits and single hyphens, starting with a letter, not ending with a hyphen, 1-255 long. */
export function validRdsIdentifier(text: string): string {
  let id = text.toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/-{2,}/g, "-");
  if (!/^[a-z]/.test(id)) id = `s-${id}`.replace(/-{2,}/g, "-");
  return id.slice(0, 255).replace(/-+$/, "");
}
