// A lean code archive for a CallbackFunction: Pulumi's serialized `__index.js` as it wrote it, and instead of
// the `node_modules` of every `dependencies` package (34 MB, the same in every function), one bundle of just the
// package exports that function's code reads, with a one-line module at each path the code requires.
//
// Pulumi's codePathOptions cannot express this: extraExcludePackages drops whole packages (the SDK would then
// come from the Lambda runtime, not the version the tests ran) and extraIncludePaths places files at their own
// project-relative path, never at `node_modules/<package>`. So a resource transformation rewrites the archive.
import * as pulumi from "@pulumi/pulumi";
import { buildFunctionBundle } from "./function-bundle";
import { requiredModules } from "./function-requires";

/**
 * How a function's code archive is packaged: "lean" (this transformation, what deploys) or "default" (Pulumi's own
 * packaging, every `dependencies` package whole); the default exists to measure against (`npm run bench:artifact`).
 */
export type FunctionPackaging = "lean" | "default";

/** The package, inside the archive, holding the function's bundle; the required paths re-export from it. */
export const BUNDLE_PACKAGE = "backup-dr-function-modules";

const SERIALIZED_ENTRY = "__index.js";

/** The archive file standing in for `specifier` (a file path as written, or a package's `index.js`). */
export function shimPath(specifier: string): string {
  return /\.c?js$/.test(specifier) ? `node_modules/${specifier}` : `node_modules/${specifier}/index.js`;
}

/** The lean entries for a function whose default archive is `assets`. */
export async function leanAssets(assets: pulumi.asset.AssetMap, functionName: string): Promise<pulumi.asset.AssetMap> {
  const entry: unknown = assets[SERIALIZED_ENTRY];
  const text = pulumi.asset.Asset.isInstance(entry) ? await (entry as { text?: Promise<string> | string }).text : undefined;
  if (typeof text !== "string") throw new Error(`function ${functionName}: its archive has no serialized ${SERIALIZED_ENTRY}`);
  const modules = requiredModules(text, functionName);
  const lean: pulumi.asset.AssetMap = { [SERIALIZED_ENTRY]: new pulumi.asset.StringAsset(text) };
  for (const [name, asset] of Object.entries(assets)) {
    if (name !== SERIALIZED_ENTRY && name !== "node_modules" && !name.startsWith("node_modules/")) lean[name] = asset;
  }
  if (modules.length === 0) return lean;
  lean[`node_modules/${BUNDLE_PACKAGE}/index.js`] = new pulumi.asset.FileAsset(await buildFunctionBundle(modules));
  for (const m of modules) {
    lean[shimPath(m.specifier)] = new pulumi.asset.StringAsset(`module.exports = require(${JSON.stringify(BUNDLE_PACKAGE)}).modules[${JSON.stringify(m.specifier)}];\n`);
  }
  return lean;
}

/** The transformations a CallbackFunction named `functionName` gets for `packaging`: none for Pulumi's default. */
export function packagingTransformations(functionName: string, packaging: FunctionPackaging): pulumi.ResourceTransformation[] {
  return packaging === "lean" ? [leanArchive(functionName)] : [];
}

/** Give a CallbackFunction's options: its Function resource gets the lean archive in place of Pulumi's default. */
export function leanArchive(functionName: string): pulumi.ResourceTransformation {
  return (args) => {
    if (args.type !== "aws:lambda/function:Function") return undefined;
    const code = pulumi.output(args.props.code as pulumi.Input<pulumi.asset.Archive>).apply((archive) => {
      // An apply sees a resolved copy of the archive (its `assets` promise already the map), not the instance.
      const assets = pulumi.asset.Archive.isInstance(archive) ? (archive as Partial<pulumi.asset.AssetArchive>).assets : undefined;
      if (assets === undefined) throw new Error(`function ${functionName}: code is not an AssetArchive`);
      return new pulumi.asset.AssetArchive(Promise.resolve(assets).then((map) => leanAssets(map, functionName)));
    });
    return { props: { ...args.props, code }, opts: args.opts };
  };
}
