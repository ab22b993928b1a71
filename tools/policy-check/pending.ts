// Mandatory policies the shipped stacks cannot pass yet because what they check is not built. The
// one place to flip: their violations are shown but do not fail `npm run policy` (--strict counts
// them), and tests/policies/offline.spec.ts fails as soon as one of them passes, so an entry
// cannot outlive its reason. Remove the entry when the piece lands.
export const PENDING_POLICIES: ReadonlyMap<string, string> = new Map<string, string>([]);
