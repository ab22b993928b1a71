// The stack's outputs the operator commands use: the two regions, each region's restore state machine and the drill
// state machine with its region, read from `pulumi stack output --json --stack <stack>` (a child process in the
// project folder) or from a saved copy of it.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { isFields } from "../../handlers/lib/values";
import { REGION_ROLES, type RegionRole } from "../../handlers/restore/settings";

export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** "primary" = the stack's aws:region, "dr" = its backup-dr:drRegion. */
export { REGION_ROLES, type RegionRole };

export interface StackOutputs {
  regions: Record<RegionRole, string>;
  /** Each region's restore state machine (absent from a stack deployed before restore existed). */
  restoreStateMachineArns?: Record<RegionRole, string>;
  /** The drill state machine and the region it runs in (absent from a stack deployed before drills existed). */
  drill?: { stateMachineArn: string; region: string };
}

/** Runs a command and returns its standard output; throws (with `code` ENOENT when it is not installed). */
export type RunCommand = (command: string, args: readonly string[], cwd: string) => string;

export const runCommand: RunCommand = (command, args, cwd) => execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);

/** The outputs of a `pulumi stack output --json` document; throws naming each output that is missing or wrong. */
export function parseOutputs(json: unknown, where: string): StackOutputs {
  const doc = isFields(json) ? json : {};
  const primary = text(doc.primaryRegion);
  const dr = text(doc.drRegion);
  const problems = [...(primary ? [] : ["primaryRegion"]), ...(dr ? [] : ["drRegion"])];
  if (primary === undefined || dr === undefined) throw new Error(`${where}: missing output ${problems.join(", ")} (is this a backup-dr stack's output?)`);
  const machines = doc.restoreStateMachineArns;
  const arns = isFields(machines) ? machines : undefined;
  const primaryMachine = text(arns?.primary);
  const drMachine = text(arns?.dr);
  const drillMachine = text(doc.drillStateMachineArn);
  // The region's name; a role ("dr", "primary") is read as that region.
  const drillText = text(doc.drillRegion);
  const drillRole = REGION_ROLES.find((role) => role === drillText);
  const drillRegion = drillRole === undefined ? drillText : { primary, dr }[drillRole];
  const machineRegion = drillMachine?.split(":")[3];
  if (drillMachine && drillRegion && machineRegion !== drillRegion) throw new Error(`${where}: drillStateMachineArn ${drillMachine} is not in drillRegion ${drillRegion}`);
  return {
    regions: { primary, dr },
    ...(primaryMachine && drMachine ? { restoreStateMachineArns: { primary: primaryMachine, dr: drMachine } } : {}),
    ...(drillMachine && drillRegion ? { drill: { stateMachineArn: drillMachine, region: drillRegion } } : {}),
  };
}

/** The stack's outputs, from `outputsFile` when given, else from the Pulumi CLI. */
export function readOutputs(stack: string, outputsFile: string | undefined, run: RunCommand = runCommand): StackOutputs {
  if (outputsFile !== undefined) {
    let content: string;
    try {
      content = fs.readFileSync(outputsFile, "utf8");
    } catch (error) {
      throw new Error(`--outputs ${outputsFile}: cannot read it (${error instanceof Error ? error.message : String(error)})`);
    }
    return parseOutputs(parseJson(content, `--outputs ${outputsFile}`), `--outputs ${outputsFile}`);
  }
  const args = ["stack", "output", "--json", "--stack", stack];
  let stdout: string;
  try {
    stdout = run("pulumi", args, PROJECT_DIR);
  } catch (error) {
    const code = typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
    const stderr = typeof error === "object" && error !== null && "stderr" in error ? String(error.stderr).trim() : "";
    const why = code === "ENOENT" ? "the pulumi CLI is not on PATH" : stderr || (error instanceof Error ? error.message : String(error));
    throw new Error(`pulumi ${args.join(" ")} failed: ${why}\nPass --outputs <file.json> instead: a saved \`pulumi stack output --json --stack ${stack}\`.`);
  }
  return parseOutputs(parseJson(stdout, `pulumi stack output --stack ${stack}`), `the outputs of stack ${stack}`);
}

function parseJson(content: string, where: string): unknown {
  try {
    return JSON.parse(content);
  } catch {
    throw new Error(`${where}: not JSON`);
  }
}

/** The restore state machine of a region; throws when the stack has none (deployed before restore existed). */
export function stateMachineOf(outputs: StackOutputs, role: RegionRole): string {
  const arn = outputs.restoreStateMachineArns?.[role];
  if (arn === undefined) throw new Error("the stack has no output restoreStateMachineArns: deploy this version of the program (pulumi up) first");
  return arn;
}

/** The drill state machine and its region; throws when the stack has none (deployed before drills existed). */
export function drillMachineOf(outputs: StackOutputs): { stateMachineArn: string; region: string } {
  if (outputs.drill === undefined) throw new Error("the stack has no outputs drillStateMachineArn and drillRegion: deploy this version of the program (pulumi up) first");
  return outputs.drill;
}
