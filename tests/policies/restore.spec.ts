// The restore policies: a restore state machine in both regions, and a restore role that can delete no snapshot.
// On synthetic stacks, and on the real program's stack (dev under mocks) weakened one way at a time.
import { expect } from "chai";
import { actionMatches, restoreMachinePerRegion, restoreRoleNoSnapshotDelete, snapshotDeletesAllowed } from "../../policies/restore";
import type { StackResource } from "../../tools/policy-check/model";
import { deployStack } from "../helpers/deploy";
import { ACCOUNT, check, json, provider, replace, resource, urnOf, withProps } from "./harness";

const MACHINE = "aws:sfn/stateMachine:StateMachine";
const FN = "aws:lambda/function:Function";
const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";

const primary = provider("primary", "us-east-1");
const dr = provider("dr", "us-west-2");
const machine = (name: string, p: StackResource, inputs: Record<string, unknown> = {}) =>
  resource(MACHINE, name, { type: "STANDARD", definition: "{}", ...inputs }, { provider: p, computed: { arn: `arn:aws:states:x:${ACCOUNT}:stateMachine:${name}` } });

const roleArn = `arn:aws:iam::${ACCOUNT}:role/dr-restore-role`;
const allow = (Action: unknown, extra: Record<string, unknown> = {}) => ({ Sid: "S", Effect: "Allow", Action, Resource: "*", ...extra });
const READS = allow(["ec2:DescribeSnapshots", "rds:DescribeDBSnapshots"]);

/** The DR restore function, its role and the role's inline RolePolicy with the given statements. */
function restoreRole(statements: unknown[], roleInputs: Record<string, unknown> = {}): StackResource[] {
  return [
    primary,
    dr,
    resource(FN, "dr-restore", { runtime: "nodejs22.x", role: roleArn }, { provider: dr, computed: { name: "dr-restore", arn: `arn:aws:lambda:us-west-2:${ACCOUNT}:function:dr-restore` } }),
    resource(ROLE, "dr-restore-role", { assumeRolePolicy: "{}", ...roleInputs }, { computed: { name: "dr-restore-role", arn: roleArn, id: "dr-restore-role" } }),
    resource(ROLE_POLICY, "dr-restore-policy", { role: "dr-restore-role", policy: json({ Version: "2012-10-17", Statement: statements }) }),
  ];
}

const roleLabel = "dr-restore-role (aws:iam/role:Role)";

