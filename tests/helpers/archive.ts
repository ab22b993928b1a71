// Turns a Lambda `code` archive, as the mocked program registered it, into files in a fresh directory
// under the OS temp dir, and loads its handler: what is deployed is what is tested. Outside the project
// tree, Node cannot fall back to the project's node_modules for a package the archive lacks.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import * as pulumi from "@pulumi/pulumi";
import type { Registered } from "./program";

export interface LoadedArchive {
  dir: string;
  /** Archive entries: `__index.js` and the `node_modules/<package>` folders it carries. */
  entries: string[];
  handler: (event: unknown, context: unknown) => Promise<unknown>;
}

async function writeEntry(dir: string, name: string, entry: pulumi.asset.Asset | pulumi.asset.Archive): Promise<void> {
  const target = path.join(dir, name);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (entry instanceof pulumi.asset.StringAsset) {
    fs.writeFileSync(target, await entry.text);
  } else if (entry instanceof pulumi.asset.FileArchive || entry instanceof pulumi.asset.FileAsset) {
    fs.cpSync(await entry.path, target, { recursive: true, dereference: true });
  } else {
    throw new Error(`archive entry ${name}: unexpected ${entry.constructor.name}`);
  }
}

/** Writes the function's archive to disk and requires its handler (`<file>.<export>`). */
export async function loadFunctionArchive(fn: Registered): Promise<LoadedArchive> {
  const code = fn.inputs.code;
  if (!(code instanceof pulumi.asset.AssetArchive)) throw new Error(`${fn.name}: code is not an AssetArchive`);
  const assets = await code.assets;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `backup-dr-${fn.name}-`));
  await Promise.all(Object.entries(assets).map(([name, entry]) => writeEntry(dir, name, entry)));

  const entry = String(fn.inputs.handler);
  const [file, exportName] = entry.split(".");
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the written archive is the point
  const loaded = require(path.join(dir, `${file}.js`)) as Record<string, unknown>;
  const handler = loaded[exportName];
  if (typeof handler !== "function") throw new Error(`${fn.name}: ${entry} is not a function`);
  return { dir, entries: Object.keys(assets).sort(), handler: handler as LoadedArchive["handler"] };
}

/** Every file of a written archive, as paths relative to its directory. */
export function archiveFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, encoding: "utf8" })).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

/** Bytes of the archive as a deflated zip: each file's deflate stream plus the zip's local, central and end records. */
export function zippedBytes(dir: string): number {
  const records = 22;
  return archiveFiles(dir).reduce((total, f) => total + zlib.deflateRawSync(fs.readFileSync(path.join(dir, f))).length + 30 + 46 + 2 * Buffer.byteLength(f), records);
}
