// drill-role-deletes-only-drill-tagged: the drill function's role deletes only resources tagged with a drill id and
// this stack, and no snapshot. On synthetic stacks (one change per case), and on the program's own stacks weakened
// one way at a time.
import { expect } from "chai";
import { DRILL_NAME_PREFIX as HANDLERS_DRILL_PREFIX } from "../../handlers/restore/naming";
import { drillDeletesAllowed, drillRoleDeletesOnlyDrillTagged, drillTagConditioned } from "../../policies/drill";
import { DRILL_NAME_PREFIX } from "../../policies/lib/names";
import type { StackResource } from "../../tools/policy-check/model";
import { deployStack } from "../helpers/deploy";
import { ACCOUNT, check, json, provider, replace, resource, urnOf, withProps } from "./harness";

const FN = "aws:lambda/function:Function";
const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const STACK = "backup-dr/test";

const dr = provider("dr", "us-west-2");
const roleArn = `arn:aws:iam::${ACCOUNT}:role/dr-drill-role`;
const roleLabel = "dr-drill-role (aws:iam/role:Role)";

const tagged = (prefix: string) => ({ StringEquals: { [`${prefix}/backup-dr:stack`]: STACK }, Null: { [`${prefix}/backup-dr:drill-id`]: "false" } });
const allow = (Action: unknown, Condition?: unknown, extra: Record<string, unknown> = {}) => ({ Sid: "S", Effect: "Allow", Action, Resource: "*", ...(Condition === undefined ? {} : { Condition }), ...extra });
const READS = allow(["ec2:DescribeInstances", "rds:DescribeDBInstances"]);
const rdsArn = (id: string) => `arn:aws:rds:us-west-2:${ACCOUNT}:${id}`;
/** The drill's own DB instances and clusters, by name. */
const DRILL_DBS = { Resource: rdsArn("db:drill-*") };
const DRILL_CLUSTERS = { Resource: rdsArn("cluster:drill-*") };
const GOOD = [
  READS,
  { ...allow(["ec2:TerminateInstances", "ec2:DeleteVolume", "ec2:DeregisterImage"], tagged("aws:ResourceTag")), Sid: "Machines" },
  { ...allow("rds:DeleteDBInstance", tagged("rds:db-tag"), DRILL_DBS), Sid: "Databases" },
  { ...allow("rds:DeleteDBCluster", tagged("rds:cluster-tag"), DRILL_CLUSTERS), Sid: "Clusters" },
  {
    ...allow(["rds:RestoreDBInstanceFromDBSnapshot", "rds:AddTagsToResource"], { StringEquals: { "aws:RequestTag/backup-dr:stack": STACK } }, { Resource: [rdsArn("db:drill-*"), rdsArn("cluster:drill-*")] }),
    Sid: "Create",
  },
  { ...allow("rds:RestoreDBInstanceFromDBSnapshot", undefined, { Resource: [rdsArn("snapshot:*"), rdsArn("subgrp:restore"), rdsArn("cluster-pg:*")] }), Sid: "From" },
];

/** The drill function, its role and the role's RolePolicy with the given statements. */
function drillRole(statements: unknown[], env: Record<string, string> = { BACKUP_DR_STACK: STACK }): StackResource[] {
  return [
    dr,
    resource(FN, "dr-drill", { runtime: "nodejs22.x", role: roleArn, environment: { variables: env } }, { provider: dr, computed: { name: "dr-drill", arn: `arn:aws:lambda:us-west-2:${ACCOUNT}:function:dr-drill` } }),
    resource(ROLE, "dr-drill-role", { assumeRolePolicy: "{}" }, { computed: { name: "dr-drill-role", arn: roleArn, id: "dr-drill-role" } }),
    resource(ROLE_POLICY, "dr-drill-policy", { role: "dr-drill-role", policy: json({ Version: "2012-10-17", Statement: statements }) }),
  ];
}

const beyondNames = (at: string, actions: string, resources: string) =>
  `${roleLabel}: The drill role dr-drill-role may tag and delete databases no drill created: RolePolicy dr-drill-policy statement ${at} allows ${actions} on ${resources}; ` +
  `RDS tags existing resources (no CreateAction), so a tag condition does not stop it marking a source as a drill's: limit it to arn:...:db:drill-* and arn:...:cluster:drill-*.`;

