// Parses the plain numeric parts of an AWS cron field: `*`, `?`, numbers, names, ranges, lists and steps.

export interface FieldRange {
  /** Field name as the AWS docs call it, for messages. */
  name: string;
  min: number;
  max: number;
  /** Upper-case names accepted for values, the first one meaning `min` (JAN = 1, SUN = 1). */
  names?: readonly string[];
}

/** The values one field allows, ascending; throws an Error whose message names the field. */
export function parseValues(text: string, range: FieldRange): number[] {
  const values = new Set<number>();
  for (const item of text.split(",")) {
    if (item === "") throw new Error(`${range.name}: empty list item in "${text}"`);
    for (const v of parseItem(item, range)) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

function parseItem(item: string, range: FieldRange): number[] {
  const [base, stepText, extra] = item.split("/");
  if (extra !== undefined) throw new Error(`${range.name}: more than one "/" in "${item}"`);
  const step = stepText === undefined ? 1 : parseStep(stepText, item, range);
  let from: number;
  let to: number;
  if (base === "*") {
    [from, to] = [range.min, range.max];
  } else if (base.includes("-")) {
    const [a, b, more] = base.split("-");
    if (more !== undefined) throw new Error(`${range.name}: malformed range "${item}"`);
    [from, to] = [parseValue(a, range), parseValue(b, range)];
    if (from > to) throw new Error(`${range.name}: range "${base}" runs backwards`);
  } else {
    from = parseValue(base, range);
    // "5/15" means every 15th from 5 to the end of the range, as in the AWS docs' "1/10".
    to = stepText === undefined ? from : range.max;
  }
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

function parseStep(text: string, item: string, range: FieldRange): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new Error(`${range.name}: step in "${item}" must be a whole number of at least 1`);
  return Number(text);
}

/** What a field allows, as messages say it: `hours must be 0-23`, `month must be 1-12 or JAN-DEC`. */
function mustBe(range: FieldRange): string {
  const names = range.names ? ` or ${range.names[0]}-${range.names[range.names.length - 1]}` : "";
  return `${range.name} must be ${range.min}-${range.max}${names}`;
}

/** One value: a number in range or one of the field's names; a bad one names the field and its range. */
export function parseValue(text: string, range: FieldRange): number {
  const named = range.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return range.min + named;
  if (!/^\d+$/.test(text)) throw new Error(`${mustBe(range)}, not "${text}"`);
  const value = Number(text);
  if (value < range.min || value > range.max) throw new Error(`${mustBe(range)}, not ${value}`);
  return value;
}
