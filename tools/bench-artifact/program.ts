// The functions of a stack as the mocked program registers them (the archive tests' way), built with one packaging.
import type { FunctionPackaging } from "../../infra/function-archive";
import { deployStack } from "../mock-program/deploy";
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
