// The one naming rule for what a restore creates: `restored-<source>-<first 8 characters of the restore id>` by
// default, or the name asked for. One rule every kind accepts: DB instance and cluster identifiers are the strictest
// (letters, digits and hyphens, a letter first, no "--", no trailing "-", 63 at most), and a kind may add a suffix of
// up to 7 characters (e.g. "-writer" for a cluster's writer instance), so names are at most 56 characters.

/** The longest name: 63 (DB identifiers) less room for a 7-character suffix a kind may add. */
export const MAX_RESTORE_NAME = 56;
/** How many characters of the restore id the default name carries. */
const SHORT_ID = 8;

const NAME = /^[A-Za-z](?!.*--)[A-Za-z0-9-]*$/;
export const NAME_RULE = `1-${MAX_RESTORE_NAME} letters, digits and hyphens, starting with a letter, without "--" or a trailing "-"`;

/**
 * The prefix only a DR drill's restores carry (drillRestoreName): the drill role may create, tag and delete DB
 * instances and clusters only under it (infra/iam-drill.ts), so an ordinary restore must never take such a name.
 */
export const DRILL_NAME_PREFIX = "drill-";

/** Whether a name is one only a drill's restore may take (DB identifiers are case-insensitive). */
export function isDrillName(name: string): boolean {
  return name.toLowerCase().startsWith(DRILL_NAME_PREFIX);
}

/** Whether a name asked for keeps to the rule. */
export function isRestoreName(name: string): boolean {
  return name.length <= MAX_RESTORE_NAME && NAME.test(name) && !name.endsWith("-");
}

/** Lowercase letters, digits and single hyphens, without hyphens at either end. */
function clean(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/-{2,}/g, "-").replace(/^-+|-+$/g, "");
}

/** The default name: the source part is cut when needed; the short restore id always stays whole at the end. */
export function defaultRestoreName(source: string, restoreId: string): string {
  return composedRestoreName(`restored-${source}`, restoreId.slice(0, SHORT_ID));
}

/** A name of the rule from a head (cut when needed; starts with a letter) and a short tail kept whole at the end. */
export function composedRestoreName(head: string, tail: string): string {
  const short = clean(tail);
  const end = short === "" ? "" : `-${short}`;
  return `${clean(head).slice(0, MAX_RESTORE_NAME - end.length).replace(/-+$/, "")}${end}`;
}

/** The name a restore uses: the one asked for, else the default. */
export function restoreName(source: string, restoreId: string, asked?: string): string {
  return asked ?? defaultRestoreName(source, restoreId);
}
