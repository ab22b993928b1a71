// Small checks for values read from JSON and from AWS's answers, shared by every flow and kind.

/** A JSON object's fields. */
export type Fields = Record<string, unknown>;

/** A plain object (not null, not an array). */
export function isFields(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The items that are there. */
export function defined<T>(items: (T | undefined)[]): T[] {
  return items.filter((i): i is T => i !== undefined);
}

/** A date AWS gave, or undefined when it gave none or an invalid one. */
export function validDate(d: Date | undefined): Date | undefined {
  return d instanceof Date && !Number.isNaN(d.getTime()) ? d : undefined;
}
