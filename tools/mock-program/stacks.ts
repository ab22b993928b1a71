// Loads a stack file (Pulumi.<stack>.yaml) as the CLI hands it to the program: key -> string,
// structured values as JSON. Used by the policy check and the tests.
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

export const ROOT = path.resolve(__dirname, "..", "..");

/** The stacks with a Pulumi.<stack>.yaml in `dir` (the repository by default). */
export function stackFiles(dir: string = ROOT): string[] {
  return fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

export function stackValues(stack: string, dir: string = ROOT): Record<string, unknown> {
  const doc = yaml.load(fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> };
  return { ...(doc.config ?? {}) };
}

/** Config values as strings, the way the Pulumi CLI passes them to the program; a non-finite scalar as YAML wrote it. */
export function asCliConfig(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v : typeof v === "number" && !Number.isFinite(v) ? yamlNumber(v) : JSON.stringify(v)]));
}

function yamlNumber(n: number): string {
  return Number.isNaN(n) ? ".nan" : n > 0 ? ".inf" : "-.inf";
}
