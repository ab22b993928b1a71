// The DR drill (issue 18): the drill function's role deletes only what a drill of this stack restored. Every delete it
// is allowed (by name, wildcard or NotAction) must be conditioned on the resource's own tags: backup-dr:stack equal to
// the stack (the function's BACKUP_DR_STACK) and backup-dr:drill-id present; and no snapshot delete at all.
// RDS has no ec2:CreateAction: rds:AddTagsToResource also tags existing DBs, so a role allowed to tag and delete
// db:* / cluster:* can mark a source as a drill's and then delete it. Its RDS tags and deletes must therefore name
// only the drill's own DB instances and clusters (db:drill-*, cluster:drill-*), whatever their conditions.
import type { PolicyResource, ReportViolation, StackValidationPolicy } from "@pulumi/policy";
import { isAllow, listOf, statementLabel, statementsOf, type Statement } from "./lib/documents";
import { functionNamed, type FunctionView } from "./lib/functions";
import { DRILL_FUNCTIONS, DRILL_NAME_PREFIX, STACK_VARIABLE, TAG_DRILL_ID, TAG_STACK } from "./lib/names";
import { actionMatches, actionsAllowed, roleDocuments, roleOf, SNAPSHOT_DELETE_ACTIONS, snapshotDeletesAllowed } from "./restore";

/** The deletes a drill role has any use for; a wildcard is read as allowing each it matches. */
export const DRILL_DELETES = ["ec2:TerminateInstances", "ec2:DeleteVolume", "ec2:DeregisterImage", "rds:DeleteDBInstance", "rds:DeleteDBCluster"];

const DELETE_VERB = /^[a-z0-9-]+:(Delete|Terminate|Deregister)/i;

/** The non-snapshot deletes an Allow statement grants: named ones, and those of DRILL_DELETES a wildcard or NotAction lets through. */
export function drillDeletesAllowed(statement: Statement): string[] {
  if (statement.NotAction !== undefined) {
    const excluded = listOf(statement.NotAction);
    return DRILL_DELETES.filter((a) => !excluded.some((p) => actionMatches(p, a)));
  }
  const found = new Set<string>();
  for (const pattern of listOf(statement.Action)) {
    if (/[*?]/.test(pattern)) for (const a of DRILL_DELETES) if (actionMatches(pattern, a)) found.add(a);
    if (!/[*?]/.test(pattern) && DELETE_VERB.test(pattern) && !SNAPSHOT_DELETE_ACTIONS.some((s) => actionMatches(pattern, s))) found.add(pattern);
  }
  return [...found];
}

/** The resource-tag condition key prefixes that apply to an action's resource (RDS: its own keys, or the global one). */
export function tagKeyPrefixes(action: string): string[] {
  if (actionMatches("rds:DeleteDBInstance", action)) return ["rds:db-tag", "aws:ResourceTag"];
  if (actionMatches("rds:DeleteDBCluster", action)) return ["rds:cluster-tag", "aws:ResourceTag"];
  if (action.toLowerCase().startsWith("ec2:")) return ["aws:ResourceTag", "ec2:ResourceTag"];
  return ["aws:ResourceTag"];
}

/** The RDS calls that tag or delete a DB instance or cluster: the drill role may use them only on the drill's names. */
export const DRILL_NAMED_RDS_ACTIONS = ["rds:AddTagsToResource", "rds:DeleteDBInstance", "rds:DeleteDBCluster"];

/** A DB instance and a cluster no drill created (names that are not the drill's, yet close to it). */
const FOREIGN_DATABASES = ["db:orders", "cluster:ledger", "db:drill", "cluster:drillx"].map((id) => `arn:aws:rds:us-east-1:123456789012:${id}`);

/**
 * Whether a Resource pattern can reach a DB instance or cluster outside the drill's names: its type is (or a wildcard
 * covers) db or cluster and its id does not start with the literal drill prefix; a pattern that is not an RDS ARN is
 * tried against foreign ARNs (`*`, `arn:aws:rds:*`).
 */
export function reachesForeignDatabase(pattern: string): boolean {
  const arn = /^arn:[^:]*:rds:[^:]*:[^:]*:([^:]*):(.*)$/i.exec(pattern);
  if (arn === null) return FOREIGN_DATABASES.some((foreign) => actionMatches(pattern, foreign));
  const [, type, id] = arn;
  if (!["db", "cluster"].some((t) => actionMatches(type, t))) return false;
  return !id.startsWith(DRILL_NAME_PREFIX);
}

