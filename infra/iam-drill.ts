// IAM statements of the drill function (issue 18 item 4): the restore role's statements for the drill's region, with
// every create additionally requiring the request tag backup-dr:drill-id (the drill role creates only drill-tagged
// resources), plus deletes of ONLY what carries a drill id and this stack, read from the resource's own tags:
// instances, volumes and images (EC2's aws:ResourceTag) and DB instances and clusters (RDS's rds:db-tag and
// rds:cluster-tag, RDS User Guide "Specifying conditions: using custom tags"), without a final snapshot. No snapshot is
// ever deleted or created. Manifests only under runs/drill/ (the function's base statements), listing only there.
// RDS has no ec2:CreateAction: rds:AddTagsToResource is also a standalone call on an existing DB, so a tag condition
// alone would let the role tag a source DB as a drill's and then delete it. Every RDS create, tag and delete of the
// drill role is therefore limited to the drill's own names, db:drill-* and cluster:drill-* (drillRestoreName), and an
// ordinary restore refuses a drill- name (handlers/restore/naming.ts). EC2 tags only at creation (ec2:CreateAction).
import { TAG_DRILL_ID, TAG_RESTORE_ID, TAG_STACK } from "../handlers/catalog";
import { DRILL_NAME_PREFIX } from "../handlers/restore/naming";
import { DRILL_MANIFEST_FOLDER } from "../handlers/drill/contract";
import { DATABASE_CREATE_SID, restoreStatements, type RestoreScope } from "./iam-restore";
import type { PolicyStatement } from "./policy-documents";

export interface DrillScope extends RestoreScope {
  /** The drill region's vault: the watch step lists runs/drill/ there. */
  vaultArn: string;
}

/** Every delete the drill role is allowed, each only on resources tagged with a drill id and this stack. */
export const DRILL_DELETE_ACTIONS = ["ec2:TerminateInstances", "ec2:DeleteVolume", "ec2:DeregisterImage", "rds:DeleteDBInstance", "rds:DeleteDBCluster"] as const;

const REQUEST_TAG = "aws:RequestTag/";

/** A restore statement that creates (conditioned on request tags) now also requires the drill-id request tag. */
function requiringDrillTag(statement: PolicyStatement): PolicyStatement {
  const condition = statement.Condition;
  if (condition === undefined || !Object.values(condition).some((keys) => Object.keys(keys).some((k) => k.startsWith(REQUEST_TAG)))) return statement;
  return { ...statement, Condition: { ...condition, Null: { ...condition.Null, [`${REQUEST_TAG}${TAG_DRILL_ID}`]: "false" } } };
}

/** Conditions on a resource's own tags (`prefix` is the service's key, e.g. aws:ResourceTag or rds:db-tag): this stack and a drill id. */
export function drillTagged(prefix: string, stackTag: string, ...alsoPresent: string[]): PolicyStatement["Condition"] {
  return {
    StringEquals: { [`${prefix}/${TAG_STACK}`]: stackTag },
    Null: Object.fromEntries([TAG_DRILL_ID, ...alsoPresent].map((tag) => [`${prefix}/${tag}`, "false"])),
  };
}

/** The drill's DB instances and clusters only: the ARN patterns of its names (RDS ARNs carry the lowercase identifier). */
export function drillDatabaseResources(rds: (resource: string) => string): string[] {
  return [rds(`db:${DRILL_NAME_PREFIX}*`), rds(`cluster:${DRILL_NAME_PREFIX}*`)];
}

/** The drill function's role in its region. */
export function drillStatements(s: DrillScope): PolicyStatement[] {
  const ec2 = (resource: string, account = s.accountId) => `arn:${s.partition}:ec2:${s.region}:${account}:${resource}`;
  const rds = (resource: string) => `arn:${s.partition}:rds:${s.region}:${s.accountId}:${resource}`;
  const launches = s.network.subnetIds.length > 0;
  // The restore's own image deregistration (conditioned on its restore id) is replaced by the drill's, which also needs the drill id.
  const restore = restoreStatements(s)
    .filter((st) => !(st.Action === "ec2:DeregisterImage" || (Array.isArray(st.Action) && st.Action.includes("ec2:DeregisterImage"))))
    .map(requiringDrillTag)
    .map((st) => (st.Sid === DATABASE_CREATE_SID ? { ...st, Resource: drillDatabaseResources(rds) } : st));
  const statements: PolicyStatement[] = [
    ...restore,
    {
      Sid: "DeleteOnlyThisStacksDrillMachines",
      Effect: "Allow",
      Action: [...(launches ? ["ec2:TerminateInstances"] : []), "ec2:DeleteVolume", "ec2:DeregisterImage"],
      Resource: [...(launches ? [ec2("instance/*")] : []), ec2("volume/*"), ec2("image/*", "")],
      Condition: drillTagged("aws:ResourceTag", s.stackTag, TAG_RESTORE_ID),
    },
    {
      Sid: "ListDrillManifests",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: s.vaultArn,
      Condition: { StringLike: { "s3:prefix": `runs/${DRILL_MANIFEST_FOLDER}/*` } },
    },
  ];
  if (s.network.dbSubnetGroup !== undefined) {
    statements.push(
      { Sid: "DeleteOnlyThisStacksDrillDatabases", Effect: "Allow", Action: "rds:DeleteDBInstance", Resource: drillDatabaseResources(rds)[0], Condition: drillTagged("rds:db-tag", s.stackTag, TAG_RESTORE_ID) },
      { Sid: "DeleteOnlyThisStacksDrillClusters", Effect: "Allow", Action: "rds:DeleteDBCluster", Resource: drillDatabaseResources(rds)[1], Condition: drillTagged("rds:cluster-tag", s.stackTag, TAG_RESTORE_ID) },
    );
  }
  return statements;
}
