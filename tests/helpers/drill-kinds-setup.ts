// A drill's restore and its cleanup by a kind's drill facet against the fake AWS, without the drill flow: the kind's
// restore actions with the drill's tags (handlers/restore/steps.ts restoreTags: the drill id on every create), polled
// to available, then deleteRestored called again and again as the drill machine would (never waiting: the fake moves
// a resource on per describe).
import { expect } from "chai";
import { TAG_DRILL_ID, TAG_RESTORE_ID, TAG_STACK } from "../../handlers/catalog";
import type { DrillCleanupContext, DrillDeletion, DrillKind, RestoreActions, RestoreContext } from "../../handlers/kinds/kind";
import type { RestoreState } from "../../handlers/restore/contract";
import { restoreTags } from "../../handlers/restore/steps";
import { fakeClients } from "./aws-clients";
import type { FakeAws } from "./aws-fake";
import type { Tags } from "./aws-fake-state";
import { STACK_TAG } from "./copy-setup";
import { pollUntilDone, restoreContext } from "./restore-kinds-setup";

export const DRILL_ID = "drill-2026-12-01T0600";
export const DRILL_RESTORE_ID = `${DRILL_ID}-r1`;

/** The restore context of a drill's restore: the flow's own tags, which carry the drill id. */
export function drillRestoreContext(fake: FakeAws, state: RestoreState): RestoreContext {
  return { ...restoreContext(fake, state), tags: restoreTags(state, STACK_TAG) };
}

/** Restores `state` (a drill's: restoreId and drillId set) with the kind's actions, polled to available. */
export async function drillRestored(fake: FakeAws, kind: RestoreActions, state: RestoreState): Promise<RestoreState> {
  const ctx = drillRestoreContext(fake, state);
  const { state: done } = await pollUntilDone(kind, ctx, await kind.start(ctx, state));
  expect(done.status, JSON.stringify(done.failure)).to.equal("available");
  return done;
}

export function cleanupContext(fake: FakeAws, region: string, fields: Partial<Omit<DrillCleanupContext, "clients">> = {}, maxAttempts?: number): DrillCleanupContext {
  return { clients: fakeClients(fake, { region, ...(maxAttempts === undefined ? {} : { maxAttempts }) }), drillId: DRILL_ID, stackTag: STACK_TAG, now: () => new Date("2026-12-01T07:00:00Z"), ...fields };
}

/** Calls deleteRestored until nothing remains (at most `limit` calls); every call's answer, in order. */
export async function cleanUntilDone(kind: DrillKind, ctx: DrillCleanupContext, restoreId = DRILL_RESTORE_ID, limit = 12): Promise<DrillDeletion[]> {
  const answers: DrillDeletion[] = [];
  for (let n = 0; n < limit; n += 1) {
    const answer = await kind.deleteRestored(ctx, restoreId);
    answers.push(answer);
    if (answer.remaining.length === 0) return answers;
  }
  throw new Error(`still remaining after ${limit} calls: ${JSON.stringify(answers[answers.length - 1])}`);
}

/** Ids of every resource the answers named as deleted (sent or gone), sorted and distinct. */
export const deletedIds = (answers: readonly DrillDeletion[]): string[] => [...new Set(answers.flatMap((a) => a.deleted.map((d) => d.id)))].sort();

/** The drill's tags on a resource, changed as `change` says (a foreign resource that still carries the restore id). */
export function retagged(tags: Tags, change: "other-drill" | "no-drill" | "other-stack"): Tags {
  const copy = { ...tags };
  if (change === "other-drill") copy[TAG_DRILL_ID] = "drill-someone-else";
  if (change === "no-drill") delete copy[TAG_DRILL_ID];
  if (change === "other-stack") copy[TAG_STACK] = "backup-dr/other";
  // Still one of this drill's restores by its restore id.
  expect(copy[TAG_RESTORE_ID]).to.be.a("string").and.satisfy((id: string) => id.startsWith(`${DRILL_ID}-r`));
  return copy;
}
