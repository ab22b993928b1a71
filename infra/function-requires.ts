// What a function's serialized code (`__index.js`, as Pulumi's closure serializer wrote it) loads at run time:
// every non-builtin `require("…")`, and which of its exports the code reads, so the archive carries only those.
import { isBuiltin } from "module";

/** One package entry the serialized code requires: its specifier as written, and the exports it reads. */
export interface RequiredModule {
  specifier: string;
  /** Export names read as `<binding>.<name>`; "namespace" when the code uses the module object otherwise. */
  exports: string[] | "namespace";
}

const IDENTIFIER = "[A-Za-z_$][\\w$]*";
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** Packages that exist only at deployment time: captured by a handler, they would fail (or bloat) every cold start. */
export function isDeploymentOnly(specifier: string): boolean {
  return specifier.startsWith("@pulumi/");
}

/** How the code uses the module bound to `binding`: the names it reads, or "namespace" if it passes the object on. */
function exportsRead(code: string, binding: string): string[] | "namespace" {
  const name = escape(binding);
  const every = code.match(new RegExp(`(?<![\\w$.])${name}(?![\\w$])`, "g"))?.length ?? 0;
  // The declaration itself, and the serializer's `with({ x: __x })` keys (a local module of the same name).
  const declarations = code.match(new RegExp(`const ${name} = require\\(`, "g"))?.length ?? 0;
  const keys = code.match(new RegExp(`(?<![\\w$.])${name}: `, "g"))?.length ?? 0;
  const reads = [...code.matchAll(new RegExp(`(?<![\\w$.])${name}\\.(${IDENTIFIER})`, "g"))].map((m) => m[1]);
  if (every !== declarations + keys + reads.length) return "namespace";
  return [...new Set(reads)].sort();
}

/**
 * The packages `code` requires, sorted by specifier. A name a binding reads that the package lacks is harmless
 * (it bundles to undefined, as the full package would give); reading too few is not possible: any other use of
 * the binding takes the whole namespace. Throws if the code requires a deployment-only (Pulumi) package.
 */
export function requiredModules(code: string, functionName: string): RequiredModule[] {
  const bySpecifier = new Map<string, Set<string> | "namespace">();
  const bound = new Map<string, string[]>();
  for (const m of code.matchAll(new RegExp(`const (${IDENTIFIER}) = require\\("([^"]+)"\\);`, "g"))) {
    bound.set(m[2], [...(bound.get(m[2]) ?? []), m[1]]);
  }
  for (const m of code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
    const specifier = m[1];
    if (isBuiltin(specifier) || specifier.startsWith(".")) continue;
    if (isDeploymentOnly(specifier)) {
      throw new Error(`function ${functionName}: its serialized code requires ${specifier}, a deployment-time package; a handler must not capture Pulumi`);
    }
    const bindings = bound.get(specifier) ?? [];
    const total = code.match(new RegExp(`\\brequire\\(\\s*["']${escape(specifier)}["']\\s*\\)`, "g"))?.length ?? 0;
    const previous = bySpecifier.get(specifier);
    if (previous === "namespace") continue;
    // A require that is not a top-level `const x = require("…")` (e.g. inside a handler): take the whole namespace.
    const reads = bindings.length === total ? bindings.map((b) => exportsRead(code, b)) : ["namespace" as const];
    if (reads.some((r) => r === "namespace")) {
      bySpecifier.set(specifier, "namespace");
      continue;
    }
    const names = previous ?? new Set<string>();
    for (const r of reads) for (const n of r) names.add(n);
    bySpecifier.set(specifier, names);
  }
  return [...bySpecifier.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([specifier, names]) => ({ specifier, exports: names === "namespace" ? names : [...names].sort() }));
}
