// The one order a backup run takes its sources in (kind, then id), and where a continuing invocation starts in it
// (the cursor's `after`, handlers/lib/cursor.ts), and which kinds' listings still matter there. Listed sources the
// kind will not back up keep their place too.
import type { PlanSelection } from "./select";
import type { ResourceKind } from "../plan";
import type { Source, SourceOutcome } from "./types";

/** One place in the order: a source to back up, or one the listing already settled (skipped). */
export type WorkItem = {
  /** `<kind>/<id>`, what the cursor's `after` holds. */
  key: string;
  kind: ResourceKind;
  id: string;
} & ({ source: Source } | { outcome: SourceOutcome });

/** Code-unit order, the same on every machine and every invocation (no locale). */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The selection's sources and skipped sources, in kind, then id order. */
export function orderedWork(selection: Pick<PlanSelection, "sources" | "skipped">): WorkItem[] {
  const items: WorkItem[] = [
    ...selection.sources.map((source) => ({ key: `${source.kind}/${source.id}`, kind: source.kind, id: source.id, source })),
    ...selection.skipped.map((outcome) => ({ key: `${outcome.kind}/${outcome.source}`, kind: outcome.kind, id: outcome.source, outcome })),
  ];
  return items.sort((a, b) => compare(a.kind, b.kind) || compare(a.id, b.id));
}

/** The items after `after` (`<kind>/<id>`; empty: all of them). */
export function workAfter(items: readonly WorkItem[], after: string): WorkItem[] {
  if (after === "") return [...items];
  const slash = after.indexOf("/");
  const kind = after.slice(0, slash);
  const id = after.slice(slash + 1);
  return items.filter((item) => compare(item.kind, kind) > 0 || (item.kind === kind && compare(item.id, id) > 0));
}

/**
 * Whether a kind may still have work after `after`: it is `after`'s kind or a later one (every kind when `after` is
 * empty). An earlier kind's sources all ended in earlier invocations, so its listing no longer matters to the run.
 */
export function kindAfter(kind: ResourceKind, after: string): boolean {
  return after === "" || compare(kind, after.slice(0, after.indexOf("/"))) >= 0;
}
