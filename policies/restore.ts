// The restore path (issue 17): both regions can restore on their own, and the restore function's role can never
// delete a recovery point. Read from the resources: state machines by their provider's region, the restore functions
// by name (lib/names.ts), their role by ARN, and the role's policies (inline, RolePolicy, attached stack policies).
import * as aws from "@pulumi/aws";
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { isAllow, listOf, statementLabel, statementsOf } from "./lib/documents";
import { functionNamed, type FunctionView } from "./lib/functions";
import { DR_PROVIDER, DRILL_MACHINES, PRIMARY_PROVIDER, RESTORE_FUNCTIONS, RUN_MACHINES } from "./lib/names";
import { awsProviders, ofClass, providerRegion, regionOf, type Typed } from "./lib/resources";

export const restoreMachinePerRegion: StackValidationPolicy = {
  name: "restore-machine-per-region",
  description: `Both the "${PRIMARY_PROVIDER}" and the "${DR_PROVIDER}" provider's region have a restore state machine (aws:sfn/stateMachine:StateMachine other than ${[...DRILL_MACHINES, ...RUN_MACHINES].join(", ")}).`,
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    // The drill's machine runs drills, the backup's and the cleanup's run those functions, not restores: they do not count.
    const notRestores = [...DRILL_MACHINES, ...RUN_MACHINES];
    const machineRegions = ofClass(args.resources, aws.sfn.StateMachine)
      .filter((m) => !notRestores.includes(m.resource.name))
      .map((m) => regionOf(m.props, m.resource.provider?.props));
    for (const name of [PRIMARY_PROVIDER, DR_PROVIDER]) {
      const provider = awsProviders(args.resources).find((p) => p.name === name);
      const region = providerRegion(provider?.props);
      if (region === undefined) continue; // dr-distinct-regions reports a missing provider or region
      if (!machineRegions.includes(region)) {
        reportViolation(
          `The ${name} region ${region} has no restore state machine: deploy the restore function and its state machine in both regions ` +
            `(a restore in a region must need nothing of the other, which may be down).`,
          provider?.urn,
        );
      }
    }
  },
};

/** What deleting a recovery point takes: the restore role must be allowed none of these. */
export const SNAPSHOT_DELETE_ACTIONS = ["ec2:DeleteSnapshot", "rds:DeleteDBSnapshot", "rds:DeleteDBClusterSnapshot"];

/** Whether an IAM action pattern (`*` and `?` wildcards, case-insensitive) matches the action. */
export function actionMatches(pattern: string, action: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${regex}$`, "i").test(action);
}

/** Which of `actions` an Allow statement grants: by Action (names or wildcards), or by leaving them out of NotAction. */
export function actionsAllowed(statement: { Action?: unknown; NotAction?: unknown }, actions: readonly string[]): string[] {
  if (statement.NotAction !== undefined) {
    const excluded = listOf(statement.NotAction);
    return actions.filter((a) => !excluded.some((p) => actionMatches(p, a)));
  }
  return actions.filter((a) => listOf(statement.Action).some((p) => actionMatches(p, a)));
}

/** The snapshot deletes an Allow statement grants: by Action, or by leaving them out of NotAction. */
export function snapshotDeletesAllowed(statement: { Action?: unknown; NotAction?: unknown }): string[] {
  return actionsAllowed(statement, SNAPSHOT_DELETE_ACTIONS);
}

/** The policy documents attached to the role: its inline policies, RolePolicies naming it, and stack policies attached to it. */
export function roleDocuments(resources: PolicyResource[], role: Typed<aws.iam.Role>): { documents: { label: string; document: unknown }[]; unreadable: string[] } {
  const names = [role.props.name, role.props.arn, role.props.id].filter((n): n is string => typeof n === "string" && n !== "");
  const isRole = (ref: unknown, r: PolicyResource) => (typeof ref === "string" && names.includes(ref)) || r.dependencies.some((d) => d.urn === role.resource.urn);
  const documents: { label: string; document: unknown }[] = (role.props.inlinePolicies ?? []).map((p, i) => ({ label: `inline policy #${i + 1}`, document: p.policy }));
  for (const p of ofClass(resources, aws.iam.RolePolicy)) if (isRole(p.props.role, p.resource)) documents.push({ label: `RolePolicy ${p.resource.name}`, document: p.props.policy });
  const unreadable: string[] = [];
  for (const a of ofClass(resources, aws.iam.RolePolicyAttachment)) {
    if (!isRole(a.props.role, a.resource)) continue;
    const attached = ofClass(resources, aws.iam.Policy).find((p) => p.props.arn === a.props.policyArn);
    if (attached === undefined) unreadable.push(String(a.props.policyArn));
    else documents.push({ label: `policy ${attached.resource.name}`, document: attached.props.policy });
  }
  for (const arn of listOf(role.props.managedPolicyArns)) unreadable.push(arn);
  return { documents, unreadable };
}

/** The role of the stack a function runs with (by ARN), if any. */
export function roleOf(resources: PolicyResource[], fn: FunctionView): Typed<aws.iam.Role> | undefined {
  return ofClass(resources, aws.iam.Role).find((r) => typeof r.props.arn === "string" && r.props.arn === fn.props.role);
}

export const restoreRoleNoSnapshotDelete: StackValidationPolicy = {
  name: "restore-role-no-snapshot-delete",
  description: `The restore functions' role (${RESTORE_FUNCTIONS.join(", ")}) is allowed none of ${SNAPSHOT_DELETE_ACTIONS.join(", ")}, by name, wildcard or NotAction.`,
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const functions = RESTORE_FUNCTIONS.map((name) => functionNamed(args.resources, name)).filter((f) => f !== undefined);
    if (functions.length === 0) args.notApplicable("no restore function");
    for (const fn of functions) {
      const role = roleOf(args.resources, fn);
      if (role === undefined) {
        reportViolation(`The restore function ${fn.resource.name} has no role of this stack (role ${String(fn.props.role)}): give it the stack's own restore role, whose policies the pack can read.`, fn.resource.urn);
        continue;
      }
      const { documents, unreadable } = roleDocuments(args.resources, role);
      for (const arn of unreadable) {
        reportViolation(`The restore role ${role.resource.name} has the policy ${arn} attached, which the pack cannot read: it may delete snapshots; grant the restore role only its own inline policy.`, role.resource.urn);
      }
      for (const { label, document } of documents) {
        (statementsOf(document) ?? []).forEach((statement, i) => {
          if (!isAllow(statement)) return;
          const deletes = snapshotDeletesAllowed(statement);
          if (deletes.length > 0) {
            reportViolation(
              `The restore role ${role.resource.name} may delete recovery points: ${label} statement ${statementLabel(statement, i)} allows ${deletes.join(", ")}; a restore never deletes a snapshot: remove it.`,
              role.resource.urn,
            );
          }
        });
      }
    }
  },
};

export const RESTORE_POLICIES = [restoreMachinePerRegion, restoreRoleNoSnapshotDelete];