const unconditioned = (at: string, actions: string, prefix = "aws:ResourceTag") =>
  `${roleLabel}: The drill role dr-drill-role may delete what no drill of this stack created: RolePolicy dr-drill-policy statement ${at} allows ${actions} without requiring the resource's tags; condition it on StringEquals ${prefix}/backup-dr:stack = "${STACK}" and Null ${prefix}/backup-dr:drill-id = "false".`;

describe("policies: drill", () => {
  describe("drill-role-deletes-only-drill-tagged", () => {
    it("reads deletes as IAM grants them: by name, wildcard and NotAction; snapshot deletes are the other check's", () => {
      expect(drillDeletesAllowed(allow(["ec2:DeleteVolume", "s3:GetObject"]))).to.deep.equal(["ec2:DeleteVolume"]);
      expect(drillDeletesAllowed(allow("ec2:*"))).to.deep.equal(["ec2:TerminateInstances", "ec2:DeleteVolume", "ec2:DeregisterImage"]);
      expect(drillDeletesAllowed(allow("rds:delete*"))).to.deep.equal(["rds:DeleteDBInstance", "rds:DeleteDBCluster"]);
      expect(drillDeletesAllowed(allow(["ec2:DeleteNetworkInterface", "ec2:DeleteSnapshot"]))).to.deep.equal(["ec2:DeleteNetworkInterface"]);
      expect(drillDeletesAllowed({ Effect: "Allow", NotAction: ["ec2:*"], Resource: "*" })).to.deep.equal(["rds:DeleteDBInstance", "rds:DeleteDBCluster"]);
    });

    it("takes each service's tag condition keys, case-insensitively, and the drill id as Null false or StringLike *", () => {
      expect(drillTagConditioned(allow("rds:DeleteDBInstance", tagged("rds:db-tag")), "rds:DeleteDBInstance", STACK)).to.equal(true);
      expect(drillTagConditioned(allow("rds:DeleteDBInstance", tagged("rds:cluster-tag")), "rds:DeleteDBInstance", STACK)).to.equal(false);
      expect(drillTagConditioned(allow("ec2:DeleteVolume", tagged("AWS:resourcetag")), "ec2:DeleteVolume", STACK)).to.equal(true);
      const like = { StringEquals: { "aws:ResourceTag/backup-dr:stack": [STACK] }, StringLike: { "aws:ResourceTag/backup-dr:drill-id": "*" } };
      expect(drillTagConditioned(allow("ec2:DeleteVolume", like), "ec2:DeleteVolume", STACK)).to.equal(true);
      expect(drillTagConditioned(allow("ec2:DeleteVolume", { ...tagged("aws:ResourceTag"), Null: { "aws:ResourceTag/backup-dr:drill-id": true } }), "ec2:DeleteVolume", STACK)).to.equal(false);
    });

    it("passes a role whose every delete is conditioned on the stack and drill-id tags; not applicable without a drill function", async () => {
      expect(await check(drillRoleDeletesOnlyDrillTagged, drillRole(GOOD))).to.deep.equal([]);
      expect(await check(drillRoleDeletesOnlyDrillTagged, [dr])).to.deep.equal([]);
    });

    const cases: [string, unknown, string][] = [
      ["a terminate with no condition", allow("ec2:TerminateInstances"), unconditioned('"S"', "ec2:TerminateInstances")],
      ["a delete conditioned on the stack tag alone", allow("ec2:DeleteVolume", { StringEquals: { "aws:ResourceTag/backup-dr:stack": STACK } }), unconditioned('"S"', "ec2:DeleteVolume")],
      ["a delete conditioned on the drill id alone", allow("rds:DeleteDBCluster", { Null: { "rds:cluster-tag/backup-dr:drill-id": "false" } }, DRILL_CLUSTERS), unconditioned('"S"', "rds:DeleteDBCluster", "rds:cluster-tag")],
      ["a delete conditioned on another stack", allow("rds:DeleteDBInstance", { ...tagged("rds:db-tag"), StringEquals: { "rds:db-tag/backup-dr:stack": "backup-dr/prod" } }, DRILL_DBS), unconditioned('"S"', "rds:DeleteDBInstance", "rds:db-tag")],
      ["a delete conditioned with IfExists", allow("ec2:DeleteVolume", { StringEqualsIfExists: { "aws:ResourceTag/backup-dr:stack": STACK }, Null: { "aws:ResourceTag/backup-dr:drill-id": "false" } }), unconditioned('"S"', "ec2:DeleteVolume")],
      ["a request tag in place of the resource's", allow("ec2:DeleteVolume", tagged("aws:RequestTag")), unconditioned('"S"', "ec2:DeleteVolume")],
      ["unconditioned wildcards over the machines", allow(["ec2:Terminate*", "ec2:*Volume", "EC2:deregister*"]), unconditioned('"S"', "ec2:TerminateInstances, ec2:DeleteVolume, ec2:DeregisterImage")],
      ["an unlisted delete by name", allow("ec2:DeleteNetworkInterface"), unconditioned('"S"', "ec2:DeleteNetworkInterface")],
    ];
    for (const [title, statement, message] of cases) {
      it(`refuses ${title}`, async () => {
        expect(await check(drillRoleDeletesOnlyDrillTagged, drillRole([...GOOD, statement]))).to.deep.equal([message]);
      });
    }

    it("refuses any snapshot delete, conditioned on the drill's tags or not", async () => {
      const statement = allow(["rds:DeleteDBSnapshot", "ec2:DeleteSnapshot"], tagged("aws:ResourceTag"));
      expect(await check(drillRoleDeletesOnlyDrillTagged, drillRole([...GOOD, statement]))).to.deep.equal([
        `${roleLabel}: The drill role dr-drill-role may delete recovery points: RolePolicy dr-drill-policy statement "S" allows ec2:DeleteSnapshot, rds:DeleteDBSnapshot; a drill deletes only what it restored, never a snapshot: remove it.`,
      ]);
    });

    it("refuses a database wildcard three times: it deletes snapshots, unconditioned databases, and beyond the drill's names", async () => {
      expect(await check(drillRoleDeletesOnlyDrillTagged, drillRole([...GOOD, allow("rds:Delete*")]))).to.deep.equal([
        `${roleLabel}: The drill role dr-drill-role may delete recovery points: RolePolicy dr-drill-policy statement "S" allows rds:DeleteDBSnapshot, rds:DeleteDBClusterSnapshot; a drill deletes only what it restored, never a snapshot: remove it.`,
        beyondNames('"S"', "rds:DeleteDBInstance, rds:DeleteDBCluster", "*"),
        unconditioned('"S"', "rds:DeleteDBInstance, rds:DeleteDBCluster", "rds:db-tag"),
      ]);
    });

    it("refuses everything at once for `*`, and NotAction", async () => {
      expect(await check(drillRoleDeletesOnlyDrillTagged, drillRole([allow("*")]))).to.have.length(3);
      expect(await check(drillRoleDeletesOnlyDrillTagged, drillRole([{ Sid: "N", Effect: "Allow", NotAction: "s3:*", Resource: "*" }]))).to.have.length(3);
    });

    describe("RDS tags and deletes only under the drill's names (RDS tags existing resources: tag, then delete a source)", () => {
      const cases: [string, unknown, string, string][] = [
        [
          "rds:AddTagsToResource on db:* and cluster:*, conditioned on request tags (the restore role's statement)",
          allow(["rds:RestoreDBInstanceFromDBSnapshot", "rds:AddTagsToResource"], { StringEquals: { "aws:RequestTag/backup-dr:stack": STACK }, Null: { "aws:RequestTag/backup-dr:drill-id": "false" } }, { Resource: [rdsArn("db:*"), rdsArn("cluster:*")] }),
          "rds:AddTagsToResource",
          `${rdsArn("db:*")}, ${rdsArn("cluster:*")}`,
        ],
        ["a tag-conditioned DB delete on db:*", allow("rds:DeleteDBInstance", tagged("rds:db-tag"), { Resource: rdsArn("db:*") }), "rds:DeleteDBInstance", rdsArn("db:*")],
        ["a tag-conditioned cluster delete on a wildcard type", allow("rds:DeleteDBCluster", tagged("rds:cluster-tag"), { Resource: rdsArn("*:*") }), "rds:DeleteDBCluster", rdsArn("*:*")],
        ["a prefix that is not the drill's (db:d*)", allow("rds:DeleteDBInstance", tagged("rds:db-tag"), { Resource: rdsArn("db:d*") }), "rds:DeleteDBInstance", rdsArn("db:d*")],
        ["rds:AddTagsToResource on `*`", allow("rds:AddTagsToResource"), "rds:AddTagsToResource", "*"],
        ["an rds wildcard action on arn:aws:rds:*", allow("rds:*Tags*", undefined, { Resource: "arn:aws:rds:*" }), "rds:AddTagsToResource", "arn:aws:rds:*"],
        ["a delete by NotResource", { Sid: "S", Effect: "Allow", Action: "rds:DeleteDBInstance", NotResource: rdsArn("db:prod-*"), Condition: tagged("rds:db-tag") }, "rds:DeleteDBInstance", `NotResource ${rdsArn("db:prod-*")}`],
      ];
      for (const [title, statement, actions, resources] of cases) {
        it(`refuses ${title}`, async () => {
          expect(await check(drillRoleDeletesOnlyDrillTagged, drillRole([...GOOD, statement]))).to.deep.equal([beyondNames('"S"', actions, resources)]);
        });
      }

      it("accepts the drill's names however the region and account are written, and other RDS resource types", async () => {
        const fine = allow(["rds:AddTagsToResource", "rds:DeleteDBInstance"], tagged("rds:db-tag"), { Resource: ["arn:aws:rds:*:*:db:drill-*", rdsArn("snapshot:*"), "arn:aws:ec2:us-west-2:1:volume/*"] });
        expect(await check(drillRoleDeletesOnlyDrillTagged, drillRole([...GOOD, fine]))).to.deep.equal([]);
      });

      it("uses the prefix the handlers give every drill restore, and the ordinary restore refuses", () => {
        expect(DRILL_NAME_PREFIX).to.equal(HANDLERS_DRILL_PREFIX);
      });
    });

    it("ignores Deny statements", async () => {
      expect(await check(drillRoleDeletesOnlyDrillTagged, drillRole([...GOOD, { Sid: "D", Effect: "Deny", Action: "ec2:*", Resource: "*" }]))).to.deep.equal([]);
    });

    it("refuses a drill function without its stack tag, or with a role not of the stack, or with a policy the pack cannot read", async () => {
      expect(await check(drillRoleDeletesOnlyDrillTagged, drillRole(GOOD, {}))).to.deep.equal([
        "dr-drill (aws:lambda/function:Function): The drill function dr-drill has no BACKUP_DR_STACK: the pack cannot tell which stack's resources its role may delete; set it to the backup-dr:stack tag value.",
      ]);
      expect(await check(drillRoleDeletesOnlyDrillTagged, replace(drillRole(GOOD), urnOf(ROLE, "dr-drill-role"), undefined))).to.deep.equal([
        `dr-drill (aws:lambda/function:Function): The drill function dr-drill has no role of this stack (role ${roleArn}): give it the stack's own drill role, whose policies the pack can read.`,
      ]);
      const managed = drillRole(GOOD).map((r) => (r.type === ROLE ? withProps(r, { managedPolicyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"] }) : r));
      expect(await check(drillRoleDeletesOnlyDrillTagged, managed)).to.deep.equal([
        `${roleLabel}: The drill role dr-drill-role has the policy arn:aws:iam::aws:policy/PowerUserAccess attached, which the pack cannot read: it may delete what no drill created; grant the drill role only its own inline policy.`,
      ]);
    });
  });

  for (const stack of ["dev", "prod"]) {
    describe(`on the program's own stack (${stack}), weakened`, function () {
      this.timeout(180_000);
      let captured: StackResource[];
      let policy: StackResource;
      let statements: Record<string, unknown>[];
      const stackTag = `backup-dr/${stack}`;

      before(async () => {
        captured = (await deployStack(stack)).captured;
        const found = captured.find((r) => r.type === ROLE_POLICY && r.name === "dr-drill-policy");
        if (found === undefined) throw new Error("no dr-drill-policy");
        policy = found;
        statements = (JSON.parse(String(policy.inputs.policy)) as { Statement: Record<string, unknown>[] }).Statement;
      });

      const weakened = (change: (s: Record<string, unknown>[]) => Record<string, unknown>[]) =>
        replace(captured, policy.urn, withProps(policy, { policy: json({ Version: "2012-10-17", Statement: change(statements) }) }));
      const label = "dr-drill-role (aws:iam/role:Role): The drill role dr-drill-role may";

      it("passes as built", async () => {
        expect(await check(drillRoleDeletesOnlyDrillTagged, captured)).to.deep.equal([]);
      });

      it("refuses the drill-id condition dropped from the machines' deletes", async () => {
        const violations = await check(
          drillRoleDeletesOnlyDrillTagged,
          weakened((all) => all.map((s) => (s.Sid === "DeleteOnlyThisStacksDrillMachines" ? { ...s, Condition: { StringEquals: { "aws:ResourceTag/backup-dr:stack": stackTag } } } : s))),
        );
        expect(violations).to.have.length(1);
        expect(violations[0].startsWith(`${label} delete what no drill of this stack created: RolePolicy dr-drill-policy statement "DeleteOnlyThisStacksDrillMachines" allows `), violations[0]).to.equal(true);
        expect(violations[0]).to.include("ec2:DeleteVolume, ec2:DeregisterImage without requiring the resource's tags");
      });

      it("refuses the DB create/tag statement and the DB deletes widened back to db:* and cluster:* (tag a source, then delete it)", async () => {
        const wide = (s: Record<string, unknown>) => ({ ...s, Resource: [s.Resource].flat().map((r) => String(r).replace(":db:drill-*", ":db:*").replace(":cluster:drill-*", ":cluster:*")) });
        const sids = ["CreateDatabasesOnlyWithRestoreTags", "DeleteOnlyThisStacksDrillDatabases", "DeleteOnlyThisStacksDrillClusters"];
        const present = statements.filter((s) => sids.includes(String(s.Sid))).map((s) => s.Sid);
        // dev's DR region has no DB subnet group: its drill role has no database statement at all.
        if (stack === "dev" && present.length === 0) {
          expect(statements.flatMap((s) => [s.Action].flat()).filter((a) => String(a).startsWith("rds:") && !String(a).startsWith("rds:Describe") && String(a) !== "rds:ListTagsForResource")).to.deep.equal([]);
          return;
        }
        expect(present).to.have.members(sids);
        const violations = await check(drillRoleDeletesOnlyDrillTagged, weakened((all) => all.map((s) => (sids.includes(String(s.Sid)) ? wide(s) : s))));
        expect(violations).to.have.length(3);
        for (const [i, sid] of sids.entries()) {
          expect(violations[i].startsWith(`${label} tag and delete databases no drill created: RolePolicy dr-drill-policy statement "${sid}" allows `), violations[i]).to.equal(true);
        }
        expect(violations[0]).to.include("allows rds:AddTagsToResource on arn:aws:rds:");
        expect(violations[0]).to.match(/:db:\*, arn:aws:rds:[^ ]+:cluster:\*;/);
      });

      it("refuses an added snapshot delete and an added unconditioned terminate", async () => {
        const violations = await check(drillRoleDeletesOnlyDrillTagged, weakened((all) => [...all, allow("rds:DeleteDBSnapshot", undefined, { Sid: "Tidy" }), allow("ec2:TerminateInstances", undefined, { Sid: "Stop" })]));
        expect(violations).to.deep.equal([
          `${label} delete recovery points: RolePolicy dr-drill-policy statement "Tidy" allows rds:DeleteDBSnapshot; a drill deletes only what it restored, never a snapshot: remove it.`,
          `${label} delete what no drill of this stack created: RolePolicy dr-drill-policy statement "Stop" allows ec2:TerminateInstances without requiring the resource's tags; condition it on StringEquals aws:ResourceTag/backup-dr:stack = "${stackTag}" and Null aws:ResourceTag/backup-dr:drill-id = "false".`,
        ]);
      });
    });
  }
});
