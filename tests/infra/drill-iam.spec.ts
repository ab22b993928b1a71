// The drill role's policy document (infra/iam-drill.ts), as a pure function: the restore role's statements of the
// region with every create also requiring the drill-id request tag; deletes only of resources whose own tags carry a
// drill id and this stack; no snapshot deleted or created; listing only the drill manifests.
import { expect } from "chai";
import { drillStatements, DRILL_DELETE_ACTIONS, type DrillScope } from "../../infra/iam-drill";
import { DATABASE_CREATE_SID, restoreStatements } from "../../infra/iam-restore";
import type { PolicyStatement } from "../../infra/policy-documents";

const STACK = "backup-dr/prod";
const NETWORK = { subnetIds: ["subnet-0123456789abcdef0"], securityGroupIds: ["sg-0123456789abcdef0"], dbSubnetGroup: "Restore-DBs" };
const SCOPE: DrillScope = { partition: "aws", accountId: "123456789012", region: "us-west-2", stackTag: STACK, network: NETWORK, vaultArn: "arn:aws:s3:::dr-vault" };

const actionsOf = (s: PolicyStatement) => [s.Action].flat();
const resourcesOf = (s: PolicyStatement) => [s.Resource ?? []].flat();
const allows = (statements: PolicyStatement[]) => statements.filter((s) => s.Effect === "Allow");

/** The service's resource-tag condition key prefix for a delete action. */
function tagPrefix(action: string): string {
  if (action === "rds:DeleteDBInstance") return "rds:db-tag";
  if (action === "rds:DeleteDBCluster") return "rds:cluster-tag";
  return "aws:ResourceTag";
}

/** What each create action creates (a RunInstances on an image or a restore on a snapshot reads its source). */
const CREATED: Record<string, RegExp> = {
  "ec2:CreateVolume": /:volume\/\*$/,
  "ec2:RegisterImage": /:image\/\*$/,
  "ec2:RunInstances": /:(instance|volume)\/\*$/,
  "ec2:CreateTags": /:(volume|image|instance)\/\*$/,
  "rds:RestoreDBInstanceFromDBSnapshot": /:db:(drill-)?\*$/,
  "rds:RestoreDBClusterFromSnapshot": /:cluster:(drill-)?\*$/,
  "rds:CreateDBInstance": /:db:(drill-)?\*$/,
  "rds:AddTagsToResource": /:(db|cluster):(drill-)?\*$/,
};
const createsAt = (action: string, resource: string) => CREATED[action]?.test(resource) === true;

/** Whether an action deletes, terminates or deregisters something. */
const deletes = (action: string) => /^[a-z0-9-]+:(Delete|Terminate|Deregister)/i.test(action) || action.includes("*");

