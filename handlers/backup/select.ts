// Selects every source of a plan, per resource kind; a failed listing is recorded and the other kinds go on.
import type { EC2Client } from "@aws-sdk/client-ec2";
import type { RDSClient } from "@aws-sdk/client-rds";
import { describeError } from "../lib/errors";
import { selectInstances } from "./select-ec2";
import { selectDbClusters, selectDbInstances } from "./select-rds";
import { existingRunSnapshots } from "./snapshot-ec2";
import type { ResourceKind } from "../catalog";
import type { BackupPlan, BackupRun, Selection, SelectionFailure, Source, SourceOutcome } from "./types";

export interface PlanSelection {
  sources: Source[];
  skipped: SourceOutcome[];
  failures: SelectionFailure[];
  /** EC2 snapshots this run already made, by instance id. */
  existing: Map<string, string[]>;
}

export async function selectPlan(clients: { ec2: EC2Client; rds: RDSClient }, tagKey: string, plan: BackupPlan, run: BackupRun): Promise<PlanSelection> {
  const result: PlanSelection = { sources: [], skipped: [], failures: [], existing: new Map() };
  const listKind = async (kind: ResourceKind): Promise<Selection> => {
    switch (kind) {
      case "ec2": {
        // Without the run's existing snapshots a rerun would duplicate them, so both must succeed.
        const [selection, existing] = await Promise.all([selectInstances(clients.ec2, tagKey, plan.name), existingRunSnapshots(clients.ec2, run)]);
        result.existing = existing;
        return selection;
      }
      case "rds":
        return selectDbInstances(clients.rds, tagKey, plan.name, plan.resources.includes("aurora"));
      case "aurora":
        return selectDbClusters(clients.rds, tagKey, plan.name);
    }
  };
  await Promise.all(
    plan.resources.map(async (kind) => {
      try {
        const selection = await listKind(kind);
        result.sources.push(...selection.sources);
        result.skipped.push(...selection.skipped);
      } catch (error) {
        result.failures.push({ kind, error: describeError(error) });
      }
    }),
  );
  return result;
}
