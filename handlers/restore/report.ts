// The report step: finds everything tagged with the restore id in the region (so a restore that failed part-way
// still reports what exists), writes the manifest runs/restore/<yyyy>/<mm>/<dd>/<restoreId>.json to the region's
// vault, and returns the RestoreReport. Never deletes anything: what a failed restore made stays for a person.
import type { S3Client } from "@aws-sdk/client-s3";
import type { RestoreKind } from "../kinds/kind";
import { describeError, type ErrorInfo } from "../lib/errors";
import { writeManifest } from "../lib/manifest";
import { manifestKey } from "../lib/run-id";
import { isFields } from "../lib/values";
import { RESTORE_MANIFEST_FOLDER, type CreatedResource, type RestoreReport, type RestoreRequest, type RestoreState } from "./contract";
import { REGISTRY_KINDS, type RestoreDeps } from "./steps";
import type { RestoreSettings } from "./settings";

/** What the report step is given (the contract's report event). */
export interface ReportInput {
  restoreId: string;
  startedAt: string;
  state?: RestoreState;
  request?: RestoreRequest;
  error?: { Error: string; Cause: string };
}

/** The manifest: the report, and what was asked, chosen and resolved. */
export interface RestoreManifest extends Omit<RestoreReport, "manifest"> {
  stack: string;
  regionRole: string;
  startedAt: string;
  reportedAt: string;
  availableAt?: string;
  request?: RestoreRequest;
  point?: RestoreState["point"];
  options?: Partial<RestoreState>;
  phase?: string;
  validation?: RestoreState["validation"];
  /** Kinds whose look-up by the restore-id tag failed: their resources may be missing from `created`. */
  lookUpErrors?: Array<{ kind: string } & ErrorInfo>;
}

/** A Step Functions Catch's error: a Lambda error's Cause is JSON with errorType and errorMessage. */
export function caughtFailure(error: { Error: string; Cause: string }): ErrorInfo {
  try {
    const cause: unknown = JSON.parse(error.Cause);
    if (isFields(cause) && typeof cause.errorMessage === "string") return { name: typeof cause.errorType === "string" ? cause.errorType : error.Error, message: cause.errorMessage };
  } catch {
    // Not JSON (a States.* error): the Cause is the message.
  }
  return { name: error.Error, message: error.Cause };
}

/** Why the restore failed, or undefined when it succeeded: the caught error, the state's failure, a failed validation. */
function failureOf(input: ReportInput): ErrorInfo | undefined {
  const { state, error } = input;
  if (error !== undefined) return caughtFailure(error);
  if (state === undefined) return { name: "RestoreNotStarted", message: "the report was given neither a state nor an error" };
  if (state.failure !== undefined) return state.failure;
  if (state.status !== "available") return { name: "RestoreNotAvailable", message: `the restore is ${state.status} (phase ${state.phase})` };
  if (state.validation !== undefined && !state.validation.ok) {
    const failed = state.validation.checks.filter((c) => !c.ok).map((c) => (c.detail === undefined ? c.check : `${c.check}: ${c.detail}`));
    return { name: "RestoreValidationFailed", message: `validation failed: ${failed.join("; ")}` };
  }
  return undefined;
}

/** The kinds to search by tag: the state's, else the request's, else every one. */
function kindsToSearch(deps: RestoreDeps, input: ReportInput): readonly RestoreKind[] {
  const kinds = deps.kinds ?? REGISTRY_KINDS;
  const name = input.state?.kind ?? input.request?.kind;
  return name === undefined ? kinds.all() : [kinds.named(name)];
}

/** What exists by the restore-id tag, plus what the state recorded and the tags no longer find (e.g. a deregistered image). */
async function findCreated(deps: RestoreDeps, input: ReportInput): Promise<{ created: CreatedResource[]; lookUpErrors: Array<{ kind: string } & ErrorInfo> }> {
  const lookUpErrors: Array<{ kind: string } & ErrorInfo> = [];
  const found = await Promise.all(
    kindsToSearch(deps, input).map(async (kind) => {
      try {
        return await kind.findCreated(deps.clients, input.restoreId);
      } catch (error) {
        lookUpErrors.push({ kind: kind.name, ...describeError(error) });
        return [];
      }
    }),
  );
  const tagged = found.flat();
  const ids = new Set(tagged.map((r) => `${r.type}\u0000${r.id}`));
  const recorded = (input.state?.created ?? []).filter((r) => !ids.has(`${r.type}\u0000${r.id}`));
  return { created: [...tagged, ...recorded], lookUpErrors };
}

const optionFields = ["name", "mode", "zone", "instanceType", "instanceClass", "keepImage", "subnetId", "securityGroupIds", "dbSubnetGroup", "instanceProfileArn", "machine", "database"] as const;

function optionsOf(state: RestoreState): Partial<RestoreState> {
  return Object.fromEntries(optionFields.flatMap((key) => (state[key] === undefined ? [] : [[key, state[key]]])));
}

/** Finds, writes the manifest, returns the report; a failed manifest write is thrown (the machine then fails). */
export async function reportRestore(deps: RestoreDeps & { s3: S3Client }, settings: RestoreSettings, input: ReportInput): Promise<RestoreReport> {
  const { state } = input;
  const failure = failureOf(input);
  const { created, lookUpErrors } = await findCreated(deps, input);
  const startedAt = new Date(input.startedAt);
  const availableAt = state?.availableAt;
  const seconds = availableAt === undefined ? undefined : Math.round((Date.parse(availableAt) - startedAt.getTime()) / 1000);
  const kind = state?.kind ?? input.request?.kind;
  const source = state?.source ?? input.request?.source;
  const key = manifestKey(RESTORE_MANIFEST_FOLDER, startedAt, input.restoreId);
  const reported: Omit<RestoreReport, "manifest"> = {
    restoreId: input.restoreId,
    status: failure === undefined ? "succeeded" : "failed",
    region: settings.region,
    ...(kind === undefined ? {} : { kind }),
    ...(source === undefined ? {} : { source }),
    ...(state === undefined ? {} : { pointId: state.point.id }),
    created,
    ...(state?.endpoint === undefined ? {} : { endpoint: state.endpoint }),
    ...(seconds === undefined ? {} : { secondsToAvailable: seconds }),
    ...(failure === undefined ? {} : { failure }),
  };
  const manifest: RestoreManifest = {
    ...reported,
    stack: settings.stackTag,
    regionRole: settings.regionRole,
    startedAt: input.startedAt,
    reportedAt: deps.now().toISOString(),
    ...(availableAt === undefined ? {} : { availableAt }),
    ...(input.request === undefined ? {} : { request: input.request }),
    ...(state === undefined ? {} : { point: state.point, options: optionsOf(state), phase: state.phase }),
    ...(state?.validation === undefined ? {} : { validation: state.validation }),
    ...(lookUpErrors.length === 0 ? {} : { lookUpErrors }),
  };
  await writeManifest(deps.s3, settings.vaultBucket, key, manifest);
  return { ...reported, manifest: `s3://${settings.vaultBucket}/${key}` };
}
