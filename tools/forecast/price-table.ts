// The price table: the one shipped beside this file (with its source and date), with a user's file laid over it
// region by region (--prices file.json, the same shape; a region given replaces that region's prices).
import * as fs from "fs";
import * as path from "path";
import type { PriceTable, RegionPrices } from "./cost";

const FIELDS: readonly (keyof RegionPrices)[] = ["ebsSnapshotStandardGibMonth", "ebsSnapshotArchiveGibMonth", "rdsBackupGibMonth", "auroraBackupGibMonth", "interRegionTransferGib"];

export const SHIPPED_PRICES = path.join(__dirname, "prices.json");

function problem(file: string, message: string): Error {
  return new Error(`${file}: ${message}`);
}

function readTable(file: string, partial: boolean): Partial<PriceTable> & { regions: Record<string, RegionPrices> } {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
  } catch (error) {
    throw problem(file, `not readable JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isMap(doc) || !isMap(doc.regions)) throw problem(file, 'expected {"source", "date", "currency", "regions": {"<region>|default": {...}}}');
  const regions: Record<string, RegionPrices> = {};
  for (const [region, prices] of Object.entries(doc.regions)) {
    if (!isMap(prices)) throw problem(file, `regions.${region}: expected a map of ${FIELDS.join(", ")}`);
    for (const field of FIELDS) {
      const value = prices[field];
      if (typeof value !== "number" || !(value >= 0)) throw problem(file, `regions.${region}.${field}: expected a price >= 0, got ${JSON.stringify(value)}`);
    }
    regions[region] = Object.fromEntries(FIELDS.map((f) => [f, prices[f]])) as unknown as RegionPrices;
  }
  const text = (key: string) => (typeof doc[key] === "string" ? { [key]: doc[key] } : {});
  if (!partial && (typeof doc.source !== "string" || typeof doc.date !== "string")) throw problem(file, "expected a source and a date");
  return { ...text("source"), ...text("date"), ...text("currency"), regions };
}

/** The shipped table, with `overrides` (a file path) laid over it. */
export function loadPrices(overrides?: string): PriceTable {
  const shipped = readTable(SHIPPED_PRICES, false);
  const base: PriceTable = { source: shipped.source ?? "", date: shipped.date ?? "", currency: shipped.currency ?? "USD", regions: shipped.regions };
  if (overrides === undefined) return base;
  const user = readTable(overrides, true);
  return {
    source: user.source ?? `${base.source}; overridden by ${overrides}`,
    date: user.date ?? base.date,
    currency: user.currency ?? base.currency,
    regions: { ...base.regions, ...user.regions },
  };
}
