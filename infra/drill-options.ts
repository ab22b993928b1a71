// backup-dr:drill as the drill function reads it (BACKUP_DR_DRILL, handlers/drill/contract.ts DrillOptions): the one
// place config minutes become the contract's seconds.
import type { DrillOptions } from "../handlers/drill/contract";
import type { DrillConfig } from "./config";

const MINUTE_SECONDS = 60;

/** The drill function's options from the stack's drill config and the drill machine's TimeoutSeconds. */
export function drillOptions(drill: DrillConfig, machineTimeoutSeconds: number): DrillOptions {
  return {
    samplePerPlan: drill.samplePerPlan,
    keepSeconds: drill.keepMinutes * MINUTE_SECONDS,
    machineMode: drill.machineMode,
    ...(drill.instanceType === undefined ? {} : { instanceType: drill.instanceType }),
    ...(drill.instanceClass === undefined ? {} : { instanceClass: drill.instanceClass }),
    targets: Object.fromEntries(
      Object.entries(drill.plans).map(([plan, t]) => [plan, { rtoSeconds: t.rtoTargetMinutes * MINUTE_SECONDS, rpoSeconds: t.rpoTargetMinutes * MINUTE_SECONDS }]),
    ),
    kinds: Object.fromEntries(Object.entries(drill.plans).map(([plan, t]) => [plan, [...t.kinds]])),
    maxSamples: drill.maxSamples,
    schedule: drill.schedule,
    timezone: drill.timezone,
    machineTimeoutSeconds,
  };
}
