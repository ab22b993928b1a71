// The config loader's verdict, for asserting exact problem lines: parsed directly, or loaded as `pulumi preview` does.
import { ConfigError, loadConfig, parseConfig, type BackupDrConfig } from "../../infra/config";
import { runProgram, type Registered } from "./program";

const CONTEXT = { project: "backup-dr", stack: "test" };

/** The problems parseConfig reports for `raw`; none when it is accepted. */
export function configProblems(raw: Record<string, unknown>): string[] {
  try {
    parseConfig(raw, CONTEXT);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

/** The problems of a config that must be refused; an accepted config fails the test. */
export function problemsOf(raw: Record<string, unknown>): string[] {
  const problems = configProblems(raw);
  if (problems.length === 0) throw new Error("expected a ConfigError");
  return problems;
}

/** Runs the program's config loader under the mocked runtime: what it threw and the resources registered meanwhile. */
export async function loadUnderRuntime(stack: string, config: Record<string, string>): Promise<{ config?: BackupDrConfig; error: unknown; resources: Registered[] }> {
  let error: unknown;
  const run = await runProgram(stack, config, () => {
    try {
      return loadConfig();
    } catch (e) {
      error = e;
      return undefined;
    }
  });
  return { config: run.result, error, resources: run.resources };
}
