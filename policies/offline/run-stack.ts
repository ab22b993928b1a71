// Runs the backup-dr program for one stack under the test suite's Pulumi mocks (its data-source
// answers and computed attributes, tests/helpers/program.ts) with Pulumi.<stack>.yaml as the CLI
// passes it, and returns the resources as the policies see them.
import { loadConfig } from "../../infra/config";
import { buildBackupDr } from "../../infra/stack";
import { runProgram } from "../../tests/helpers/program";
import { asCliConfig, stackValues } from "../../tests/helpers/stacks";
import { Capture } from "./capture";
import type { StackResource } from "./model";

/** `values`: the stack file's config (key -> YAML value); defaults to Pulumi.<stack>.yaml's. */
export async function runStack(stack: string, values: Record<string, unknown> = stackValues(stack)): Promise<StackResource[]> {
  const capture = new Capture();
  await runProgram(stack, asCliConfig(values), () => {
    capture.attach();
    buildBackupDr(loadConfig());
  });
  return capture.resources;
}
