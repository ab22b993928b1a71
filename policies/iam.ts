// IAM identity policies (role inline policies, managed policies, user and group policies): no
// statement allows every action, and none allows deleting or tagging on every resource without a
// condition. Tags are the backup catalog and the cleanup's ownership guard, so tag and delete rights
// must be scoped the way the functions' own statements are.
import * as aws from "@pulumi/aws";
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { hasCondition, isAllow, listOf, statementLabel, statementsOf, type Statement } from "./lib/documents";

/** The policy documents a resource carries, or undefined when it carries none this pack reads. */
function documentsOf(args: ResourceValidationArgs): unknown[] | undefined {
  const role = args.asType(aws.iam.Role);
  if (role !== undefined) return (role.inlinePolicies ?? []).map((p) => p.policy);
  const policy =
    args.asType(aws.iam.RolePolicy)?.policy ?? args.asType(aws.iam.Policy)?.policy ?? args.asType(aws.iam.UserPolicy)?.policy ?? args.asType(aws.iam.GroupPolicy)?.policy;
  return policy === undefined ? undefined : [policy];
}

/** Every statement of the resource's identity policies, with how a message names it. */
function statementsIn(args: ResourceValidationArgs): { statement: Statement; label: string }[] {
  const documents = documentsOf(args);
  if (documents === undefined) args.notApplicable("not an IAM identity policy");
  return documents.flatMap((d) => (statementsOf(d) ?? []).map((statement, i) => ({ statement, label: statementLabel(statement, i) })));
}

const SERVICE_WILDCARD = /^([a-z0-9-]+):\*$/;

export const iamNoWildcardActions: ResourceValidationPolicy = {
  name: "iam-no-wildcard-actions",
  description: "No IAM policy statement allows every action, or every action of a service.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    for (const { statement, label } of statementsIn(args)) {
      if (!isAllow(statement)) continue;
      if (statement.NotAction !== undefined) {
        reportViolation(`Policy statement ${label} allows with NotAction, which allows every other action: list the allowed actions in Action instead.`);
      }
      for (const action of listOf(statement.Action)) {
        const service = SERVICE_WILDCARD.exec(action)?.[1];
        if (action === "*") reportViolation(`Policy statement ${label} allows every action ("*"): list only the actions the principal needs.`);
        else if (service !== undefined) reportViolation(`Policy statement ${label} allows every ${service} action ("${action}"): list only the actions the principal needs.`);
      }
    }
  },
};

/** Action names (after `service:`) that delete or change tags. */
const DESTRUCTIVE = /^(Delete|Tag|Untag)|Tags|Tagging/;
const DESTRUCTIVE_PREFIXES = ["Delete", "Tag", "Untag"];

/** True when an action pattern may match a delete or tag action (`*` and `?` are wildcards). */
export function mayDeleteOrTag(action: string): boolean {
  const name = action === "*" ? "*" : action.slice(action.indexOf(":") + 1);
  const wildcard = name.search(/[*?]/);
  if (wildcard === -1) return DESTRUCTIVE.test(name);
  // A pattern matches such an action if its literal start is compatible with one of the prefixes, or
  // it spells "Tags" or "Tagging" itself; anything starting with a wildcard may match anything.
  const literal = name.slice(0, wildcard);
  return DESTRUCTIVE.test(literal) || /Tags|Tagging/.test(name) || DESTRUCTIVE_PREFIXES.some((p) => p.startsWith(literal));
}

export const iamNoUnscopedDeleteOrTag: ResourceValidationPolicy = {
  name: "iam-no-unscoped-delete-or-tag",
  description: "No IAM policy statement allows delete or tag actions on every resource (\"*\") without a condition.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    for (const { statement, label } of statementsIn(args)) {
      if (!isAllow(statement) || hasCondition(statement)) continue;
      const everywhere = listOf(statement.Resource).includes("*") || statement.NotResource !== undefined;
      const actions = listOf(statement.Action).filter(mayDeleteOrTag);
      if (everywhere && actions.length > 0) {
        reportViolation(
          `Policy statement ${label} allows ${actions.join(", ")} on every resource with no condition: ` +
            "name the resources by ARN or add a Condition (e.g. on aws:ResourceTag/backup-dr:stack).",
        );
      }
    }
  },
};

export const IAM_POLICIES = [iamNoWildcardActions, iamNoUnscopedDeleteOrTag];
