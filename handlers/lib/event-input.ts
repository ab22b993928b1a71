// What every handler's event parser shares: one strict instant parser, one event-id rule, and a bounded,
// depth-safe description of a bad value for messages (JSON.stringify of a deeply nested event throws RangeError).
import { EVENT_ID, FIRST_EVENT_YEAR, LAST_EVENT_YEAR, MAX_DESCRIBED_INPUT } from "../../policies/lib/bounds";

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

/** An event's instant (scheduledTime, time): strict ISO-8601 in the years 1970-2199; undefined for anything else. */
export function parseInstant(text: string): Date | undefined {
  return parseIsoInstant(text, FIRST_EVENT_YEAR, LAST_EVENT_YEAR);
}

/**
 * The instant, or undefined for anything that is not one: no zone (ambiguous), a date alone, 2026-02-30 (which
 * Date.parse would roll into March), 24:00, an offset beyond ±23:59, a UTC year outside first-last, free text.
 */
export function parseIsoInstant(text: string, firstYear: number, lastYear: number): Date | undefined {
  const match = ISO_INSTANT.exec(text);
  if (!match) return undefined;
  const [y, mo, d, h, mi] = match.slice(1, 6).map(Number);
  const s = match[6] === undefined ? 0 : Number(match[6]);
  const probe = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  const real = probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
  const offsetOk = match[8] === undefined || (Number(match[8]) < 24 && Number(match[9]) < 60);
  const instant = new Date(text);
  if (!real || !offsetOk || Number.isNaN(instant.getTime())) return undefined;
  // Bounded after the offset is applied, so the UTC instant is what stays within the years.
  const year = instant.getUTCFullYear();
  return year < firstYear || year > lastYear ? undefined : instant;
}

/** What an instant field must look like, for messages. */
export const INSTANT_RULE = `an ISO-8601 instant with a zone (Z or ±hh:mm) in the years ${FIRST_EVENT_YEAR}-${LAST_EVENT_YEAR}`;

/** True for an event id the functions accept (it becomes part of a run id and an S3 key). */
export function isEventId(value: string): boolean {
  return EVENT_ID.test(value);
}

export const EVENT_ID_RULE = "1-64 letters, digits and hyphens";

/**
 * A short JSON-like description of any value: nesting beyond a few levels is shown as `…`, long text is cut, and the
 * result is at most `limit` characters. Never recurses deeper than it shows, so any input is safe.
 * Not named `describe`: in a mocha process Pulumi would take that for the global and not serialize it.
 */
export function describeInput(value: unknown, limit = MAX_DESCRIBED_INPUT): string {
  if (value === undefined) return "nothing";
  const text = sketch(value, 3, limit + 1);
  return text.length > limit ? `${text.slice(0, limit - 3)}...` : text;
}

/** JSON of a value to `depth` levels, stopping once `budget` characters are written; non-finite numbers as YAML spells them. */
function sketch(value: unknown, depth: number, budget: number): string {
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : Number.isNaN(value) ? ".nan" : value > 0 ? ".inf" : "-.inf";
  if (typeof value === "string") return JSON.stringify(value.length > budget ? value.slice(0, budget) : value);
  if (value === null || typeof value === "boolean") return String(value);
  if (typeof value !== "object") return typeof value;
  if (depth === 0) return Array.isArray(value) ? "[…]" : "{…}";
  const parts: string[] = [];
  let used = 2;
  const add = (part: string): boolean => {
    parts.push(part);
    used += part.length + 1;
    return used < budget;
  };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && add(sketch(value[i], depth - 1, budget - used)); i += 1);
    return `[${parts.join(",")}]`;
  }
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const field = (value as Record<string, unknown>)[key];
    if (!add(`${JSON.stringify(key.slice(0, budget))}:${sketch(field, depth - 1, budget - used)}`)) break;
  }
  return `{${parts.join(",")}}`;
}

/** A list of names for a message: the first few, then how many more. */
export function listSome(names: readonly string[], shown = 5): string {
  const head = names.slice(0, shown).map((n) => (n.length > 40 ? `${n.slice(0, 37)}...` : n));
  return names.length > shown ? `${head.join(", ")} and ${names.length - shown} more` : head.join(", ");
}
