// Runs a synchronous computation with Intl.DateTimeFormat construction memoized by (locales, options).
//
// The handlers' zone() builds a new formatter on every call (it must: a formatter cached at module scope would not
// survive Pulumi's closure serialization), and construction costs ~10x a format. A forecast calls zone() a few times
// per slot for ~12k slots, so for its duration the constructor hands back one formatter per distinct argument set
// (formatters are immutable) and is restored afterwards. The handlers' code runs unchanged.
type Ctor = typeof Intl.DateTimeFormat;

export function withCachedDateTimeFormat<T>(compute: () => T): T {
  const original: Ctor = Intl.DateTimeFormat;
  const cache = new Map<string, Intl.DateTimeFormat>();
  const cached = function (locales?: string | string[], options?: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
    const key = JSON.stringify([locales, options]);
    const known = cache.get(key);
    if (known) return known;
    const made = new original(locales, options);
    cache.set(key, made);
    return made;
  };
  Object.assign(cached, { supportedLocalesOf: original.supportedLocalesOf.bind(original) });
  cached.prototype = original.prototype;
  Intl.DateTimeFormat = cached as unknown as Ctor;
  try {
    return compute();
  } finally {
    Intl.DateTimeFormat = original;
  }
}
