// Turns resource properties from their wire form (as the mock monitor sees them) into the plain JSON
// policies get: secrets unwrapped, resource references reduced to their ID (else URN), assets and
// archives left as they are (no policy reads code), unknowns dropped.
import { specialResourceSig, specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";

export function decode(value: unknown): unknown {
  if (value === unknownValue) return undefined;
  if (Array.isArray(value)) return value.map(decode);
  if (typeof value !== "object" || value === null) return value;
  const fields = value as Record<string, unknown>;
  switch (fields[specialSigKey]) {
    case specialSecretSig:
      return decode(fields.value);
    case specialResourceSig:
      return typeof fields.id === "string" && fields.id !== "" ? fields.id : fields.urn;
    case undefined:
      return decodeObject(fields);
    default:
      return value;
  }
}

/** An object's properties, decoded; properties that decode to undefined are left out, as the engine does. */
export function decodeObject(fields: Record<string, unknown>): Record<string, unknown> {
  const decoded: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(fields)) {
    const d = decode(v);
    if (d !== undefined) decoded[key] = d;
  }
  return decoded;
}
