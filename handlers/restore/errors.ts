// The restore function's named errors: each says what was asked, what the region holds and what to do. The start
// step throws all of them before any create call (the machine then reports, creating nothing).
import { namedError, type NamedError } from "../lib/errors";
import { listSome } from "../lib/event-input";
import type { NetworkHint } from "../lib/restore-facts";

/** No recovery point of the source in the region for this stack, under any kind. */
export function unknownSourceError(source: string, region: string, kinds: readonly string[]): NamedError<"UnknownSourceError", { source: string }> {
  return namedError(
    "UnknownSourceError",
    `No recovery point of ${source} in ${region} belongs to this stack (looked under: ${listSome(kinds) || "no kind takes such an id"}); check the id, or list the points with npm run recovery-points`,
    { source },
  );
}

/** The source id has recovery points under more than one kind (a DB instance and a DB cluster of one name). */
export function ambiguousSourceError(source: string, kinds: readonly string[]): NamedError<"AmbiguousSourceError", { source: string; kinds: readonly string[] }> {
  return namedError("AmbiguousSourceError", `${source} has recovery points under ${kinds.join(" and ")}; ask for one with kind (--kind ${kinds.join(" | --kind ")})`, { source, kinds });
}

/** The source has points, but none completed at or before the time asked for (or none at all by that id). */
export function noRecoveryPointError(source: string, wanted: string, detail: string): NamedError<"NoRecoveryPointError", { source: string; wanted: string }> {
  return namedError("NoRecoveryPointError", `No completed recovery point of ${source} for ${wanted}: ${detail}`, { source, wanted });
}

/** An explicit point that is not this stack's (another stack's tag, or none). */
export function foreignRecoveryPointError(point: string, stack: string | undefined, ours: string): NamedError<"ForeignRecoveryPointError", { point: string }> {
  const whose = stack === undefined ? "no stack (it has no backup-dr:stack tag)" : `the stack ${stack}`;
  return namedError("ForeignRecoveryPointError", `Recovery point ${point} belongs to ${whose}, not to ${ours}; this stack restores only its own points`, { point });
}

/** An explicit point of another source than the one asked for. */
export function otherSourceRecoveryPointError(point: string, pointSource: string, source: string): NamedError<"OtherSourceRecoveryPointError", { point: string }> {
  return namedError("OtherSourceRecoveryPointError", `Recovery point ${point} is of ${pointSource || "an unknown source"}, not of ${source}; ask for its own source or another point`, { point });
}

/** An explicit point that cannot be restored now: not completed, or a set with members missing. */
export function incompleteRecoveryPointError(point: string, why: string): NamedError<"IncompleteRecoveryPointError", { point: string }> {
  return namedError("IncompleteRecoveryPointError", `Recovery point ${point} cannot be restored: ${why}; wait for it to complete, or choose another point`, { point });
}

/** Options the point does not record and the request did not give (each `option:<name>` of the kind's `missing`). */
export function missingRestoreOptionsError(options: readonly string[]): NamedError<"MissingRestoreOptionsError", { options: readonly string[] }> {
  return namedError("MissingRestoreOptionsError", `The recovery point does not record everything this restore needs: ${options.map(optionHint).join("; ")}`, { options });
}

/** The region's backup-dr:restore settings lack what the kind needs (e.g. subnets); names each config key. */
export function missingRestoreNetworkError(keys: readonly string[], regionRole: string, options: readonly string[], hint?: NetworkHint): NamedError<"MissingRestoreNetworkError", { keys: readonly string[] }> {
  const configKeys = keys.map((key) => `\`backup-dr:restore\` ${regionRole}.${key}`);
  const also = options.length === 0 ? "" : `; also missing from the request: ${options.map(optionHint).join("; ")}`;
  return namedError("MissingRestoreNetworkError", `This region's restore network is not configured: set ${configKeys.join(", ")} in the stack config and run pulumi up${also}${ranIn(hint)}`, {
    keys: configKeys,
  });
}

/** Where the source ran, as recorded at backup time: a starting point for the region's restore network. */
function ranIn(hint: NetworkHint | undefined): string {
  if (hint?.subnet === undefined && (hint?.securityGroups ?? []).length === 0) return "";
  const groups = hint?.securityGroups ?? [];
  const parts = [hint?.subnet === undefined ? "" : `subnet ${hint.subnet}`, groups.length === 0 ? "" : `security groups ${groups.join(", ")}${hint?.omittedGroups === undefined ? "" : ` (+${hint.omittedGroups} more)`}`];
  return `; the source ran in ${parts.filter((p) => p !== "").join(" with ")} (recorded at backup time)`;
}

/** Thrown by poll once the kind's deadline has passed and the restore is still not available. */
export function restoreTimedOutError(restoreId: string, deadline: string, phase: string): NamedError<"RestoreTimedOut", { restoreId: string }> {
  return namedError("RestoreTimedOut", `Restore ${restoreId} was not available by ${deadline} (still in phase ${phase}); what it created is left in place and reported`, { restoreId });
}

/**
 * `pass instanceType (--instance-type)`: the request field and the restore command's flag; for what only the point
 * can hold (`point:<field>`, e.g. the devices of a set made before they were recorded), that it lacks it.
 */
function optionHint(option: string): string {
  if (option.startsWith("point:")) return `the recovery point records no ${option.slice("point:".length)} (choose a newer point, or another mode)`;
  const flag = option.replace(/\./g, "-").replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return `pass ${option} (--${flag})`;
}
