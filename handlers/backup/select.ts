// Selects every source of a plan, per resource kind; a failed listing is recorded and the other kinds go on.
import { describeError } from "../lib/errors";
import type { KindClients } from "../kinds/clients";
import { backupKind } from "../kinds/registry";
import type { BackupPlan, BackupRun, SelectionFailure, Source, SourceOutcome } from "./types";

export interface PlanSelection {
  sources: Source[];
  skipped: SourceOutcome[];
  failures: SelectionFailure[];
}

export async function selectPlan(clients: KindClients, tagKey: string, plan: BackupPlan, run: BackupRun): Promise<PlanSelection> {
  const result: PlanSelection = { sources: [], skipped: [], failures: [] };
  await Promise.all(
    plan.resources.map(async (kind) => {
      try {
        const selection = await backupKind(kind).select({ clients, tagKey, plan: plan.name, resources: plan.resources, run });
        result.sources.push(...selection.sources);
        result.skipped.push(...selection.skipped);
      } catch (error) {
        result.failures.push({ kind, error: describeError(error) });
      }
    }),
  );
  return result;
}
