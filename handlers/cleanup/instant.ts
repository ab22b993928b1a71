// Strict ISO-8601 instants: a date, a time and a zone (Z or ±hh:mm) whose fields are real. Anything else is not a time.

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * The instant, or undefined for anything that is not one: no zone (ambiguous), a date alone, 2026-02-30 (which
 * Date.parse would roll into March), 24:00, an offset beyond ±23:59, free text.
 */
export function parseInstant(text: string): Date | undefined {
  const match = ISO_INSTANT.exec(text);
  if (!match) return undefined;
  const [y, mo, d, h, mi] = match.slice(1, 6).map(Number);
  const s = match[6] === undefined ? 0 : Number(match[6]);
  const probe = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  const real = probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
  const offsetOk = match[8] === undefined || (Number(match[8]) < 24 && Number(match[9]) < 60);
  const instant = new Date(text);
  if (!real || !offsetOk || y < 1970 || Number.isNaN(instant.getTime())) return undefined;
  return instant;
}
