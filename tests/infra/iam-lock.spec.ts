// Issue 10 item 6: the snapshot-lock permissions of the backup, copy and cleanup roles, as pure policy documents.
import { expect } from "chai";
import { backupStatements, cleanupStatements, copyStatements } from "../../infra/iam-snapshots";
import type { PolicyStatement } from "../../infra/policy-documents";

const scope = { partition: "aws", region: "eu-west-1", accountId: "111122223333", stackTag: "backup-dr/prod", rdsSnapshotPrefix: "bdr-" };
const copyScope = { ...scope, drRegion: "eu-central-1", drKeyArn: "arn:aws:kms:eu-central-1:111122223333:key/dr" };
const actions = (statements: PolicyStatement[]) => statements.flatMap((s) => [s.Action].flat());
const locking = (statements: PolicyStatement[]) => statements.filter((s) => [s.Action].flat().includes("ec2:LockSnapshot"));
const ours = { StringEquals: { "aws:ResourceTag/backup-dr:stack": "backup-dr/prod" } };

describe("snapshot lock permissions", () => {
  for (const mode of ["COMPLIANCE", "GOVERNANCE"] as const) {
    it(`${mode}: backup locks only this stack's EBS snapshots in the primary region, and reads locks`, () => {
      const s = backupStatements({ ...scope, snapshotLock: mode });
      expect(locking(s)).to.deep.equal([{ Sid: "LockOnlyThisStacksEbsSnapshots", Effect: "Allow", Action: "ec2:LockSnapshot", Resource: "arn:aws:ec2:eu-west-1::snapshot/*", Condition: ours }]);
      expect(s).to.deep.include({ Sid: "ReadSnapshotLocks", Effect: "Allow", Action: "ec2:DescribeLockedSnapshots", Resource: "*" });
    });

    it(`${mode}: copy locks only this stack's EBS copies in the DR region, and reads locks`, () => {
      const s = copyStatements({ ...copyScope, snapshotLock: mode });
      expect(locking(s)).to.deep.equal([{ Sid: "LockOnlyThisStacksEbsSnapshots", Effect: "Allow", Action: "ec2:LockSnapshot", Resource: "arn:aws:ec2:eu-central-1::snapshot/*", Condition: ours }]);
      expect(actions(s)).to.include("ec2:DescribeLockedSnapshots");
    });
  }

  it("off: neither backup nor copy may lock or read locks", () => {
    for (const s of [backupStatements({ ...scope, snapshotLock: "off" }), backupStatements(scope), copyStatements({ ...copyScope, snapshotLock: "off" })]) {
      expect(actions(s)).to.not.include.members(["ec2:LockSnapshot"]);
      expect(actions(s)).to.not.include("ec2:DescribeLockedSnapshots");
    }
  });

  it("no role may unlock a snapshot, and cleanup only reads locks", () => {
    const all = [backupStatements({ ...scope, snapshotLock: "COMPLIANCE" }), copyStatements({ ...copyScope, snapshotLock: "COMPLIANCE" }), cleanupStatements({ ...scope, drRegion: "eu-central-1" })].map(actions);
    for (const a of all) expect(a).to.not.include("ec2:UnlockSnapshot");
    const cleanup = all[2];
    expect(cleanup).to.include("ec2:DescribeLockedSnapshots");
    expect(cleanup).to.not.include("ec2:LockSnapshot");
  });
});
