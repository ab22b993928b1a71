// Random step events for the property specs: a real event with fields changed, removed or added at any depth (in
// objects and lists), so a parser meets every odd shape near a valid one.
import * as fc from "fast-check";

/** A copy of `value` with one field (along `path`, at any depth) set to `odd`, removed, or added as `key`. */
export function changeAt(value: unknown, path: number[], key: string, odd: unknown, remove: boolean): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [odd] : (value as unknown[]).map((v, i) => (i === (path[0] ?? 0) % value.length ? changeAt(v, path.slice(1), key, odd, remove) : v));
  if (typeof value !== "object" || value === null) return odd;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  const target = keys.length === 0 || path.length === 0 ? key : keys[path[0] % keys.length];
  if (path.length > 1 && typeof copy[target] === "object") copy[target] = changeAt(copy[target], path.slice(1), key, odd, remove);
  else if (remove) delete copy[target];
  else Object.defineProperty(copy, target, { value: odd, enumerable: true, configurable: true, writable: true });
  return copy;
}

/** One of `events` with up to three changes, each at a depth up to `depth`, naming one of `fields` or setting an `odd` value. */
export function mutatedEvents(events: readonly unknown[], fields: readonly string[], odd: fc.Arbitrary<unknown>, depth: number): fc.Arbitrary<unknown> {
  return fc
    .tuple(fc.constantFrom(...events), fc.array(fc.record({ path: fc.array(fc.nat(20), { maxLength: depth }), key: fc.constantFrom(...fields), odd, remove: fc.boolean() }), { maxLength: 3 }))
    .map(([event, changes]) => changes.reduce<unknown>((acc, c) => changeAt(acc, c.path, c.key, c.odd, c.remove), event));
}
