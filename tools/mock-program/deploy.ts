// Runs the real program under mocks for a stack: its config loaded as the CLI passes it, the whole stack built.
// Used by the tests (through tests/helpers/deploy.ts) and by `npm run bench:artifact`.
import { loadConfig, type BackupDrConfig } from "../../infra/config";
import { buildBackupDr, type BackupDrOutputs, type BuildOptions } from "../../infra/stack";
import { runProgram, type ProgramRun } from "./program";
import { asCliConfig, stackValues } from "./stacks";

export type Deployed = ProgramRun<{ config: BackupDrConfig; outputs: BackupDrOutputs }>;

/** Deploys `stack` with the values of its Pulumi.<stack>.yaml, or with `values` given instead; `options` as the program's build options. */
export function deployStack(stack: string, values: Record<string, unknown> = stackValues(stack), options: BuildOptions = {}): Promise<Deployed> {
  return runProgram(stack, asCliConfig(values), () => {
    const config = loadConfig();
    return { config, outputs: buildBackupDr(config, options) };
  });
}
