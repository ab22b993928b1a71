// The budgets of issue 22, checked on one run's measures: each lean archive at most 1 MiB zipped, and its cold
// require at most half that of Pulumi's default packaging of the same function, measured in the same run.
import type { ArtifactMeasure } from "./measure";

export const MAX_ZIPPED_BYTES = 1024 * 1024;
export const MAX_REQUIRE_RATIO = 0.5;

/** Lean cold require over default cold require (wall-clock medians) for function `fn`. */
export function requireRatio(measures: readonly ArtifactMeasure[], fn: string): number {
  const find = (packaging: string) => {
    const m = measures.find((x) => x.fn === fn && x.packaging === packaging);
    if (m === undefined) throw new Error(`no ${packaging} measure of function ${fn}`);
    return m;
  };
  return find("lean").requireWallMs / find("default").requireWallMs;
}

/** Every budget the lean archives fail, as one sentence each; empty when all hold. */
export function budgetFailures(measures: readonly ArtifactMeasure[]): string[] {
  const failures: string[] = [];
  for (const m of measures.filter((x) => x.packaging === "lean")) {
    if (m.zippedBytes > MAX_ZIPPED_BYTES) failures.push(`${m.fn}: ${m.zippedBytes} bytes zipped, over the ${MAX_ZIPPED_BYTES} budget`);
    const ratio = requireRatio(measures, m.fn);
    if (!(ratio <= MAX_REQUIRE_RATIO)) failures.push(`${m.fn}: cold require ${ratio.toFixed(2)} of default packaging, over the ${MAX_REQUIRE_RATIO} budget`);
  }
  return failures;
}
