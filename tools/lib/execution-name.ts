// The parts of a readable execution name (a restore id, a drill id): the UTC time it was started, compact, and a few
// random characters so two started in the same second differ.
import { randomBytes } from "crypto";

/** e.g. `20261202T031700Z` (seconds, no separators: an execution name takes only [A-Za-z0-9_-]). */
export function compactUtc(now: Date): string {
  return now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}

/** `chars` random lowercase hex characters. */
export function randomHex(chars: number): string {
  return randomBytes(Math.ceil(chars / 2)).toString("hex").slice(0, chars);
}
