// The kinds' drill facets the drill's cleanup uses: one by name (the registry by default; tests inject stubs), so the
// flow never names a kind.
import type { ResourceKind } from "../catalog";
import type { DrillKind } from "../kinds/kind";
import { drillKind } from "../kinds/registry";

export interface DrillKinds {
  named(name: ResourceKind): DrillKind;
}

/** The registry's drill facets: what the deployed function uses. */
export const REGISTRY_DRILL_KINDS: DrillKinds = { named: (name) => drillKind(name) };
