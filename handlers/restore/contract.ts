// The restore function's contract: the JSON each step takes and returns. The restore state machine
// (infra/restore-machine.ts) passes exactly these between its states, so every step can also be invoked on its own
// (a test, or a person with `aws lambda invoke`) and a whole execution can be driven step by step.
//
//   start    { "step": "start", "restoreId": "<execution name>", "startedAt": "<ISO>", "request": RestoreRequest }
//            -> RestoreState. Chooses the recovery point, resolves every option (request, recorded facts, the
//               region's restore network), refuses with a named error before any create call, then sends the first
//               create calls (idempotent on a rerun with the same restoreId).
//   poll     { "step": "poll", "state": RestoreState } -> RestoreState. Reads progress; starts the next phase when the
//               previous one is available (a machine: image, then instance; a cluster: cluster, then writer);
//               "failed" with RestoreTimedOut once the kind's deadline has passed. Never waits: the machine does.
//   validate { "step": "validate", "state": RestoreState } -> RestoreState with `validation`.
//   report   { "step": "report", "state"?: RestoreState, "request"?: RestoreRequest, "restoreId": string,
//               "startedAt": string, "error"?: { "Error": string, "Cause": string } }
//            -> RestoreReport. Finds everything tagged with the restore id in the region (so a failure part-way
//               still reports what exists), writes the manifest runs/restore/<yyyy>/<mm>/<dd>/<restoreId>.json to the
//               region's vault. Never deletes anything.
import type { ResourceKind, Tier } from "../catalog";
import type { DatabaseFacts, MachineFacts, NetworkHint } from "../lib/restore-facts";

/** How a machine's recovery point is restored: its volumes only, or an image and an instance launched from it. */
export type MachineRestoreMode = "volumes" | "instance";
export const MACHINE_RESTORE_MODES: readonly MachineRestoreMode[] = ["volumes", "instance"];

/** What a person asks for (the execution's input, `npm run restore` builds it). */
export interface RestoreRequest {
  /** The protected resource: an instance id, a DB instance identifier or a DB cluster identifier. */
  source: string;
  /** Needed only when the source id is ambiguous (a DB instance and a DB cluster of the same name). */
  kind?: ResourceKind;
  /** "latest", an ISO instant (the newest completed point at or before it), or a snapshot id or ARN. */
  point: string;
  /** Machines only; default "volumes". */
  mode?: MachineRestoreMode;
  /** The new resource's name; default `restored-<source>-<short restore id>`. */
  name?: string;
  /** Volumes mode: the availability zone; default the recorded one, else the region's first restore subnet's zone. */
  zone?: string;
  /** Instance mode: the instance type; default the recorded one. */
  instanceType?: string;
  /** A DB instance, or a cluster's writer: the instance class; default the recorded one. */
  instanceClass?: string;
  /** Instance mode: keep the registered image after launch (default: deregistered). */
  keepImage?: boolean;
  /** Facts a point made before they were recorded lacks (the start step names the missing ones). */
  machine?: MachineFacts;
  database?: DatabaseFacts;
}

/** One recovery point of a source in one region, as the kind's listing reads it from the snapshot(s) and tags. */
export interface RecoveryPoint {
  kind: ResourceKind;
  region: string;
  source: string;
  /** What an explicit `point` names: a volume snapshot id of the set, or the DB (cluster) snapshot identifier. */
  id: string;
  arn?: string;
  /** Every snapshot of the point (one for a database, the set for an instance). */
  snapshotIds: string[];
  plan?: string;
  tier?: Tier;
  /** When the data was taken (ISO). */
  taken?: string;
  expires?: string;
  /** "backup" in the region it was taken, "copy" for a DR copy. */
  origin: "backup" | "copy";
  /** On a DR copy: what its snapshots are copies of (their `backup-dr:copy-of`: a snapshot id, or a DB snapshot's ARN). */
  copyOf?: string[];
  /** Every snapshot completed (and the set whole). */
  completed: boolean;
  /** A snapshot of it failed: it will never complete (absent otherwise; the report's in-progress status ignores it). */
  failed?: boolean;
  /**
   * How its snapshots are encrypted, as the listing read them (the report's encryption check): every snapshot encrypted,
   * and the distinct KMS key ARNs (as AWS returns KmsKeyId: a key ARN). Absent when the listing did not say.
   */
  encryption?: { encrypted: boolean; kmsKeyIds: string[] };
  /** Why it cannot be restored (incomplete, set short, another stack's): absent when it can. */
  notRestorable?: string;
  /** The stack tag it carries (restore refuses another stack's). */
  stack?: string;
  machine?: MachineFacts;
  database?: DatabaseFacts;
  /** Where the source ran (subnet, security groups), recorded at backup time: named when a restore lacks its network. */
  network?: NetworkHint;
  /** A machine: per snapshot, its device and whether it is the root device, and its size (GiB). */
  volumes?: Array<{ snapshotId: string; device?: string; root?: boolean; sizeGiB?: number }>;
}

