// The tests deploy a stack under mocks through the same function as `npm run bench:artifact`.
// A shipped stack deployed as its file stands (no values, no build options) is the same program every time, so each
// mocha worker runs it once and every spec of that worker reads the same result (about 5 s a stack run). Specs only
// read what a deploy registered; one that changes values or options deploys afresh.
import { deployStack as deployFresh, type Deployed } from "../../tools/mock-program/deploy";
import type { BuildOptions } from "../../infra/stack";

export type { Deployed };

const shipped = new Map<string, Promise<Deployed>>();

export function deployStack(stack: string, values?: Record<string, unknown>, options?: BuildOptions): Promise<Deployed> {
  if (values !== undefined || options !== undefined) return deployFresh(stack, values, options);
  const known = shipped.get(stack);
  if (known !== undefined) return known;
  const run = deployFresh(stack);
  shipped.set(stack, run);
  // A failed deploy is not kept: the next spec sees its own failure.
  run.catch(() => shipped.delete(stack));
  return run;
}
