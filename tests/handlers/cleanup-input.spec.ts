// Bad input to the cleanup function: every malformed event and missing or invalid setting is a named error before
// any AWS call; expiry tags are read strictly.
import { expect } from "chai";
import { parseCleanupEvent } from "../../handlers/cleanup/event";
import { parseInstant } from "../../handlers/lib/instant";
import { runCleanup } from "../../handlers/cleanup/run";
import { readCleanupSettings } from "../../handlers/cleanup/settings";
import { FakeAws } from "../helpers/aws-fake";
import { NOW, cleanupDeps, cleanupEnv, cleanupSettings, rejection } from "../helpers/cleanup-setup";
import { buildScenario } from "../helpers/cleanup-scenario";
import { thrown } from "../helpers/thrown";

describe("cleanup input", () => {
  const events: [string, unknown, string][] = [
    ["no event", undefined, "Expected an event object"],
    ["null", null, "Expected an event object"],
    ["a string", "dryRun", "Expected an event object"],
    ["an array", [{ dryRun: true }], "Expected an event object"],
    ["a misspelt field", { scheduledtime: "2026-11-22T03:30:00Z" }, "Unknown event field(s) scheduledtime"],
    ["an EventBridge rule event", { version: "0", "detail-type": "Scheduled Event", time: "2026-11-22T03:30:00Z" }, "Unknown event field(s) version, detail-type, time"],
    ["dryRun as text", { dryRun: "true" }, 'field "dryRun" must be true or false'],
    ["dryRun as a number", { dryRun: 1 }, 'field "dryRun" must be true or false'],
    ["a time without a zone", { scheduledTime: "2026-11-22T03:30:00" }, "ISO-8601"],
    ["a time that is a number", { scheduledTime: 1763782200000 }, "ISO-8601"],
    ["a date that does not exist", { scheduledTime: "2026-02-30T03:30:00Z" }, "ISO-8601"],
    ["free text", { scheduledTime: "tonight" }, "ISO-8601"],
  ];
  for (const [what, event, says] of events) {
    it(`rejects ${what} with MalformedEventError, before any AWS call`, async () => {
      const fake = new FakeAws();
      buildScenario(fake);
      const error = await rejection(runCleanup(cleanupDeps(fake), cleanupSettings(), event));
      expect(error.name).to.equal("MalformedEventError");
      expect(error.message).to.include(says);
      expect(fake.calls).to.deep.equal([]);
    });
  }

  it("accepts the schedule's event, a preview and an empty event; the slot is to the minute", () => {
    expect(parseCleanupEvent({ scheduledTime: "2026-11-22T04:30:59+01:00" }, NOW)).to.deep.equal({ slot: new Date("2026-11-22T03:30:00Z"), dryRun: false });
    expect(parseCleanupEvent({ dryRun: true }, new Date("2026-11-22T07:41:29.500Z"))).to.deep.equal({ slot: new Date("2026-11-22T07:41:00Z"), dryRun: true });
    expect(parseCleanupEvent({ dryRun: false, scheduledTime: "2026-11-22T03:30:00Z" }, NOW).dryRun).to.be.false;
    expect(parseCleanupEvent({}, NOW)).to.deep.equal({ slot: NOW, dryRun: false });
  });

  it("the scheduled time names the run but is not the rules' clock: a far-future time deletes nothing more", async () => {
    const fake = new FakeAws();
    buildScenario(fake);
    const manifest = await runCleanup(cleanupDeps(fake), cleanupSettings(), { scheduledTime: "2099-01-01T00:00:00Z" });
    expect(manifest.runId).to.equal("cleanup@2099-01-01T00:00:00Z");
    expect(manifest.decidedAt).to.equal(NOW.toISOString());
    expect(manifest.counts.deleted).to.equal(22);
  });

  const settings: [string, Record<string, string | undefined>, string, string][] = [
    ["no stack", { BACKUP_DR_STACK: undefined }, "MissingSettingError", "BACKUP_DR_STACK"],
    ["no primary region", { BACKUP_DR_PRIMARY_REGION: "" }, "MissingSettingError", "BACKUP_DR_PRIMARY_REGION"],
    ["no DR region", { BACKUP_DR_DR_REGION: undefined }, "MissingSettingError", "BACKUP_DR_DR_REGION"],
    ["a region that is not one", { BACKUP_DR_DR_REGION: "Oregon" }, "InvalidSettingError", "expected an AWS region name"],
    ["the same region twice", { BACKUP_DR_DR_REGION: "us-east-1" }, "InvalidSettingError", "must differ from BACKUP_DR_PRIMARY_REGION"],
    ["no vault", { BACKUP_DR_VAULT_BUCKET: undefined }, "MissingSettingError", "BACKUP_DR_VAULT_BUCKET"],
    ["no topic", { BACKUP_DR_TOPIC_ARN: undefined }, "MissingSettingError", "BACKUP_DR_TOPIC_ARN"],
    ["a dry run that is not a boolean", { BACKUP_DR_DRY_RUN: "yes" }, "InvalidSettingError", "BACKUP_DR_DRY_RUN: expected one of true, false"],
    ["zero deletions", { BACKUP_DR_MAX_DELETIONS: "0" }, "InvalidSettingError", "BACKUP_DR_MAX_DELETIONS"],
    ["a negative minimum age", { BACKUP_DR_MIN_AGE_DAYS: "-1" }, "InvalidSettingError", "BACKUP_DR_MIN_AGE_DAYS"],
    ["a fraction of 0", { BACKUP_DR_MAX_DELETE_FRACTION: "0" }, "InvalidSettingError", "BACKUP_DR_MAX_DELETE_FRACTION"],
    ["a fraction above 1", { BACKUP_DR_MAX_DELETE_FRACTION: "1.5" }, "InvalidSettingError", "BACKUP_DR_MAX_DELETE_FRACTION"],
    ["a percentage", { BACKUP_DR_MAX_DELETE_FRACTION: "50%" }, "InvalidSettingError", "BACKUP_DR_MAX_DELETE_FRACTION"],
    ["a fraction in exponent form", { BACKUP_DR_MAX_DELETE_FRACTION: "5e-1" }, "InvalidSettingError", "BACKUP_DR_MAX_DELETE_FRACTION"],
    ["too much concurrency", { BACKUP_DR_CONCURRENCY: "51" }, "InvalidSettingError", "BACKUP_DR_CONCURRENCY"],
    ["a bad notifyOn", { BACKUP_DR_NOTIFY_ON: "never" }, "InvalidSettingError", "BACKUP_DR_NOTIFY_ON"],
    ["a snapshot rate without a burst", { BACKUP_DR_SNAPSHOT_RATE: "5" }, "InvalidSettingError", "BACKUP_DR_SNAPSHOT_RATE"],
  ];
  for (const [what, overrides, name, says] of settings) {
    it(`rejects ${what} with ${name}`, () => {
      const error = thrown(() => readCleanupSettings(cleanupEnv(overrides)));
      expect(error.name).to.equal(name);
      expect(error.message).to.include(says);
    });
  }

  it("reads every setting, and defaults the optional ones to the stack config's defaults", () => {
    expect(cleanupSettings({ BACKUP_DR_MAX_DELETE_FRACTION: "1", BACKUP_DR_DRY_RUN: "true" })).to.deep.include({ maxDeleteFraction: 1, dryRun: true, maxDeletions: 200, minAgeDays: 1, concurrency: 4 });
    const defaults = readCleanupSettings(
      cleanupEnv({ BACKUP_DR_NOTIFY_ON: undefined, BACKUP_DR_DRY_RUN: undefined, BACKUP_DR_MAX_DELETIONS: undefined, BACKUP_DR_MIN_AGE_DAYS: undefined, BACKUP_DR_MAX_DELETE_FRACTION: undefined, BACKUP_DR_CONCURRENCY: undefined }),
    );
    expect(defaults).to.deep.equal({
      stackTag: "backup-dr/test",
      primaryRegion: "us-east-1",
      drRegion: "us-west-2",
      vaultBucket: "backup-dr-test-vault",
      topicArn: "arn:aws:sns:us-east-1:123456789012:backup-dr-test-notifications",
      notifyOn: "failure",
      dryRun: false,
      maxDeletions: 200,
      minAgeDays: 1,
      maxDeleteFraction: 0.5,
      concurrency: 8,
      snapshotRate: { perSecond: 5, burst: 100 },
      runDeadlineMinutes: 120,
    });
  });

  describe("expiry tags are read strictly", () => {
    const valid: [string, string][] = [
      ["2026-11-22T03:30:00Z", "2026-11-22T03:30:00.000Z"],
      ["2026-11-22T03:30Z", "2026-11-22T03:30:00.000Z"],
      ["2026-11-22T03:30:00.123456Z", "2026-11-22T03:30:00.123Z"],
      ["2026-11-22T04:30:00+01:00", "2026-11-22T03:30:00.000Z"],
      ["2024-02-29T00:00:00-05:00", "2024-02-29T05:00:00.000Z"],
    ];
    for (const [text, instant] of valid) it(`reads ${text}`, () => expect(parseInstant(text)?.toISOString()).to.equal(instant));
    const invalid = ["", "2026-11-22", "2026-11-22T03:30:00", "2026-11-22 03:30:00Z", "2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z", "2026-11-22T24:00:00Z", "2026-11-22T03:60:00Z", "2026-11-22T03:30:00+24:00", "1763782200", "never", " 2026-11-22T03:30:00Z", "2026-11-22T03:30:00z", "+02026-11-22T03:30:00Z"];
    for (const text of invalid) it(`does not read ${JSON.stringify(text)}`, () => expect(parseInstant(text)).to.equal(undefined));
  });
});
