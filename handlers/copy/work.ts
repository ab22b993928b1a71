// What an event run and a sweep share: their dependencies and what they hand to the report.
import type { AwsClients } from "../lib/clients";
import type { Log } from "../lib/observability";
import type { PlanMetric } from "./report";
import type { CopyOutcome, CopySettings, Problem, ReplacedCopy, SnapshotKind } from "./types";
import type { CopyTarget } from "./start-copy";

export interface CopyDeps {
  /** Clients in the primary region: read backups, write the manifest, notify. */
  primary: Pick<AwsClients, "ec2" | "rds" | "s3" | "sns">;
  /** Clients in the DR region: copies are requested where they are made. */
  dr: Pick<AwsClients, "ec2" | "rds">;
  now: () => Date;
  log: Log;
  /** Receives each plan's metrics (Powertools Metrics in Lambda, dimension Plan). */
  publishMetrics: (plan: string, metrics: PlanMetric[]) => void;
}

export interface Work {
  copies: CopyOutcome[];
  replaced: ReplacedCopy[];
  problems: Problem[];
  inFlight: Partial<Record<SnapshotKind, number>>;
  oldestUncopiedAgeSeconds?: Record<string, number>;
}

export function emptyWork(): Work {
  return { copies: [], replaced: [], problems: [], inFlight: {} };
}

export function copyTarget(deps: CopyDeps, settings: CopySettings): CopyTarget {
  return { ec2: deps.dr.ec2, rds: deps.dr.rds, primaryRegion: settings.primaryRegion, drRegion: settings.drRegion, drKeyArn: settings.drKeyArn };
}
