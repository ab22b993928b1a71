// Bad input to the backup function: every malformed event and missing or invalid setting is a named error before any AWS call.
import { expect } from "chai";
import { runBackup } from "../../handlers/backup/run";
import { FakeAws } from "../helpers/aws-fake";
import { backupDeps, backupEnv, backupSettings, PLANS } from "../helpers/backup-setup";
import { fakeClients } from "../helpers/aws-clients";
import { buildFleet } from "../helpers/backup-fleet";
import { readBackupSettings } from "../../handlers/backup/settings";
import { thrown } from "../helpers/thrown";

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(() => undefined, (error: unknown) => error);
  if (outcome instanceof Error) return outcome;
  throw new Error("expected a rejection");
}

describe("backup input", () => {
  const events: [string, unknown, string, string][] = [
    ["no event", undefined, "MalformedEventError", "Expected an event object"],
    ["a string", "gold", "MalformedEventError", "Expected an event object"],
    ["an array", [{ plan: "gold" }], "MalformedEventError", "Expected an event object"],
    ["no plan", { scheduledTime: "2026-11-22T06:00:00Z" }, "MalformedEventError", 'field "plan"'],
    ["an empty plan", { plan: "" }, "MalformedEventError", 'field "plan"'],
    ["a plan that is not text", { plan: 7 }, "MalformedEventError", 'field "plan"'],
    ["an unknown plan", { plan: "platinum" }, "UnknownPlanError", 'Unknown plan "platinum"; this function knows: gold, silver'],
    ["a misspelt field", { plan: "gold", scheduledtime: "2026-11-22T06:00:00Z" }, "MalformedEventError", "scheduledtime"],
    ["a time without a zone", { plan: "gold", scheduledTime: "2026-11-22T06:00:00" }, "MalformedEventError", "ISO-8601"],
    ["a time that is not text", { plan: "gold", scheduledTime: 1763791200000 }, "MalformedEventError", "ISO-8601"],
    ["a date that does not exist", { plan: "gold", scheduledTime: "2026-02-30T06:00:00Z" }, "MalformedEventError", "ISO-8601"],
    ["an hour that does not exist", { plan: "gold", scheduledTime: "2026-11-22T24:00:00Z" }, "MalformedEventError", "ISO-8601"],
    ["free text", { plan: "gold", scheduledTime: "yesterday" }, "MalformedEventError", "ISO-8601"],
  ];
  for (const [what, event, name, says] of events) {
    it(`rejects ${what} with ${name}, before any AWS call`, async () => {
      const fake = new FakeAws();
      buildFleet(fake);
      const error = await rejection(runBackup(backupDeps(fakeClients(fake)), backupSettings(), event));
      expect(error.name).to.equal(name);
      expect(error.message).to.include(says);
      expect(fake.calls).to.deep.equal([]);
    });
  }

  it("accepts a time with an offset, and an event without one (now, to the minute)", async () => {
    const fake = new FakeAws();
    buildFleet(fake);
    const withOffset = await runBackup(backupDeps(fakeClients(fake)), backupSettings(), { plan: "silver", scheduledTime: "2026-11-22T02:30:00+01:00" });
    expect(withOffset.slot).to.equal("2026-11-22T01:30:00Z");
    const now = () => new Date("2026-11-22T07:41:29.500Z");
    const manual = await runBackup(backupDeps(fakeClients(fake), now), backupSettings(), { plan: "silver" });
    expect(manual.slot).to.equal("2026-11-22T07:41:00Z");
  });

  const settings: [string, Record<string, string | undefined>, string, string][] = [
    ["BACKUP_DR_STACK missing", { BACKUP_DR_STACK: undefined }, "MissingSettingError", "BACKUP_DR_STACK"],
    ["BACKUP_DR_PLANS missing", { BACKUP_DR_PLANS: undefined }, "MissingSettingError", "BACKUP_DR_PLANS"],
    ["BACKUP_DR_VAULT_BUCKET empty", { BACKUP_DR_VAULT_BUCKET: "" }, "MissingSettingError", "BACKUP_DR_VAULT_BUCKET"],
    ["BACKUP_DR_TOPIC_ARN missing", { BACKUP_DR_TOPIC_ARN: undefined }, "MissingSettingError", "BACKUP_DR_TOPIC_ARN"],
    ["BACKUP_DR_PLANS not JSON", { BACKUP_DR_PLANS: "gold" }, "InvalidSettingError", "BACKUP_DR_PLANS: expected JSON"],
    ["BACKUP_DR_PLANS empty", { BACKUP_DR_PLANS: "[]" }, "InvalidSettingError", "BACKUP_DR_PLANS: expected at least one plan"],
    ["a plan with a bad schedule", { BACKUP_DR_PLANS: JSON.stringify([{ ...PLANS[0], schedule: "cron(0 12 * * * *)" }]) }, "InvalidSettingError", "[0].schedule: expected an EventBridge Scheduler expression"],
    ["a plan with a bad time zone", { BACKUP_DR_PLANS: JSON.stringify([{ ...PLANS[0], timezone: "Mars/Olympus" }]) }, "InvalidSettingError", "[0].timezone"],
    ["a plan with an unknown resource", { BACKUP_DR_PLANS: JSON.stringify([{ ...PLANS[0], resources: ["ec2", "dynamodb"] }]) }, "InvalidSettingError", "[0].resources"],
    ["a plan with a negative keep", { BACKUP_DR_PLANS: JSON.stringify([{ ...PLANS[0], keep: { daily: -1 } }]) }, "InvalidSettingError", "[0].keep.daily"],
    ["a plan with an unknown tier", { BACKUP_DR_PLANS: JSON.stringify([{ ...PLANS[0], keep: { fortnightly: 2 } }]) }, "InvalidSettingError", "[0].keep.fortnightly"],
    ["a plan named twice", { BACKUP_DR_PLANS: JSON.stringify([PLANS[0], PLANS[0]]) }, "InvalidSettingError", "[1].name"],
    ["a bad plan name", { BACKUP_DR_PLANS: JSON.stringify([{ ...PLANS[0], name: "Gold--1" }]) }, "InvalidSettingError", "[0].name"],
    ["BACKUP_DR_NOTIFY_ON unknown", { BACKUP_DR_NOTIFY_ON: "never" }, "InvalidSettingError", "BACKUP_DR_NOTIFY_ON"],
    ["BACKUP_DR_CONCURRENCY out of range", { BACKUP_DR_CONCURRENCY: "500" }, "InvalidSettingError", "BACKUP_DR_CONCURRENCY"],
  ];
  for (const [what, overrides, name, says] of settings) {
    it(`rejects ${what} with ${name}`, () => {
      const error = thrown(() => readBackupSettings(backupEnv(overrides)));
      expect(error.name).to.equal(name);
      expect(error.message).to.include(says);
    });
  }

  it("defaults the optional settings", () => {
    const s = readBackupSettings(backupEnv({ BACKUP_DR_SELECTION_TAG_KEY: undefined, BACKUP_DR_NOTIFY_ON: undefined, BACKUP_DR_CONCURRENCY: undefined }));
    expect(s).to.include({ selectionTagKey: "backup-plan", notifyOn: "failure", concurrency: 8 });
    expect(s.plans.map((p) => [p.name, p.timezone, p.resources.join(",")])).to.deep.equal([
      ["gold", "America/New_York", "ec2,rds,aurora"],
      ["silver", "Europe/Berlin", "ec2,rds"],
    ]);
    expect(s.plans[1].keep).to.deep.equal({ hourly: 0, daily: 7, weekly: 4, monthly: 6, yearly: 0 });
  });
});
