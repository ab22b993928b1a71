// The drill's seeded pseudo-random numbers: the same seed gives the same numbers on every run, machine and Node
// version (no Math.random). The seed text is hashed with 32-bit FNV-1a; the numbers come from mulberry32 (a 32-bit
// state advanced by the golden-ratio constant 0x6d2b79f5 and mixed by two multiply-xorshift rounds), which is small,
// fast and statistically good enough to choose a handful of sources fairly. Not for anything secret.

/** 32-bit FNV-1a of the text's UTF-16 code units, as an unsigned integer. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** 8 lowercase hex digits of the text's FNV-1a hash. */
export function shortHash(text: string): string {
  return fnv1a(text).toString(16).padStart(8, "0");
}

/** A generator of numbers in [0, 1) from the seed text (mulberry32). */
export function seededRandom(seed: string): () => number {
  let state = fnv1a(seed);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `count` items of `items` (all when fewer), chosen by a partial Fisher-Yates shuffle driven by `random`, in the order drawn. */
export function choose<T>(items: readonly T[], count: number, random: () => number): T[] {
  const pool = [...items];
  const chosen: T[] = [];
  for (let i = 0; i < Math.min(count, pool.length); i += 1) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
    chosen.push(pool[i]);
  }
  return chosen;
}
