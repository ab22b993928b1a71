// Instants <-> wall-clock time in an IANA time zone, with Intl only, correct across DST changes.
import type { CivilDateTime } from "./civil";

export interface Zone {
  readonly name: string;
  /** The wall-clock date and time an instant shows in this zone (seconds dropped). */
  civil(instant: Date): CivilDateTime;
  /** Every instant showing a wall-clock time, earliest first: none in a spring-forward gap, two in a fall-back overlap. */
  instants(civil: CivilDateTime): Date[];
  /** One instant for a wall-clock time: the earlier in an overlap, pushed forward by the gap in a gap. */
  instant(civil: CivilDateTime): Date;
}

const DAY_MS = 86_400_000;

/** A zone's clock; create one per computation (it holds an Intl formatter, never cache it at module scope). */
export function zone(name: string): Zone {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: name,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
  const fields = (ms: number) => {
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(new Date(ms))) {
      if (part.type !== "literal") parts[part.type] = Number(part.value);
    }
    return parts;
  };
  const civil = (instant: Date): CivilDateTime => {
    const f = fields(instant.getTime());
    return { year: f.year, month: f.month, day: f.day, hour: f.hour, minute: f.minute };
  };
  // Offset of local time from UTC at an instant, in milliseconds.
  const offsetAt = (ms: number): number => {
    const f = fields(ms);
    const whole = ms - (((ms % 1000) + 1000) % 1000);
    return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - whole;
  };
  const localMs = (c: CivilDateTime) => Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute);
  const instants = (c: CivilDateTime): Date[] => {
    const local = localMs(c);
    // Zones change offset at most once in any two days, so the offsets a day either side are the candidates.
    const offsets = new Set([offsetAt(local - DAY_MS), offsetAt(local), offsetAt(local + DAY_MS)]);
    const found = [...offsets].map((o) => local - o).filter((t) => offsetAt(t) === local - t);
    return [...new Set(found)].sort((a, b) => a - b).map((t) => new Date(t));
  };
  const instant = (c: CivilDateTime): Date => {
    const [first] = instants(c);
    if (first) return first;
    // In a gap the clock jumped forward: read the time with the offset before the jump, like Temporal's "compatible".
    const local = localMs(c);
    return new Date(local - offsetAt(local - DAY_MS));
  };
  return { name, civil, instants, instant };
}

/** The zone's name as the runtime's IANA database spells it ("america/new_york" -> "America/New_York"), or undefined. */
export function canonicalTimeZone(name: string): string | undefined {
  if (name.trim() === "" || name.trim() !== name) return undefined;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