/** The DRILL_NAMED_RDS_ACTIONS a statement grants beyond the drill's names (NotResource: anywhere). */
export function rdsBeyondDrillNames(statement: Statement): { actions: string[]; resources: string[] } {
  const actions = actionsAllowed(statement, DRILL_NAMED_RDS_ACTIONS);
  if (actions.length === 0) return { actions, resources: [] };
  const resources = statement.NotResource !== undefined ? [`NotResource ${listOf(statement.NotResource).join(", ")}`] : listOf(statement.Resource).filter(reachesForeignDatabase);
  return resources.length === 0 ? { actions: [], resources } : { actions, resources };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The value of `key` (IAM condition keys are case-insensitive) under `operator` of the statement's condition. */
function conditionOn(statement: Statement, operator: string, key: string): unknown {
  const block = isObject(statement.Condition) ? statement.Condition[operator] : undefined;
  if (!isObject(block)) return undefined;
  const found = Object.keys(block).find((k) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : block[found];
}

const only = (value: unknown): unknown => (Array.isArray(value) && value.length === 1 ? (value as unknown[])[0] : value);

/** Whether the statement lets `action` act only on resources tagged with this stack and a drill id. */
export function drillTagConditioned(statement: Statement, action: string, stackTag: string): boolean {
  return tagKeyPrefixes(action).some((prefix) => {
    const stack = only(conditionOn(statement, "StringEquals", `${prefix}/${TAG_STACK}`));
    const drillNull = only(conditionOn(statement, "Null", `${prefix}/${TAG_DRILL_ID}`));
    const drillLike = only(conditionOn(statement, "StringLike", `${prefix}/${TAG_DRILL_ID}`));
    return stack === stackTag && (drillNull === "false" || drillNull === false || drillLike === "*");
  });
}

export const drillRoleDeletesOnlyDrillTagged: StackValidationPolicy = {
  name: "drill-role-deletes-only-drill-tagged",
  description: `The drill function's role (${DRILL_FUNCTIONS.join(" or ")}) deletes only resources tagged ${TAG_STACK} = the stack and ${TAG_DRILL_ID}, and no snapshot (${SNAPSHOT_DELETE_ACTIONS.join(", ")}).`,
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const functions = DRILL_FUNCTIONS.map((name) => functionNamed(args.resources, name)).filter((f) => f !== undefined);
    if (functions.length === 0) args.notApplicable("no drill function");
    for (const fn of functions) checkDrillRole(args.resources, fn, reportViolation);
  },
};

function checkDrillRole(resources: PolicyResource[], fn: FunctionView, reportViolation: ReportViolation): void {
  const role = roleOf(resources, fn);
  if (role === undefined) {
    reportViolation(`The drill function ${fn.resource.name} has no role of this stack (role ${String(fn.props.role)}): give it the stack's own drill role, whose policies the pack can read.`, fn.resource.urn);
    return;
  }
  const stackTag = fn.props.environment?.variables?.[STACK_VARIABLE];
  if (typeof stackTag !== "string" || stackTag === "") {
    reportViolation(`The drill function ${fn.resource.name} has no ${STACK_VARIABLE}: the pack cannot tell which stack's resources its role may delete; set it to the backup-dr:stack tag value.`, fn.resource.urn);
    return;
  }
  const name = role.resource.name;
  const { documents, unreadable } = roleDocuments(resources, role);
  for (const arn of unreadable) {
    reportViolation(`The drill role ${name} has the policy ${arn} attached, which the pack cannot read: it may delete what no drill created; grant the drill role only its own inline policy.`, role.resource.urn);
  }
  for (const { label, document } of documents) {
    (statementsOf(document) ?? []).forEach((statement, i) => {
      if (!isAllow(statement)) return;
      const at = `${label} statement ${statementLabel(statement, i)}`;
      const snapshots = snapshotDeletesAllowed(statement);
      if (snapshots.length > 0) {
        reportViolation(`The drill role ${name} may delete recovery points: ${at} allows ${snapshots.join(", ")}; a drill deletes only what it restored, never a snapshot: remove it.`, role.resource.urn);
      }
      const beyond = rdsBeyondDrillNames(statement);
      if (beyond.actions.length > 0) {
        reportViolation(
          `The drill role ${name} may tag and delete databases no drill created: ${at} allows ${beyond.actions.join(", ")} on ${beyond.resources.join(", ")}; ` +
            `RDS tags existing resources (no CreateAction), so a tag condition does not stop it marking a source as a drill's: limit it to arn:...:db:${DRILL_NAME_PREFIX}* and arn:...:cluster:${DRILL_NAME_PREFIX}*.`,
          role.resource.urn,
        );
      }
      const unconditioned = drillDeletesAllowed(statement).filter((action) => !drillTagConditioned(statement, action, stackTag));
      if (unconditioned.length > 0) {
        const keys = tagKeyPrefixes(unconditioned[0])[0];
        reportViolation(
          `The drill role ${name} may delete what no drill of this stack created: ${at} allows ${unconditioned.join(", ")} without requiring the resource's tags; ` +
            `condition it on StringEquals ${keys}/${TAG_STACK} = "${stackTag}" and Null ${keys}/${TAG_DRILL_ID} = "false".`,
          role.resource.urn,
        );
      }
    });
  }
}

export const DRILL_POLICIES = [drillRoleDeletesOnlyDrillTagged];
