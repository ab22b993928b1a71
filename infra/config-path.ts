// How a config problem names where it is: the key, then the path inside its value.
/** `["backup-dr:plans", 1, "keep", "daily"]` -> `backup-dr:plans[1].keep.daily`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, i) => {
      if (typeof segment === "number") return `[${segment}]`;
      const name = String(segment);
      if (i === 0) return name;
      return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
    })
    .join("");
}
