// Reads what a TypeScript source imports: static imports and re-exports, side-effect imports, require()
// and import() with a string literal. Used by the layout specs that keep tests/ and the pack apart.
import * as fs from "fs";
import * as path from "path";

const SPECIFIER = /\bfrom\s+["']([^"']+)["']|\bimport\s+["']([^"']+)["']|\b(?:require|import)\s*\(\s*["']([^"']+)["']\s*\)/g;

/** Every module specifier in `source`, in order. */
export function importsOf(source: string): string[] {
  return [...source.matchAll(SPECIFIER)].map((m) => m[1] ?? m[2] ?? m[3]).filter((s): s is string => s !== undefined);
}

/** The .ts files under `dir` (relative to `root`, forward slashes), skipping node_modules and build output. */
export function sourceFiles(root: string, dir = ""): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir === "" ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!["node_modules", "bin", ".git"].includes(entry.name) && !entry.name.startsWith(".")) files.push(...sourceFiles(root, rel));
    } else if (entry.name.endsWith(".ts")) files.push(rel);
  }
  return files.sort();
}

export interface ImportEdge {
  /** The importing file, relative to the root. */
  file: string;
  specifier: string;
  /** For a relative specifier, the imported path relative to the root; undefined for a package. */
  target?: string;
}

/** Each import of each file, relative specifiers resolved against the importing file. */
export function importEdges(root: string, files: string[]): ImportEdge[] {
  return files.flatMap((file) =>
    importsOf(fs.readFileSync(path.join(root, file), "utf8")).map((specifier) => ({
      file,
      specifier,
      target: specifier.startsWith(".") ? path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)) : undefined,
    })),
  );
}

/** The package a bare specifier names (`@scope/name/sub` -> `@scope/name`). */
export function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}
