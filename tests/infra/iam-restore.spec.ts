// The restore function's and the restore state machine's IAM statements (infra/iam-restore.ts), as pure functions:
// issue 17 item 7, statement by statement, with a network configured and with none.
import { expect } from "chai";
import { RESTORE_KEY_ACTIONS, RESTORE_READ_ACTIONS, restoreMachineStatements, restoreStatements, type RestoreScope } from "../../infra/iam-restore";
import type { PolicyStatement } from "../../infra/policy-documents";

const base = { partition: "aws", region: "us-west-2", accountId: "111122223333", stackTag: "backup-dr/prod" };
const configured: RestoreScope = {
  ...base,
  network: {
    subnetIds: ["subnet-0f1e2d3c4b5a69788", "subnet-12345678"],
    securityGroupIds: ["sg-0f1e2d3c4b5a69799"],
    dbSubnetGroup: "Backup-DR-Restore",
    instanceProfileArn: "arn:aws:iam::111122223333:instance-profile/restored",
  },
  instanceProfileRoleArn: "arn:aws:iam::111122223333:role/restored-role",
};
const none: RestoreScope = { ...base, network: { subnetIds: [], securityGroupIds: [] } };

const sid = (statements: PolicyStatement[], name: string) => {
  const s = statements.find((x) => x.Sid === name);
  if (!s) throw new Error(`no statement ${name} (have ${statements.map((x) => x.Sid).join(", ")})`);
  return s;
};
const allows = (statements: PolicyStatement[], action: string) => statements.filter((s) => [s.Action].flat().includes(action));
const restoreTags = { StringEquals: { "aws:RequestTag/backup-dr:stack": "backup-dr/prod" }, Null: { "aws:RequestTag/backup-dr:restore-id": "false" } };
const restoredImage = { StringEquals: { "aws:ResourceTag/backup-dr:stack": "backup-dr/prod" }, Null: { "aws:ResourceTag/backup-dr:restore-id": "false" } };

