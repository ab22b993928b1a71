// The restore function's input: step events (MalformedEventError before any AWS call, each naming what is wrong),
// its settings (each variable named), and the one naming rule of what a restore creates.
import { expect } from "chai";
import { parseRestoreEvent } from "../../handlers/restore/event";
import { defaultRestoreName, isDrillName, isRestoreName, MAX_RESTORE_NAME } from "../../handlers/restore/naming";
import { drillRestoreName } from "../../handlers/drill/pick";
import { runRestoreStep } from "../../handlers/restore/run";
import { FakeAws } from "../helpers/aws-fake";
import { rejection } from "../helpers/copy-setup";
import { DR, DR_KEY, kindsWith, NETWORK, PRIMARY, restoreDeps, restoreEnv, restoreSettings, STACK_TAG, stubActions } from "../helpers/restore-setup";
import { thrown } from "../helpers/thrown";
import { readRestoreSettings } from "../../handlers/restore/settings";

const START = { step: "start", restoreId: "orders-2026-11-21", startedAt: "2026-11-21T09:00:00.123Z", request: { source: "orders-db", point: "latest" } };

describe("restore input", () => {
  describe("step events", () => {
    const malformed = (event: unknown) => {
      const error = thrown(() => parseRestoreEvent(event));
      expect(error.name, JSON.stringify(event)).to.equal("MalformedEventError");
      return error.message;
    };

    it("accepts each step as the machine sends it", () => {
      expect(parseRestoreEvent(START)).to.deep.equal(START);
      const request = { source: "i-0abc", point: "2026-11-20T00:00:00Z", kind: "ec2", mode: "instance", name: "web-again", zone: "us-east-1b", instanceType: "t3.small", keepImage: true, machine: { architecture: "arm64" } };
      expect(parseRestoreEvent({ ...START, request })).to.deep.equal({ ...START, request });
      const database = { engine: "postgres", port: 5432, multiAz: false };
      expect(parseRestoreEvent({ ...START, request: { source: "db", point: "latest", instanceClass: "db.t4g.micro", database } })).to.deep.include({ request: { source: "db", point: "latest", instanceClass: "db.t4g.micro", database } });
      const error = { Error: "UnknownSourceError", Cause: "{}" };
      expect(parseRestoreEvent({ step: "report", restoreId: "r1", startedAt: "2026-11-21T09:00:00Z", request: START.request, error })).to.deep.equal({
        step: "report",
        restoreId: "r1",
        startedAt: "2026-11-21T09:00:00Z",
        request: START.request,
        error,
      });
    });

    it("refuses a bad step, restore id or instant, naming the rule", () => {
      expect(malformed(null)).to.match(/^Expected a restore step event/);
      expect(malformed({ step: "wait" })).to.equal('Unknown step "wait"; expected one of start, poll, validate, report');
      expect(malformed({ ...START, restoreId: "has space" })).to.equal('restoreId must be 1-80 letters, digits, hyphens and underscores (a Step Functions execution name), got "has space"');
      malformed({ ...START, restoreId: "x".repeat(81) });
      malformed({ ...START, restoreId: "" });
      expect(parseRestoreEvent({ ...START, restoreId: "x".repeat(80) })).to.have.property("restoreId");
      expect(malformed({ ...START, startedAt: "2026-11-21 09:00" })).to.match(/^startedAt must be an ISO-8601 instant with a zone/);
      malformed({ step: "report", restoreId: "r1" });
    });

    it("refuses a request that is not what a person may ask: missing, unknown or mistyped fields, a name outside the rule", () => {
      expect(malformed({ ...START, request: { source: "db" } })).to.match(/^request needs source and point/);
      expect(malformed({ ...START, request: { source: "db", point: "latest", sorce: "x" } })).to.equal(
        "request has unknown fields sorce; allowed: source, kind, point, mode, keepImage, machine, database, name, zone, instanceType, instanceClass",
      );
      expect(malformed({ ...START, request: { source: "db", point: "latest", kind: "s3" } })).to.equal('request.kind must be one of ec2, rds, aurora, got "s3"');
      expect(malformed({ ...START, request: { source: "db", point: "latest", mode: "all" } })).to.equal('request.mode must be one of volumes, instance, got "all"');
      expect(malformed({ ...START, request: { source: "db", point: "latest", keepImage: "yes" } })).to.equal('request.keepImage must be true or false, got "yes"');
      expect(malformed({ ...START, request: { source: " ", point: "latest" } })).to.equal('request.source must be non-empty text, got " "');
      expect(malformed({ ...START, request: { source: "db", point: "latest", name: "1st" } })).to.match(/^request.name must be 1-56 letters, digits and hyphens, starting with a letter/);
      malformed({ ...START, request: { source: "db", point: "latest", name: "a".repeat(57) } });
      malformed({ ...START, request: { source: "db", point: "latest", machine: { cpu: "x" } } });
      expect(malformed({ ...START, request: { source: "db", point: "latest", database: { port: 80 } } })).to.equal("request.database.port must be a whole number from 1150 to 65535, got 80");
    });

    it("refuses a state that is not one a step returned", () => {
      expect(malformed({ step: "poll" })).to.match(/^state must be the RestoreState a previous step returned/);
      malformed({ step: "poll", state: { restoreId: "r1" } });
      malformed({ step: "validate", state: { restoreId: "r1", startedAt: "2026-11-21T09:00:00Z", deadline: "2026-11-21T10:00:00Z", kind: "ec2", status: "done" } });
    });

    it("a malformed event makes no AWS call through the step runner", async () => {
      const fake = new FakeAws();
      const deps = restoreDeps(fake, PRIMARY, () => new Date(), kindsWith(() => stubActions({ started: [], polled: [] })));
      for (const event of [{}, { ...START, restoreId: "a/b" }, { ...START, request: { source: "db", point: "yesterday" } }]) {
        expect((await rejection(runRestoreStep(deps, restoreSettings("primary"), event))).name).to.equal("MalformedEventError");
      }
      expect(fake.calls).to.deep.equal([]);
    });
  });

  describe("a drill's names", () => {
    it("an ordinary restore refuses a name starting with drill- (any case) before any AWS call: only a drill's restores carry it", async () => {
      const fake = new FakeAws();
      const started: Parameters<typeof stubActions>[0]["started"] = [];
      const deps = restoreDeps(fake, PRIMARY, () => new Date(), kindsWith(() => stubActions({ started, polled: [] })));
      for (const name of ["drill-orders-db", "DRILL-orders", "Drill-x1"]) {
        const event = { ...START, request: { ...START.request, name } };
        const error = thrown(() => parseRestoreEvent(event));
        expect(error.name, name).to.equal("ReservedRestoreNameError");
        expect(error).to.have.property("resourceName", name);
        expect((await rejection(runRestoreStep(deps, restoreSettings("primary"), event))).name, name).to.equal("ReservedRestoreNameError");
      }
      expect(fake.calls).to.deep.equal([]);
      expect(started).to.deep.equal([]);
    });

    it("other names are accepted, drill-like ones included; the report step still reads a refused request", () => {
      for (const name of ["drills-db", "my-drill-db", "drill", "drillx-1"]) {
        expect(parseRestoreEvent({ ...START, request: { ...START.request, name } }), name).to.have.nested.property("request.name", name);
      }
      const request = { ...START.request, name: "drill-orders-db" };
      expect(parseRestoreEvent({ step: "report", restoreId: "r1", startedAt: "2026-11-21T09:00:00Z", request })).to.have.property("request").that.deep.equals(request);
    });

    it("every name a drill gives its restores carries the prefix the ordinary restore refuses", () => {
      for (const source of ["orders-db", "i-0abc", "-x", "A".repeat(80), "arn:aws:rds:us-east-1:123456789012:db:orders"]) {
        expect(isDrillName(drillRestoreName(source, "d1-r1")), source).to.equal(true);
      }
    });
  });

  describe("settings", () => {
    const invalid = (overrides: Record<string, string | undefined>) => thrown(() => readRestoreSettings(restoreEnv("dr", overrides)));

    it("reads every variable of the region's function", () => {
      expect(restoreSettings("dr", { AWS_REGION: DR })).to.deep.equal({ stackTag: STACK_TAG, region: DR, regionRole: "dr", keyArn: DR_KEY, vaultBucket: "backup-dr-test-vault", network: NETWORK });
      expect(restoreSettings("dr", { BACKUP_DR_RESTORE_NETWORK: "{}" }).network).to.deep.equal({ subnetIds: [], securityGroupIds: [] });
      expect(restoreSettings("dr", { BACKUP_DR_RESTORE_NETWORK: undefined }).network).to.deep.equal({ subnetIds: [], securityGroupIds: [] });
    });

    it("names the variable of a missing or wrong setting", () => {
      for (const name of ["BACKUP_DR_STACK", "BACKUP_DR_REGION", "BACKUP_DR_REGION_ROLE", "BACKUP_DR_KEY_ARN", "BACKUP_DR_VAULT_BUCKET"]) {
        const error = invalid({ [name]: undefined });
        expect([error.name, error.message], name).to.deep.equal(["MissingSettingError", `Missing setting: environment variable ${name} is not set`]);
      }
      expect(invalid({ AWS_REGION: PRIMARY }).message).to.equal(
        `Invalid setting BACKUP_DR_REGION: the function runs in ${PRIMARY} (AWS_REGION) but is set up for ${DR}; each region's restore function restores into its own region`,
      );
      expect(invalid({ BACKUP_DR_REGION: "west" }).message).to.equal('Invalid setting BACKUP_DR_REGION: expected an AWS region name such as us-west-2, got "west"');
      expect(invalid({ BACKUP_DR_REGION_ROLE: "secondary" }).message).to.equal('Invalid setting BACKUP_DR_REGION_ROLE: expected one of primary, dr, got "secondary"');
      expect(invalid({ BACKUP_DR_KEY_ARN: restoreEnv("primary").BACKUP_DR_KEY_ARN }).message).to.equal(
        `Invalid setting BACKUP_DR_KEY_ARN: the key is in ${PRIMARY}, but restores are made in ${DR}; use a key of ${DR}`,
      );
      expect(invalid({ BACKUP_DR_KEY_ARN: "alias/x" }).name).to.equal("InvalidSettingError");
      expect(invalid({ BACKUP_DR_RESTORE_NETWORK: "{" }).message).to.match(/^Invalid setting BACKUP_DR_RESTORE_NETWORK: expected JSON/);
      expect(invalid({ BACKUP_DR_RESTORE_NETWORK: '{"subnets": []}' }).message).to.equal(
        "Invalid setting BACKUP_DR_RESTORE_NETWORK: unknown fields subnets; allowed: subnetIds, securityGroupIds, dbSubnetGroup, instanceProfileArn",
      );
      expect(invalid({ BACKUP_DR_RESTORE_NETWORK: '{"subnetIds": "subnet-1"}' }).message).to.equal("Invalid setting BACKUP_DR_RESTORE_NETWORK: subnetIds must be a list of ids");
      expect(invalid({ BACKUP_DR_RESTORE_NETWORK: "[]" }).name).to.equal("InvalidSettingError");
    });
  });

  describe("the name of what a restore creates", () => {
    it("restored-<source>-<first 8 of the restore id>, within the rule every kind accepts", () => {
      expect(defaultRestoreName("orders-db", "2026-11-21-orders")).to.equal("restored-orders-db-2026-11");
      expect(defaultRestoreName("i-0123456789abcdef0", "abcdefghijk")).to.equal("restored-i-0123456789abcdef0-abcdefgh");
      // Underscores and a trailing hyphen of the short id, upper case, and a source too long for the rule.
      expect(defaultRestoreName("Ledger_Main", "ab_cd-_x")).to.equal("restored-ledger-main-ab-cd-x");
      const long = defaultRestoreName("a".repeat(70), "r-12345678");
      expect(long).to.have.length(MAX_RESTORE_NAME);
      expect(long.endsWith("-r-123456")).to.equal(true);
      for (const name of [long, defaultRestoreName("x--y", "--"), defaultRestoreName("db", "___")]) expect(isRestoreName(name), name).to.equal(true);
      expect(defaultRestoreName("db", "___")).to.equal("restored-db");
    });
  });
});
