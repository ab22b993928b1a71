// backup-dr:restore: each region's restore network (subnets, security groups, DB subnet group, instance profile),
// every key optional, every bad value reported at once with its path, the value and what is allowed.
import { expect } from "chai";
import { parseConfig } from "../../infra/config";
import { configProblems, problemsOf } from "../helpers/config-problems";

const CONTEXT = { project: "backup-dr", stack: "test" };

function withRestore(restore: unknown): Record<string, unknown> {
  return {
    "aws:region": "us-east-1",
    "backup-dr:drRegion": "us-west-2",
    "backup-dr:plans": [{ name: "daily", schedule: "cron(0 2 * * ? *)", resources: ["ec2"], keep: { daily: 7 } }],
    ...(restore === undefined ? {} : { "backup-dr:restore": restore }),
  };
}

const SUBNET_MSG = "expected a subnet id: subnet- and 8 or 17 lowercase hex digits";
const SG_MSG = "expected a security group id: sg- and 8 or 17 lowercase hex digits";
const PROFILE_MSG = "expected an instance profile ARN: arn:<partition>:iam::<12-digit account>:instance-profile/<path/><name>";
const GROUP_MSG = "expected a DB subnet group name of 1-255 letters, digits, spaces, periods, underscores and hyphens";

describe("config: backup-dr:restore", () => {
  it("defaults to no network in either region", () => {
    expect(parseConfig(withRestore(undefined), CONTEXT).restore).to.deep.equal({
      primary: { subnetIds: [], securityGroupIds: [] },
      dr: { subnetIds: [], securityGroupIds: [] },
    });
  });

  it("keeps each region's network as given, the other region defaulted", () => {
    const dr = {
      subnetIds: ["subnet-0123456789abcdef0", "subnet-89abcdef"],
      securityGroupIds: ["sg-0fedcba9876543210"],
      dbSubnetGroup: "restore-db_subnets.1",
      instanceProfileArn: "arn:aws:iam::123456789012:instance-profile/restore/restored-instances",
    };
    expect(parseConfig(withRestore({ dr }), CONTEXT).restore).to.deep.equal({ primary: { subnetIds: [], securityGroupIds: [] }, dr });
  });

  it("accepts instance profile ARNs of the other partitions", () => {
    for (const arn of ["arn:aws-cn:iam::123456789012:instance-profile/x", "arn:aws-us-gov:iam::123456789012:instance-profile/a+b=c,d.e@f-g"]) {
      expect(configProblems(withRestore({ primary: { instanceProfileArn: arn } })), arn).to.deep.equal([]);
    }
  });

  const cases: [string, unknown, string][] = [
    ["a subnet id of 3 hex digits", { primary: { subnetIds: ["subnet-123"] } }, `backup-dr:restore.primary.subnetIds[0]: ${SUBNET_MSG}, got "subnet-123"`],
    ["a subnet id in capitals", { dr: { subnetIds: ["subnet-0123456789ABCDEF0"] } }, `backup-dr:restore.dr.subnetIds[0]: ${SUBNET_MSG}, got "subnet-0123456789ABCDEF0"`],
    ["a security group id as a subnet", { dr: { subnetIds: ["sg-12345678"] } }, `backup-dr:restore.dr.subnetIds[0]: ${SUBNET_MSG}, got "sg-12345678"`],
    ["a security group name instead of its id", { primary: { securityGroupIds: ["default"] } }, `backup-dr:restore.primary.securityGroupIds[0]: ${SG_MSG}, got "default"`],
    ["a subnet twice", { primary: { subnetIds: ["subnet-12345678", "subnet-12345678"] } }, 'backup-dr:restore.primary.subnetIds[1]: expected each subnet once (already at [0]), got "subnet-12345678"'],
    ["a security group twice", { dr: { securityGroupIds: ["sg-12345678", "sg-12345678"] } }, 'backup-dr:restore.dr.securityGroupIds[1]: expected each security group once (already at [0]), got "sg-12345678"'],
    ["subnets not a list", { dr: { subnetIds: "subnet-12345678" } }, 'backup-dr:restore.dr.subnetIds: expected a list of subnet ids, got "subnet-12345678"'],
    ["a DB subnet group with a slash", { primary: { dbSubnetGroup: "db/private" } }, `backup-dr:restore.primary.dbSubnetGroup: ${GROUP_MSG}, got "db/private"`],
    ["an empty DB subnet group", { primary: { dbSubnetGroup: "" } }, `backup-dr:restore.primary.dbSubnetGroup: ${GROUP_MSG}, got ""`],
    ["a DB subnet group of 256 characters", { primary: { dbSubnetGroup: "a".repeat(256) } }, `backup-dr:restore.primary.dbSubnetGroup: ${GROUP_MSG}, got "${"a".repeat(76)}...`],
    ["a role ARN as the instance profile", { dr: { instanceProfileArn: "arn:aws:iam::123456789012:role/x" } }, `backup-dr:restore.dr.instanceProfileArn: ${PROFILE_MSG}, got "arn:aws:iam::123456789012:role/x"`],
    ["an instance profile name instead of its ARN", { dr: { instanceProfileArn: "restored" } }, `backup-dr:restore.dr.instanceProfileArn: ${PROFILE_MSG}, got "restored"`],
    ["an instance profile ARN with a short account", { dr: { instanceProfileArn: "arn:aws:iam::1234:instance-profile/x" } }, `backup-dr:restore.dr.instanceProfileArn: ${PROFILE_MSG}, got "arn:aws:iam::1234:instance-profile/x"`],
    ["a misspelt region", { primry: {} }, 'backup-dr:restore.primry: unknown key; allowed: primary, dr (did you mean "primary"?)'],
    ["a misspelt network key", { dr: { subnetId: ["subnet-12345678"] } }, 'backup-dr:restore.dr.subnetId: unknown key; allowed: subnetIds, securityGroupIds, dbSubnetGroup, instanceProfileArn (did you mean "subnetIds"?)'],
    ["a region that is not a map", { dr: "default" }, 'backup-dr:restore.dr: expected a map with subnetIds, securityGroupIds, dbSubnetGroup, instanceProfileArn, got "default"'],
    ["restore that is not a map", "none", 'backup-dr:restore: expected a map with primary and dr, each a map with subnetIds, securityGroupIds, dbSubnetGroup, instanceProfileArn, got "none"'],
  ];
  for (const [title, restore, message] of cases) {
    it(`rejects ${title}`, () => {
      expect(problemsOf(withRestore(restore))).to.deep.equal([message]);
    });
  }

  it("refuses more than 16 security groups (AWS's maximum per network interface)", () => {
    const ids = Array.from({ length: 17 }, (_, i) => `sg-${String(i).padStart(8, "0")}`);
    expect(configProblems(withRestore({ primary: { securityGroupIds: ids.slice(0, 16) } }))).to.deep.equal([]);
    const [problem, ...rest] = problemsOf(withRestore({ primary: { securityGroupIds: ids } }));
    expect(rest).to.deep.equal([]);
    expect(problem).to.match(/^backup-dr:restore\.primary\.securityGroupIds: expected at most 16 security group ids \(AWS's maximum per network interface\), got \["sg-00000000",/);
  });

  it("reports every problem of both regions at once", () => {
    const problems = problemsOf(withRestore({ primary: { subnetIds: ["subnet-1"], securityGroupIds: ["sg-2"] }, dr: { dbSubnetGroup: "a/b", instanceProfileArn: "x" } }));
    expect(problems).to.have.members([
      `backup-dr:restore.primary.subnetIds[0]: ${SUBNET_MSG}, got "subnet-1"`,
      `backup-dr:restore.primary.securityGroupIds[0]: ${SG_MSG}, got "sg-2"`,
      `backup-dr:restore.dr.dbSubnetGroup: ${GROUP_MSG}, got "a/b"`,
      `backup-dr:restore.dr.instanceProfileArn: ${PROFILE_MSG}, got "x"`,
    ]);
  });
});
