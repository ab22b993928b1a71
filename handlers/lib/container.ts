// Per-container state (SDK clients, logger) kept on globalThis, so a serialized callback never captures it.
//
// Pulumi serializes a callback with the values its module-level variables hold at deploy time; a client
// cached in a module `let` by an earlier call in the same process would be captured. globalThis is not.
// (The same serializer turns module-level Set, Map and Symbol values into plain objects: handler modules
// hold only primitives, plain objects, arrays and RegExps at module scope.)

type Store = Map<string, unknown>;

function store(): Store {
  // Built here, not at module scope: Pulumi's serializer cannot reproduce a Symbol, Set or Map held in a variable.
  const key = Symbol.for("backup-dr.container");
  const holder = globalThis as unknown as Record<symbol, Store | undefined>;
  const existing = holder[key];
  if (existing) return existing;
  const created: Store = new Map();
  holder[key] = created;
  return created;
}

/** The value cached under `key` in this container, created on first use; `key` should encode what it depends on. */
export function perContainer<T>(key: string, create: () => T): T {
  const cache = store();
  if (cache.has(key)) return cache.get(key) as T;
  const value = create();
  cache.set(key, value);
  return value;
}

/** Forgets everything cached, as a new container would (tests invoke handlers as fresh containers). */
export function resetContainer(): void {
  store().clear();
}