describe("restore IAM statements", () => {
  const s = restoreStatements(configured);

  it("reads with Describe calls (no resource-level permissions) and changes nothing with them", () => {
    expect(sid(s, "ReadForRestore")).to.deep.equal({ Sid: "ReadForRestore", Effect: "Allow", Action: RESTORE_READ_ACTIONS, Resource: "*" });
    for (const a of RESTORE_READ_ACTIONS) expect(a).to.match(/^(ec2|rds):Describe/);
    expect(sid(s, "ReadDatabaseTags")).to.deep.include({
      Action: "rds:ListTagsForResource",
      Resource: ["db:*", "cluster:*", "snapshot:*", "cluster-snapshot:*"].map((r) => `arn:aws:rds:us-west-2:111122223333:${r}`),
    });
    for (const st of s.filter((x) => x.Resource === "*")) expect(st.Sid).to.be.oneOf(["ReadForRestore"]);
  });

  it("creates volumes and images only with the restore id and this stack's tag in the request, from this stack's snapshots", () => {
    expect(sid(s, "CreateVolumesOnlyWithRestoreTags")).to.deep.include({ Action: "ec2:CreateVolume", Resource: "arn:aws:ec2:us-west-2:111122223333:volume/*", Condition: restoreTags });
    expect(sid(s, "RegisterImagesOnlyWithRestoreTags")).to.deep.include({ Action: "ec2:RegisterImage", Resource: "arn:aws:ec2:us-west-2::image/*", Condition: restoreTags });
    expect(sid(s, "CreateFromThisStacksSnapshots")).to.deep.include({
      Action: ["ec2:CreateVolume", "ec2:RegisterImage", "ec2:RunInstances"],
      Resource: "arn:aws:ec2:us-west-2::snapshot/*",
      Condition: { StringEquals: { "aws:ResourceTag/backup-dr:stack": "backup-dr/prod" } },
    });
  });

  it("tags EC2 resources only as part of creating them", () => {
    expect(allows(s, "ec2:CreateTags")).to.deep.equal([
      {
        Sid: "TagOnlyAtCreation",
        Effect: "Allow",
        Action: "ec2:CreateTags",
        Resource: ["arn:aws:ec2:us-west-2:111122223333:volume/*", "arn:aws:ec2:us-west-2::image/*", "arn:aws:ec2:us-west-2:111122223333:instance/*"],
        Condition: { StringEquals: { "ec2:CreateAction": ["CreateVolume", "RegisterImage", "RunInstances"], "aws:RequestTag/backup-dr:stack": "backup-dr/prod" } },
      },
    ]);
  });

  it("launches instances only into the configured subnets and security groups, from restored images, tagged", () => {
    const launch = allows(s, "ec2:RunInstances");
    expect(launch.map((x) => x.Sid)).to.deep.equal(["CreateFromThisStacksSnapshots", "LaunchOnlyIntoRestoreSubnets", "LaunchOnlyWithRestoreTags", "LaunchOnlyFromRestoredImages", "LaunchWithRestoreNetwork"]);
    expect(sid(s, "LaunchOnlyIntoRestoreSubnets").Resource).to.deep.equal(["arn:aws:ec2:us-west-2:111122223333:subnet/subnet-0f1e2d3c4b5a69788", "arn:aws:ec2:us-west-2:111122223333:subnet/subnet-12345678"]);
    expect(sid(s, "LaunchOnlyWithRestoreTags")).to.deep.include({ Resource: ["arn:aws:ec2:us-west-2:111122223333:instance/*", "arn:aws:ec2:us-west-2:111122223333:volume/*"], Condition: restoreTags });
    expect(sid(s, "LaunchOnlyFromRestoredImages")).to.deep.include({ Resource: "arn:aws:ec2:us-west-2::image/*", Condition: restoredImage });
    expect(sid(s, "LaunchWithRestoreNetwork").Resource).to.deep.equal(["arn:aws:ec2:us-west-2:111122223333:network-interface/*", "arn:aws:ec2:us-west-2:111122223333:security-group/sg-0f1e2d3c4b5a69799"]);
    // No statement lets RunInstances use any subnet or security group.
    for (const st of launch) for (const r of [st.Resource ?? []].flat()) expect(r, st.Sid).to.not.match(/:(subnet|security-group)\/\*$/);
  });

  it("deletes nothing but images carrying a restore id of this stack", () => {
    const deletes = s.filter((x) => [x.Action].flat().some((a) => /:(Delete|Deregister|Terminate|Remove|Modify|Stop|Detach|Revoke)/.test(a)));
    expect(deletes).to.deep.equal([{ Sid: "DeregisterOnlyRestoredImages", Effect: "Allow", Action: "ec2:DeregisterImage", Resource: "arn:aws:ec2:us-west-2::image/*", Condition: restoredImage }]);
    for (const st of s) for (const a of [st.Action].flat()) expect(a, st.Sid).to.not.include("*");
  });

  it("restores databases only with the restore tags, from this stack's snapshots, into the configured DB subnet group", () => {
    expect(sid(s, "CreateDatabasesOnlyWithRestoreTags")).to.deep.include({
      Action: ["rds:RestoreDBInstanceFromDBSnapshot", "rds:RestoreDBClusterFromSnapshot", "rds:CreateDBInstance", "rds:AddTagsToResource"],
      Resource: ["arn:aws:rds:us-west-2:111122223333:db:*", "arn:aws:rds:us-west-2:111122223333:cluster:*"],
      Condition: restoreTags,
    });
    expect(sid(s, "RestoreFromThisStacksDbSnapshots")).to.deep.include({
      Action: "rds:RestoreDBInstanceFromDBSnapshot",
      Resource: "arn:aws:rds:us-west-2:111122223333:snapshot:*",
      Condition: { StringEquals: { "rds:snapshot-tag/backup-dr:stack": "backup-dr/prod" } },
    });
    expect(sid(s, "RestoreFromThisStacksClusterSnapshots")).to.deep.include({
      Action: "rds:RestoreDBClusterFromSnapshot",
      Resource: "arn:aws:rds:us-west-2:111122223333:cluster-snapshot:*",
      Condition: { StringEquals: { "rds:cluster-snapshot-tag/backup-dr:stack": "backup-dr/prod" } },
    });
    expect(sid(s, "RestoreIntoRestoreDbSubnetGroup").Resource).to.deep.equal([
      "arn:aws:rds:us-west-2:111122223333:subgrp:backup-dr-restore",
      "arn:aws:rds:us-west-2:111122223333:og:*",
      "arn:aws:rds:us-west-2:111122223333:pg:*",
      "arn:aws:rds:us-west-2:111122223333:cluster-pg:*",
    ]);
    // AddTagsToResource only ever with the restore tags in the request.
    expect(allows(s, "rds:AddTagsToResource").map((x) => x.Condition)).to.deep.equal([restoreTags]);
  });

  it("uses keys only through EBS/EC2 and RDS in its region, and grants them only to those services", () => {
    const via = { "kms:ViaService": ["ec2.us-west-2.amazonaws.com", "rds.us-west-2.amazonaws.com"] };
    expect(sid(s, "UseKeysOnlyThroughEbsAndRds")).to.deep.include({ Action: RESTORE_KEY_ACTIONS, Resource: "arn:aws:kms:us-west-2:111122223333:key/*", Condition: { StringEquals: via } });
    expect(sid(s, "GrantKeysOnlyToEbsAndRds")).to.deep.include({ Action: "kms:CreateGrant", Condition: { StringEquals: via, Bool: { "kms:GrantIsForAWSResource": "true" } } });
    expect(s.filter((x) => [x.Action].flat().some((a) => a.startsWith("kms:"))).every((x) => x.Condition?.StringEquals?.["kms:ViaService"] !== undefined)).to.equal(true);
  });

  it("passes only the configured instance profile's role, only to EC2", () => {
    expect(allows(s, "iam:PassRole")).to.deep.equal([
      { Sid: "PassOnlyTheRestoreInstanceProfileRole", Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::111122223333:role/restored-role", Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } } },
    ]);
  });

  it("in the other partitions, names their ARNs", () => {
    const gov = restoreStatements({ ...configured, partition: "aws-us-gov", region: "us-gov-west-1" });
    expect(sid(gov, "CreateVolumesOnlyWithRestoreTags").Resource).to.equal("arn:aws-us-gov:ec2:us-gov-west-1:111122223333:volume/*");
  });

  describe("with no network configured", () => {
    const n = restoreStatements(none);

    it("may not launch instances at all, nor tag on a launch", () => {
      expect(allows(n, "ec2:RunInstances")).to.deep.equal([]);
      expect(sid(n, "TagOnlyAtCreation").Condition?.StringEquals["ec2:CreateAction"]).to.deep.equal(["CreateVolume", "RegisterImage"]);
    });

    it("may not restore databases (no DB subnet group) nor pass a role", () => {
      expect(n.filter((x) => [x.Action].flat().some((a) => /^rds:(Restore|Create|AddTags)/.test(a)))).to.deep.equal([]);
      expect(allows(n, "iam:PassRole")).to.deep.equal([]);
    });

    it("still restores volumes with the restore tags", () => {
      expect(sid(n, "CreateVolumesOnlyWithRestoreTags").Condition).to.deep.equal(restoreTags);
    });
  });

  it("the state machine's role invokes only the restore function (and its versions) and delivers its logs", () => {
    const fn = "arn:aws:lambda:us-west-2:111122223333:function:dr-restore";
    const m = restoreMachineStatements(fn);
    expect(allows(m, "lambda:InvokeFunction")).to.deep.equal([{ Sid: "InvokeRestoreFunctionOnly", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: [fn, `${fn}:*`] }]);
    expect(m.flatMap((x) => [x.Action].flat()).filter((a) => !a.startsWith("logs:"))).to.deep.equal(["lambda:InvokeFunction"]);
  });
});