describe("policies: restore", () => {
  describe("restore-machine-per-region", () => {
    it("passes with a state machine in each provider's region", async () => {
      expect(await check(restoreMachinePerRegion, [primary, dr, machine("primary-restore-machine", primary), machine("dr-restore-machine", dr)])).to.deep.equal([]);
    });

    it("reports the DR region without one, naming the region", async () => {
      expect(await check(restoreMachinePerRegion, [primary, dr, machine("primary-restore-machine", primary)])).to.deep.equal([
        "dr (pulumi:providers:aws): The dr region us-west-2 has no restore state machine: deploy the restore function and its state machine in both regions (a restore in a region must need nothing of the other, which may be down).",
      ]);
    });

    it("does not count the drill's machine as the region's restore machine", async () => {
      expect(await check(restoreMachinePerRegion, [primary, dr, machine("primary-restore-machine", primary), machine("dr-drill-machine", dr)])).to.deep.equal([
        "dr (pulumi:providers:aws): The dr region us-west-2 has no restore state machine: deploy the restore function and its state machine in both regions (a restore in a region must need nothing of the other, which may be down).",
      ]);
    });

    it("does not count the backup's and the cleanup's run machines as the region's restore machine", async () => {
      expect(await check(restoreMachinePerRegion, [primary, dr, machine("backup-machine", primary), machine("cleanup-machine", primary), machine("dr-restore-machine", dr)])).to.deep.equal([
        "primary (pulumi:providers:aws): The primary region us-east-1 has no restore state machine: deploy the restore function and its state machine in both regions (a restore in a region must need nothing of the other, which may be down).",
      ]);
    });

    it("counts a machine by its own region input, not its provider's, and reports both regions when there is none", async () => {
      const movedToPrimary = machine("dr-restore-machine", dr, { region: "us-east-1" });
      expect(await check(restoreMachinePerRegion, [primary, dr, machine("primary-restore-machine", primary), movedToPrimary])).to.have.length(1);
      expect(await check(restoreMachinePerRegion, [primary, dr])).to.have.length(2);
    });
  });

  describe("restore-role-no-snapshot-delete", () => {
    it("matches IAM action patterns as IAM does (wildcards, case)", () => {
      expect(["*", "ec2:*", "ec2:Delete*", "EC2:deletesnapshot", "ec2:*Snapshot", "ec2:DeleteSnap?hot"].every((p) => actionMatches(p, "ec2:DeleteSnapshot"))).to.equal(true);
      expect(["ec2:DeleteSnapshots", "ec2:Describe*", "rds:*", "ec2:Delete", "ec2:DeleteSnapshot.x"].some((p) => actionMatches(p, "ec2:DeleteSnapshot"))).to.equal(false);
      expect(snapshotDeletesAllowed({ NotAction: ["ec2:DeleteSnapshot", "rds:Delete*"] })).to.deep.equal([]);
      expect(snapshotDeletesAllowed({ NotAction: "s3:*" })).to.deep.equal(["ec2:DeleteSnapshot", "rds:DeleteDBSnapshot", "rds:DeleteDBClusterSnapshot"]);
    });

    it("passes a role that reads and deregisters images only, and does not apply without a restore function", async () => {
      expect(await check(restoreRoleNoSnapshotDelete, restoreRole([READS, allow("ec2:DeregisterImage")]))).to.deep.equal([]);
      expect(await check(restoreRoleNoSnapshotDelete, [primary, dr])).to.deep.equal([]);
    });

    const cases: [string, unknown, string][] = [
      ["by name", allow("ec2:DeleteSnapshot", { Condition: { StringEquals: { "aws:ResourceTag/backup-dr:stack": "x" } } }), "ec2:DeleteSnapshot"],
      ["by a service wildcard", allow("rds:Delete*"), "rds:DeleteDBSnapshot, rds:DeleteDBClusterSnapshot"],
      ["by a suffix wildcard", allow(["rds:*Snapshot"]), "rds:DeleteDBSnapshot, rds:DeleteDBClusterSnapshot"],
      ["by everything", allow("*"), "ec2:DeleteSnapshot, rds:DeleteDBSnapshot, rds:DeleteDBClusterSnapshot"],
      ["by NotAction", { Sid: "S", Effect: "Allow", NotAction: ["s3:*"], Resource: "*" }, "ec2:DeleteSnapshot, rds:DeleteDBSnapshot, rds:DeleteDBClusterSnapshot"],
    ];
    for (const [title, statement, deletes] of cases) {
      it(`reports a snapshot delete allowed ${title}`, async () => {
        expect(await check(restoreRoleNoSnapshotDelete, restoreRole([READS, statement]))).to.deep.equal([
          `${roleLabel}: The restore role dr-restore-role may delete recovery points: RolePolicy dr-restore-policy statement "S" allows ${deletes}; a restore never deletes a snapshot: remove it.`,
        ]);
      });
    }

    it("ignores Deny statements", async () => {
      expect(await check(restoreRoleNoSnapshotDelete, restoreRole([READS, { Sid: "D", Effect: "Deny", Action: "ec2:DeleteSnapshot", Resource: "*" }]))).to.deep.equal([]);
    });

    it("reads the role's inline policies and refuses managed policies it cannot read", async () => {
      const inline = restoreRole([READS], { inlinePolicies: [{ name: "x", policy: json({ Statement: [allow("ec2:DeleteSnapshot")] }) }] });
      expect(await check(restoreRoleNoSnapshotDelete, inline)).to.deep.equal([
        `${roleLabel}: The restore role dr-restore-role may delete recovery points: inline policy #1 statement "S" allows ec2:DeleteSnapshot; a restore never deletes a snapshot: remove it.`,
      ]);
      const managed = restoreRole([READS], { managedPolicyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"] });
      expect(await check(restoreRoleNoSnapshotDelete, managed)).to.deep.equal([
        `${roleLabel}: The restore role dr-restore-role has the policy arn:aws:iam::aws:policy/PowerUserAccess attached, which the pack cannot read: it may delete snapshots; grant the restore role only its own inline policy.`,
      ]);
    });

    it("reads a stack policy attached to the role", async () => {
      const policyArn = `arn:aws:iam::${ACCOUNT}:policy/extra`;
      const stack = [
        ...restoreRole([READS]),
        resource("aws:iam/policy:Policy", "extra", { policy: json({ Statement: [allow("rds:DeleteDBClusterSnapshot")] }) }, { computed: { arn: policyArn } }),
        resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "extra-attachment", { role: "dr-restore-role", policyArn }),
      ];
      expect(await check(restoreRoleNoSnapshotDelete, stack)).to.deep.equal([
        `${roleLabel}: The restore role dr-restore-role may delete recovery points: policy extra statement "S" allows rds:DeleteDBClusterSnapshot; a restore never deletes a snapshot: remove it.`,
      ]);
    });

    it("reports a restore function whose role is not the stack's", async () => {
      const stack = replace(restoreRole([READS]), urnOf(ROLE, "dr-restore-role"), undefined);
      expect(await check(restoreRoleNoSnapshotDelete, stack)).to.deep.equal([
        `dr-restore (aws:lambda/function:Function): The restore function dr-restore has no role of this stack (role ${roleArn}): give it the stack's own restore role, whose policies the pack can read.`,
      ]);
    });
  });

  describe("on the program's own stack (dev), weakened", function () {
    this.timeout(120_000);
    let captured: StackResource[];

    before(async () => {
      captured = (await deployStack("dev")).captured;
    });

    it("passes both policies as built", async () => {
      expect(await check(restoreMachinePerRegion, captured)).to.deep.equal([]);
      expect(await check(restoreRoleNoSnapshotDelete, captured)).to.deep.equal([]);
      expect(captured.filter((r) => r.type === MACHINE).map((r) => r.name).sort()).to.deep.equal(["backup-machine", "cleanup-machine", "dr-drill-machine", "dr-restore-machine", "primary-restore-machine"]);
    });

    it("refuses the stack without the DR region's state machine", async () => {
      const machineUrn = captured.find((r) => r.type === MACHINE && r.name === "dr-restore-machine")?.urn ?? "";
      expect(await check(restoreMachinePerRegion, replace(captured, machineUrn, undefined))).to.deep.equal([
        "dr (pulumi:providers:aws): The dr region eu-central-1 has no restore state machine: deploy the restore function and its state machine in both regions (a restore in a region must need nothing of the other, which may be down).",
      ]);
    });

    it("refuses the stack without the primary region's restore machine: the backup's and cleanup's run machines there do not count", async () => {
      const machineUrn = captured.find((r) => r.type === MACHINE && r.name === "primary-restore-machine")?.urn ?? "";
      const problems = await check(restoreMachinePerRegion, replace(captured, machineUrn, undefined));
      expect(problems).to.have.length(1);
      expect(problems[0]).to.match(/^primary \(pulumi:providers:aws\): The primary region \S+ has no restore state machine/);
    });

    it("refuses the stack whose primary restore role may delete EBS snapshots", async () => {
      const policy = captured.find((r) => r.type === ROLE_POLICY && r.name === "primary-restore-policy");
      if (policy === undefined) throw new Error("no primary-restore-policy");
      const document = JSON.parse(String(policy.inputs.policy)) as { Statement: unknown[] };
      const weakened = withProps(policy, { policy: json({ ...document, Statement: [...document.Statement, allow("ec2:Delete*", { Sid: "CleanUp" })] }) });
      expect(await check(restoreRoleNoSnapshotDelete, replace(captured, policy.urn, weakened))).to.deep.equal([
        'primary-restore-role (aws:iam/role:Role): The restore role primary-restore-role may delete recovery points: RolePolicy primary-restore-policy statement "CleanUp" allows ec2:DeleteSnapshot; a restore never deletes a snapshot: remove it.',
      ]);
    });
  });
});
