// What an event run and a sweep share: their dependencies and what they hand to the report.
import type { SnapshotKind } from "../catalog";
import type { KindClients } from "../kinds/clients";
import { copyKind } from "../kinds/registry";
import type { AwsClients } from "../lib/clients";
import type { Log } from "../lib/observability";
import type { RunEndDeps } from "../lib/run-end";
import type { RelockedCopy } from "./lock-copies";
import type { Candidate, CopyOutcome, CopySettings, Problem, ReplacedCopy } from "./types";
import type { CopyTarget } from "./start-copy";

export interface CopyDeps {
  /** Clients in the primary region: read backups, write the manifest, notify. */
  primary: Pick<AwsClients, keyof KindClients | "s3" | "sns">;
  /** Clients in the DR region: copies are requested where they are made. */
  dr: KindClients;
  now: () => Date;
  log: Log;
  /** Receives each plan's metric set (Powertools Metrics in Lambda, dimension Plan). */
  publishMetrics: RunEndDeps["publishMetrics"];
}

export interface Work {
  copies: CopyOutcome[];
  replaced: ReplacedCopy[];
  problems: Problem[];
  inFlight: Partial<Record<SnapshotKind, number>>;
  oldestUncopiedAgeSeconds?: Record<string, number>;
  /** DR copies of kinds with locks that already existed (in flight or ready): the lock step makes sure each is locked. */
  live: LiveCopy[];
  /** Locks the run placed on (or tried on) existing DR copies that were not locked until their DR expiry. */
  relocked: RelockedCopy[];
}

/** An existing DR copy (of a kind with locks) of one of the run's backups, with the DR expiry its lock must reach. */
export interface LiveCopy {
  kind: SnapshotKind;
  source: string;
  plan: string;
  copyId: string;
  expires: Date;
}

export function emptyWork(): Work {
  return { copies: [], replaced: [], problems: [], inFlight: {}, live: [], relocked: [] };
}

/** The copies of `copied` (backups matched to a live DR copy) whose kind has locks, for the lock step. */
export function liveLockableCopies(copied: readonly { candidate: Candidate; copy: { id: string } }[]): LiveCopy[] {
  return copied
    .filter(({ candidate }) => copyKind(candidate.source.kind).locks !== undefined)
    .map(({ candidate, copy }) => ({ kind: candidate.source.kind, source: candidate.source.id, plan: candidate.plan.name, copyId: copy.id, expires: candidate.expires }));
}

export function copyTarget(deps: CopyDeps, settings: CopySettings): CopyTarget {
  return { clients: deps.dr, primaryRegion: settings.primaryRegion, drRegion: settings.drRegion, drKeyArn: settings.drKeyArn };
}
