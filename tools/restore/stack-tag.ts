// The value of the stack tag (backup-dr:stack) a stack's recovery points carry: `<project>/<stack>`, the project being
// Pulumi.yaml's `name`.
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { stackTagValue } from "../../handlers/catalog";
import { PROJECT_DIR } from "../lib/stack-outputs";

export function projectName(dir = PROJECT_DIR): string {
  const doc = yaml.load(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"));
  const name = typeof doc === "object" && doc !== null && "name" in doc ? doc.name : undefined;
  if (typeof name !== "string" || name === "") throw new Error(`${path.join(dir, "Pulumi.yaml")}: no project name`);
  return name;
}

/** The stack tag of `stack` (a fully qualified `org/project/stack` counts by its last part). */
export function stackTag(stack: string, dir = PROJECT_DIR): string {
  return stackTagValue(projectName(dir), stack.split("/").at(-1) ?? stack);
}
