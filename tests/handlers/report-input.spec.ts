// Bad input to the report function: every malformed event is a MalformedEventError and every bad setting a
// MissingSettingError / InvalidSettingError naming the variable (and, inside BACKUP_DR_REPORT, the field), before any
// AWS call (the fake records none).
import { expect } from "chai";
import { handler as reportHandler } from "../../handlers/report";
import { parseReportEvent } from "../../handlers/report/event";
import { runReportStep } from "../../handlers/report/run";
import { parseReportOptions } from "../../handlers/report/settings";
import { FakeAws } from "../helpers/aws-fake";
import { invokeIsolated } from "../helpers/aws-lambda-run";
import { fakeEndpointEnv, startFakeServer } from "../helpers/aws-transport";
import { rejection } from "../helpers/copy-setup";
import { lambdaContext } from "../helpers/lambda-context";
import { DR, PRIMARY, REPORT_OPTIONS, reportDeps, reportEnv, reportSettings } from "../helpers/report-setup";
import { thrown } from "../helpers/thrown";

const MALFORMED: Array<[string, unknown, string]> = [
  ["nothing", undefined, "Expected a report event"],
  ["null", null, "Expected a report event"],
  ["a list", [{ step: "coverage" }], "Expected a report event"],
  ["the step as text", "coverage", "Expected a report event"],
  ["no step", {}, "Unknown step nothing"],
  ["an unknown step", { step: "compliance" }, 'Unknown step "compliance"'],
  ["a step in capitals", { step: "Coverage" }, 'Unknown step "Coverage"'],
  ["a step that is not text", { step: 1 }, "Unknown step 1"],
  ["an extra field", { step: "coverage", dryRun: true }, "unknown fields dryRun"],
  ["a scheduler's envelope", { step: "report", "detail-type": "Scheduled Event", detail: {} }, "unknown fields detail-type, detail"],
  ["a deeply nested event", JSON.parse("[".repeat(5000) + "]".repeat(5000)) as unknown, "Expected a report event"],
];

const REQUIRED = [
  "BACKUP_DR_STACK",
  "BACKUP_DR_PLANS",
  "BACKUP_DR_PRIMARY_REGION",
  "BACKUP_DR_DR_REGION",
  "BACKUP_DR_KEY_ARN",
  "BACKUP_DR_DR_KEY_ARN",
  "BACKUP_DR_VAULT_BUCKET",
  "BACKUP_DR_DR_VAULT_BUCKET",
  "BACKUP_DR_TOPIC_ARN",
  "BACKUP_DR_REPORT",
];

const OTHER_KEY = (region: string) => `arn:aws:kms:${region}:123456789012:key/0f5e3c1a-7b2d-4e6f-9a8b-1c2d3e4f5a6b`;

/** A variable, its bad value, the words the message must carry. */
const INVALID: Array<[string, string, string]> = [
  ["BACKUP_DR_PLANS", "[]", "expected at least one plan"],
  ["BACKUP_DR_PLANS", "{not json", "expected JSON"],
  ["BACKUP_DR_PRIMARY_REGION", "US-EAST-1", "expected an AWS region name"],
  ["BACKUP_DR_DR_REGION", PRIMARY, "a region other than the primary region"],
  ["BACKUP_DR_KEY_ARN", "alias/backup-dr", "expected a KMS key ARN"],
  ["BACKUP_DR_KEY_ARN", OTHER_KEY(DR), `the key is in ${DR}, but it is the key of ${PRIMARY}`],
  ["BACKUP_DR_DR_KEY_ARN", OTHER_KEY(PRIMARY), `the key is in ${PRIMARY}, but it is the key of ${DR}`],
  ["BACKUP_DR_VAULT_BUCKET", "Vault_Bucket", "expected an S3 bucket name"],
  ["BACKUP_DR_DR_VAULT_BUCKET", "ab", "expected an S3 bucket name"],
  ["BACKUP_DR_TOPIC_ARN", "backup-dr-topic", "expected an SNS topic ARN"],
  ["BACKUP_DR_TOPIC_ARN", `arn:aws:sns:${DR}:123456789012:t`, `the topic is in ${DR}`],
  ["BACKUP_DR_CONCURRENCY", "0", "expected a whole number from 1 to 50"],
  ["BACKUP_DR_REPORT", "{}", "must be"],
  ["BACKUP_DR_REPORT", "[1]", "expected a JSON object"],
];

