// Reads a stack's Pulumi.<stack>.yaml (and the project name from Pulumi.yaml) and validates it with the program's
// own config validation (infra/config.ts), so the forecast sees exactly the plans `pulumi preview` would accept.
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { parseConfig, type BackupDrConfig } from "../../infra/config";
import { KEYS } from "../../infra/config-schema";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

function readYaml(file: string): Record<string, unknown> {
  if (!fs.existsSync(file)) throw new Error(`no stack file ${file}`);
  const doc = yaml.load(fs.readFileSync(file, "utf8"));
  return typeof doc === "object" && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : {};
}

/** The validated config of a stack; throws ConfigError (one line per problem) for a bad stack file. */
export function loadStack(stack: string, dir = PROJECT_DIR): BackupDrConfig {
  const project = readYaml(path.join(dir, "Pulumi.yaml")).name;
  const config = readYaml(path.join(dir, `Pulumi.${stack}.yaml`)).config;
  const values = typeof config === "object" && config !== null ? (config as Record<string, unknown>) : {};
  // The keys the program reads: aws:region and backup-dr:*, as loadConfig takes them from the runtime.
  const raw = Object.fromEntries(Object.entries(values).filter(([key]) => key === KEYS.region || key.startsWith("backup-dr:")));
  return parseConfig(raw, { project: typeof project === "string" ? project : "backup-dr", stack });
}
