// The kinds' drill facets the drill's cleanup uses: one by name (the registry by default; tests inject stubs), so the
// flow never names a kind.
import type { ResourceKind } from "../catalog";
import type { DrillKind } from "../kinds/kind";
import { namedError } from "../lib/errors";

export interface DrillKinds {
  named(name: ResourceKind): DrillKind;
}

/** The registry's drill facets: what the deployed function uses. */
export const REGISTRY_DRILL_KINDS: DrillKinds = {
  // TODO(integration, issue 18): H1's registry adds drillKind(); replace this body with `named: (name) => drillKind(name)`.
  named: (name) => {
    throw namedError("DrillKindMissing", `no drill facet of the ${name} kind is registered (handlers/kinds/registry.ts drillKind)`, { kind: name });
  },
};