/** A field of BACKUP_DR_REPORT changed, and the words the message must carry. */
const BAD_OPTIONS: Array<[string, Record<string, unknown>, string]> = [
  ["an unknown field", { ...REPORT_OPTIONS, graceMinutes: 15 }, "unknown fields graceMinutes"],
  ["grace not a number", { ...REPORT_OPTIONS, graceSeconds: "900" }, 'graceSeconds must be a whole number from 0 to 2592000, got "900"'],
  ["a negative lag", { ...REPORT_OPTIONS, drLagSeconds: -1 }, "drLagSeconds must be a whole number"],
  ["a fractional frequency", { ...REPORT_OPTIONS, requiredFrequencySeconds: 3600.5 }, "requiredFrequencySeconds must be a whole number"],
  ["retention missing", { ...REPORT_OPTIONS, requiredRetentionDays: undefined }, "requiredRetentionDays must be a whole number from 0 to 36500, got nothing"],
  ["notifyOn unknown", { ...REPORT_OPTIONS, notifyOn: "failure" }, 'notifyOn must be one of outOfPolicy, always, got "failure"'],
  ["costTags as text", { ...REPORT_OPTIONS, costTags: "true" }, "costTags must be true or false"],
  ["buckets not a list", { ...REPORT_OPTIONS, protectedBuckets: { bucket: "a" } }, "protectedBuckets must be a list"],
  ["a bucket without its replica", { ...REPORT_OPTIONS, protectedBuckets: [{ bucket: "data-bucket" }] }, "protectedBuckets[0].replica must be an S3 bucket name, got nothing"],
  ["a bucket entry with an unknown field", { ...REPORT_OPTIONS, protectedBuckets: [{ bucket: "data-bucket", replica: "data-replica", rtc: true }] }, "protectedBuckets[0]: unknown fields rtc"],
];

describe("report input", () => {
  for (const [name, event, words] of MALFORMED) {
    it(`refuses ${name} as an event before any AWS call`, async () => {
      const fake = new FakeAws();
      const error = await rejection(runReportStep(reportDeps(fake, () => new Date()), reportSettings(), event));
      expect(error.name, error.message).to.equal("MalformedEventError");
      expect(error.message).to.contain(words);
      expect(fake.calls).to.deep.equal([]);
    });
  }

  it("takes exactly the two steps", () => {
    expect(parseReportEvent({ step: "coverage" })).to.deep.equal({ step: "coverage" });
    expect(parseReportEvent({ step: "report" })).to.deep.equal({ step: "report" });
  });

  for (const variable of REQUIRED) {
    it(`names ${variable} when it is missing or blank`, () => {
      for (const value of [undefined, " "]) {
        const error = thrown(() => reportSettings({ [variable]: value }));
        expect(error.name, error.message).to.equal("MissingSettingError");
        expect(error).to.have.property("setting", variable);
      }
    });
  }

  for (const [variable, value, words] of INVALID) {
    it(`refuses ${variable}=${value}`, () => {
      const error = thrown(() => reportSettings({ [variable]: value }));
      expect(error.name, error.message).to.equal("InvalidSettingError");
      expect(error).to.have.property("setting", variable);
      expect(error.message).to.contain(words);
    });
  }

  it("refuses a primary region other than the function's own", () => {
    const error = thrown(() => reportSettings({ AWS_REGION: DR }));
    expect([error.name, error.message]).to.deep.equal(["InvalidSettingError", `Invalid setting BACKUP_DR_PRIMARY_REGION: the function runs in ${DR} (AWS_REGION) but is set up for ${PRIMARY}; the report function runs in the primary region`]);
  });

  for (const [name, options, words] of BAD_OPTIONS) {
    it(`refuses report options with ${name}`, () => {
      const error = thrown(() => reportSettings({ BACKUP_DR_REPORT: JSON.stringify(options) }));
      expect([error.name, (error as Error & { setting?: string }).setting]).to.deep.equal(["InvalidSettingError", "BACKUP_DR_REPORT"]);
      expect(error.message).to.contain(words);
    });
  }

  it("reads the options as given, the selection tag key defaulted", () => {
    expect(parseReportOptions({ ...REPORT_OPTIONS, protectedBuckets: [{ bucket: "data-bucket", replica: "data-replica" }] })).to.deep.equal({ ...REPORT_OPTIONS, protectedBuckets: [{ bucket: "data-bucket", replica: "data-replica" }] });
    const settings = reportSettings({ BACKUP_DR_SELECTION_TAG_KEY: undefined, BACKUP_DR_CONCURRENCY: undefined });
    expect([settings.selectionTagKey, settings.concurrency, settings.plans.map((p) => p.name)]).to.deep.equal(["backup-plan", 8, ["gold", "silver"]]);
  });

  it("the Lambda entry fails on a bad setting or event before any AWS call", async () => {
    const fake = new FakeAws();
    const server = await startFakeServer(fake);
    try {
      const env = { ...reportEnv(), ...fakeEndpointEnv(server, PRIMARY) };
      const bad = await invokeIsolated({ ...env, BACKUP_DR_REPORT: "{}" }, () => reportHandler({ step: "coverage" }, lambdaContext()));
      expect((bad.error as Error).name).to.equal("InvalidSettingError");
      const malformed = await invokeIsolated(env, () => reportHandler({ step: "coverage", now: "2026-12-01T00:00:00Z" }, lambdaContext()));
      expect((malformed.error as Error).name).to.equal("MalformedEventError");
      expect(fake.calls).to.deep.equal([]);
    } finally {
      await server.close();
    }
  });
});