describe("drill role (infra/iam-drill.ts)", () => {
  const variants: [string, DrillScope][] = [
    ["a full restore network", SCOPE],
    ["no network (volumes only, no databases)", { ...SCOPE, network: { subnetIds: [], securityGroupIds: [] } }],
  ];
  for (const [title, scope] of variants) {
    describe(title, () => {
      const statements = drillStatements(scope);

      it("conditions every delete on the resource's own tags: this stack and a drill id (and a restore id)", () => {
        const deleting = allows(statements).filter((s) => actionsOf(s).some(deletes));
        expect(deleting.length).to.be.greaterThan(0);
        for (const s of deleting) {
          for (const action of actionsOf(s)) {
            expect(action, s.Sid).to.not.include("*");
            const prefix = tagPrefix(action);
            expect(s.Condition?.StringEquals, `${s.Sid} ${action}`).to.deep.equal({ [`${prefix}/backup-dr:stack`]: STACK });
            expect(s.Condition?.Null, `${s.Sid} ${action}`).to.deep.equal({ [`${prefix}/backup-dr:drill-id`]: "false", [`${prefix}/backup-dr:restore-id`]: "false" });
            // The statement's every action shares its tag key prefix.
            expect(actionsOf(s).map(tagPrefix), s.Sid).to.deep.equal(actionsOf(s).map(() => prefix));
          }
        }
      });

      it("deletes nothing but the drill's own kinds of resources, and no snapshot; creates no snapshot (skip the final snapshot)", () => {
        const all = allows(statements).flatMap(actionsOf);
        expect(all.filter(deletes).every((a) => (DRILL_DELETE_ACTIONS as readonly string[]).includes(a))).to.equal(true);
        for (const never of ["ec2:DeleteSnapshot", "rds:DeleteDBSnapshot", "rds:DeleteDBClusterSnapshot", "rds:CreateDBSnapshot", "rds:CreateDBClusterSnapshot", "ec2:CreateSnapshot", "ec2:CreateSnapshots", "ec2:CopySnapshot"]) {
          expect(all, never).to.not.include(never);
        }
      });

      it("requires the drill-id request tag (and the stack's, and a restore id) on every create", () => {
        const tagged = allows(statements).filter((s) => Object.values(s.Condition ?? {}).some((c) => Object.keys(c).some((k) => k.startsWith("aws:RequestTag/"))));
        expect(tagged.length).to.be.greaterThan(0);
        for (const s of tagged) {
          expect(s.Condition?.Null?.["aws:RequestTag/backup-dr:drill-id"], s.Sid).to.equal("false");
          expect(s.Condition?.StringEquals?.["aws:RequestTag/backup-dr:stack"], s.Sid).to.equal(STACK);
        }
        // Every statement that creates a volume, image, instance, DB instance or cluster is one of them.
        const creates = allows(statements).filter((s) => actionsOf(s).some((a) => resourcesOf(s).some((r) => createsAt(a, r))));
        expect(creates.length).to.be.greaterThan(0);
        for (const s of creates) expect(tagged, s.Sid).to.include(s);
      });

      it("keeps every other restore statement of the region as the restore role has it, and only replaces its image deregistration", () => {
        const restore = restoreStatements(scope);
        const bySid = new Map(statements.map((s) => [s.Sid, s]));
        for (const s of restore) {
          if (s.Sid === "DeregisterOnlyRestoredImages") {
            expect(bySid.has(s.Sid)).to.equal(false);
            continue;
          }
          const drill = bySid.get(s.Sid);
          expect(drill, s.Sid).to.not.equal(undefined);
          // The DB create/tag statement keeps its actions but only on the drill's names (the next test).
          const resource = s.Sid === DATABASE_CREATE_SID ? drill?.Resource : s.Resource;
          expect({ ...drill, Condition: undefined }, s.Sid).to.deep.equal({ ...s, Resource: resource, Condition: undefined });
        }
      });

      it("tags, creates and deletes DB instances and clusters only under the drill's names (db:drill-*, cluster:drill-*): RDS tags existing resources too", () => {
        const rdsWrites = allows(statements).filter((s) => actionsOf(s).some((a) => a === "rds:AddTagsToResource" || /^rds:(Delete|Create|Restore)/.test(a) || /^rds:.*\*/.test(a)));
        if (scope.network.dbSubnetGroup === undefined) {
          expect(rdsWrites).to.deep.equal([]);
          return;
        }
        const tagOrDelete = rdsWrites.filter((s) => actionsOf(s).some((a) => a === "rds:AddTagsToResource" || a.startsWith("rds:Delete")));
        expect(tagOrDelete.map((s) => s.Sid).sort()).to.deep.equal([DATABASE_CREATE_SID, "DeleteOnlyThisStacksDrillClusters", "DeleteOnlyThisStacksDrillDatabases"]);
        for (const s of tagOrDelete) {
          for (const r of resourcesOf(s)) expect(r, s.Sid).to.match(/^arn:aws:rds:us-west-2:123456789012:(db|cluster):drill-\*$/);
        }
        // No statement lets rds:AddTagsToResource or a delete reach a DB or cluster outside the drill's names.
        for (const s of rdsWrites.filter((st) => !tagOrDelete.includes(st))) {
          expect(resourcesOf(s).filter((r) => /:(db|cluster):/.test(r)), s.Sid).to.deep.equal([]);
        }
      });

      it("lists only the drill manifests of the region's vault", () => {
        expect(allows(statements).filter((s) => actionsOf(s).some((a) => a.startsWith("s3:")))).to.deep.equal([
          { Sid: "ListDrillManifests", Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::dr-vault", Condition: { StringLike: { "s3:prefix": "runs/drill/*" } } },
        ]);
      });
    });
  }

  it("terminates and deletes databases only where the region's network lets the drill create them", () => {
    const actions = (scope: DrillScope) => allows(drillStatements(scope)).flatMap(actionsOf).filter(deletes).sort();
    expect(actions(SCOPE)).to.deep.equal([...DRILL_DELETE_ACTIONS].sort());
    expect(actions({ ...SCOPE, network: { subnetIds: [], securityGroupIds: [] } })).to.deep.equal(["ec2:DeleteVolume", "ec2:DeregisterImage"]);
    expect(actions({ ...SCOPE, network: { subnetIds: [], securityGroupIds: [], dbSubnetGroup: "x" } })).to.deep.equal(["ec2:DeleteVolume", "ec2:DeregisterImage", "rds:DeleteDBCluster", "rds:DeleteDBInstance"]);
  });

  it("names the region's resources only: DB instances and clusters of this account and region, images of any owner in the region", () => {
    const deleting = allows(drillStatements(SCOPE)).filter((s) => actionsOf(s).some(deletes));
    expect(deleting.flatMap(resourcesOf).sort()).to.deep.equal([
      "arn:aws:ec2:us-west-2:123456789012:instance/*",
      "arn:aws:ec2:us-west-2:123456789012:volume/*",
      "arn:aws:ec2:us-west-2::image/*",
      "arn:aws:rds:us-west-2:123456789012:cluster:drill-*",
      "arn:aws:rds:us-west-2:123456789012:db:drill-*",
    ]);
  });
});
