// What both restore commands take: the source, its kind and a region role (the stack: tools/lib/stack-args.ts); each
// check returns or records its problems (none when fine) so a command reports every problem of a command line at once.
import { RESOURCE_KINDS, type ResourceKind } from "../../handlers/catalog";
import type { RestoreKind } from "../../handlers/kinds/kind";
import { REGION_ROLES, type RegionRole } from "../lib/stack-outputs";

/** What the commands need of a kind's restore facet: to recognise sources and points, and to list points. */
export type PointsKind = Pick<RestoreKind, "name" | "mayBeSource" | "mayBePoint" | "listPoints">;

export function kindOf(text: string | undefined, problems: string[]): ResourceKind | undefined {
  if (text === undefined) return undefined;
  const kind = RESOURCE_KINDS.find((k) => k === text);
  if (kind === undefined) problems.push(`--kind: expected one of ${RESOURCE_KINDS.join(", ")}, got ${JSON.stringify(text)}`);
  return kind;
}

export function regionRoleOf(text: string | undefined, problems: string[]): RegionRole | undefined {
  if (text === undefined) return undefined;
  const role = REGION_ROLES.find((r) => r === text);
  if (role === undefined) problems.push(`--region: expected ${REGION_ROLES.join(" or ")}, got ${JSON.stringify(text)}`);
  return role;
}

/** The kinds whose sources `source` may name (only `kind` when given); a problem when there are none. */
export function sourceKinds(source: string | undefined, kind: ResourceKind | undefined, kinds: readonly PointsKind[], problems: string[]): PointsKind[] {
  if (source === undefined) {
    problems.push("--source: required (an EC2 instance id, a DB instance identifier or a DB cluster identifier)");
    return [];
  }
  const named = kind === undefined ? kinds : kinds.filter((k) => k.name === kind);
  if (named.length === 0) {
    problems.push(kind === undefined ? "no resource kind can be restored by this version" : `--kind ${kind}: this kind cannot be restored by this version`);
    return [];
  }
  const matching = named.filter((k) => k.mayBeSource(source));
  if (matching.length === 0) {
    const which = kind === undefined ? "no resource kind" : `kind ${kind}`;
    problems.push(`--source: ${JSON.stringify(source)} cannot name a source of ${which} (EC2: an instance id i-...; RDS and Aurora: a DB identifier, a letter then letters, digits and hyphens)`);
  }
  return matching;
}
