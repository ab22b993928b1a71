// Turns a Lambda `code` archive, as the mocked program registered it, into files in a fresh directory
// under the OS temp dir, and loads its handler: what is deployed is what is tested (and measured). Outside the
// project tree, Node cannot fall back to the project's node_modules for a package the archive lacks.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

/** A registered `aws:lambda/function:Function`, as the mocked program recorded it. */
export interface RegisteredFunction {
  name: string;
  inputs: Record<string, unknown>;
}

export interface WrittenArchive {
  dir: string;
  /** Archive entries: `__index.js` and the `node_modules/<package>` files or folders it carries. */
  entries: string[];
}

export interface LoadedArchive extends WrittenArchive {
  handler: (event: unknown, context: unknown) => Promise<unknown>;
}

/** The archive's entry file, as the Function's `handler` (`<file>.<export>`) names it. */
export const ENTRY_FILE = "__index.js";

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

/** The function's archive entries, as the program registered them. */
export async function archiveAssets(fn: RegisteredFunction): Promise<pulumi.asset.AssetMap> {
  const code = fn.inputs.code;
  if (!(code instanceof pulumi.asset.AssetArchive)) throw new Error(`${fn.name}: code is not an AssetArchive`);
  return code.assets;
}

/** Writes the function's archive to a fresh directory under `parent` (the OS temp dir by default). */
export async function writeFunctionArchive(fn: RegisteredFunction, parent: string = os.tmpdir()): Promise<WrittenArchive> {
  const assets = await archiveAssets(fn);
  const dir = fs.mkdtempSync(path.join(parent, `backup-dr-${fn.name}-`));
  await Promise.all(Object.entries(assets).map(([name, entry]) => writeEntry(dir, name, entry)));
  return { dir, entries: Object.keys(assets).sort() };
}

/** Writes the function's archive to disk and requires its handler (`<file>.<export>`). */
export async function loadFunctionArchive(fn: RegisteredFunction): Promise<LoadedArchive> {
  const written = await writeFunctionArchive(fn);
  const entry = String(fn.inputs.handler);
  const [file, exportName] = entry.split(".");
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the written archive is the point
  const loaded = require(path.join(written.dir, `${file}.js`)) as Record<string, unknown>;
  const handler = loaded[exportName];
  if (typeof handler !== "function") throw new Error(`${fn.name}: ${entry} is not a function`);
  return { ...written, handler: handler as LoadedArchive["handler"] };
}

/** Every file of a written archive, as paths relative to its directory (`/`-separated, as in a zip). */
export function archiveFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => f.split(path.sep).join("/"))
    .sort();
}

/** Total bytes of the archive's files, unpacked. */
export function unpackedBytes(dir: string): number {
  return archiveFiles(dir).reduce((total, f) => total + fs.statSync(path.join(dir, f)).size, 0);
}
