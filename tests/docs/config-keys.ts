// The config keys a schema accepts, read from the schema itself: the top-level keys and every field of
// their maps and lists of maps (`backup-dr:plans[].keep.daily`), so the docs check needs no list of its own.
// backup-dr:plans is checked by the plan contract's validator, not by a zod shape: its fields come from the contract.
import { z } from "zod";
import { KEYS } from "../../infra/config-schema";
import { PLAN_FIELDS, TIERS } from "../../policies/lib/plan-contract";

const TIER_COUNTS = z.object(Object.fromEntries(TIERS.map((t) => [t, z.number()])));
/** The shape of backup-dr:plans as the plan contract defines it (handlers/plan.ts checks it). */
const PLANS_SHAPE = z.array(z.object(Object.fromEntries(PLAN_FIELDS.map((f) => [f, f === "keep" || f === "drKeep" ? TIER_COUNTS : z.unknown()]))));

export interface ConfigKey {
  /** The full path, e.g. `backup-dr:cleanup.dryRun`. */
  path: string;
  /** The top-level key (`backup-dr:cleanup`). */
  key: string;
  /** The field's own name (`dryRun`); the key itself for a top-level key. */
  name: string;
}

/** The schema beneath defaults, optionals and preprocessing; undefined for a leaf with no fields. */
function fieldsOf(schema: z.ZodType): Record<string, z.ZodType> | { "[]": z.ZodType } | undefined {
  if (schema instanceof z.ZodObject) return schema.shape;
  if (schema instanceof z.ZodArray) return { "[]": schema.element as z.ZodType };
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable || schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault) {
    return fieldsOf(schema.unwrap() as z.ZodType);
  }
  if (schema instanceof z.ZodPipe) return fieldsOf(schema.out as z.ZodType) ?? fieldsOf(schema.in as z.ZodType);
  return undefined;
}

function walk(schema: z.ZodType, key: string, prefix: string, into: ConfigKey[]): void {
  const fields = fieldsOf(schema);
  if (fields === undefined) return;
  for (const [name, field] of Object.entries(fields)) {
    if (name === "[]") {
      walk(field, key, `${prefix}[]`, into);
      continue;
    }
    into.push({ path: `${prefix}.${name}`, key, name });
    walk(field, key, `${prefix}.${name}`, into);
  }
}

/** Every key and field the top-level object schema accepts. */
export function configKeys(schema: { readonly shape: Readonly<Record<string, z.ZodType>> }): ConfigKey[] {
  const keys: ConfigKey[] = [];
  for (const [key, value] of Object.entries(schema.shape)) {
    keys.push({ path: key, key, name: key });
    walk(key === KEYS.plans ? PLANS_SHAPE : value, key, key, keys);
  }
  return keys;
}

/** Words written in code spans of a page (`{dryRun: false}` gives dryRun and false). */
function codeWords(markdown: string): Set<string> {
  const words = new Set<string>();
  for (const span of markdown.matchAll(/`([^`]+)`/g)) {
    for (const word of (span[1] ?? "").matchAll(/[\w-]+/g)) words.add(word[0]);
  }
  return words;
}

/** Top-level keys that have no table row of their own (first cell), and fields no code span names. */
export function undocumentedKeys(keys: readonly ConfigKey[], markdown: string): string[] {
  const rowKeys = new Set([...markdown.matchAll(/^\|\s*`([^`]+)`\s*\|/gm)].map((row) => row[1]));
  const words = codeWords(markdown);
  return keys
    .filter((k) => (k.path === k.key ? !rowKeys.has(k.key) : !words.has(k.name)))
    .map((k) => k.path);
}
