// The backup-dr CrossGuard policy pack, for `pulumi preview --policy-pack ./policies`. This file only
// builds the pack: `new PolicyPack` starts the analyzer's gRPC server, so tests and the offline check
// (tools/policy-check) import the policies from all.ts and the area modules instead.
import { PolicyPack } from "@pulumi/policy";
import { ALL_POLICIES } from "./all";

new PolicyPack("backup-dr", {
  description: "backup-dr: the disaster-recovery invariants (mandatory) and hygiene (advisory) every stack must pass.",
  policies: ALL_POLICIES,
  // Every policy sets its own level; this covers none today and keeps a forgotten one from blocking.
  enforcementLevel: "advisory",
});
