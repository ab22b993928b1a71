// The functions of a stack as the mocked program registers them, built with one function packaging.
// The mock harness still lives in tests/helpers (the archive tests' loader): this is the one place the bench
// reaches into it, so moving the harness out of tests/ changes this import only.
import type { FunctionPackaging } from "../../infra/function-archive";
import { deployStack } from "../../tests/helpers/deploy";
import type { RegisteredFunction } from "./archive";

/** The functions the bench measures, in the order it prints them. */
export const BENCH_FUNCTIONS = ["backup", "copy", "cleanup"] as const;
export type BenchFunction = (typeof BENCH_FUNCTIONS)[number];

/** Runs the program for `stack` under mocks with `packaging`; returns each bench function's registered Function. */
export async function registeredFunctions(stack: string, packaging: FunctionPackaging): Promise<Record<BenchFunction, RegisteredFunction>> {
  const run = await deployStack(stack, undefined, { functionPackaging: packaging });
  const find = (name: BenchFunction) => {
    const found = run.resources.filter((r) => r.type === "aws:lambda/function:Function" && r.name === name);
    if (found.length !== 1) throw new Error(`stack ${stack}: expected one function ${name}, found ${found.length}`);
    return found[0];
  };
  return { backup: find("backup"), copy: find("copy"), cleanup: find("cleanup") };
}
