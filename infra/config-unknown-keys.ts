// Unknown config keys: the keys allowed where one was found, read from the schema itself, for the
// "did you mean" (handlers/lib/closest-key.ts) that names the one allowed key close to a typo.
import { z } from "zod";

/** The schema that validates the value at `path` under `schema`, through defaults, optionals, preprocessing, lists and maps of names. */
function schemaAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): z.core.$ZodType | undefined {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault || schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) {
    return schemaAt(schema.unwrap(), path);
  }
  // A preprocess is a pipe from a transform into the schema that checks.
  if (schema instanceof z.ZodPipe) return schemaAt(schema.out, path) ?? schemaAt(schema.in, path);
  if (path.length === 0) return schema;
  const [head, ...rest] = path;
  if (schema instanceof z.ZodObject && typeof head === "string") {
    const field: unknown = schema.shape[head];
    return field instanceof z.ZodType ? schemaAt(field, rest) : undefined;
  }
  if (schema instanceof z.ZodArray && typeof head === "number") return schemaAt(schema.element, rest);
  // A map of names (backup-dr:drill plans): every entry has the value schema.
  if (schema instanceof z.ZodRecord && typeof head === "string") return schemaAt(schema.valueType, rest);
  return undefined;
}

/** The keys a map at `path` may have, when the schema there is a map with known keys. */
export function allowedKeysAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  const target = schemaAt(schema, path);
  return target instanceof z.ZodObject ? Object.keys(target.shape) : [];
}
