// Extra actions of the fake AWS, looked up before the built-in ones: each function's tests add theirs
// in a file of their own (aws-fake-copy.ts, aws-fake-cleanup.ts), so they never edit the same switch.
import type { RegionState } from "./aws-fake-state";
import type { Params } from "./aws-wire";

/** Where an action runs, and a way to reach another region's state (a cross-region copy reads its source). */
export interface ActionContext {
  params: Params;
  region: RegionState;
  /** Most items one page returns. */
  cap: number;
  regionNamed(name: string): RegionState;
}

/** Returns the action's result XML (inside the response element), or throws an AwsFault. */
export type FakeAction = (ctx: ActionContext) => string;

export interface FakeActions {
  ec2: Record<string, FakeAction>;
  rds: Record<string, FakeAction>;
}
