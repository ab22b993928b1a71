// Backs up one source and says what happened; never throws, so one source cannot stop the others.
import { describeError, errorName } from "../lib/errors";
import type { BackupContext, BackupFields } from "../kinds/kind";
import { backupKind } from "../kinds/registry";
import type { Source, SourceOutcome } from "./types";

export interface SourceContext extends BackupContext {
  now: () => Date;
}

export async function backupSource(ctx: SourceContext, source: Source): Promise<SourceOutcome> {
  const started = ctx.now().getTime();
  const outcome = (fields: BackupFields): SourceOutcome => ({
    kind: source.kind,
    source: source.id,
    ...fields,
    durationMs: ctx.now().getTime() - started,
  });
  if (source.existing !== undefined) return outcome({ status: "skipped", snapshotIds: source.existing, reason: "already exists" });
  const kind = backupKind(source.kind);
  try {
    return outcome(await kind.backup(ctx, source));
  } catch (error) {
    const name = errorName(error);
    if (kind.sourceGone.includes(name)) return outcome({ status: "skipped", snapshotIds: [], reason: `source no longer exists (${name})` });
    return outcome({ status: "failed", snapshotIds: [], error: describeError(error) });
  }
}