/** One resource a restore created, as found by its restore-id tag. */
export interface CreatedResource {
  /** volume | image | instance | db-instance | db-cluster */
  type: string;
  id: string;
  /** Its state as last read (e.g. "available", "creating", "running"). */
  state?: string;
  /** The recovery point its backup-dr:restored-from tag names (a rerun of start keeps to it). */
  restoredFrom?: string;
}

/** The region's network for restores (config `backup-dr:restore` of that region). */
export interface RestoreNetwork {
  subnetIds: string[];
  securityGroupIds: string[];
  dbSubnetGroup?: string;
  /** An instance profile for restored instances (iam:PassRole is granted only when set). */
  instanceProfileArn?: string;
}

/** Everything a restore carries between steps. */
export interface RestoreState {
  restoreId: string;
  startedAt: string;
  region: string;
  kind: ResourceKind;
  source: string;
  point: RecoveryPoint;
  /** The resolved options: the request's, else the recorded facts, else the region's network. */
  name: string;
  mode?: MachineRestoreMode;
  zone?: string;
  instanceType?: string;
  instanceClass?: string;
  keepImage?: boolean;
  subnetId?: string;
  securityGroupIds?: string[];
  dbSubnetGroup?: string;
  /** Instance mode: the region's instance profile for the restored instance (RestoreNetwork.instanceProfileArn), when configured. */
  instanceProfileArn?: string;
  machine?: MachineFacts;
  database?: DatabaseFacts;
  /** A kind-specific phase name ("volumes", "image", "instance", "db-instance", "cluster", "writer"). */
  phase: string;
  status: "pending" | "available" | "failed";
  /** Seconds the machine waits before the next poll. */
  waitSeconds: number;
  /** After it, poll reports RestoreTimedOut. */
  deadline: string;
  created: CreatedResource[];
  /** When everything was first seen available. */
  availableAt?: string;
  /** What a person connects to: the DB endpoint (host:port), the instance's private IP, or the volume ids. */
  endpoint?: string;
  failure?: { name: string; message: string };
  validation?: { ok: boolean; checks: Array<{ check: string; ok: boolean; detail?: string }> };
  /** When validate ran (ISO): a drill's RTO ends here. */
  validatedAt?: string;
  /** Set when the restore is one of a DR drill's: every created resource also carries backup-dr:drill-id with it. */
  drillId?: string;
}

/** What the report step returns (and the execution's output). */
export interface RestoreReport {
  restoreId: string;
  status: "succeeded" | "failed";
  region: string;
  kind?: ResourceKind;
  source?: string;
  pointId?: string;
  created: CreatedResource[];
  endpoint?: string;
  /** Start of the restore until available (absent when it never was). */
  secondsToAvailable?: number;
  failure?: { name: string; message: string };
  /** s3:// URI of the manifest. */
  manifest: string;
}

export type RestoreStepEvent =
  | { step: "start"; restoreId: string; startedAt: string; request: RestoreRequest }
  | { step: "poll"; state: RestoreState }
  | { step: "validate"; state: RestoreState }
  | { step: "report"; restoreId: string; startedAt: string; state?: RestoreState; request?: RestoreRequest; error?: { Error: string; Cause: string } };

export const RESTORE_STEPS = ["start", "poll", "validate", "report"] as const;

/** The vault folder of restore manifests: runs/restore/ (the function writes there; its role may write only there). */
export const RESTORE_MANIFEST_FOLDER = "restore";
