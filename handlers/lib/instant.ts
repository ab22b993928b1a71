// Instants in catalog tags (backup-dr:expires): the events' strict ISO-8601 parser, with room for the longest
// retention (a slot in 2199 plus 100 years) up to the last 4-digit year.
import { FIRST_EVENT_YEAR } from "../../policies/lib/bounds";
import { parseIsoInstant } from "./event-input";

/** The instant a tag holds, or undefined for anything that is not one (see parseIsoInstant). */
export function parseInstant(text: string): Date | undefined {
  return parseIsoInstant(text, FIRST_EVENT_YEAR, 9999);
}
