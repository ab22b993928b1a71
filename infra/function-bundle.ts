// Bundles exactly the package exports one function's serialized code reads (SDK clients, commands, paginators,
// Powertools) into one CommonJS file, tree-shaken by esbuild from the pinned packages in node_modules: the SDK
// the tests ran, not the one the Lambda runtime carries. Built during `pulumi preview/up` (and the tests'
// mocked runs), cached by content under node_modules/.cache, so `npm ci` starts clean and nothing is built by hand.
import { createHash } from "crypto";
import * as esbuild from "esbuild";
import * as fs from "fs";
import * as path from "path";
import type { RequiredModule } from "./function-requires";

/** Bumped whenever the build options or the entry shape change: part of the cache key. */
const BUILD_VERSION = "1";
const CACHE_DIR = path.join("node_modules", ".cache", "backup-dr", "function-bundles");

/** `@scope/name` or `name`: the package a specifier points into. */
export function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return parts.slice(0, specifier.startsWith("@") ? 2 : 1).join("/");
}

/**
 * Where to import a required module from in the bundle entry: the package itself when the serialized code
 * requires its main entry (Pulumi writes `@aws-sdk/client-ec2/dist-cjs/index.js`), so esbuild takes the
 * package's ES module build, which it can tree-shake; otherwise the specifier as written.
 */
function importSource(specifier: string): string {
  const pkg = packageOf(specifier);
  if (pkg === specifier) return specifier;
  const resolve = (s: string) => {
    try {
      return require.resolve(s, { paths: [process.cwd()] });
    } catch {
      return undefined;
    }
  };
  const main = resolve(pkg);
  return main !== undefined && main === resolve(specifier) ? pkg : specifier;
}

/** The bundle's ES module entry: `modules[specifier]` holds what the serialized code reads from that specifier. */
export function bundleEntry(modules: RequiredModule[]): string {
  const lines = modules.map((m, i) => `import * as m${i} from ${JSON.stringify(importSource(m.specifier))};`);
  const values = modules.map((m, i) =>
    m.exports === "namespace" ? `  ${JSON.stringify(m.specifier)}: m${i},` : `  ${JSON.stringify(m.specifier)}: { ${m.exports.map((e) => `${e}: m${i}.${e}`).join(", ")} },`,
  );
  return [...lines, "export const modules = {", ...values, "};", ""].join("\n");
}

/**
 * The SDK's generated schema files key their traits with computed names (`{ [_xN]: _aCc }`, where
 * `const _xN = "xmlName"`); a computed key may have side effects as far as esbuild knows, so it keeps every
 * schema of the service (EC2: 550 kB minified for a client using four operations). Writing the same keys as
 * the string literals they are lets esbuild drop the schemas no used operation reaches. Same values, same objects.
 */
export function literalSchemaKeys(source: string): string {
  const constants = new Map([...source.matchAll(/^const (_\w+) = ("[^"\\\n]*");$/gm)].map((m) => [m[1], m[2]]));
  return source.replace(/([{,]\s*)\[(_\w+)\]:/g, (whole, before: string, name: string) => {
    const literal = constants.get(name);
    return literal === undefined ? whole : `${before}${literal}:`;
  });
}

const SCHEMA_FILES = /[\\/]node_modules[\\/]@aws-sdk[\\/].*[\\/]dist-es[\\/](.*[\\/])?schemas[\\/]schemas_\d+\.js$/;

const literalSchemaKeysPlugin: esbuild.Plugin = {
  name: "backup-dr-literal-schema-keys",
  setup(build) {
    build.onLoad({ filter: SCHEMA_FILES }, async (args) => ({ contents: literalSchemaKeys(await fs.promises.readFile(args.path, "utf8")), loader: "js" }));
  },
};

function sha256(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("hex");
}

/** What decides the bundle's bytes: the entry, the installed package versions, esbuild and these options. */
function cacheKey(entry: string): string {
  const lock = fs.existsSync("package-lock.json") ? sha256(fs.readFileSync("package-lock.json")) : "no-lock";
  return sha256(JSON.stringify({ entry, lock, esbuild: esbuild.version, build: BUILD_VERSION }));
}

/**
 * Builds (or reuses) the bundle for `modules` and returns its path relative to the working directory, as
 * Pulumi's own code paths are. The file is written whole and renamed, so concurrent runs never read a partial one.
 */
export async function buildFunctionBundle(modules: RequiredModule[]): Promise<string> {
  const entry = bundleEntry(modules);
  const file = path.join(CACHE_DIR, `${cacheKey(entry)}.js`);
  if (fs.existsSync(file)) return file;
  const result = await esbuild.build({
    stdin: { contents: entry, resolveDir: process.cwd(), loader: "js", sourcefile: "function-modules.js" },
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    // ES module builds first: esbuild tree-shakes those; CommonJS builds come whole.
    mainFields: ["module", "main"],
    minify: true,
    keepNames: true,
    write: false,
    logLevel: "silent",
    plugins: [literalSchemaKeysPlugin],
  });
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, result.outputFiles[0].contents);
  fs.renameSync(partial, file);
  return file;
}
