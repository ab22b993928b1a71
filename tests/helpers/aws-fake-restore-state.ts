// What the restore fakes (aws-fake-restore.ts, aws-fake-restore-db.ts) share: the restore network every region of the
// fake knows, and the progress of a created resource: the states it moves through, one per describe that shows it.
import type { RegionState } from "./aws-fake-state";

/** The restore network the fake knows in every region: subnets (with their zones), security groups, a DB subnet group. */
export function fakeRestoreNetwork(regionName: string): { subnetIds: string[]; securityGroupIds: string[]; dbSubnetGroup: string; zones: Record<string, string> } {
  return {
    subnetIds: ["subnet-0a1b2c3d4e5f60708", "subnet-0b1b2c3d4e5f60709"],
    securityGroupIds: ["sg-0a1b2c3d4e5f60701", "sg-0a1b2c3d4e5f60702"],
    dbSubnetGroup: "backup-dr-restore",
    zones: { "subnet-0a1b2c3d4e5f60708": `${regionName}a`, "subnet-0b1b2c3d4e5f60709": `${regionName}b` },
  };
}

/** How many describes a new resource stays in its first state before the next (tests may set it per region). */
const stepTables = new WeakMap<RegionState, number>();
export function setRestoreSteps(region: RegionState, describes: number): void {
  stepTables.set(region, describes);
}
/** `final` after the region's number of describes in the first state (one by default). */
export function progressTo(region: RegionState, first: string, final: string): string[] {
  return [...Array<string>(Math.max(0, (stepTables.get(region) ?? 1) - 1)).fill(first), final];
}

/** The states each created resource will move through, one per describe that shows it. */
const progressTables = new WeakMap<object, string[]>();
export function setProgress(resource: object, states: string[]): void {
  progressTables.set(resource, states);
}
/** Moves the resource to its next state (after a describe answered with the current one). */
export function advance<T extends object>(resource: T, apply: (state: string) => void): void {
  const next = progressTables.get(resource)?.shift();
  if (next !== undefined) apply(next);
}
